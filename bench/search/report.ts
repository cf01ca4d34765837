// Measuring and printing helpers of bench/search.
import fs from 'node:fs';

export const MiB = 1024 ** 2;

/** VmRSS, VmHWM (peak), RssAnon and RssFile of a process, in bytes; RssFile is mostly LMDB's mapped file pages. */
export function memoryOf(pid: number): { rss: number; hwm: number; anon: number; file: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** User + system CPU seconds of a process so far (from /proc/<pid>/stat, in clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Nearest-rank percentile. */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? NaN;
}

export interface Sample {
  ms: number;
  bytes: number;
  total: number;
  engineMs: number;
}

export async function timedFetch(
  url: string,
  init: RequestInit,
  totalOf: (body: Record<string, unknown>) => unknown,
): Promise<Sample> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const buf = await res.arrayBuffer();
  const ms = performance.now() - t0;
  // parsing is the client's business, not part of either side's answer time
  const text = new TextDecoder().decode(buf);
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as Record<string, unknown>;
  return { ms, bytes: buf.byteLength, total: Number(totalOf(body)), engineMs: Number(body.processingTimeMs) };
}

export function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}
