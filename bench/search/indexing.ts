// Indexing side of bench/search: a fresh embedded Meilisearch, the corpus through SegmentIndex, timed, its memory
// (peak, anonymous vs file-backed) and CPU sampled.
import type { Meilisearch, Settings, Task } from 'meilisearch';
import { moduleLogger } from '../../server/logger.js';
import { SearchEngine } from '../../server/search/engine.js';
import { useLexiconDecompounder } from '../../server/search/german.js';
import { SegmentIndex, type SegmentInterviewMeta, type SegmentInput } from '../../server/search/segment-index.js';
import { MeiliSidecar } from '../../server/search/sidecar.js';
import { createMemoryCeiling, type MemoryCeiling } from './memory-limit.js';
import { cpuSecondsOf, memoryOf } from './report.js';

export const PREFIX = 'bench_';

export type BenchMedia = Array<{ interview: SegmentInterviewMeta; mediaId: string; segments: SegmentInput[] }>;

export interface Indexed {
  sidecar: MeiliSidecar;
  url: string;
  masterKey: string;
  meiliPid: number;
  engine: SearchEngine;
  segments: SegmentIndex;
  indexSeconds: number;
  wallSeconds: number;
  tasks: number;
  batches: number;
  peakSampled: number;
  peakAnon: number;
  /** RssFile at the moment the sampled RSS peaked (mapped LMDB pages). */
  peakFile: number;
  /** RssFile's own peak while indexing (sampled): pages the kernel may drop again, unlike RssAnon. */
  peakFileMax: number;
  /** Meilisearch's user+system CPU seconds for settings + indexing. */
  cpuSeconds: number;
  afterIndexing: ReturnType<typeof memoryOf>;
  /** The memory cgroup Meilisearch runs in (--meili-memory-limit), or null. */
  ceiling: MemoryCeiling | null;
}

export interface IndexOptions {
  dataDir: string;
  decompounder: boolean;
  /** Extra Meilisearch launch options (levers such as --experimental-reduce-indexing-memory-usage). */
  meiliArgs?: readonly string[];
  maxIndexingMemory?: string;
  /** Index settings laid over segmentIndexSettings (levers); the API server would reset them, so direct-only runs. */
  settings?: Settings;
  onStarted?: (sidecar: MeiliSidecar) => void;
  /** Run Meilisearch under a hard memory limit (MiB), as a container limit would (memory-limit.ts). */
  memoryLimitMiB?: number;
  onConfined?: (ceiling: MemoryCeiling) => void;
}

export async function waitForIdle(client: Meilisearch): Promise<void> {
  for (;;) {
    const pending = await client.tasks.getTasks({ statuses: ['enqueued', 'processing'], limit: 1 });
    if (pending.results.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A fresh embedded Meilisearch in `dataDir`, the corpus indexed through SegmentIndex, timed and its memory sampled. */
export async function indexCorpus(media: BenchMedia, opts: IndexOptions): Promise<Indexed> {
  useLexiconDecompounder(opts.decompounder);
  const sidecar = new MeiliSidecar({
    dataDir: opts.dataDir,
    extraArgs: opts.meiliArgs,
    maxIndexingMemory: opts.maxIndexingMemory,
  });
  opts.onStarted?.(sidecar);
  const ceiling = opts.memoryLimitMiB ? createMemoryCeiling(opts.memoryLimitMiB) : null;
  if (ceiling) opts.onConfined?.(ceiling);
  const { url, masterKey } = ceiling ? await ceiling.startInside(() => sidecar.start()) : await sidecar.start();
  const meiliPid = sidecar.pid!;
  ceiling?.assertHolds(meiliPid);
  const engine = new SearchEngine({ url, apiKey: masterKey, indexPrefix: PREFIX, timeoutMs: 120_000 });
  const segments = new SegmentIndex(engine, moduleLogger('bench'));
  await segments.ensureSettings();
  if (opts.settings) {
    const task = await engine.client.index(segments.uid).updateSettings(opts.settings).waitTask({ timeout: 120_000 });
    if (task.status !== 'succeeded') throw new Error(`lever settings: ${task.error?.message ?? task.status}`);
  }
  const cpu0 = cpuSecondsOf(meiliPid);
  let peak = memoryOf(meiliPid);
  let peakAnon = peak.anon;
  let peakFileMax = peak.file;
  const sampler = setInterval(() => {
    const m = memoryOf(meiliPid);
    if (m.rss > peak.rss) peak = m;
    peakAnon = Math.max(peakAnon, m.anon);
    peakFileMax = Math.max(peakFileMax, m.file);
  }, 100);
  const tIndex = performance.now();
  try {
    await segments.replaceMedia(media, { timeoutMs: 60 * 60_000 });
  } finally {
    clearInterval(sampler);
  }
  const wallSeconds = (performance.now() - tIndex) / 1000;
  const tasks: Task[] = [];
  for (let from: number | undefined; ;) {
    const page = await engine.client.tasks.getTasks({
      indexUids: [segments.uid],
      types: ['documentAdditionOrUpdate', 'documentDeletion'],
      limit: 1000,
      ...(from !== undefined ? { from } : {}),
    });
    tasks.push(...page.results);
    if (page.next === null || page.next === undefined) break;
    from = page.next;
  }
  const failed = tasks.filter((t) => t.status !== 'succeeded');
  if (failed.length > 0)
    throw new Error(`indexing tasks failed: ${failed.map((t) => t.error?.message ?? t.status).join('; ')}`);
  const first = Math.min(...tasks.map((t) => Date.parse(t.enqueuedAt)));
  const last = Math.max(...tasks.map((t) => Date.parse(t.finishedAt!)));
  const afterIndexing = memoryOf(meiliPid);
  if (afterIndexing.rss > peak.rss) peak = afterIndexing;
  return {
    sidecar,
    url,
    masterKey,
    meiliPid,
    engine,
    segments,
    indexSeconds: (last - first) / 1000,
    wallSeconds,
    tasks: tasks.length,
    batches: new Set(tasks.map((t) => t.batchUid)).size,
    peakSampled: peak.rss,
    peakAnon: Math.max(peakAnon, afterIndexing.anon),
    peakFile: peak.file,
    peakFileMax: Math.max(peakFileMax, afterIndexing.file),
    cpuSeconds: cpuSecondsOf(meiliPid) - cpu0,
    afterIndexing,
    ceiling,
  };
}

/** Peak RSS of an indexing run: the larger of the sampled maximum and the kernel's VmHWM. */
export const peakOf = (x: Indexed): number => Math.max(x.peakSampled, x.afterIndexing.hwm);

/**
 * Meilisearch stopped and started again on the index it just built, inside the same memory limit if any: how the
 * embedded archive searches after `npm run cli -- reindex` (that command's Meilisearch ends with it). An indexing
 * process keeps what it allocated for the write transactions (anonymous memory after indexing a million passages:
 * ~745 MiB); a fresh one holds only what searches touch.
 */
export async function restartForQueries(
  indexed: Indexed,
): Promise<Pick<Indexed, 'url' | 'masterKey' | 'meiliPid' | 'engine' | 'segments'>> {
  await indexed.sidecar.stop();
  const { ceiling, sidecar } = indexed;
  const { url, masterKey } = ceiling ? await ceiling.startInside(() => sidecar.start()) : await sidecar.start();
  const meiliPid = sidecar.pid!;
  ceiling?.assertHolds(meiliPid);
  const engine = new SearchEngine({ url, apiKey: masterKey, indexPrefix: PREFIX, timeoutMs: 120_000 });
  return { url, masterKey, meiliPid, engine, segments: new SegmentIndex(engine, moduleLogger('bench')) };
}
