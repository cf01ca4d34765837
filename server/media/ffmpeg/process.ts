// Supervision of one ffmpeg/ffprobe child (runner.ts builds the public runners on it). Every child runs in its own
// process group so a kill takes anything it started with it, is always awaited until 'close' (reaped, no zombies),
// and is killed if the Node process exits while it is still running.
import { spawn, spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import type { Logger } from '../../logger.js';

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

/** Binaries used from now on (default: `ffmpeg`/`ffprobe` from PATH). */
export function setBinaries(paths: Partial<Record<FfmpegTool, string>>): void {
  Object.assign(binaries, paths);
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

export interface SuperviseOptions {
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

export function supervise(o: SuperviseOptions): Promise<{ stderrTail: string }> {
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
    const onAbort = (): void =>
      stop(new FfmpegError('aborted', `${o.tool} aborted`, { tool: o.tool, cause: o.signal?.reason }));

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
      if (
        !err &&
        !spawnError &&
        command === 'setpriv' &&
        (code === 126 || code === 127) &&
        /setpriv: failed to execute/.test(stderrTail)
      ) {
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
