// bench/ingest measuring helpers: CPU seconds from /proc, peak RSS of a process tree, the bare and limit command lines.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PASS_FILES,
  audioEncoderArgs,
  audioPassArgs,
  posterTime,
  safePath,
  storyboardPlan,
  tileHeightFor,
  videoHlsArgs,
  videoPassArgs,
} from '../../server/media/ffmpeg/args.js';
import type { Input } from './inputs.js';

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** CPU seconds (user+sys) of this process and of its reaped children, from /proc/self/stat. */
export function cpuNow(): { self: number; children: number } {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields after the name: state(3) … utime(14) stime(15) cutime(16) cstime(17) → index = field − 3
  const tick = (i: number) => Number(f[i - 3]) / CLK_TCK;
  return { self: tick(14) + tick(15), children: tick(16) + tick(17) };
}

function vmHwmKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // gone
  }
}

/**
 * Peak RSS (VmHWM) of `pid` itself and the largest of its live descendants, sampled; the caller keeps the maxima.
 * Runs in the bench's parent process, so the sampling costs the measured worker nothing.
 */
export function treePeakKb(pid: number): { self: number; descendants: number } {
  let peak = 0;
  const seen = new Set<number>();
  const walk = (p: number): void => {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const t of tasks) {
      let kids: string[] = [];
      try {
        kids = fs.readFileSync(`/proc/${p}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        continue;
      }
      for (const k of kids.map(Number)) {
        if (seen.has(k)) continue;
        seen.add(k);
        peak = Math.max(peak, vmHwmKb(k));
        walk(k);
      }
    }
  };
  walk(pid);
  return { self: vmHwmKb(pid), descendants: peak };
}

/** Runs ffmpeg as a person would type it: progress off, output ignored (fd 3, the PCM pipe, open on /dev/null). */
export function runBare(args: string[], cwd?: string): Promise<void> {
  const bare = args.filter((a, i) => !(a === '-progress' || args[i - 1] === '-progress'));
  return new Promise((resolve, reject) => {
    const devnull = fs.openSync('/dev/null', 'w');
    const child = spawn('ffmpeg', bare, { stdio: ['ignore', 'ignore', 'pipe', devnull], ...(cwd ? { cwd } : {}) });
    fs.closeSync(devnull);
    let err = '';
    child.stderr!.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg ${code}: ${err.slice(-400)}`))));
  });
}

export interface Timed {
  wall: number;
  cpu: number;
}

/** Wall and children's CPU seconds of `fn` (which runs child processes only). */
export async function timed(fn: () => Promise<void>): Promise<Timed> {
  const c0 = cpuNow();
  const t0 = performance.now();
  await fn();
  const wall = (performance.now() - t0) / 1000;
  return { wall, cpu: cpuNow().children - c0.children };
}

export async function inTmp(prefix: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The pipeline's own ffmpeg command line for this input, as the renditions handler builds it (no restrictions). */
export function pipelineCommands(x: Input, out: string): string[][] {
  const input = x.file;
  fs.mkdirSync(path.join(out, PASS_FILES.hlsDir), { recursive: true });
  if (x.kind === 'video') {
    const w = 1280,
      h = 720;
    return [
      videoPassArgs({
        input,
        source: { width: w, height: h, fps: 30 },
        hasAudio: true,
        posterAtSeconds: posterTime(x.seconds),
        storyboard: { ...storyboardPlan(x.seconds), tileWidth: 160, tileHeight: tileHeightFor(w, h) },
      }),
    ];
  }
  return [audioPassArgs({ input, channels: 1 })];
}

/**
 * The limit: one decode plus the irreducible encodes, with the pipeline's encoder settings — audio: one AAC encode
 * (audioEncoderArgs, as the pass) to the null muxer; video: the ladder encode alone (videoHlsArgs: the same rungs,
 * x264 settings and per-rung AAC as the pass, without poster, storyboard, download and PCM).
 */
export function limitCommand(x: Input, out: string): string[] {
  if (x.kind === 'video') {
    fs.mkdirSync(path.join(out, 'hls'), { recursive: true });
    return videoHlsArgs({
      input: x.file,
      outDir: path.join(out, 'hls'),
      source: { width: 1280, height: 720, fps: 30 },
      hasAudio: true,
    });
  }
  return [
    '-hide_banner',
    '-nostdin',
    '-y',
    '-loglevel',
    'warning',
    '-i',
    safePath(x.file),
    '-map',
    '0:a:0',
    '-vn',
    ...audioEncoderArgs(128),
    '-f',
    'null',
    '-',
  ];
}
