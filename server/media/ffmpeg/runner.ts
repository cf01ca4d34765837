// The one place that runs ffmpeg/ffprobe: runFfmpeg (with `-progress`, stall watchdog, monotonic percent),
// runFfmpegRaw (stdout is data), runFfprobe, versions. Each child is supervised by process.ts: its own process group,
// always reaped, killed with us; `-progress` parsing is progress.ts.
import { mkdir } from 'node:fs/promises';
import { moduleLogger, type Logger } from '../../logger.js';
import { FfmpegError, setBinaries, supervise, type FfmpegTool } from './process.js';
import { num, outTimeSeconds, ProgressParser, type ProgressInfo } from './progress.js';

export { FfmpegError, type FfmpegErrorKind, type FfmpegTool } from './process.js';
export { outTimeSeconds, ProgressParser, type ProgressInfo } from './progress.js';

/** Override the binaries (default: `ffmpeg`/`ffprobe` from PATH); the config module can call this. */
export function configureFfmpeg(paths: Partial<Record<FfmpegTool, string>>): void {
  setBinaries(paths);
  versionsCache = undefined;
}

// ---------------------------------------------------------------------------------------------
// Public runners

export interface RunFfmpegOptions {
  /** Input duration; needed for percentages. */
  durationSec?: number;
  /**
   * Throttled to one call per 500 ms plus a final call with 100. `percent` is null without
   * `durationSec`; it never decreases and stays below 100 until ffmpeg reports the end.
   */
  onProgress?: (percent: number | null, info: ProgressInfo) => void;
  signal?: AbortSignal;
  /** No progress block for this long → SIGKILL, FfmpegError 'stalled'. */
  stallTimeoutMs?: number;
  logger?: Logger;
  /** Removed (recursively, forcibly) when the run fails for any reason. */
  cleanupPaths?: string[];
  /** Called with the child's pid (also its process-group id). */
  onSpawn?: (pid: number) => void;
  /**
   * Directories to create first. ffmpeg 5.1's hls muxer creates `%v` variant directories itself
   * but not the output directory of a single-rendition playlist.
   */
  ensureDirs?: string[];
  /** Working directory for ffmpeg; the combined passes name their outputs relative to the job's work directory. */
  cwd?: string;
  /**
   * A second output stream: ffmpeg's `pipe:3` arrives here chunk by chunk (the combined pass sends waveform PCM there
   * while `-progress` keeps stdout). Throwing stops the run.
   */
  onData?: (chunk: Buffer) => void;
}

const PROGRESS_INTERVAL_MS = 500;

/** Runs ffmpeg with args that include `-progress pipe:1`; resolves when it exits with 0. */
export async function runFfmpeg(args: string[], opts: RunFfmpegOptions = {}): Promise<{ stderrTail: string }> {
  const { durationSec, onProgress, stallTimeoutMs = 60_000 } = opts;
  const log = opts.logger ?? moduleLogger('ffmpeg');
  const parser = new ProgressParser();
  const decoder = new TextDecoder();
  let lastEmit = 0;
  let lastPercent: number | null = null;
  let finalSent = false;
  let last: ProgressInfo = { outTimeSec: 0, speed: null, etaSec: null, frame: null, done: false };

  const emit = (percent: number | null, info: ProgressInfo): void => {
    lastEmit = Date.now();
    if (info.done) finalSent = true;
    try {
      onProgress?.(percent, info);
    } catch (err) {
      // A broken progress consumer must not kill a long transcode.
      log.warn({ err }, 'onProgress threw');
    }
  };

  const handleBlock = (block: Record<string, string>): void => {
    const done = block.progress === 'end';
    const outTimeSec = Math.max(0, outTimeSeconds(block) ?? last.outTimeSec);
    const speed = num(block.speed?.replace(/x$/, ''));
    const known = durationSec !== undefined && durationSec > 0;
    let percent: number | null = null;
    if (known) {
      const raw = done ? 100 : Math.min(99.9, (outTimeSec / durationSec) * 100);
      percent = Math.max(lastPercent ?? 0, Math.round(Math.max(0, raw) * 10) / 10);
      lastPercent = percent;
    }
    const etaSec = known && speed && speed > 0 ? Math.max(0, (durationSec - outTimeSec) / speed) : null;
    last = { outTimeSec, speed, etaSec: done ? 0 : etaSec, frame: num(block.frame), done };
    if (done || Date.now() - lastEmit >= PROGRESS_INTERVAL_MS) emit(percent, last);
  };

  for (const d of opts.ensureDirs ?? []) await mkdir(d, { recursive: true });
  return supervise({
    tool: 'ffmpeg',
    args,
    signal: opts.signal,
    idleTimeoutMs: stallTimeoutMs,
    cleanupPaths: opts.cleanupPaths,
    onSpawn: opts.onSpawn,
    logger: log,
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    ...(opts.onData ? { onData: opts.onData } : {}),
    onStdout: (chunk) => {
      const blocks = parser.push(decoder.decode(chunk, { stream: true }));
      for (const b of blocks) handleBlock(b);
      return blocks.length > 0;
    },
    onSuccess: () => {
      // Some outputs finish without a progress=end block reaching us; still close the bar.
      if (!finalSent && onProgress)
        emit(durationSec && durationSec > 0 ? 100 : null, { ...last, etaSec: 0, done: true });
    },
  });
}

export interface RunFfmpegRawOptions {
  /** Receives stdout as it arrives (e.g. raw PCM); throwing stops the run. */
  onStdout: (chunk: Buffer) => void;
  signal?: AbortSignal;
  /** No stdout data for this long → 'stalled'. */
  stallTimeoutMs?: number;
  logger?: Logger;
  cleanupPaths?: string[];
  onSpawn?: (pid: number) => void;
}

/** For ffmpeg jobs whose stdout is data rather than progress; every chunk counts as activity. */
export function runFfmpegRaw(args: string[], opts: RunFfmpegRawOptions): Promise<{ stderrTail: string }> {
  return supervise({
    tool: 'ffmpeg',
    args,
    signal: opts.signal,
    idleTimeoutMs: opts.stallTimeoutMs ?? 60_000,
    cleanupPaths: opts.cleanupPaths,
    onSpawn: opts.onSpawn,
    logger: opts.logger ?? moduleLogger('ffmpeg'),
    onStdout: (chunk) => {
      opts.onStdout(chunk);
      return true;
    },
  });
}

export interface RunFfprobeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

const MAX_PROBE_OUTPUT = 32 * 1024 * 1024;

/** Runs ffprobe and returns its stdout; FfmpegError 'timeout' after `timeoutMs` (default 30 s). */
export async function runFfprobe(args: string[], opts: RunFfprobeOptions = {}): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  await supervise({
    tool: 'ffprobe',
    args,
    signal: opts.signal,
    timeoutMs: opts.timeoutMs ?? 30_000,
    logger: opts.logger ?? moduleLogger('ffprobe'),
    onStdout: (chunk) => {
      size += chunk.length;
      if (size > MAX_PROBE_OUTPUT) {
        throw new FfmpegError('failed', 'ffprobe output too large', { tool: 'ffprobe' });
      }
      chunks.push(chunk);
      return false;
    },
  });
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Versions

export interface FfmpegVersions {
  ffmpeg: string | null;
  ffprobe: string | null;
}

let versionsCache: Promise<FfmpegVersions> | undefined;

async function versionOf(tool: FfmpegTool): Promise<string | null> {
  const chunks: Buffer[] = [];
  try {
    await supervise({
      tool,
      args: ['-version'],
      timeoutMs: 10_000,
      logger: moduleLogger(tool),
      onStdout: (c) => {
        chunks.push(c);
        return false;
      },
    });
  } catch {
    return null;
  }
  const first = Buffer.concat(chunks).toString('utf8').split('\n')[0] ?? '';
  return /\bversion\s+(\S+)/.exec(first)?.[1] ?? null;
}

/** Version tokens from the first line of `-version` (e.g. `5.1.9-0+deb12u1`), null when missing. Cached. */
export function ffmpegVersions(): Promise<FfmpegVersions> {
  versionsCache ??= Promise.all([versionOf('ffmpeg'), versionOf('ffprobe')]).then(([ffmpeg, ffprobe]) => ({
    ffmpeg,
    ffprobe,
  }));
  return versionsCache;
}
