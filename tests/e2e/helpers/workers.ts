// Separate job workers exactly as an operator starts them: `npm run worker` (npm → tsx → node workers/main.ts), each
// in its own process group, with the environment a worker on another machine gets. The worker's lease owner id
// (`host:pid:random`, logged as "worker started") names the node process that holds a job, so a test can kill -9
// exactly that process, and find the worker again in a job record.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface WorkerProcess {
  name: string;
  /** `npm`, the process-group leader. */
  process: ChildProcess;
  /** The JobWorker's owner id, as it writes it into the job records it claims. */
  owner: string;
  /** The pid of the node process that runs workers/main.ts (from the owner id). */
  pid: number;
  logs(): string;
  /** The pino records this worker logged so far. */
  records(): Record<string, unknown>[];
  /** SIGKILL of the worker's node process only — a crash, no shutdown handler runs. Resolves when npm has exited. */
  crash(): Promise<void>;
  /** SIGTERM to the group (graceful), SIGKILL after 10 s; idempotent. */
  stop(): Promise<void>;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startWorkerProcess(
  name: string,
  env: Record<string, string>,
  timeoutMs = 45_000,
): Promise<WorkerProcess> {
  const child = spawn('npm', ['run', '--silent', 'worker'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const records = () =>
    output
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* the group is gone already */
    }
  };

  const deadline = Date.now() + timeoutMs;
  let owner: string | undefined;
  while (!owner) {
    owner = records().find((r) => r.msg === 'worker started')?.owner as string | undefined;
    if (owner) break;
    if (gone())
      throw new Error(`worker ${name} exited (${child.exitCode ?? child.signalCode}) before it started:\n${output}`);
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      throw new Error(`worker ${name} did not log "worker started" within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = Number(owner.split(':').at(-2));
  if (!Number.isInteger(pid) || !processAlive(pid))
    throw new Error(`worker ${name}: owner ${owner} names no live process`);

  return {
    name,
    process: child,
    owner,
    pid,
    logs: () => output,
    records,
    async crash() {
      process.kill(pid, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (!gone()) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      // whatever the group left behind (an orphaned ffmpeg)
      killGroup('SIGKILL');
    },
  };
}
