// IIIF Presentation 3 with real ffmpeg renditions, SQLite and the access rule: every manifest and collection the
// archive serves is validated against the official schema (IIIF/presentation-validator's iiif_3_0.json, ajv 8);
// restricted passages are blank in the captions and index ranges; anonymous documents are readable cross-origin,
// documents for a signed-in viewer carry signed media URLs and stay same-origin; what may not be seen is a 404.
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTRICTED_MARKER } from '../../server/review/redaction.js';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { iiifErrors } from '../helpers/iiif.js';
import { makeVideo } from '../helpers/media.js';
import { untilWithin } from '../helpers/until.js';

const until = untilWithin(60_000);

const vtt = [
  'WEBVTT',
  '',
  '00:00:00.000 --> 00:00:02.000',
  '<v Horst Krüger>Ich kam neunzehnhundertsechzig nach Golpa-Nord.',
  '',
  '00:00:02.000 --> 00:00:04.000',
  '<v Horst Krüger>Der Steiger hat uns damals betrogen.',
  '',
  '00:00:04.000 --> 00:00:06.000',
  '<v Horst Krüger>Danach kam die Wende und der Tagebau war zu.',
  '',
].join('\n');

describe('IIIF Presentation 3: manifests and collections', () => {
  let dir: string;
  let t: TestApp;
  let workers: Workers;
  let origin: string;
  let server: ReturnType<TestApp['app']['listen']>;
  let curator: Awaited<ReturnType<TestApp['loginAs']>>;
  let collectionId: string;
  let interviewId: string;
  let draftId: string;
  let mediaId: string;
  const manifests: { name: string; doc: unknown }[] = [];

  const asCurator = (method: 'get' | 'post' | 'patch' | 'put', url: string) =>
    curator.agent[method](url).set('X-CSRF-Token', curator.csrf);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-iiif-'));
    // no PUBLIC_URL (the helper's default): manifest ids follow the address the viewer called
    t = await createTestApp({ PUBLIC_URL: '' });
    workers = startWorkers(t.config, t.store, t.services.queue, {
      pollMs: 50,
      sweepMs: 300,
      search: t.services.search,
    });
    t.services.queue.on('enqueued', () => workers.worker.poke());
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    curator = await t.loginAs('curator');

    collectionId = (
      await asCurator('post', '/api/collections')
        .send({ title: 'Spring School Ferropolis 2019', description: 'Interviews mit Bergleuten' })
        .expect(201)
    ).body.id;
    interviewId = (
      await asCurator('post', '/api/interviews')
        .send({
          title: 'Schicht im Tagebau Golpa-Nord',
          visibility: 'public',
          collectionId,
          language: 'de',
          recordedAt: '2019-05-17',
          summary: 'Horst Krüger erzählt von seiner Arbeit am Bagger.',
          keywords: ['Tagebau', 'Wende'],
          place: { name: 'Gräfenhainichen', lat: 51.73, lon: 12.46 },
          people: [
            { name: 'Horst Krüger', role: 'narrator' },
            { name: 'Anna Schmidt', role: 'interviewer' },
          ],
        })
        .expect(201)
    ).body.id;
    const video = await makeVideo(dir, { seconds: 6, width: 640, height: 360, fps: 25, withAudio: true });
    mediaId = (
      await asCurator('post', `/api/interviews/${interviewId}/media`).attach('file', video, 'band1.mp4').expect(202)
    ).body.id;
    await asCurator('put', `/api/interviews/${interviewId}/media/${mediaId}/transcript`)
      .set('Content-Type', 'text/vtt')
      .send(vtt)
      .expect(201);
    await asCurator('put', `/api/interviews/${interviewId}/media/${mediaId}/index`)
      .send({
        points: [
          {
            start: 0,
            title: 'Ankunft in Golpa-Nord',
            synopsis: 'Der Weg in den Tagebau.',
            keywords: ['Golpa'],
            subjects: [],
            place: null,
          },
          {
            start: 2.5,
            title: 'Ärger mit dem Steiger',
            synopsis: 'Vertraulich.',
            keywords: [],
            subjects: [],
            place: null,
          },
          { start: 4, title: 'Die Wende', synopsis: null, keywords: ['Wende'], subjects: [], place: null },
        ],
      })
      .expect(200);
    await until(async () => (await asCurator('get', `/api/media/${mediaId}`)).body.status === 'ready');
    await asCurator('post', `/api/interviews/${interviewId}/restrictions`)
      .send({ mediaId, start: 2, end: 4, reason: 'Betrifft Kollegen' })
      .expect(201);
    await asCurator('post', `/api/interviews/${interviewId}/consents`)
      .send({
        narrator: 'Horst Krüger',
        scope: ['archive', 'research', 'education', 'public_web'],
        givenOn: '2019-05-17',
        method: 'signed_form',
      })
      .expect(201);
    for (const status of ['ready_for_review', 'in_review', 'approved', 'published'])
      await asCurator('patch', `/api/interviews/${interviewId}`).send({ status }).expect(200);
    // the public renditions are re-made with the passage silenced before anonymous visitors get any
    await until(async () => {
      const m = await (await fetch(`${origin}/api/media/${mediaId}`)).json();
      return m.hls && m.poster && m.download ? m : undefined;
    });
    draftId = (
      await asCurator('post', '/api/interviews')
        .send({ title: 'Noch nicht veröffentlicht', visibility: 'public', collectionId })
        .expect(201)
    ).body.id;
  }, 180_000);
  afterAll(async () => {
    await workers?.stop();
    server?.close();
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const m of manifests) expect(iiifErrors(m.doc), m.name).toEqual([]);
  });

  it('anonymous: a valid Manifest, readable cross-origin, with canvas, Choice, captions, ranges and links', async () => {
    const res = await fetch(`${origin}/iiif/interviews/${interviewId}/manifest`, {
      headers: { Origin: 'https://viewer.example.org', Accept: 'application/ld+json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-type')).toBe(
      'application/ld+json; profile="http://iiif.io/api/presentation/3/context.json"; charset=utf-8',
    );
    const m = await res.json();
    manifests.push({ name: 'public manifest', doc: m });
    expect(iiifErrors(m)).toEqual([]);
    console.log(
      `IIIF manifest (anonymous) validates against iiif_3_0.json: ${JSON.stringify(m).length} bytes, ${m.items.length} canvas, ${m.structures.length} ranges`,
    );

    expect(m).toMatchObject({
      '@context': 'http://iiif.io/api/presentation/3/context.json',
      id: `${origin}/iiif/interviews/${interviewId}/manifest`,
      type: 'Manifest',
      label: { de: ['Schicht im Tagebau Golpa-Nord'] },
      rights: 'http://rightsstatements.org/vocab/InC-EDU/1.0/',
      requiredStatement: { value: { none: ['Schichtbuch – Spring School Ferropolis 2019, Horst Krüger, 2019'] } },
      provider: [{ type: 'Agent', id: `${origin}/` }],
      homepage: [{ id: `${origin}/interviews/${interviewId}`, type: 'Text', format: 'text/html' }],
      partOf: [{ id: `${origin}/iiif/collections/${collectionId}`, type: 'Collection' }],
      navDate: '2019-05-17T00:00:00Z',
    });
    const canvas = m.items[0];
    expect(canvas).toMatchObject({ type: 'Canvas', width: 640, height: 360 });
    expect(canvas.duration).toBeGreaterThan(5.5);
    expect(canvas.duration).toBeLessThan(6.5);
    const body = canvas.items[0].items[0];
    expect(body).toMatchObject({ motivation: 'painting', target: canvas.id, body: { type: 'Choice' } });
    expect(body.body.items.map((i: { format: string }) => i.format)).toEqual([
      'application/vnd.apple.mpegurl',
      'video/mp4',
    ]);
    expect(
      body.body.items.every(
        (i: { id: string; type: string; width: number }) =>
          i.id.startsWith(`${origin}/media/${mediaId}/`) && i.type === 'Video' && i.width === 640,
      ),
    ).toBe(true);
    const caption = canvas.annotations[0].items[0];
    expect(caption).toMatchObject({
      motivation: 'supplementing',
      target: canvas.id,
      body: { type: 'Text', format: 'text/vtt', language: 'de' },
    });
    expect(m.thumbnail[0]).toMatchObject({ type: 'Image', format: 'image/jpeg' });
    expect(m.seeAlso[0]).toMatchObject({
      type: 'Dataset',
      format: 'application/xml',
      profile: 'https://www.weareavp.com/nunncenter/ohms',
    });
    expect(m.rendering.map((r: { format: string }) => r.format)).toEqual([
      'text/vtt',
      'application/x-subrip',
      'text/plain',
      'application/xml',
    ]);

    // ranges from the index: the point inside the restricted passage keeps its time, not its title or synopsis
    expect(m.structures.map((r: { label: { de: string[] } }) => r.label.de[0])).toEqual([
      'Ankunft in Golpa-Nord',
      RESTRICTED_MARKER,
      'Die Wende',
    ]);
    expect(JSON.stringify(m)).not.toContain('Ärger mit dem Steiger');
    expect(JSON.stringify(m)).not.toContain('Vertraulich');
    expect(m.structures[0].items[0].id).toBe(`${canvas.id}#t=0,2.5`);
    expect(m.structures[2].items[0].id).toBe(`${canvas.id}#t=4,${canvas.duration}`);

    // the caption file: restricted passage blanked, cross-origin readable
    const cap = await fetch(caption.body.id, { headers: { Origin: 'https://viewer.example.org' } });
    expect(cap.status).toBe(200);
    expect(cap.headers.get('access-control-allow-origin')).toBe('*');
    const text = await cap.text();
    expect(text).toMatch(/^WEBVTT/);
    expect(text).toContain('Golpa-Nord');
    expect(text).toContain('Tagebau war zu');
    expect(text).not.toContain('Steiger');
    // the media a foreign viewer loads (hls.js fetches playlists with XHR): CORS for public media
    for (const item of body.body.items) {
      const media = await fetch(item.id, { headers: { Origin: 'https://viewer.example.org', Range: 'bytes=0-99' } });
      expect(media.status, item.id).toBeLessThan(300);
      expect(media.headers.get('access-control-allow-origin')).toBe('*');
      await media.arrayBuffer();
    }
    // the OHMS seeAlso and transcript downloads answer
    expect((await fetch(m.seeAlso[0].id)).status).toBe(200);
  });

  it('a signed-in curator: signed media URLs, same-origin only, not cacheable; still valid', async () => {
    const res = await curator.agent.get(`/iiif/interviews/${interviewId}/manifest`).expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['cache-control']).toBe('private, no-store');
    manifests.push({ name: 'curator manifest', doc: res.body });
    expect(iiifErrors(JSON.parse(res.text))).toEqual([]);
    // curators may hear the restricted passage: its index title is there
    expect(res.text).toContain('Ärger mit dem Steiger');
    const draft = await curator.agent.get(`/iiif/interviews/${draftId}/manifest`).expect(200);
    manifests.push({ name: 'draft manifest (curator)', doc: JSON.parse(draft.text) });
    expect(JSON.parse(draft.text).items).toEqual([]);
  });

  it('a non-public interview: 404 problem for anonymous visitors; signed URLs for those who may see it', async () => {
    const anon = await fetch(`${origin}/iiif/interviews/${draftId}/manifest`);
    expect(anon.status).toBe(404);
    expect(anon.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await fetch(`${origin}/iiif/interviews/00000000-0000-4000-8000-000000000000/manifest`)).status).toBe(404);
    expect((await fetch(`${origin}/iiif/interviews/nope/manifest`)).status).toBe(404);
    // registered-only: anonymous 404, a signed-in researcher gets signed URLs
    await asCurator('patch', `/api/interviews/${interviewId}`).send({ visibility: 'registered' }).expect(200);
    try {
      expect((await fetch(`${origin}/iiif/interviews/${interviewId}/manifest`)).status).toBe(404);
      const researcher = await t.loginAs('researcher');
      const res = await researcher.agent.get(`/iiif/interviews/${interviewId}/manifest`).expect(200);
      const m = JSON.parse(res.text);
      manifests.push({ name: 'registered manifest (researcher)', doc: m });
      // (supertest's agent runs its own server: ids carry its origin)
      const hls = new URL(m.items[0].items[0].items[0].body.items[0].id as string).pathname;
      expect(hls).toMatch(new RegExp(`^/media/g/[^/]+/${mediaId}/`));
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.stringify(m)).not.toContain('Ärger mit dem Steiger');
      // the signed URL works without cookies (a player fetching it), the unsigned one gets no CORS for a non-public interview
      expect((await fetch(`${origin}${hls}`)).status).toBe(200);
      const unsigned = await fetch(`${origin}/media/${mediaId}/hls/master.m3u8`, {
        headers: { Origin: 'https://viewer.example.org' },
      });
      expect(unsigned.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await asCurator('patch', `/api/interviews/${interviewId}`).send({ visibility: 'public' }).expect(200);
    }
  });

  it('a Collection lists the manifests the viewer may see; it validates too', async () => {
    const res = await fetch(`${origin}/iiif/collections/${collectionId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const c = await res.json();
    manifests.push({ name: 'collection (anonymous)', doc: c });
    expect(iiifErrors(c)).toEqual([]);
    expect(c).toMatchObject({ type: 'Collection', label: { none: ['Spring School Ferropolis 2019'] } });
    expect(c.items.map((i: { id: string }) => i.id)).toEqual([`${origin}/iiif/interviews/${interviewId}/manifest`]);
    const staff = await curator.agent.get(`/iiif/collections/${collectionId}`).expect(200);
    expect(JSON.parse(staff.text).items).toHaveLength(2);
    expect((await fetch(`${origin}/iiif/collections/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it('the validator is not vacuous: an https Creative Commons URI or a Canvas without id fails', async () => {
    const m = await (await fetch(`${origin}/iiif/interviews/${interviewId}/manifest`)).json();
    expect(iiifErrors({ ...m, rights: 'https://creativecommons.org/licenses/by/4.0/' }).length).toBeGreaterThan(0);
    expect(iiifErrors({ ...m, items: [{ ...m.items[0], id: undefined }] }).length).toBeGreaterThan(0);
  });

  it('withdrawn: the manifest is gone at once (404)', async () => {
    await asCurator('patch', `/api/interviews/${interviewId}`).send({ status: 'withdrawn' }).expect(200);
    expect((await fetch(`${origin}/iiif/interviews/${interviewId}/manifest`)).status).toBe(404);
    const c = await (await fetch(`${origin}/iiif/collections/${collectionId}`)).json();
    expect(c.items).toEqual([]);
  });
});
