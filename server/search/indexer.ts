// What the search jobs do, in one place: bring the derived search indexes in line with the store for one interview or
// one medium's transcript. The job handlers, the sweep and `npm run cli -- reindex` all use these.
import { publicVersionOf } from '../asr/draft.js';
import type { Logger } from '../logger.js';
import { rangesOf, restrictedFlags } from '../review/redaction.js';
import type { Store } from '../store/repositories.js';
import type { SearchEngine } from './engine.js';
import { InterviewIndex } from './interview-index.js';
import { SegmentIndex } from './segment-index.js';

export interface SearchIndexes {
  engine: SearchEngine;
  interviews: InterviewIndex;
  segments: SegmentIndex;
}

export function searchIndexes(engine: SearchEngine, store: Store, logger: Logger): SearchIndexes {
  return { engine, interviews: new InterviewIndex(engine, store, logger), segments: new SegmentIndex(engine, logger) };
}

export class SearchUnavailableError extends Error {
  override name = 'SearchUnavailableError';
}

async function assertUp(indexes: SearchIndexes): Promise<void> {
  if (!indexes.engine.available && !(await indexes.engine.health()).ok) {
    throw new SearchUnavailableError('Meilisearch is not reachable; indexing waits for it');
  }
}

/** The current transcript version of a medium, with its interview's access fields, into the segment index. */
export async function indexTranscript(
  store: Store,
  indexes: SearchIndexes,
  mediaId: string,
): Promise<{ version: number | null }> {
  await assertUp(indexes);
  const medium = await store.media.findById(mediaId);
  const interview = medium ? await store.interviews.findById(medium.interviewId) : null;
  const current = medium ? await store.transcripts.current(mediaId) : null;
  if (!medium || !interview || !current || interview.status === 'withdrawn') {
    await indexes.segments.removeMedium(mediaId);
    return { version: null };
  }
  // an automatic draft is never searchable: the index holds the newest reviewed version (server/asr/draft.ts)
  const published = publicVersionOf(await store.transcripts.listVersions(mediaId));
  const shown =
    published === null
      ? null
      : published === current.version
        ? current
        : await store.transcripts.getVersion(mediaId, published);
  if (!shown) {
    await indexes.segments.removeMedium(mediaId);
    await store.transcripts.markIndexed(mediaId, current.version);
    return { version: null };
  }
  // passages the narrator did not release stay findable for curators only (segmentFilter: restricted = false)
  const ranges = rangesOf(await store.review.listRestrictions({ mediaId }));
  const flags = restrictedFlags(shown.segments, ranges);
  // untimed text (legacy OHMS) is found at the interview level: its hits point to the recording's beginning
  await indexes.segments.replaceMedium(
    interview,
    mediaId,
    shown.segments.map((s, i) => ({ ...s, start: s.start ?? 0, end: s.end ?? 0, restricted: flags[i] ?? false })),
  );
  await store.transcripts.markIndexed(mediaId, current.version);
  return { version: shown.version };
}

/** An interview's own document, and its access fields on every segment of its transcripts. */
export async function indexInterview(store: Store, indexes: SearchIndexes, interviewId: string): Promise<void> {
  await assertUp(indexes);
  const interview = await store.interviews.findById(interviewId);
  // a withdrawal deletes the index entries, not just hides them
  if (!interview || interview.status === 'withdrawn') {
    await indexes.interviews.remove(interviewId);
    await indexes.segments.removeInterview(interviewId);
    if (interview) await store.interviews.markIndexed(interviewId, interview.version);
    return;
  }
  await indexes.interviews.put(interview);
  // status, visibility and grants travel on every segment: without this a segment stays findable under the old rule
  await indexes.segments.updateInterviewAccess(interview);
  await store.interviews.markIndexed(interviewId, interview.version);
}

/** `npm run cli -- reindex`: both indexes from scratch, from the store. */
export async function rebuildAll(
  store: Store,
  indexes: SearchIndexes,
  logger: Logger,
): Promise<{ interviews: number; transcripts: number }> {
  await assertUp(indexes);
  await indexes.interviews.ensureSettings();
  await indexes.segments.ensureSettings();
  await store.interviews.markAllSearchDirty();
  await store.transcripts.resetIndexed();
  const interviews = await indexes.interviews.syncAll();
  let transcripts = 0;
  // Interview by interview in order of creation: Meilisearch numbers passages as they first arrive, and counting hits
  // per interview is cheaper when those numbers follow the interview key's order (interview-key.ts).
  for (let offset = 0; ; offset += 200) {
    const page = await store.interviews.list({ access: { kind: 'all' } }, { limit: 200, offset }, 'createdAt');
    // a withdrawn interview's passages are removed by the loop below (once; indexTranscript leaves them unmarked)
    for (const interview of page.items.filter((i) => i.status !== 'withdrawn')) {
      for (const medium of await store.media.listByInterview(interview.id)) {
        if (!(await store.transcripts.head(medium.id))) continue;
        if ((await indexTranscript(store, indexes, medium.id)).version !== null) transcripts++;
      }
    }
    if (page.items.length < 200) break;
  }
  // what the walk left (transcripts that were not indexed there, or changed meanwhile)
  for (;;) {
    const batch = await store.transcripts.listUnindexed(200);
    if (batch.length === 0) break;
    for (const head of batch) {
      const { version } = await indexTranscript(store, indexes, head.mediaId);
      if (version === null) await store.transcripts.markIndexed(head.mediaId, head.currentVersion);
      else transcripts++;
    }
  }
  for (;;) {
    const dirty = await store.interviews.listSearchDirty(500);
    if (dirty.length === 0) break;
    for (const i of dirty) await store.interviews.markIndexed(i.id, i.version);
  }
  logger.info({ interviews, transcripts }, 'search indexes rebuilt');
  return { interviews, transcripts };
}
