// Fixity audits: re-hash every original (against the SHA-256 taken at ingest) and every rendition (against the hash
// recorded when it was made), at a limited read rate, and record one PREMIS-style event per file. A rendition that
// fails is re-made from the original; an original that fails is reported — admin alert, /metrics gauge, audit-log
// entry — and never "repaired": nothing in the software overwrites a preservation master.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Gauge, type Registry } from 'prom-client';
import type { AuditLog } from '../audit/service.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import { resolveInUploads } from '../media/paths.js';
import type { Store } from '../store/repositories.js';
import type { FixityEvent, FixityOutcome, MediaDerivatives, Medium } from '../store/types.js';
import { replanIngest } from '../media/ingest-flow.js';
import { hashFile } from './hash.js';
import { hashTree } from './rendition-hashes.js';

export interface FixityDeps {
  store: Store;
  queue: JobQueue;
  uploadsDir: string;
  audit: AuditLog;
  logger: Logger;
  /** Read rate in MB/s (10^6 bytes); 0 = unlimited. */
  maxMbps: number;
  agent: string;
}

export interface FixityFileResult {
  path: string;
  fileKind: 'original' | 'rendition';
  mediaId: string;
  interviewId: string;
  outcome: FixityOutcome;
  expected: string | null;
  actual: string | null;
  detail: string | null;
}

export interface FixityReport {
  runId: string;
  startedAt: string;
  finishedAt: string;
  media: number;
  files: number;
  bytes: number;
  passed: number;
  /** Every file that did not pass, in the order checked. */
  problems: FixityFileResult[];
  /** Media whose renditions were queued to be re-made. */
  remade: string[];
  /** Media skipped because they were checked within the interval (scheduled runs only). */
  skipped: number;
  /** false when the time budget ran out first (the scheduled job continues shortly). */
  complete: boolean;
}

/** The unit a derivative key lives in: the HLS ladder is a directory, everything else one file. */
function unitOf(key: keyof MediaDerivatives, relPath: string): string {
  return key === 'hls' ? `${path.posix.dirname(relPath)}/` : relPath;
}

export class FixityAuditor {
  constructor(private readonly deps: FixityDeps) {}

  private get rate(): number {
    return this.deps.maxMbps > 0 ? this.deps.maxMbps * 1e6 : 0;
  }

  /**
   * Audits all media, or one interview's. With `olderThan`, media whose original was checked after that instant are
   * skipped (the scheduled job's resumable cycle); the CLI checks everything it is asked for.
   */
  async run(
    opts: {
      interviewId?: string;
      olderThan?: Date;
      budgetMs?: number;
      signal?: AbortSignal;
      onFile?: (r: FixityFileResult) => void;
      onProgress?: (done: number, total: number) => void;
    } = {},
  ): Promise<FixityReport> {
    const { store } = this.deps;
    const runId = crypto.randomUUID();
    const startedAt = new Date().toISOString();
    const media: Medium[] = [];
    if (opts.interviewId) {
      if (!(await store.interviews.findById(opts.interviewId))) throw new Error(`no interview ${opts.interviewId}`);
      media.push(...(await store.media.listByInterview(opts.interviewId)));
    } else {
      for (let offset = 0; ; offset += 200) {
        const page = await store.interviews.list({ access: { kind: 'all' } }, { limit: 200, offset }, 'createdAt');
        for (const i of page.items) media.push(...(await store.media.listByInterview(i.id)));
        if (page.items.length < 200) break;
      }
    }
    const report: FixityReport = {
      runId,
      startedAt,
      finishedAt: startedAt,
      media: 0,
      files: 0,
      bytes: 0,
      passed: 0,
      problems: [],
      remade: [],
      skipped: 0,
      complete: true,
    };
    const deadline = opts.budgetMs ? Date.now() + opts.budgetMs : Infinity;
    let done = 0;
    for (const medium of media) {
      opts.signal?.throwIfAborted();
      if (Date.now() > deadline) {
        report.complete = false;
        break;
      }
      if (opts.olderThan) {
        const last = await store.fixity.lastChecked(medium.originalPath);
        if (last && last > opts.olderThan.toISOString()) {
          report.skipped++;
          opts.onProgress?.(++done, media.length);
          continue;
        }
      }
      const results = await this.auditMedium(medium, runId, {
        bytes: (n) => (report.bytes += n),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      report.media++;
      for (const r of results.files) {
        report.files++;
        if (r.outcome === 'pass') report.passed++;
        else report.problems.push(r);
        opts.onFile?.(r);
      }
      if (results.remade) report.remade.push(medium.id);
      opts.onProgress?.(++done, media.length);
    }
    report.finishedAt = new Date().toISOString();
    this.deps.logger.info(
      {
        runId,
        media: report.media,
        files: report.files,
        problems: report.problems.length,
        remade: report.remade.length,
      },
      'fixity audit finished',
    );
    return report;
  }

  async auditMedium(
    medium: Medium,
    runId: string | null,
    opts: { bytes?: (n: number) => void; signal?: AbortSignal } = {},
  ): Promise<{ files: FixityFileResult[]; remade: boolean }> {
    const { store, uploadsDir } = this.deps;
    const files: FixityFileResult[] = [];
    const hashOpts = {
      maxBytesPerSecond: this.rate,
      ...(opts.bytes ? { onBytes: opts.bytes } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    };

    const check = async (
      rel: string,
      expected: string | null,
    ): Promise<{ outcome: FixityOutcome; actual: string | null }> => {
      const abs = resolveInUploads(uploadsDir, rel);
      const stat = await fs.stat(abs).catch(() => null);
      if (!stat || !stat.isFile()) return { outcome: 'missing', actual: null };
      const { digest } = await hashFile(abs, hashOpts);
      return { outcome: expected === null || digest === expected ? 'pass' : 'fail', actual: digest };
    };

    // the preservation master
    const original = await check(medium.originalPath, medium.sha256);
    files.push(
      await this.record(
        medium,
        runId,
        'original',
        medium.originalPath,
        medium.sha256,
        original.outcome,
        original.actual,
        original.outcome === 'pass'
          ? null
          : 'preservation master damaged or missing: not repaired automatically; restore it from a backup or an exported bag',
      ),
    );

    // renditions: only once the chain finished (a medium being processed is being made right now)
    let remade = false;
    if (medium.status === 'ready') {
      const baselines = await store.fixity.listBaselines(medium.id);
      const failedKeys: (keyof MediaDerivatives)[] = [];
      const pending: Omit<FixityFileResult, 'detail'>[] = [];
      for (const [key, relPath] of Object.entries(medium.derivatives) as [keyof MediaDerivatives, string][]) {
        if (!relPath) continue;
        const unit = unitOf(key, relPath);
        const recorded = baselines.filter((b) => (unit.endsWith('/') ? b.path.startsWith(unit) : b.path === unit));
        let unitFailed = false;
        if (recorded.length === 0) {
          // made before hashes were recorded: take them now (PREMIS "message digest calculation") unless the file is gone
          const present = await check(relPath, null);
          if (present.outcome === 'missing') {
            unitFailed = true;
            pending.push({
              path: relPath,
              fileKind: 'rendition',
              mediaId: medium.id,
              interviewId: medium.interviewId,
              outcome: 'missing',
              expected: null,
              actual: null,
            });
          } else {
            const tree = await hashTree(resolveInUploads(uploadsDir, unit.endsWith('/') ? unit.slice(0, -1) : unit));
            const now = new Date().toISOString();
            const baseRows = tree.files.map((f) => ({
              path: tree.isDir ? `${unit}${f.rel}` : unit,
              sha256: f.sha256,
              sizeBytes: f.sizeBytes,
              recordedAt: now,
            }));
            await store.fixity.replaceBaselines(medium.id, unit, baseRows);
            for (const b of baseRows) {
              files.push(
                await this.record(
                  medium,
                  runId,
                  'rendition',
                  b.path,
                  null,
                  'pass',
                  b.sha256,
                  'no hash was recorded when it was made; recorded now',
                  'message digest calculation',
                ),
              );
            }
          }
        } else {
          for (const b of recorded) {
            const r = await check(b.path, b.sha256);
            if (r.outcome !== 'pass') unitFailed = true;
            pending.push({
              path: b.path,
              fileKind: 'rendition',
              mediaId: medium.id,
              interviewId: medium.interviewId,
              outcome: r.outcome,
              expected: b.sha256,
              actual: r.actual,
            });
          }
        }
        if (unitFailed) failedKeys.push(key);
      }
      // a rendition is regenerable: make it again from the original — but never from an original that failed itself
      let detail: string | null = null;
      if (failedKeys.length > 0) {
        if (original.outcome !== 'pass') detail = 'not re-made: the original failed its own check';
        else if (await store.jobs.hasActive(medium.id))
          detail = 'a job of this medium is already running; it re-makes the renditions';
        else {
          await this.remake(medium, failedKeys);
          remade = true;
          detail = 're-made from the original (job queued)';
        }
      }
      for (const p of pending) {
        files.push(
          await this.record(
            medium,
            runId,
            'rendition',
            p.path,
            p.expected,
            p.outcome,
            p.actual,
            p.outcome === 'pass' ? null : detail,
          ),
        );
      }
    }
    return { files, remade };
  }

  /** Forgets the failed derivatives and runs the ingest chain from the first missing step (renditions first). */
  private async remake(medium: Medium, keys: (keyof MediaDerivatives)[]): Promise<void> {
    const { store, queue, logger } = this.deps;
    // the ingest flow forgets the derivatives a step makes together, so that the step counts as not done and runs again
    const step = await replanIngest({ store, queue }, medium, { forget: keys });
    if (!step) return;
    logger.warn(
      { mediaId: medium.id, derivatives: keys, step },
      'renditions failed their fixity check; re-making them from the original',
    );
  }

  private async record(
    medium: Medium,
    runId: string | null,
    fileKind: 'original' | 'rendition',
    relPath: string,
    expected: string | null,
    outcome: FixityOutcome,
    actual: string | null,
    detail: string | null,
    type: FixityEvent['type'] = 'fixity check',
  ): Promise<FixityFileResult> {
    const event: FixityEvent = {
      id: crypto.randomUUID(),
      at: new Date().toISOString(),
      type,
      algorithm: 'SHA-256',
      outcome,
      path: relPath,
      fileKind,
      mediaId: medium.id,
      interviewId: medium.interviewId,
      expectedSha256: expected,
      actualSha256: actual,
      agent: this.deps.agent,
      runId,
      detail,
    };
    await this.deps.store.fixity.appendEvent(event);
    if (outcome !== 'pass') {
      this.deps.logger.error(
        { mediaId: medium.id, interviewId: medium.interviewId, path: relPath, outcome, expected, actual },
        'fixity check failed',
      );
      await this.deps.audit.record(null, {
        interviewId: medium.interviewId,
        action: 'fixity.failure',
        entity: fileKind === 'original' ? 'original' : 'rendition',
        entityId: medium.id,
        after: { path: relPath, outcome, expectedSha256: expected, actualSha256: actual, runId, detail },
      });
    }
    return {
      path: relPath,
      fileKind,
      mediaId: medium.id,
      interviewId: medium.interviewId,
      outcome,
      expected,
      actual,
      detail,
    };
  }
}

/**
 * The open alerts: files whose latest check did not pass, of media that still exist (a deleted medium — an interview
 * deleted, or originals purged after a withdrawal — takes its alerts with it; its events stay in the history).
 */
export async function openFixityProblems(store: Store): Promise<FixityEvent[]> {
  const exists = new Map<string, boolean>();
  const open: FixityEvent[] = [];
  for (const p of await store.fixity.listProblems()) {
    if (!exists.has(p.mediaId)) exists.set(p.mediaId, (await store.media.findById(p.mediaId)) !== null);
    if (exists.get(p.mediaId)) open.push(p);
  }
  return open;
}

/** `schichtbuch_fixity_problems{kind}`: files whose latest fixity check failed or found them missing. */
export function registerFixityMetrics(registry: Registry, store: Store): Gauge<'kind'> {
  return new Gauge({
    name: 'schichtbuch_fixity_problems',
    help: 'Files whose latest fixity check did not pass (mismatch or missing), by kind (original, rendition)',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      const problems = await openFixityProblems(store);
      this.set({ kind: 'original' }, problems.filter((p) => p.fileKind === 'original').length);
      this.set({ kind: 'rendition' }, problems.filter((p) => p.fileKind === 'rendition').length);
    },
  });
}
