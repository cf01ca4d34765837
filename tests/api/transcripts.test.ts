// Transcript API on the real app: import in every format (all-or-nothing, line-numbered 422s), export, editing as
// versions (text, speaker, timing, split, merge), list/diff/restore, index points, access, and the search job queued.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, tableCounts, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';

type Login = Awaited<ReturnType<TestApp['loginAs']>>;
const fixture = (name: string) => fs.readFileSync(path.join('tests/fixtures/transcripts', name), 'utf8');

describe('transcripts API', () => {
  let t: TestApp;
  let student: Login;
  let other: Login;
  let interviewId: string;
  let mediaId: string;
  let base: string;
  let tmp: string;

  beforeAll(async () => {
    t = await createTestApp();
    [student, other] = await Promise.all([t.loginAs('contributor'), t.loginAs('contributor')]);
    interviewId = (
      await student.agent
        .post('/api/interviews')
        .set('X-CSRF-Token', student.csrf)
        .send({
          title: 'Karl Mehnert erzählt',
          people: [
            { name: 'Karl Mehnert', role: 'narrator' },
            { name: 'Anna Schulz', role: 'interviewer' },
          ],
        })
        .expect(201)
    ).body.id;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-transcripts-'));
    // the OHMS fixture runs 4:30; the recording must be at least that long
    const audio = await makeAudio(tmp, { seconds: 280, format: 'mp3' });
    mediaId = (
      await student.agent
        .post(`/api/interviews/${interviewId}/media`)
        .set('X-CSRF-Token', student.csrf)
        .attach('file', audio, 'band1.mp3')
        .expect(202)
    ).body.id;
    base = `/api/interviews/${interviewId}/media/${mediaId}`;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const put = (who: Login, body: string, query = '') =>
    who.agent
      .put(`${base}/transcript${query}`)
      .set('X-CSRF-Token', who.csrf)
      .set('Content-Type', 'text/plain; charset=utf-8')
      .send(body);

  it('a bad file is refused with every issue and its line number; nothing is stored', async () => {
    const before = tableCounts(t.store);
    const res = await put(student, fixture('bad-timestamps.vtt')).expect(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.format).toBe('vtt');
    const lines = res.body.errors.map((e: { line: number }) => e.line);
    expect(lines).toEqual(expect.arrayContaining([7, 12]));
    expect(res.body.errors[0].message).toEqual(expect.any(String));
    expect(tableCounts(t.store)).toEqual(before);
    const xml = await put(student, fixture('ohms-malformed.xml')).expect(422);
    expect(xml.body.format).toBe('ohms');
    expect(xml.body.errors[0].line).toBe(6);
  });

  it('imports WebVTT with voice tags: version 1, speakers mapped to the interview people, search job queued', async () => {
    const res = await put(student, fixture('interview-mehnert.vtt'), '?reason=Erstimport').expect(201);
    expect(res.headers.etag).toBe('W/"t1"');
    expect(res.body).toMatchObject({
      version: 1,
      currentVersion: 1,
      source: 'import:vtt',
      reason: 'Erstimport',
      authorId: student.userId,
    });
    expect(res.body.segments[1]).toMatchObject({ start: 6.5, end: 12, speaker: 'Karl Mehnert' });
    expect(res.body.segments[1].text).toContain('Förderbrücke');
    expect(res.body.speakers).toEqual(
      expect.arrayContaining([
        { label: 'Karl Mehnert', person: { name: 'Karl Mehnert', role: 'narrator' } },
        { label: 'Interviewerin', person: null },
      ]),
    );
    const jobs = await t.store.jobs.listByMedia(mediaId);
    expect(jobs.some((j) => j.name === 'search.transcript' && j.status === 'queued')).toBe(true);
  });

  it('exports vtt (captions), srt, txt, json and ohms; each re-imports to the same segments', async () => {
    const original = (await student.agent.get(`${base}/transcript`).expect(200)).body.segments as {
      start: number;
      speaker: string;
      text: string;
    }[];
    const vtt = await student.agent.get(`${base}/transcript?format=vtt`).expect(200);
    expect(vtt.headers['content-type']).toMatch(/^text\/vtt/);
    expect(vtt.text).toMatch(/^WEBVTT/);
    expect(vtt.text).toContain('<v Karl Mehnert>');
    const srt = await student.agent.get(`${base}/transcript?format=srt&download=true`).expect(200);
    expect(srt.headers['content-disposition']).toMatch(/attachment; filename="?transkript-.*\.srt"?/);
    const txt = await student.agent.get(`${base}/transcript?format=txt`).expect(200);
    expect(txt.text).toMatch(/\[00:00:06(\.500)?\] Karl Mehnert: Das war 1958/);
    const ohms = await student.agent.get(`${base}/transcript?format=ohms`).expect(200);
    expect(ohms.headers['content-type']).toMatch(/application\/xml/);
    // OHMS markers are whole seconds: same text and speakers, starts within a second
    const again = await put(student, ohms.text, '?reason=Rundreise').expect(200);
    expect(again.body.segments.map((s: { text: string }) => s.text)).toEqual(original.map((s) => s.text));
    expect(again.body.segments.map((s: { speaker: string }) => s.speaker)).toEqual(original.map((s) => s.speaker));
    again.body.segments.forEach((s: { start: number }, i: number) =>
      expect(Math.abs(s.start - original[i]!.start)).toBeLessThanOrEqual(1),
    );
    const json = await student.agent.get(`${base}/transcript?format=json&download=true`).expect(200);
    const back = await put(student, json.text).expect(200);
    expect(back.body.segments).toEqual(again.body.segments);
  });

  it('editing makes versions: text, speaker, timing, split, merge — each with author and reason; stale If-Match is 412', async () => {
    const head = (await student.agent.get(`${base}/transcript`).expect(200)).body;
    const v = head.version as number;
    const edited = await student.agent
      .patch(`${base}/transcript/segments/1`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', `W/"t${v}"`)
      .send({
        text: 'Das war 1958. Ich kam direkt nach der Lehre in den Tagebau Golpa-Nord.',
        speaker: 'Karl Mehnert',
        reason: 'Tippfehler',
      })
      .expect(200);
    expect(edited.body).toMatchObject({ version: v + 1, source: 'edit:segment', reason: 'Tippfehler' });
    await student.agent
      .patch(`${base}/transcript/segments/1`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', `W/"t${v}"`)
      .send({ text: 'zu spät' })
      .expect(412);

    const seg = edited.body.segments[1];
    const split = await student.agent
      .post(`${base}/transcript/segments/1/split`)
      .set('X-CSRF-Token', student.csrf)
      .send({ at: seg.start + 2 })
      .expect(200);
    expect(split.body.segments).toHaveLength(edited.body.segments.length + 1);
    expect(split.body.segments[1].end).toBe(seg.start + 2);
    expect(split.body.segments[2].start).toBe(seg.start + 2);
    expect(`${split.body.segments[1].text} ${split.body.segments[2].text}`).toBe(seg.text);

    const merged = await student.agent
      .post(`${base}/transcript/segments/1/merge`)
      .set('X-CSRF-Token', student.csrf)
      .send({ reason: 'zurück' })
      .expect(200);
    expect(merged.body.segments).toHaveLength(edited.body.segments.length);
    expect(merged.body.segments[1].text).toBe(seg.text);

    const timing = await student.agent
      .patch(`${base}/transcript/segments/1`)
      .set('X-CSRF-Token', student.csrf)
      .send({ start: 6.8 })
      .expect(200);
    expect(timing.body.segments[1].start).toBe(6.8);
    await student.agent
      .patch(`${base}/transcript/segments/1`)
      .set('X-CSRF-Token', student.csrf)
      .send({ start: 20 })
      .expect(422);
    await student.agent
      .post(`${base}/transcript/segments/1/split`)
      .set('X-CSRF-Token', student.csrf)
      .send({ at: 999 })
      .expect(422);
    await student.agent
      .patch(`${base}/transcript/segments/99`)
      .set('X-CSRF-Token', student.csrf)
      .send({ text: 'x' })
      .expect(404);
  });

  it('versions are listed newest first, diffed segment by segment, and any older one can be restored', async () => {
    const list = (await student.agent.get(`${base}/transcript/versions`).expect(200)).body.items as {
      version: number;
      source: string;
      authorId: string;
      segmentCount: number;
    }[];
    expect(list[0]!.version).toBeGreaterThan(list[list.length - 1]!.version);
    expect(list.map((v) => v.source)).toEqual(
      expect.arrayContaining(['import:vtt', 'edit:segment', 'edit:split', 'edit:merge']),
    );
    const first = list[list.length - 1]!;
    const newest = list[0]!;
    const diff = await student.agent
      .get(`${base}/transcript/diff?from=${first.version}&to=${newest.version}`)
      .expect(200);
    expect(diff.body.stats.changed + diff.body.stats.retimed).toBeGreaterThan(0);
    const changed = diff.body.ops.find((o: { op: string }) => o.op === 'changed');
    expect(changed.before.text).not.toBe(changed.after.text);

    const restored = await student.agent
      .post(`${base}/transcript/restore`)
      .set('X-CSRF-Token', student.csrf)
      .send({ version: first.version })
      .expect(200);
    expect(restored.body).toMatchObject({ version: newest.version + 1, source: `restore:${first.version}` });
    const v1 = (await student.agent.get(`${base}/transcript?version=${first.version}`).expect(200)).body.segments;
    expect(restored.body.segments).toEqual(v1);
  });

  it('OHMS import brings its index points; the index is editable with its own version', async () => {
    const res = await put(student, fixture('ohms-classic.xml')).expect(200);
    expect(res.body.source).toBe('import:ohms');
    expect(res.body.index).toHaveLength(3);
    const index = await student.agent.get(`${base}/index`).expect(200);
    expect(index.body.points[1]).toMatchObject({ start: 105, title: expect.any(String) });
    expect(index.body.points.some((p: { place: { lat?: number } | null }) => p.place?.lat !== undefined)).toBe(true);
    const updated = await student.agent
      .put(`${base}/index`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', String(index.headers.etag))
      .send({
        points: [
          { start: 0, title: 'Kindheit in Gräfenhainichen', keywords: ['Kindheit'] },
          { start: 60, title: 'Lehre als Schlosser' },
        ],
      })
      .expect(200);
    expect(updated.body.points).toHaveLength(2);
    await student.agent
      .put(`${base}/index`)
      .set('X-CSRF-Token', student.csrf)
      .set('If-Match', String(index.headers.etag))
      .send({ points: [] })
      .expect(412);
    await student.agent
      .put(`${base}/index`)
      .set('X-CSRF-Token', student.csrf)
      .send({ points: [{ start: 9999, title: 'zu spät' }] })
      .expect(422);
  });

  it('a transcript that runs past the recording is refused (wrong file?)', async () => {
    const vtt = 'WEBVTT\n\n00:10:00.000 --> 00:10:05.000\nDas gehört zu einer anderen Aufnahme.\n';
    const res = await put(student, vtt).expect(422);
    expect(res.body.detail).toMatch(/nach dem Ende der Aufnahme/);
  });

  it('access: invisible to the public and other contributors (404); nor may they import', async () => {
    await t.request.get(`${base}/transcript`).expect(404);
    await t.request.get(`${base}/transcript?format=vtt`).expect(404);
    await other.agent.get(`${base}/transcript/versions`).expect(404);
    await put(other, fixture('interview-mehnert.vtt')).expect(404);
    await t.request
      .put(`${base}/transcript`)
      .set('Content-Type', 'text/vtt')
      .send(fixture('interview-mehnert.vtt'))
      .expect(404);
  });
});
