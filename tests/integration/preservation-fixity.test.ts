// Fixity audits (issue 15), all real: media ingested and transcoded by the real worker with ffmpeg, rendition hashes
// recorded when the worker put them in place, then one byte flipped in an original (the audit reports exactly that
// file, never repairs it, alerts admins, counts it in /metrics and writes the audit log) and a rendition deleted (the
// audit re-makes it from the original). Plus the scheduled job and the read-rate limit.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../server/access/viewer.js';
import { moduleLogger } from '../../server/logger.js';
import { cliViewer, ingestLocalFile } from '../../server/preservation/archive-writer.js';
import { FixityAuditor } from '../../server/preservation/fixity.js';
import { hashFile } from '../../server/preservation/hash.js';
import type { Medium } from '../../server/store/types.js';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, testPassword, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { untilWithin } from '../helpers/until.js';

const root = path.resolve(__dirname, '../..');

const until = untilWithin(90_000);

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('fixity audit with real renditions', () => {
  let t: TestApp;
  let workers: Workers;
  let viewer: Viewer;
  let work: string;
  let interviewId: string;
  let first: Medium;
  let second: Medium;
  let auditor: FixityAuditor;
  const abs = (rel: string) => path.join(t.config.uploadsDir, rel);
  const ready = (id: string) =>
    until(async () => {
      const m = await t.store.media.findById(id);
      return m?.status === 'ready' && m.derivatives.download && m.derivatives.waveform ? m : null;
    });

  beforeAll(async () => {
    t = await createTestApp();
    workers = startWorkers(t.config, t.store, t.services.queue, { pollMs: 50, concurrency: 2 });
    t.services.queue.on('enqueued', () => workers.worker.poke());
    await t.services.users.create({ email: 'archiv@example.org', password: testPassword, role: 'admin' });
    viewer = await cliViewer(t.store);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-fixity-'));
    interviewId = (
      await t.services.interviews.create(viewer, {
        title: 'Förderbrücke F60',
        people: [],
        keywords: [],
        language: 'de',
        visibility: 'private',
      })
    ).id;
    const a = await ingestLocalFile(
      t.services,
      t.config.uploadsDir,
      viewer,
      interviewId,
      await makeAudio(work, { seconds: 4, format: 'wav' }),
      { filename: 'Band 1.wav' },
    );
    const b = await ingestLocalFile(
      t.services,
      t.config.uploadsDir,
      viewer,
      interviewId,
      await makeAudio(work, { seconds: 3, format: 'mp3', frequency: 550 }),
      { filename: 'Band 2.mp3' },
    );
    first = await ready(a.id);
    second = await ready(b.id);
    auditor = new FixityAuditor({
      store: t.store,
      queue: t.services.queue,
      uploadsDir: t.config.uploadsDir,
      audit: t.services.audit,
      logger: moduleLogger('test'),
      maxMbps: 0,
      agent: 'test',
    });
  }, 120_000);

  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it("records every rendition file's SHA-256 when the worker puts it in place", async () => {
    const baselines = await t.store.fixity.listBaselines(first.id);
    const paths = baselines.map((b) => b.path);
    expect(paths).toContain(first.derivatives.download);
    expect(paths).toContain(first.derivatives.hls);
    expect(paths).toContain(first.derivatives.waveform);
    expect(paths.filter((p) => p.includes('/hls/')).length).toBeGreaterThan(2); // playlists + init + segments
    for (const b of baselines) expect(b.sha256, b.path).toBe(sha(abs(b.path)));
  });

  it('the scheduled job audits everything, then schedules its next run a day later', async () => {
    await t.services.queue.schedule({ name: 'preservation.fixity', payload: { v: 1 } }, new Date());
    workers.worker.poke();
    const events = await until(async () => {
      const page = await t.store.fixity.listEvents({ interviewId }, { limit: 500, offset: 0 });
      return page.items.some((e) => e.mediaId === second.id && e.fileKind === 'original') ? page.items : null;
    });
    expect(
      events.every(
        (e) =>
          e.agent === 'Schichtbuch fixity audit (scheduled job)' &&
          e.outcome === 'pass' &&
          e.algorithm === 'SHA-256' &&
          e.type === 'fixity check',
      ),
    ).toBe(true);
    const next = await until(async () => {
      const job = await t.store.jobs.findActiveByKey('preservation.fixity');
      return job && job.status === 'queued' && new Date(job.runAfter).getTime() > Date.now() + 23 * 3600_000
        ? job
        : null;
    });
    expect(new Date(next.runAfter).getTime()).toBeLessThan(Date.now() + 25 * 3600_000);
  }, 60_000);

  it('a flipped byte in an original: the audit reports exactly that file, alerts, counts it — and does not repair it', async () => {
    const clean = await auditor.run();
    expect(clean.problems).toEqual([]);
    expect(clean.files).toBeGreaterThan(10);

    const original = abs(first.originalPath);
    fs.chmodSync(original, 0o644);
    const bytes = fs.readFileSync(original);
    const at = Math.floor(bytes.length / 2);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x10, at);
    fs.writeFileSync(original, bytes);
    fs.chmodSync(original, 0o444);
    const damaged = sha(original);

    const env = { ...process.env, DATA_DIR: t.config.dataDir, UPLOADS_DIR: t.config.uploadsDir, LOG_LEVEL: 'silent' };
    const cli = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['server/cli.ts', 'fixity'], {
      cwd: root,
      env,
      encoding: 'utf8',
    });
    console.log(`$ npm run cli -- fixity\n${cli.stdout}${cli.stderr}`);
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`MISMATCH original  ${first.originalPath}`);
    expect(cli.stdout).toMatch(/ 1 failed/);

    const report = await auditor.run({ interviewId });
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({
      path: first.originalPath,
      fileKind: 'original',
      outcome: 'fail',
      expected: first.sha256,
      actual: damaged,
      mediaId: first.id,
    });
    expect(report.remade).toEqual([]);
    // never repaired: the damaged bytes stay as they are, the medium keeps its recorded checksum
    expect(sha(original)).toBe(damaged);
    expect((await t.store.media.findById(first.id))!.sha256).toBe(first.sha256);

    const problems = await t.store.fixity.listProblems();
    expect(problems.map((p) => [p.path, p.outcome])).toEqual([[first.originalPath, 'fail']]);
    const audit = await t.store.audit.list({ action: 'fixity.failure' }, { limit: 10, offset: 0 });
    expect(audit.items[0]).toMatchObject({ interviewId, entity: 'original', entityId: first.id, actorKind: 'system' });
    const metrics = await t.request.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^schichtbuch_fixity_problems\{kind="original"\} 1$/m);
    expect(metrics.text).toMatch(/^schichtbuch_fixity_problems\{kind="rendition"\} 0$/m);
    const admin = await t.loginAs('admin');
    const alert = await admin.agent.get('/api/preservation/fixity').expect(200);
    expect(alert.body.problems).toHaveLength(1);
    expect(alert.body.problems[0]).toMatchObject({ path: first.originalPath, outcome: 'fail', interviewId });
    const curator = await t.loginAs('curator');
    await curator.agent.get('/api/preservation/fixity').expect(403);

    // put the master back (as from a backup): the next check passes and the alert is gone
    fs.chmodSync(original, 0o644);
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x10, at);
    fs.writeFileSync(original, bytes);
    fs.chmodSync(original, 0o444);
    expect((await auditor.run({ interviewId })).problems).toEqual([]);
    expect(await t.store.fixity.listProblems()).toEqual([]);
  }, 90_000);

  it('a deleted rendition is reported missing and re-made from the original', async () => {
    const download = second.derivatives.download!;
    const before = sha(abs(download));
    fs.rmSync(abs(download));
    const report = await auditor.run({ interviewId });
    expect(report.problems.map((p) => [p.path, p.outcome, p.fileKind])).toEqual([[download, 'missing', 'rendition']]);
    expect(report.problems[0]!.detail).toMatch(/re-made from the original/);
    expect(report.remade).toEqual([second.id]);
    expect((await t.store.fixity.listProblems()).map((p) => p.path)).toEqual([download]);

    const remade = await ready(second.id);
    expect(fs.existsSync(abs(remade.derivatives.download!))).toBe(true);
    expect(await probeDuration(abs(remade.derivatives.download!))).toBeGreaterThan(2.5);
    const baseline = (await t.store.fixity.listBaselines(second.id)).find(
      (b) => b.path === remade.derivatives.download,
    );
    expect(baseline?.sha256).toBe(sha(abs(remade.derivatives.download!)));
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    // the new file replaced the alert, and the next audit passes
    expect(await t.store.fixity.listProblems()).toEqual([]);
    expect((await auditor.run({ interviewId })).problems).toEqual([]);
  }, 120_000);

  it('FIXITY_MAX_MBPS limits the read rate', async () => {
    const file = path.join(work, 'vier-mb.bin');
    fs.writeFileSync(file, crypto.randomBytes(4_000_000));
    const started = Date.now();
    const limited = await hashFile(file, { maxBytesPerSecond: 4e6 });
    const seconds = (Date.now() - started) / 1000;
    expect(limited.digest).toBe(sha(file));
    // 4 MB at 4 MB/s: about a second; the first chunk is free, so at least ~0.7 s
    expect(seconds).toBeGreaterThan(0.7);
  });
});

async function probeDuration(file: string): Promise<number> {
  const r = spawnSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], {
    encoding: 'utf8',
  });
  return Number(r.stdout.trim());
}
