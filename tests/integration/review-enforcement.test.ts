// The narrator's decisions reach every copy, with real ffmpeg, SQLite and Meilisearch: a passage marked "nicht
// veröffentlichen" is silent in the re-made public rendition (measured by decoding it over HTTP), replaced by the
// marker in transcript and captions, and not found by search; a withdrawal takes the interview off every public
// surface (timed) and deletes the originals after the grace period; an embargo publishes by itself when it ends.
import fs from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESTRICTED_MARKER } from '../../server/review/redaction.js';
import type { TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { openReviewWorld, until, windowVolume, type ReviewWorld } from './helpers/review-world.js';

const segments: [number, number, string][] = [
  [0, 3, 'Am Anfang war die Grube Golpa.'],
  [3, 6, 'Der Steiger hat uns damals betrogen.'],
  [6, 10, 'Danach kam die Wende.'],
];
const vtt = `WEBVTT\n\n${segments.map(([s, e, text]) => `00:00:0${s}.000 --> 00:00:${String(e).padStart(2, '0')}.000\n<v Horst Krüger>${text}`).join('\n\n')}\n`;

describe('narrator review: restrictions, withdrawal and embargo enforced everywhere', () => {
  let world: ReviewWorld;
  let dir: string;
  let t: TestApp;
  let origin: string;
  let curator: ReviewWorld['curator'];
  let admin: ReviewWorld['admin'];
  let asCurator: ReviewWorld['asCurator'];
  let interviewId: string;
  let mediaId: string;
  let token: string;
  let code: string;
  // a fresh request each time: no cookies, only the narrator's credential
  const narrator = () => ({
    get: (url: string) => supertest(t.app).get(url).set('Authorization', `Review ${token}`),
    post: (url: string) => supertest(t.app).post(url).set('Authorization', `Review ${token}`),
  });

  beforeAll(async () => {
    world = await openReviewWorld();
    ({ dir, t, origin, curator, admin, asCurator } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a curator invites the narrator: link token, short code, QR code; the narrator opens the review without an account', async () => {
    const audio = await makeAudio(dir, { seconds: 10, format: 'm4a' });
    const created = await asCurator('post', '/api/interviews')
      .send({
        title: 'Schicht im Tagebau Golpa',
        visibility: 'public',
        people: [{ name: 'Horst Krüger', role: 'narrator' }],
      })
      .expect(201);
    interviewId = created.body.id;
    const medium = await asCurator('post', `/api/interviews/${interviewId}/media`)
      .attach('file', audio, 'band1.m4a')
      .expect(202);
    mediaId = medium.body.id;
    await asCurator('put', `/api/interviews/${interviewId}/media/${mediaId}/transcript`)
      .set('Content-Type', 'text/vtt')
      .send(vtt)
      .expect(201);
    await until(async () => (await asCurator('get', `/api/media/${mediaId}`)).body.status === 'ready');
    await asCurator('post', `/api/interviews/${interviewId}/consents`)
      .send({
        narrator: 'Horst Krüger',
        scope: ['archive', 'research'],
        givenOn: '2026-03-12',
        method: 'signed_form',
        onWithdrawal: 'delete_original',
      })
      .expect(201);
    await asCurator('patch', `/api/interviews/${interviewId}`).send({ status: 'ready_for_review' }).expect(200);

    const invitation = await asCurator('post', `/api/interviews/${interviewId}/review-invitations`)
      .send({ narrator: 'Horst Krüger' })
      .expect(201);
    ({ token, code } = invitation.body);
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}$/);
    // made from PUBLIC_URL (tests/helpers/app.ts), never from the request's address
    expect(invitation.body.link).toBe(`${t.config.PUBLIC_URL}/durchsicht/${token}`);
    expect(invitation.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    // stored hashed only
    const row = t.store.db.prepare('SELECT token_hash, code_hash FROM review_invitations').get() as {
      token_hash: string;
      code_hash: string;
    };
    expect(JSON.stringify(row)).not.toContain(token);
    expect(JSON.stringify(row)).not.toContain(code.replace(/-/g, ''));

    const view = await narrator().get('/api/review').expect(200);
    expect(view.body).toMatchObject({
      invitation: { narrator: 'Horst Krüger' },
      canDecide: true,
      interview: { status: 'in_review' },
    });
    expect(view.body.transcripts[0].segments[1].text).toBe('Der Steiger hat uns damals betrogen.');
    // not public yet: the narrator's media URLs are signed for their invitation and work without any cookie
    expect(view.body.media[0].hls).toMatch(/^\/media\/g\/\d{10}\.n~/);
    expect((await fetch(origin + view.body.media[0].hls)).status).toBe(200);
    // the short code from the letter works too, typed in lower case
    await supertest(t.app).get('/api/review').set('Authorization', `Review ${code.toLowerCase()}`).expect(200);
  });

  it('the narrator marks a passage, proposes a correction and approves for the public web', async () => {
    await narrator()
      .post('/api/review/restrictions')
      .send({
        mediaId,
        start: 3,
        end: 6,
        reason: 'Das betrifft Kollegen',
        quote: 'Der Steiger hat uns damals betrogen.',
      })
      .expect(201);
    await narrator().post('/api/review/restrictions').send({ mediaId, start: 6, end: 3 }).expect(422);
    const correction = await narrator()
      .post('/api/review/corrections')
      .send({ mediaId, segmentNo: 2, proposed: 'Danach kam die Wende, 1990.' })
      .expect(201);
    expect(correction.body).toMatchObject({ original: 'Danach kam die Wende.', status: 'open' });
    const decided = await narrator()
      .post('/api/review/decision')
      .send({ decision: 'approve', visibility: 'public', message: 'Gut so.' })
      .expect(201);
    expect(decided.body.receipt).toMatchObject({
      narrator: 'Horst Krüger',
      decision: 'approve',
      visibility: 'public',
      restrictions: [{ part: 1, start: 3, end: 6, reason: 'Das betrifft Kollegen' }],
    });
    expect(decided.body.receipt.receiptNo).toMatch(/^\d{8}-[A-Z2-9]{4}$/);
    const interview = (await asCurator('get', `/api/interviews/${interviewId}`).expect(200)).body;
    expect(interview).toMatchObject({ status: 'approved', visibility: 'public' });
    // the approval is the narrator's digital consent: a new version of their record, now covering the public web
    const consents = (await asCurator('get', `/api/interviews/${interviewId}/consents`).expect(200)).body.items;
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({
      version: 2,
      method: 'digital',
      scope: expect.arrayContaining(['public_web']),
      onWithdrawal: 'delete_original',
    });
    // a second decision is refused (they call the archive instead)
    await narrator().post('/api/review/decision').send({ decision: 'request_changes' }).expect(409);
  });

  it('the curator accepts the correction (a new transcript version) and publishes; the public rendition is re-made silent over the passage', async () => {
    const overview = (await asCurator('get', `/api/interviews/${interviewId}/review`).expect(200)).body;
    const accepted = await asCurator(
      'post',
      `/api/interviews/${interviewId}/corrections/${overview.corrections[0].id}/accept`,
    )
      .send({})
      .expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', transcriptVersion: 2 });
    await asCurator('patch', `/api/interviews/${interviewId}`).send({ status: 'published' }).expect(200);

    const started = Date.now();
    const medium = await until(async () => {
      const m = (await asCurator('get', `/api/media/${mediaId}`)).body;
      return m.status === 'ready' &&
        m.hls &&
        m.waveform &&
        t.store.db.prepare('SELECT rendition_redaction FROM media WHERE id = ?').pluck().get(mediaId) !== ''
        ? m
        : undefined;
    }, 60_000);
    console.log(`re-made renditions without the passage in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(medium.restrictedRanges).toEqual([{ start: 3, end: 6 }]);

    // what anonymous visitors get: unsigned rendition URLs, no original
    const pub = await (await fetch(`${origin}/api/media/${mediaId}`)).json();
    expect(pub.hls).toBe(`/media/${mediaId}/hls/master.m3u8`);
    expect(pub.original).toBeNull();
    expect((await fetch(`${origin}/media/${mediaId}/original`)).status).toBe(404);

    const rows: string[] = [];
    for (const [label, url] of [
      ['HLS (public)', `${origin}${pub.hls}`],
      ['M4A download (public)', `${origin}${pub.download}`],
    ] as const) {
      const before = await windowVolume(url, 0.3, 2.7);
      const inside = await windowVolume(url, 3.1, 5.9);
      const after = await windowVolume(url, 6.3, 9.7);
      rows.push(
        `${label.padEnd(22)} 0.3–2.7 s mean ${before.mean} / max ${before.max} dB | 3.1–5.9 s (restricted) mean ${inside.mean} / max ${inside.max} dB | 6.3–9.7 s mean ${after.mean} / max ${after.max} dB`,
      );
      expect(inside.max).toBeLessThanOrEqual(-70);
      expect(before.mean).toBeGreaterThan(-30);
      expect(after.mean).toBeGreaterThan(-30);
    }
    console.log(`audio analysis of the public rendition (restricted 3–6 s):\n${rows.join('\n')}`);

    // the waveform is flat there too
    const peaks = (await (await fetch(`${origin}${pub.waveform}`)).json()) as {
      data: number[];
      sampleRate: number;
      samplesPerPixel: number;
    };
    const perSecond = peaks.sampleRate / peaks.samplesPerPixel;
    const at = (sec: number) =>
      Math.max(
        Math.abs(peaks.data[Math.floor(sec * perSecond) * 2] ?? 0),
        Math.abs(peaks.data[Math.floor(sec * perSecond) * 2 + 1] ?? 0),
      );
    expect(at(4.5)).toBe(0);
    expect(at(1.5)).toBeGreaterThan(0);
  });

  it('transcript, captions, index and search carry the marker instead of the passage for everyone but curators and the narrator', async () => {
    const publicT = await (await fetch(`${origin}/api/interviews/${interviewId}/media/${mediaId}/transcript`)).json();
    expect(publicT.segments[1]).toMatchObject({
      start: 3,
      end: 6,
      text: RESTRICTED_MARKER,
      restricted: true,
      speaker: null,
    });
    expect(publicT.segments[2].text).toBe('Danach kam die Wende, 1990.');
    for (const format of ['vtt', 'srt', 'txt', 'ohms']) {
      const body = await (
        await fetch(`${origin}/api/interviews/${interviewId}/media/${mediaId}/transcript?format=${format}`)
      ).text();
      expect(body, format).toContain(format === 'ohms' ? 'Diese Passage ist nicht freigegeben' : RESTRICTED_MARKER);
      expect(body, format).not.toContain('Steiger');
    }
    const curatorT = (await asCurator('get', `/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200))
      .body;
    expect(curatorT.segments[1].text).toContain('Steiger');
    expect(
      (await narrator().get(`/api/interviews/${interviewId}/media/${mediaId}/transcript`).expect(200)).body.segments[1]
        .text,
    ).toContain('Steiger');

    await until(async () => (await fetch(`${origin}/api/search?q=Golpa`).then((r) => r.json())).total > 0);
    expect((await fetch(`${origin}/api/search?q=Steiger`).then((r) => r.json())).total).toBe(0);
    expect(
      (await fetch(`${origin}/api/interviews/${interviewId}/search?q=Steiger`).then((r) => r.json())).total ?? 0,
    ).toBe(0);
    expect((await asCurator('get', '/api/search?q=Steiger').expect(200)).body.total).toBe(1);
  });

  it('withdrawal: gone from API, media and search at once; renditions deleted; originals deleted after the grace period; all in the audit log', async () => {
    const renditionsDir = path.join(t.config.uploadsDir, 'renditions', mediaId);
    expect(fs.existsSync(renditionsDir)).toBe(true);
    const signedHls = (await asCurator('get', `/api/media/${mediaId}`)).body.hls as string;
    const t0 = Date.now();
    await narrator()
      .post('/api/review/decision')
      .send({ decision: 'withdraw', message: 'Ich möchte das doch nicht.' })
      .expect(201);
    const apiGone = Date.now() - t0;
    expect((await fetch(`${origin}/api/interviews/${interviewId}`)).status).toBe(404);
    expect((await fetch(`${origin}/media/${mediaId}/hls/master.m3u8`)).status).toBe(404);
    expect((await fetch(`${origin}/api/interviews/${interviewId}/media/${mediaId}/transcript?format=vtt`)).status).toBe(
      404,
    );
    expect(
      (await fetch(`${origin}/api/interviews`).then((r) => r.json())).items.map((i: { id: string }) => i.id),
    ).not.toContain(interviewId);
    await until(async () => (await fetch(`${origin}/api/search?q=Golpa`).then((r) => r.json())).total === 0, 60_000);
    const searchGone = Date.now() - t0;
    // even curators' search no longer holds it: the index entries are deleted, not hidden (the public search hides it
    // before that already: its hits and counts pass the store's access check)
    await until(async () => (await asCurator('get', '/api/search?q=Golpa').expect(200)).body.total === 0, 60_000);
    const indexGone = Date.now() - t0;
    console.log(
      `withdrawal: API/media 404 after ${apiGone} ms (the decision request itself); public search without it after ${searchGone} ms, index entries deleted after ${indexGone} ms (goal ≤ 60 s)`,
    );
    expect(indexGone).toBeLessThan(60_000);
    expect(fs.existsSync(renditionsDir)).toBe(false);
    // a signed URL issued before the withdrawal stops working with it
    expect((await fetch(origin + signedHls)).status).toBe(404);
    // the narrator keeps their receipt; the interview itself is closed to them
    const view = await narrator().get('/api/review').expect(200);
    expect(view.body).toMatchObject({ withdrawn: true, media: [], decision: { decision: 'withdraw' } });
    expect((await narrator().get('/api/review/receipt').expect(200)).body.decision).toBe('withdraw');
    await narrator().get(`/api/interviews/${interviewId}`).expect(404);

    // consent says delete_original: a purge job waits out WITHDRAWAL_GRACE_DAYS (30 by default) …
    const purge = t.store.db.prepare(`SELECT * FROM jobs WHERE name = 'interview.purge'`).get() as {
      run_after: string;
      status: string;
    };
    expect(purge.status).toBe('queued');
    expect(Date.parse(purge.run_after) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const original = t.store.db.prepare('SELECT original_path FROM media WHERE id = ?').pluck().get(mediaId) as string;
    expect(fs.existsSync(path.join(t.config.uploadsDir, original))).toBe(true);
    // … here moved to now, as if the month had passed
    await t.store.jobs.reschedule(`interview.purge:${interviewId}`, new Date(), new Date());
    world.workers.worker.poke();
    // the purge is one unit of work whose steps follow the file's removal (rows, then the audit entry): wait for the job
    await until(
      () =>
        (t.store.db.prepare(`SELECT status FROM jobs WHERE name = 'interview.purge'`).pluck().get() as string) ===
        'done',
    );
    expect(fs.existsSync(path.join(t.config.uploadsDir, original))).toBe(false);
    expect(t.store.db.prepare('SELECT count(*) FROM media WHERE interview_id = ?').pluck().get(interviewId)).toBe(0);

    const audit = (await admin.agent.get(`/api/audit?interviewId=${interviewId}&pageSize=100`).expect(200)).body;
    const actions = new Set(audit.items.map((e: { action: string }) => e.action));
    for (const action of [
      'interview.create',
      'consent.version',
      'interview.status',
      'review.invitation-created',
      'restriction.added',
      'correction.proposed',
      'review.approve',
      'correction.accepted',
      'transcript.version',
      'review.withdraw',
      'interview.withdrawal',
      'interview.originals-deleted',
    ])
      expect(actions, action).toContain(action);
    const withdrawal = audit.items.find((e: { action: string }) => e.action === 'interview.withdrawal');
    expect(withdrawal).toMatchObject({
      actorKind: 'narrator',
      actorLabel: expect.stringContaining('Horst Krüger'),
      before: { status: 'published' },
      after: { status: 'withdrawn' },
    });
    await curator.agent.get(`/api/audit?interviewId=${interviewId}`).expect(403);
    await supertest(t.app).get('/api/audit').expect(401);
  });

  it('an embargo keeps an approved interview sealed (listed, nothing served) and publishes it by itself when it ends', async () => {
    const { body } = await asCurator('post', '/api/interviews')
      .send({ title: 'Sperrfrist Zschornewitz', visibility: 'public' })
      .expect(201);
    await asCurator('post', `/api/interviews/${body.id}/consents`)
      .send({ narrator: 'Erna Lehmann', scope: ['archive', 'public_web'], givenOn: '2026-03-12', method: 'spoken' })
      .expect(201);
    for (const status of ['ready_for_review', 'in_review', 'approved'])
      await asCurator('patch', `/api/interviews/${body.id}`).send({ status }).expect(200);
    const until3s = new Date(Date.now() + 3000).toISOString();
    const scheduled = await asCurator('patch', `/api/interviews/${body.id}`)
      .send({ status: 'published', embargoUntil: until3s, embargoListed: true })
      .expect(200);
    expect(scheduled.body.status).toBe('approved');
    const sealed = await (await fetch(`${origin}/api/interviews/${body.id}`)).json();
    expect(sealed).toEqual({
      id: body.id,
      title: 'Sperrfrist Zschornewitz',
      collectionId: null,
      recordedAt: null,
      sealed: true,
      embargoUntil: until3s,
    });
    const listed = (await (await fetch(`${origin}/api/interviews`)).json()).items.find(
      (i: { id: string }) => i.id === body.id,
    );
    expect(listed).toMatchObject({ sealed: true });
    const job = t.store.db
      .prepare(`SELECT run_after FROM jobs WHERE name = 'interview.publish' AND status = 'queued'`)
      .pluck()
      .get() as string;
    expect(job).toBe(until3s);
    const published = await until(async () => {
      const r = await (await fetch(`${origin}/api/interviews/${body.id}`)).json();
      return r.status === 'published' ? Date.now() : undefined;
    }, 20_000);
    console.log(`embargo ended ${until3s}; published by the job ${published - Date.parse(until3s)} ms later`);
    const audit = (await admin.agent.get(`/api/audit?interviewId=${body.id}&action=interview.status`).expect(200)).body
      .items;
    expect(audit[0]).toMatchObject({ actorKind: 'system', after: { status: 'published', reason: 'embargo ended' } });
  });

  it('a revoked or unknown credential is refused with a clear problem, and guessing codes is rate-limited', async () => {
    const inv = await asCurator('post', `/api/interviews/${interviewId}/review-invitations`)
      .send({ narrator: 'Horst Krüger' })
      .expect(409);
    expect(inv.body.type).toBe('/problems/conflict'); // withdrawn: no new invitations
    const overview = (await asCurator('get', `/api/interviews/${interviewId}/review`).expect(200)).body;
    await asCurator('post', `/api/interviews/${interviewId}/review-invitations/${overview.invitations[0].id}/revoke`)
      .send({})
      .expect(200);
    const revoked = await narrator().get('/api/review').expect(401);
    expect(revoked.body).toMatchObject({ type: '/problems/review-link', reason: 'revoked' });
    expect(revoked.headers['content-type']).toMatch(/application\/problem\+json/);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await supertest(t.app).get('/api/review').set('Authorization', `Review ZZZZ-ZZZZ-Z${i}`)).status);
    // REVIEW_RATE_LIMIT=5 here: the revoked attempt above and four guesses fail with 401, then 429
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
  });
});
