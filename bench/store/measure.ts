// Measuring helpers of bench/store.ts: CPU seconds of this and other processes, percentiles, timed phases, the table.
import fs from 'node:fs';
import type { MongoEngine } from '../../tests/helpers/mongo-engine.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** user + system CPU seconds of a process, from /proc (the engine and the workers are other processes). */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11] = utime, fields[12] = stime (after the command name), in clock ticks (100/s on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

export const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

export interface Phase {
  samples: number[];
  cpu: number;
  wall: number;
  note?: string;
}
export type Results = Record<string, Phase>;

export const pct = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

export async function timed<T>(samples: number[], fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  samples.push(performance.now() - t0);
  return result;
}

/** CPU of this process + the engine over `fn`. */
export async function phase(engine: MongoEngine | null, fn: (p: Phase) => Promise<void>): Promise<Phase> {
  const p: Phase = { samples: [], cpu: 0, wall: 0 };
  const enginePid = engine?.process.pid;
  const c0 = selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0);
  const t0 = performance.now();
  await fn(p);
  p.wall = (performance.now() - t0) / 1000;
  p.cpu += selfCpu() + (enginePid ? cpuSecondsOf(enginePid) : 0) - c0;
  return p;
}

/** A number as the table prints it: 3 significant digits at most, '–' when not measured. */
export const f = (x: number) =>
  Number.isFinite(x) ? (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)) : '–';

/** Prints rows as a markdown table, the first row the header, numbers right-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}
