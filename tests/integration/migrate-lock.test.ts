// `npm run cli -- migrate` holds a lock in the target (server/store/migrate-lock.ts), on the MongoDB-wire engine
// (FerretDB) with the real CLI process: of two runs started at once exactly one copies, the other fails fast naming the
// holder (exit 4), and the data equals a single run's; the source is read from one snapshot while the app writes; a
// stale lock (lease run out, or its process gone on this machine) is taken over and the run says so, a live one of
// another machine is respected; a run that throws or gets SIGINT releases its lock. SCHICHTBUCH_MIGRATE_HOLD_MS is a
// test-only switch: the run waits that long holding the lock, after pinning its source snapshot (a large archive).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrateToMongo } from '../../server/store/migrate.js';
import { LOCK_COLLECTION } from '../../server/store/migrate-lock.js';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/index.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { needsFerret, scratchDatabases } from '../helpers/mongo-engine.js';

const mongoUri = inject('mongoUri');
const root = path.resolve(import.meta.dirname, '../..');
const databases = scratchDatabases(mongoUri, 'schichtbuch_mlock');
const freshDb = databases.fresh;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** ms since the run was started */
  endedAfter: number;
}

/** The real CLI in its own process; `waitFor` resolves once its stdout matches. */
function startMigrate(dataDir: string, to: string, env: Record<string, string> = {}) {
  const t0 = Date.now();
  const child: ChildProcess = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    ['server/cli.ts', 'migrate', '--to', to],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  child.stdout!.on('data', (c: Buffer) => {
    stdout += c.toString();
    for (const w of waiters.filter((x) => x.re.test(stdout))) w.resolve();
  });
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const done = new Promise<Run>((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr, endedAfter: Date.now() - t0 });
    }),
  );
  const waitFor = (re: RegExp) =>
    Promise.race([
      new Promise<void>((resolve) => (re.test(stdout) ? resolve() : waiters.push({ re, resolve }))),
      done.then((run) => {
        throw new Error(`migrate ended (${run.code}) before printing ${re}:\n${run.stdout}\n${run.stderr}`);
      }),
    ]);
  return { child, done, waitFor };
}

/** collection → "source target sourceSum targetSum status" from the printed table. */
function table(stdout: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const m = /^(\w+)\s+(\d+)\s+\d+\s+(\d+)\s+([0-9a-f]{16})\s+([0-9a-f]{16})\s+(ok|MISMATCH)$/.exec(line);
    if (m) rows.set(m[1]!, m.slice(2).join(' '));
  }
  return rows;
}
const copiedTotal = (stdout: string) =>
  [...stdout.matchAll(/^\w+\s+\d+\s+(\d+)\s+\d+\s+[0-9a-f]{16}/gm)].reduce((n, m) => n + Number(m[1]), 0);

describe.skipIf(!mongoUri)(`migrate lock: one run at a time per target ${needsFerret}`, () => {
  let t: TestApp;
  let dataDir: string;
  const opened: MongoStore[] = [];
  const openTarget = async (uri: string) => {
    const store = await openMongoStore(uri, { ensureIndexes: false });
    opened.push(store);
    return store;
  };
  const lockDocs = async (uri: string) =>
    (await openTarget(uri)).connection.db!.collection<{ _id: string }>(LOCK_COLLECTION).find({}).toArray();

  beforeAll(async () => {
    t = await createTestApp();
    dataDir = t.config.dataDir;
    const { agent, csrf } = await t.loginAs('admin');
    const collectionId = (
      await agent
        .post('/api/collections')
        .set('X-CSRF-Token', csrf)
        .send({ title: 'Spring School Ferropolis 2019' })
        .expect(201)
    ).body.id;
    for (const name of ['Horst Krüger', 'Karl Mehnert', 'Gisela Weiß'])
      await agent
        .post('/api/interviews')
        .set('X-CSRF-Token', csrf)
        .send({ title: `${name} erzählt von der Förderbrücke`, collectionId, people: [{ name, role: 'narrator' }] })
        .expect(201);
    await t.close({ keepFiles: true });
  }, 120_000);

  afterAll(async () => {
    for (const s of opened) await s.close().catch(() => undefined);
    await databases.dropAll();
    if (t) fs.rmSync(t.dir, { recursive: true, force: true });
  });

  it('two runs started at once: one copies, the other fails fast (exit 4) naming the holder; the data equals a single run; the copy is the snapshot of its start while the app writes', async () => {
    const single = await startMigrate(dataDir, freshDb()).done;
    expect(single.code, single.stderr + single.stdout).toBe(0);
    const reference = table(single.stdout);
    expect(reference.get('interviews')).toMatch(/^3 3 /);

    const uri = freshDb();
    const hold = { SCHICHTBUCH_MIGRATE_HOLD_MS: '6000' };
    const runs = [startMigrate(dataDir, uri, hold), startMigrate(dataDir, uri, hold)];
    // whichever holds the lock pins its snapshot first; the "app" writes a group after that
    const winnerIndex = await Promise.any(runs.map((r, i) => r.waitFor(/^source snapshot pinned/m).then(() => i)));
    const source = new BetterSqlite3(path.join(dataDir, 'archive.sqlite'));
    source.pragma('busy_timeout = 5000');
    source
      .prepare('INSERT INTO groups (id, name, created_at) VALUES (?, ?, ?)')
      .run('grp-spaet', 'Spätschicht', new Date().toISOString());
    source.close();
    const [winner, loser] = [await runs[winnerIndex]!.done, await runs[1 - winnerIndex]!.done];

    expect(loser.code, loser.stderr + loser.stdout).toBe(4);
    const holder = /lock: held by this run \(host (\S+), pid (\d+)\)/.exec(winner.stdout);
    expect(holder, winner.stdout).not.toBeNull();
    expect(loser.stderr).toContain(
      `another migrate run holds this target (host ${holder![1]}, pid ${holder![2]}, started `,
    );
    // fails fast: it was over while the winner still held the lock
    expect(loser.endedAfter).toBeLessThan(winner.endedAfter);
    expect(loser.stdout).not.toMatch(/copied|nothing new/);
    expect(winner.code, winner.stderr + winner.stdout).toBe(0);
    // counts and checksums per collection equal a single run's (the group came after the snapshot)
    expect(table(winner.stdout)).toEqual(reference);
    expect(await lockDocs(uri)).toEqual([]);

    // the next run copies what the app wrote meanwhile, and only that
    const next = await startMigrate(dataDir, uri).done;
    expect(next.code, next.stderr + next.stdout).toBe(0);
    expect(table(next.stdout).get('groups')).toMatch(/^1 1 [0-9a-f]{16} [0-9a-f]{16} ok$/);
    expect(copiedTotal(next.stdout)).toBe(1);
  }, 300_000);

  it('a stale lock is taken over (lease run out on another machine; holder process gone on this one) and the run says so; a live lock of another machine is respected', async () => {
    const lockOf = (host: string, pid: number, expiresAt: Date, extra: Record<string, unknown> = {}) => ({
      _id: 'migrate',
      runId: `run-${host}-${pid}`,
      archiveId: 'archive-x',
      source: '/srv/schichtbuch/data/archive.sqlite',
      host,
      bootId: null,
      pid,
      startedAt: '2026-12-01T22:00:00.000Z',
      renewedAt: '2026-12-01T22:00:10.000Z',
      expiresAt,
      ...extra,
    });
    const insertLock = async (uri: string, doc: ReturnType<typeof lockOf>) =>
      (await openTarget(uri)).connection.db!.collection(LOCK_COLLECTION).insertOne(doc as never);

    // a live lease of another machine: refused at once, nothing written
    const busy = freshDb();
    await insertLock(busy, lockOf('bagger-8', 4243, new Date(Date.now() + 600_000)));
    const refused = await startMigrate(dataDir, busy).done;
    expect(refused.code, refused.stderr + refused.stdout).toBe(4);
    expect(refused.stderr).toMatch(
      /another migrate run holds this target \(host bagger-8, pid 4243, started 2026-12-01T22:00:00\.000Z, .*lease until/,
    );
    expect(await (await openTarget(busy)).models.interviews.collection.countDocuments({})).toBe(0);

    // the lease ran out (killed -9 on another machine)
    const expired = freshDb();
    await insertLock(expired, lockOf('bagger-7', 4242, new Date(Date.now() - 1_000)));
    const took = await startMigrate(dataDir, expired).done;
    expect(took.code, took.stderr + took.stdout).toBe(0);
    expect(took.stdout).toMatch(
      /taking over the migrate lock of the run on host bagger-7, pid 4242: its lease ran out at \d{4}-/,
    );
    expect(table(took.stdout).get('interviews')).toMatch(/^3 3 .* ok$/);
    // released at the end; the takeover claim stays, so nobody takes over that lease twice
    expect((await lockDocs(expired)).map((d) => d._id)).toEqual(['takeover:run-bagger-7-4242']);

    // still inside its lease, but its process on this machine is gone
    const dead = spawnSync('true');
    const bootId = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const gone = freshDb();
    await insertLock(gone, lockOf(os.hostname(), dead.pid!, new Date(Date.now() + 600_000), { bootId }));
    const tookDead = await startMigrate(dataDir, gone).done;
    expect(tookDead.code, tookDead.stderr + tookDead.stdout).toBe(0);
    expect(tookDead.stdout).toContain(
      `taking over the migrate lock of the run on host ${os.hostname()}, pid ${dead.pid}: its process (pid ${dead.pid} on this machine) is gone`,
    );
  }, 300_000);

  it('a run that throws releases its lock (in-process), and so does one stopped by SIGINT (exit 130); the next run resumes', async () => {
    const uri = freshDb();
    const lines: string[] = [];
    const failing = migrateToMongo({
      dataDir,
      to: uri,
      holdMs: 1_500,
      print: (line) => lines.push(line),
      crashAfterDocuments: 2,
      crash: () => {
        throw new Error('Stromausfall im Rechenzentrum');
      },
    });
    await expect.poll(() => lines.some((l) => l.startsWith('source snapshot pinned')), { timeout: 30_000 }).toBe(true);
    const held = (await lockDocs(uri)) as unknown as { _id: string; pid: number; host: string }[];
    expect(held).toMatchObject([{ _id: 'migrate', pid: process.pid, host: os.hostname() }]);
    await expect(failing).rejects.toThrow('Stromausfall im Rechenzentrum');
    expect(await lockDocs(uri)).toEqual([]);

    const sigint = startMigrate(dataDir, uri, { SCHICHTBUCH_MIGRATE_HOLD_MS: '60000' });
    await sigint.waitFor(/^source snapshot pinned/m);
    expect((await lockDocs(uri)).map((d) => d._id)).toEqual(['migrate']);
    sigint.child.kill('SIGINT');
    const stopped = await sigint.done;
    expect(stopped.code, stopped.stderr + stopped.stdout).toBe(130);
    expect(stopped.stderr).toMatch(/migrate: SIGINT: stopping before the next write, releasing the lock/);
    expect(stopped.stderr).toMatch(/interrupted; run the command again to continue where it stopped/);
    expect(await lockDocs(uri)).toEqual([]);

    const resumed = await startMigrate(dataDir, uri).done;
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout).toMatch(/resuming an unfinished run/);
    expect([...table(resumed.stdout).values()].every((r) => r.endsWith(' ok'))).toBe(true);
  }, 300_000);
});
