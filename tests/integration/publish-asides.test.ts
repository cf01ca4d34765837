// A worker killed inside publish() (workers/publish.ts: move the previous version aside → rename the new one in →
// remove the aside) leaves `<name>.old-<pid>-<ms>` in the medium's rendition folder. The sweep settles it: the aside
// goes when its file is in place, and is put back when the kill came between the two renames (it is then the only
// copy of the version the medium still records). The on-disk states are the ones each kill point leaves.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleLogger } from '../../server/logger.js';
import { ASIDE_GRACE_MS, publish, settleAsides } from '../../workers/publish.js';
import { sweep } from '../../workers/sweep.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
};
const read = (file: string) => fs.readFileSync(file, 'utf8');
const now = new Date('2026-12-02T01:00:00Z');
const old = now.getTime() - ASIDE_GRACE_MS - 1;

describe('settleAsides: what a worker killed inside publish() leaves', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-asides-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('killed between the renames: the previous version is renamed back; killed before removing it: the aside goes', async () => {
    const media = path.join(dir, 'm1');
    // between rename 1 and 2: no hls/, the old ladder aside (the record still names hls/master.m3u8)
    write(path.join(media, `hls.old-4242-${old}`, 'master.m3u8'), '#EXTM3U old ladder');
    write(path.join(media, `hls.old-4242-${old}`, '720p', 'seg_00000.m4s'), 'old segment');
    // after rename 2, before the rm: both
    write(path.join(media, 'download.m4a'), 'new m4a');
    write(path.join(media, `download.m4a.old-4242-${old}`), 'old m4a');
    // during the recursive rm: a half-removed aside directory beside the new one
    write(path.join(media, 'poster.jpg'), 'new poster');
    fs.mkdirSync(path.join(media, `poster.jpg.old-17-${old}`));
    // not asides
    write(path.join(media, 'waveform.json'), '{}');
    write(path.join(media, 'notes.old-x'), 'unrelated');

    expect(await settleAsides(media, now)).toEqual({ restored: 1, removed: 2 });
    expect(fs.readdirSync(media).sort()).toEqual(['download.m4a', 'hls', 'notes.old-x', 'poster.jpg', 'waveform.json']);
    expect(read(path.join(media, 'hls', 'master.m3u8'))).toBe('#EXTM3U old ladder');
    expect(read(path.join(media, 'hls', '720p', 'seg_00000.m4s'))).toBe('old segment');
    expect(read(path.join(media, 'download.m4a'))).toBe('new m4a');
    // idempotent
    expect(await settleAsides(media, now)).toEqual({ restored: 0, removed: 0 });
  });

  it('an aside younger than the grace period may be a publish() running on another worker: left alone', async () => {
    const media = path.join(dir, 'm2');
    const young = `hls.old-99-${now.getTime() - 5_000}`;
    write(path.join(media, young, 'master.m3u8'), '#EXTM3U');
    expect(await settleAsides(media, now)).toEqual({ restored: 0, removed: 0 });
    expect(fs.readdirSync(media)).toEqual([young]);
  });

  it('a complete publish() leaves no aside to settle', async () => {
    const media = path.join(dir, 'm3');
    write(path.join(media, 'download.m4a'), 'first');
    const next = path.join(dir, 'work', 'download.m4a');
    write(next, 'second');
    await publish(next, path.join(media, 'download.m4a'));
    expect(fs.readdirSync(media)).toEqual(['download.m4a']);
    expect(read(path.join(media, 'download.m4a'))).toBe('second');
  });
});

describe('the sweep settles asides in the rendition folders of existing media', () => {
  let t: TestApp;
  let tmp: string;
  beforeAll(async () => {
    t = await createTestApp();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-asides-sweep-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("restores the killed worker's moved-aside ladder, so the recorded rendition exists again", async () => {
    const student = await t.loginAs('contributor');
    const interviewId = (
      await student.agent.post('/api/interviews').set('X-CSRF-Token', student.csrf).send({ title: 'Aside' }).expect(201)
    ).body.id;
    const file = await makeAudio(tmp, { seconds: 2, format: 'mp3' });
    const mediaId = (
      await student.agent
        .post(`/api/interviews/${interviewId}/media`)
        .set('X-CSRF-Token', student.csrf)
        .attach('file', file, 'a.mp3')
        .expect(202)
    ).body.id as string;
    const folder = path.join(t.config.uploadsDir, 'renditions', mediaId);
    // sweep() reads the clock itself: an aside stamped well past the grace period
    const stamp = Date.now() - ASIDE_GRACE_MS - 60_000;
    write(path.join(folder, `hls.old-4242-${stamp}`, 'master.m3u8'), '#EXTM3U');
    write(path.join(folder, 'download.m4a'), 'new');
    write(path.join(folder, `download.m4a.old-4242-${stamp}`), 'old');

    const result = await sweep({
      store: t.store,
      queue: t.services.queue,
      uploadsDir: t.config.uploadsDir,
      logger: moduleLogger('test'),
    });
    expect(result.settledAsides).toBe(2);
    expect(fs.readdirSync(folder).sort()).toEqual(['download.m4a', 'hls']);
    expect(read(path.join(folder, 'hls', 'master.m3u8'))).toBe('#EXTM3U');
    expect(read(path.join(folder, 'download.m4a'))).toBe('new');
  });
});
