// A memory ceiling for the bench's Meilisearch, the way a container's memory limit (`docker run --memory 1g`, compose
// `mem_limit`) sets one: a cgroup (v1 memory controller, as on these machines) with a hard limit that Meilisearch is
// started in (the bench process joins it for the spawn, so the child is charged from exec on, then leaves). Inside, the kernel drops mapped index pages and page cache to stay under
// the limit and kills the process only when its anonymous memory alone does not fit. Needs Linux and root.
import fs from 'node:fs';
import path from 'node:path';

const V1_ROOT = '/sys/fs/cgroup/memory';
const MiB = 1024 * 1024;

export interface MemoryCeilingReport {
  limitMiB: number;
  /** The cgroup's peak charge (RSS + page cache of the process), MiB. */
  maxUsageMiB: number;
  /** How often an allocation hit the limit and the kernel had to reclaim first. */
  failcnt: number;
  /** Processes the kernel's OOM killer ended inside the group (0: it fitted). */
  oomKills: number;
}

export interface MemoryCeiling {
  readonly dir: string;
  /** Runs `spawn` with this process inside the group, so what it starts belongs to the group from its first page. */
  startInside<T>(spawn: () => Promise<T>): Promise<T>;
  /** Throws unless `pid` is in the group. */
  assertHolds(pid: number): void;
  report(): MemoryCeilingReport;
  /** Removes the group (the process must have ended; a live one is moved back to the root group first). */
  remove(): void;
}

export function createMemoryCeiling(limitMiB: number): MemoryCeiling {
  if (!Number.isInteger(limitMiB) || limitMiB < 64)
    throw new Error('--meili-memory-limit must be an integer ≥ 64 (MiB)');
  if (!fs.existsSync(path.join(V1_ROOT, 'memory.limit_in_bytes'))) {
    throw new Error(`--meili-memory-limit needs the cgroup v1 memory controller at ${V1_ROOT} (Linux, root)`);
  }
  const dir = path.join(V1_ROOT, `schichtbuch-bench-meili-${process.pid}-${Date.now()}`);
  fs.mkdirSync(dir);
  const write = (file: string, value: string | number) => fs.writeFileSync(path.join(dir, file), String(value));
  const read = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
  try {
    write('memory.limit_in_bytes', limitMiB * MiB);
    // no swap on these machines; where there is, swap must not stretch the ceiling
    if (fs.existsSync(path.join(dir, 'memory.memsw.limit_in_bytes')))
      write('memory.memsw.limit_in_bytes', limitMiB * MiB);
  } catch (err) {
    fs.rmdirSync(dir);
    throw err;
  }
  const procs = () => read('cgroup.procs').split('\n').filter(Boolean).map(Number);
  return {
    dir,
    async startInside(spawn) {
      write('cgroup.procs', process.pid);
      try {
        return await spawn();
      } finally {
        fs.writeFileSync(path.join(V1_ROOT, 'cgroup.procs'), String(process.pid));
      }
    },
    assertHolds(pid) {
      if (!procs().includes(pid)) throw new Error(`process ${pid} is not in the memory cgroup ${dir}`);
    },
    report() {
      const oom = /^oom_kill (\d+)$/m.exec(read('memory.oom_control'));
      return {
        limitMiB,
        maxUsageMiB: Number(read('memory.max_usage_in_bytes')) / MiB,
        failcnt: Number(read('memory.failcnt')),
        oomKills: oom ? Number(oom[1]) : 0,
      };
    },
    remove() {
      if (!fs.existsSync(dir)) return;
      for (const p of procs()) fs.writeFileSync(path.join(V1_ROOT, 'cgroup.procs'), String(p));
      fs.rmdirSync(dir);
    },
  };
}

export const describeCeiling = (r: MemoryCeilingReport): string =>
  `memory cgroup limit ${r.limitMiB} MiB: peak charge ${r.maxUsageMiB.toFixed(0)} MiB (RSS + page cache), ` +
  `limit reached ${r.failcnt} times (the kernel reclaimed first), OOM kills ${r.oomKills}`;
