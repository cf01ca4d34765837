// The one place that spawns ffmpeg/ffprobe. Every child runs in its own process group so a kill
// takes anything it started with it, is always awaited until 'close' (reaped, no zombies), and is
// killed if the Node process exits while it is still running.
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { moduleLogger, type Logger } from '../../logger.js';

export type FfmpegTool = 'ffmpeg' | 'ffprobe';

/**
 * failed: non-zero exit · stalled: no progress for too long · aborted: AbortSignal ·
 * timeout: overall time limit (ffprobe) · spawn: binary missing or not executable.
 */
export type FfmpegErrorKind = 'failed' | 'stalled' | 'aborted' | 'timeout' | 'spawn';

export class FfmpegError extends Error {
  override readonly name = 'FfmpegError';
  readonly kind: FfmpegErrorKind;
  readonly tool: FfmpegTool;
  readonly exitCode: number | null;
  readonly stderrTail: string;

  constructor(
    kind: FfmpegErrorKind,
    message: string,
    details: { tool: FfmpegTool; exitCode?: number | null; stderrTail?: string; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.tool = details.tool;
    this.exitCode = details.exitCode ?? null;
    this.stderrTail = details.stderrTail ?? '';
  }
}

// ---------------------------------------------------------------------------------------------
// Binaries

const binaries: Record<FfmpegTool, string> = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };

/** Override the binaries (default: `ffmpeg`/`ffprobe` from PATH); the config module can call this. */
let pdeathsig: boolean | undefined;

/**
 * ffmpeg does not notice when its parent dies (a write error on the progress pipe is not fatal to it), so a worker
 * killed with -9 would leave it transcoding for nothing. util-linux's setpriv sets PR_SET_PDEATHSIG before exec:
 * the kernel then kills ffmpeg together with us. Without setpriv the orphan only wastes CPU — its output goes to a
 * per-attempt work directory that is never published and that the sweep removes.
 */
function withParentDeathSignal(binary: string, args: string[]): [string, string[]] {
  pdeathsig ??= spawnSync('setpriv', ['--pdeathsig', 'KILL', '--', 'true'], { stdio: 'ignore' }).status === 0;
  return pdeathsig ? ['setpriv', ['--pdeathsig', 'KILL', '--', binary, ...args]] : [binary, args];
}

export function configureFfmpeg(paths: Partial<Record<FfmpegTool, string>>): void {
  Object.assign(binaries, paths);
  versionsCache = undefined;
}

// ---------------------------------------------------------------------------------------------
// Process-group bookkeeping

const liveGroups = new Set<number>();
let exitHookInstalled = false;

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function track(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Detached children do not die with us on their own; an 'exit' handler may only do sync work.
    process.on('exit', () => {
      for (const p of liveGroups) killGroup(p);
    });
  }
}

/** Keeps the last `max` non-empty lines of a text stream without holding the whole stream. */
class LineTail {
  private lines: string[] = [];
  private partial = '';
  constructor(private readonly max: number) {}

  push(text: string): void {
    const parts = (this.partial + text).split(/\r\n|\n|\r/);
    this.partial = (parts.pop() ?? '').slice(-2000);
    for (const line of parts) {
      if (line.trim() === '') continue;
      this.lines.push(line.length > 1000 ? `${line.slice(0, 1000)}…` : line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }

  text(): string {
    const all = this.partial.trim() === '' ? this.lines : [...this.lines, this.partial];
    return all.slice(-this.max).join('\n');
  }
}

async function removePaths(paths: readonly string[] | undefined, log: Logger): Promise<void> {
  if (!paths?.length) return;
  await Promise.all(
    paths.map((p) =>
      rm(p, { recursive: true, force: true }).catch((err: unknown) => log.warn({ err, path: p }, 'cleanup failed')),
    ),
  );
}

interface SuperviseOptions {
  tool: FfmpegTool;
  args: string[];
  signal?: AbortSignal;
  /** Kill as 'stalled' when `onStdout` has not reported activity for this long. */
  idleTimeoutMs?: number;
  /** Kill as 'timeout' after this long regardless of activity. */
  timeoutMs?: number;
  /** Return true when the chunk counts as activity for the idle watchdog. May throw to abort the run. */
  onStdout: (chunk: Buffer) => boolean;
  /** Runs after the child exited with 0, before the promise resolves. */
  onSuccess?: () => void;
  cleanupPaths?: readonly string[];
  onSpawn?: (pid: number) => void;
  logger: Logger;
  /** Working directory of the child (relative output paths resolve against it). */
  cwd?: string;
  /** Receives what the child writes to fd 3 (`pipe:3`), e.g. PCM beside the progress on stdout. May throw to abort. */
  onData?: (chunk: Buffer) => void;
}

function supervise(o: SuperviseOptions): Promise<{ stderrTail: string }> {
  const log = o.logger;
  const fail = async (err: Error): Promise<never> => {
    await removePaths(o.cleanupPaths, log);
    throw err;
  };

  if (o.signal?.aborted) {
    return fail(new FfmpegError('aborted', `${o.tool} aborted before start`, { tool: o.tool }));
  }

  return new Promise<{ stderrTail: string }>((resolve, reject) => {
    const tail = new LineTail(20);
    let reason: Error | undefined;
    let spawnError: Error | undefined;
    let idleTimer: NodeJS.Timeout | undefined;
    let totalTimer: NodeJS.Timeout | undefined;

    log.debug({ tool: o.tool, args: o.args }, 'spawn');
    // detached: own process group (pgid = pid), so killGroup(-pid) reaches everything it started.
    const [command, args] = withParentDeathSignal(binaries[o.tool], o.args);
    const child = spawn(command, args, {
      stdio: o.onData ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'],
      detached: true,
      ...(o.cwd ? { cwd: o.cwd } : {}),
    });
    const pid = child.pid;
    if (pid !== undefined) {
      track(pid);
      o.onSpawn?.(pid);
    }

    const stop = (err: Error): void => {
      if (reason) return;
      reason = err;
      killGroup(pid);
    };
    const armIdle = (): void => {
      if (!o.idleTimeoutMs) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        stop(
          new FfmpegError('stalled', `${o.tool} made no progress for ${o.idleTimeoutMs} ms`, {
            tool: o.tool,
            stderrTail: tail.text(),
          }),
        );
      }, o.idleTimeoutMs);
    };
    const onAbort = (): void => stop(new FfmpegError('aborted', `${o.tool} aborted`, { tool: o.tool, cause: o.signal?.reason }));

    armIdle();
    if (o.timeoutMs) {
      totalTimer = setTimeout(
        () => stop(new FfmpegError('timeout', `${o.tool} timed out after ${o.timeoutMs} ms`, { tool: o.tool })),
        o.timeoutMs,
      );
    }
    o.signal?.addEventListener('abort', onAbort, { once: true });

    child.on('error', (err) => {
      spawnError = err;
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      if (reason) return;
      try {
        if (o.onStdout(chunk)) armIdle();
      } catch (err) {
        stop(err instanceof Error ? err : new Error(String(err)));
      }
    });
    if (o.onData) {
      const onData = o.onData;
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
        if (reason) return;
        try {
          onData(chunk);
        } catch (err) {
          stop(err instanceof Error ? err : new Error(String(err)));
        }
      });
    }
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => tail.push(text));

    // 'close' follows 'exit' (or a spawn 'error') once stdio is drained: the child is reaped by then.
    child.on('close', (code, sig) => {
      clearTimeout(idleTimer);
      clearTimeout(totalTimer);
      o.signal?.removeEventListener('abort', onAbort);
      if (pid !== undefined) liveGroups.delete(pid);
      const stderrTail = tail.text();

      let err: Error | undefined = reason;
      // setpriv reports a binary it cannot exec with 126/127 and its own message: that is a spawn error too
      if (!err && !spawnError && command === 'setpriv' && (code === 126 || code === 127) && /setpriv: failed to execute/.test(stderrTail)) {
        spawnError = new Error(stderrTail.trim().split('\n').pop() ?? 'failed to execute');
      }
      if (!err && spawnError) {
        err = new FfmpegError('spawn', `${o.tool} could not be started: ${spawnError.message}`, {
          tool: o.tool,
          cause: spawnError,
        });
      }
      if (!err && code !== 0) {
        // ffmpeg's final line is often a bare "Error initializing output stream 0:0 --"; the cause precedes it.
        const last = stderrTail.split('\n').slice(-3).join(' | ');
        err = new FfmpegError('failed', `${o.tool} exited with ${code ?? sig}${last ? `: ${last}` : ''}`, {
          tool: o.tool,
          exitCode: code,
          stderrTail,
        });
      }
      if (!err) {
        try {
          o.onSuccess?.();
        } catch (e) {
          err = e instanceof Error ? e : new Error(String(e));
        }
      }
      if (err) {
        const kind = err instanceof FfmpegError ? err.kind : 'error';
        // Aborts are deliberate and probe failures are the caller's verdict on an upload, not ours.
        const level = kind === 'aborted' || o.tool === 'ffprobe' ? 'debug' : 'warn';
        log[level]({ tool: o.tool, kind, stderrTail }, err.message);
        fail(err).catch(reject);
        return;
      }
      resolve({ stderrTail });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// -progress parsing

/** Splits ffmpeg's `-progress` key=value stream into blocks, each ending with `progress=…`. */
export class ProgressParser {
  private partial = '';
  private current: Record<string, string> = {};

  /** Feed text; returns the blocks completed by it. */
  push(text: string): Array<Record<string, string>> {
    const done: Array<Record<string, string>> = [];
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      this.current[key] = line.slice(eq + 1);
      if (key === 'progress') {
        done.push(this.current);
        this.current = {};
      }
    }
    return done;
  }
}

export interface ProgressInfo {
  /** Seconds of output written so far. */
  outTimeSec: number;
  /** Encoding speed relative to realtime (4 = four times realtime), null while unknown. */
  speed: number | null;
  /** Estimated seconds left, when duration and speed are known. */
  etaSec: number | null;
  frame: number | null;
  /** true on the final report. */
  done: boolean;
}

function num(v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : null;
}

/** out_time_us, else out_time_ms (also microseconds: a long-standing ffmpeg misnomer), else out_time. */
export function outTimeSeconds(block: Record<string, string>): number | null {
  const us = num(block.out_time_us) ?? num(block.out_time_ms);
  if (us !== null) return us / 1e6;
  const m = /^(-)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(block.out_time ?? '');
  if (!m) return null;
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] ? -s : s;
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
      if (!finalSent && onProgress) emit(durationSec && durationSec > 0 ? 100 : null, { ...last, etaSec: 0, done: true });
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
