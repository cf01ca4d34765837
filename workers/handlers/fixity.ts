// The scheduled fixity audit (server/preservation/fixity.ts): checks what was not checked within FIXITY_INTERVAL_DAYS,
// at FIXITY_MAX_MBPS, then schedules its next run. A run that is interrupted resumes where it stopped, because files
// checked meanwhile are skipped.
import { AuditLog } from '../../server/audit/service.js';
import { loadConfig } from '../../server/config.js';
import type { JobQueue } from '../../server/jobs/queue.js';
import { FixityAuditor } from '../../server/preservation/fixity.js';
import type { Store } from '../../server/store/repositories.js';
import type { JobContext } from '../worker.js';

const DAY_MS = 86_400_000;
const RUN_BUDGET_MS = 10 * 60_000;

/** Scheduled runs come at most a day apart, so a full cycle is spread out and a missed day is caught up soon. */
export function nextFixityRun(intervalDays: number, now = new Date()): Date {
  return new Date(now.getTime() + Math.min(intervalDays, 1) * DAY_MS);
}

/** Called when workers start: a scheduled audit exists (first one a few minutes after start, not during it). */
export async function ensureFixityScheduled(store: Store, queue: JobQueue, delayMs = 5 * 60_000): Promise<void> {
  if (await store.jobs.findActiveByKey('preservation.fixity')) return;
  await queue.enqueue({ name: 'preservation.fixity', payload: { v: 1 } }, { runAfter: new Date(Date.now() + delayMs) });
}

export async function fixityAudit(ctx: JobContext<'preservation.fixity'>): Promise<void> {
  const { FIXITY_MAX_MBPS, FIXITY_INTERVAL_DAYS } = loadConfig();
  const auditor = new FixityAuditor({
    store: ctx.store,
    queue: ctx.queue,
    uploadsDir: ctx.uploadsDir,
    audit: new AuditLog(ctx.store, ctx.log),
    logger: ctx.log,
    maxMbps: FIXITY_MAX_MBPS,
    agent: 'Schichtbuch fixity audit (scheduled job)',
  });
  const report = await auditor.run({
    ...(ctx.payload.interviewId ? { interviewId: ctx.payload.interviewId } : {}),
    olderThan: new Date(Date.now() - FIXITY_INTERVAL_DAYS * DAY_MS),
    // one slot of a worker is never held for hours: after the budget the job stops and continues a minute later,
    // so uploads queued meanwhile get their turn (files checked so far are skipped then)
    budgetMs: RUN_BUDGET_MS,
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress(total ? (100 * done) / total : 100),
  });
  ctx.log.info(
    { runId: report.runId, files: report.files, problems: report.problems.length, skipped: report.skipped },
    'scheduled fixity audit',
  );
  if (ctx.payload.interviewId) return;
  const next = report.complete ? nextFixityRun(FIXITY_INTERVAL_DAYS) : new Date(Date.now() + 60_000);
  await ctx.queue.schedule({ name: 'preservation.fixity', payload: { v: 1 } }, next);
}
