// Interview jobs: publish when an embargo ends, delete the originals when a withdrawal's grace period is over.
import { Publication } from '../../server/interviews/publication.js';
import type { JobContext } from '../worker.js';

function publicationOf(ctx: JobContext<'interview.publish' | 'interview.purge'>): Publication {
  // the grace period only matters when scheduling a purge, which these jobs never do
  return new Publication({
    store: ctx.store,
    queue: ctx.queue,
    uploadsDir: ctx.uploadsDir,
    logger: ctx.log,
    withdrawalGraceDays: 0,
  });
}

export async function publishInterview(ctx: JobContext<'interview.publish'>): Promise<void> {
  const outcome = await publicationOf(ctx).publishWhenDue(ctx.payload.interviewId);
  ctx.log.info({ interviewId: ctx.payload.interviewId, outcome }, 'embargo check');
}

export async function purgeInterview(ctx: JobContext<'interview.purge'>): Promise<void> {
  await ctx.assertStillOwned();
  const deleted = await publicationOf(ctx).purgeOriginals(ctx.payload.interviewId);
  ctx.log.info({ interviewId: ctx.payload.interviewId, deleted }, 'originals of a withdrawn interview deleted');
}
