// OHMS imports through the API on the real app (SQLite, ffprobe): the import result lists every repair as
// `warnings[]` with its line; an untimed legacy transcript is stored as reading text and is no caption; what is not
// OHMS is still refused (422, nothing stored).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, tableCounts, type TestApp } from '../helpers/app.js';

const fixture = (name: string) => fs.readFileSync(path.join('tests/fixtures/ohms', name), 'utf8');

describe('OHMS import through the API: warnings, untimed text, refusals', () => {
  let t: TestApp;
  let tmp: string;
  let curator: Awaited<ReturnType<TestApp['loginAs']>>;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-ohms-'));
    curator = await t.loginAs('curator');
    const interviewId = (
      await curator.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', curator.csrf)
        .send({ title: 'Erika Lehmann', visibility: 'public' })
        .expect(201)
    ).body.id;
    // a recording longer than the fixtures (1 h 2 min): silence encodes in a moment
    const audio = path.join(tmp, 'band1.wav');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-f',
      'lavfi',
      '-i',
      'anullsrc=r=8000:cl=mono',
      '-t',
      '3710',
      '-c:a',
      'pcm_s16le',
      audio,
    ]);
    const mediaId = (
      await curator.agent
        .post(`/api/interviews/${interviewId}/media`)
        .set('X-CSRF-Token', curator.csrf)
        .attach('file', audio, 'band1.wav')
        .expect(202)
    ).body.id;
    base = `/api/interviews/${interviewId}/media/${mediaId}`;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const put = (body: string) =>
    curator.agent
      .put(`${base}/transcript?format=ohms`)
      .set('X-CSRF-Token', curator.csrf)
      .set('Content-Type', 'application/xml')
      .send(body);

  it('a legacy record without timecodes: stored untimed, index imported, one warning; captions say why they are empty', async () => {
    const res = await put(fixture('ohms-5.4-legacy-untimed.xml')).expect(201);
    expect(res.body.warnings).toEqual([{ line: 42, message: expect.stringMatching(/untimed reading text/) }]);
    expect(res.body.segmentCount).toBe(4);
    expect(res.body.segments.every((s: { start: unknown; end: unknown }) => s.start === null && s.end === null)).toBe(
      true,
    );
    expect(res.body.index.map((p: { title: string }) => p.title)).toEqual([
      'Lehrjahre in der Turbinenhalle',
      'Stilllegung 1992',
    ]);
    const vtt = await curator.agent.get(`${base}/transcript?format=vtt`).expect(200);
    expect(vtt.text).toMatch(/^WEBVTT - Erika Lehmann\n\nNOTE 4 untimed passage\(s\)/);
    expect(vtt.text).not.toContain('-->');
    const txt = await curator.agent.get(`${base}/transcript?format=txt`).expect(200);
    expect(txt.text).toContain('PIETSCH: Neunzehnhundertsechsundfünfzig');
    // OHMS export → import keeps the untimed text and every index field
    const ohms = await curator.agent.get(`${base}/transcript?format=ohms`).expect(200);
    const again = await put(ohms.text).expect(200);
    expect(again.body.index).toEqual(res.body.index);
    expect(again.body.segments).toEqual(res.body.segments);
  });

  it('a <vtt_transcript> with zero-length and reversed cues: imported, every repair a warning with its line', async () => {
    const res = await put(fixture('ohms-6.0-vtt-repairs.xml')).expect(200);
    expect(res.body.warnings.map((w: { line: number }) => w.line)).toEqual([47, 53, 56]);
    expect(res.body.warnings[1].message).toMatch(
      /^Repaired reversed cue \(end 00:00:00\.000 before start 01:01:22\.000\)/,
    );
    expect(res.body.segments.map((s: { start: number; end: number }) => [s.start, s.end])).toEqual([
      [0, 4],
      [4, 6.5],
      [6.5, 12],
      [3682, 3700],
      [3700, 3702.4],
    ]);
    const vtt = await curator.agent.get(`${base}/transcript?format=vtt`).expect(200);
    expect(vtt.text).toMatch(/\n01:01:22\.000 --> 01:01:2\d\.\d{3}\n/);
  });

  it('refuses what is not OHMS, and a truncated file: 422 with lines, nothing stored', async () => {
    const before = tableCounts(t.store);
    const rss = await put('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>\n').expect(422);
    expect(rss.body.errors[0]).toMatchObject({ line: 2, message: expect.stringMatching(/Not an OHMS file/) });
    const whole = fixture('ohms-6.0-vtt-repairs.xml');
    const cut = await put(whole.slice(0, Math.floor(whole.length * 0.7))).expect(422);
    expect(cut.body.errors[0].message).toMatch(/^XML: /);
    expect(tableCounts(t.store)).toEqual(before);
  });
});
