// Search indexing jobs. Both replace what is indexed with the store's current state, so running one twice is harmless
// and a Meilisearch outage only delays them (the attempt fails, backs off, and the sweep re-queues what is behind).
import { indexInterview, indexTranscript, SearchUnavailableError } from '../../server/search/indexer.js';
import type { JobContext } from '../worker.js';

function indexesOf(ctx: JobContext<'search.transcript' | 'search.interview'>) {
  if (!ctx.search) throw new SearchUnavailableError('this worker has no search connection (set MEILI_URL)');
  return ctx.search;
}

export async function searchTranscript(ctx: JobContext<'search.transcript'>): Promise<void> {
  const result = await indexTranscript(ctx.store, indexesOf(ctx), ctx.payload.mediaId);
  ctx.log.debug({ version: result.version }, 'transcript indexed');
}

export async function searchInterview(ctx: JobContext<'search.interview'>): Promise<void> {
  await indexInterview(ctx.store, indexesOf(ctx), ctx.payload.interviewId);
}
