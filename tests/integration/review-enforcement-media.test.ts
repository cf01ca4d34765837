// Restrictions reach the video picture and the search answers even where the index lags behind: a restricted
// passage shows a neutral card in the public video rendition (measured by decoding frames over HTTP), and search
// hits pass the interview page's access check while no worker runs. Real ffmpeg, SQLite and Meilisearch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAudio, makeVideo } from '../helpers/media.js';
import { execBuffer, openReviewWorld, until, windowVolume, type ReviewWorld } from './helpers/review-world.js';

describe('narrator review: restrictions enforced on video pictures and on a lagging search index', () => {
  let world: ReviewWorld;
  let dir: string;
  let origin: string;
  let asCurator: ReviewWorld['asCurator'];

  beforeAll(async () => {
    world = await openReviewWorld();
    ({ dir, origin, asCurator } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('video: the public rendition shows a neutral card over the restricted passage, the picture elsewhere, and a poster from outside it', async () => {
    const video = await makeVideo(dir, { seconds: 6, width: 640, height: 360, fps: 25, withAudio: true });
    const { body } = await asCurator('post', '/api/interviews')
      .send({ title: 'Film', visibility: 'public' })
      .expect(201);
    const medium = await asCurator('post', `/api/interviews/${body.id}/media`)
      .attach('file', video, 'film.mp4')
      .expect(202);
    await until(async () => (await asCurator('get', `/api/media/${medium.body.id}`)).body.status === 'ready', 60_000);
    await asCurator('post', `/api/interviews/${body.id}/restrictions`)
      .send({ mediaId: medium.body.id, start: 2, end: 4, reason: 'Kollegen im Bild' })
      .expect(201);
    await asCurator('post', `/api/interviews/${body.id}/consents`)
      .send({ narrator: 'Film', scope: ['archive', 'public_web'], givenOn: '2026-03-12', method: 'spoken' })
      .expect(201);
    for (const status of ['ready_for_review', 'in_review', 'approved', 'published'])
      await asCurator('patch', `/api/interviews/${body.id}`).send({ status }).expect(200);
    const pub = await until(async () => {
      const m = await (await fetch(`${origin}/api/media/${medium.body.id}`)).json();
      return m.hls && m.poster ? m : undefined;
    }, 60_000);
    /** Share of pixels (64×36 grey) that have the frame's most common value: ~1 for a flat card, low for a picture.
     *  Seeking after decoding: ffmpeg 5.1 cannot seek fMP4 HLS by input ("Invalid NAL unit size"). */
    const flatness = async (url: string, at: number) => {
      const { stdout } = await execBuffer('ffmpeg', [
        '-hide_banner',
        '-nostdin',
        '-loglevel',
        'error',
        '-i',
        url,
        '-ss',
        String(at),
        '-frames:v',
        '1',
        '-vf',
        'scale=64:36,format=gray',
        '-f',
        'rawvideo',
        '-pix_fmt',
        'gray',
        'pipe:1',
      ]);
      const counts = new Map<number, number>();
      for (const v of stdout) counts.set(v, (counts.get(v) ?? 0) + 1);
      return Math.max(...counts.values()) / stdout.length;
    };
    const hls = `${origin}${pub.hls}`;
    const inside = await flatness(hls, 3);
    const outside = await flatness(hls, 1);
    const poster = await flatness(`${origin}${pub.poster}`, 0);
    console.log(
      `video card: pixels at the most common value — 3.0 s (restricted) ${(inside * 100).toFixed(1)} %, 1.0 s ${(outside * 100).toFixed(1)} %, poster ${(poster * 100).toFixed(1)} %`,
    );
    expect(inside).toBeGreaterThan(0.8); // the rest is the card's caption
    expect(outside).toBeLessThan(0.5);
    expect(poster).toBeLessThan(0.5);
    expect((await windowVolume(hls, 2.2, 3.8)).max).toBeLessThanOrEqual(-70);
  });

  it("search hits pass the interview page's access check even while the index lags behind (no worker running)", async () => {
    const audio = await makeAudio(dir, { seconds: 10, format: 'm4a' });
    const { body } = await asCurator('post', '/api/interviews')
      .send({ title: 'Nachzügler', visibility: 'public' })
      .expect(201);
    const medium = await asCurator('post', `/api/interviews/${body.id}/media`)
      .attach('file', audio, 'band.m4a')
      .expect(202);
    await asCurator('put', `/api/interviews/${body.id}/media/${medium.body.id}/transcript`)
      .set('Content-Type', 'text/vtt')
      .send(
        'WEBVTT\n\n00:00:00.000 --> 00:00:04.000\n<v Karl Mehnert>Im Kraftwerk Vockerode war es laut.\n\n00:00:04.000 --> 00:00:09.000\nDer Meister Kowalski trank im Dienst.\n',
      )
      .expect(201);
    await asCurator('post', `/api/interviews/${body.id}/consents`)
      .send({ narrator: 'N', scope: ['archive', 'public_web'], givenOn: '2026-03-12', method: 'spoken' })
      .expect(201);
    for (const status of ['ready_for_review', 'in_review', 'approved', 'published'])
      await asCurator('patch', `/api/interviews/${body.id}`).send({ status }).expect(200);
    await until(async () => (await fetch(`${origin}/api/search?q=Kowalski`).then((r) => r.json())).hits.length === 1);

    await world.workers.stop(); // the index now stays as it is
    try {
      await asCurator('post', `/api/interviews/${body.id}/restrictions`)
        .send({ mediaId: medium.body.id, start: 4, end: 9 })
        .expect(201);
      // until the ladder is re-made: curators (and the narrator) keep the old one, the public gets nothing of it
      const staffView = (await asCurator('get', `/api/media/${medium.body.id}`).expect(200)).body;
      expect(staffView).toMatchObject({
        status: 'processing',
        hls: expect.any(String),
        download: expect.any(String),
        waveform: null,
        poster: null,
      });
      const publicView = await (await fetch(`${origin}/api/media/${medium.body.id}`)).json();
      expect(publicView).toMatchObject({ hls: null, download: null, original: null, waveform: null });
      expect((await fetch(`${origin}/media/${medium.body.id}/hls/master.m3u8`)).status).toBe(404);
      const afterRestriction = await fetch(`${origin}/api/search?q=Kowalski`).then((r) => r.json());
      expect(afterRestriction.hits).toEqual([]);
      expect((await fetch(`${origin}/api/interviews/${body.id}/search?q=Kowalski`).then((r) => r.json())).hits).toEqual(
        [],
      );
      expect((await asCurator('get', '/api/search?q=Kowalski').expect(200)).body.hits).toHaveLength(1);
      expect((await fetch(`${origin}/api/search?q=Vockerode`).then((r) => r.json())).hits).toHaveLength(1);

      expect((await fetch(`${origin}/api/search?q=Vockerode`).then((r) => r.json())).facets).toMatchObject({
        language: { de: 1 },
        speaker: { 'Karl Mehnert': 1 },
      });
      await asCurator('patch', `/api/interviews/${body.id}`)
        .send({ status: 'withdrawn', reason: 'am Telefon' })
        .expect(200);
      // hits, total and facet counts alike: the index still holds the passage, the store says withdrawn
      const afterWithdrawal = await fetch(`${origin}/api/search?q=Vockerode`).then((r) => r.json());
      expect(afterWithdrawal).toMatchObject({ hits: [], groups: [], total: 0 });
      expect(afterWithdrawal.facets.language).toEqual({});
      expect(
        afterWithdrawal.facets.speaker,
        'counted by Meilisearch: needs the second query without the hidden interview',
      ).toEqual({});
      expect((await asCurator('get', '/api/search?q=Vockerode').expect(200)).body.total, 'the index did lag').toBe(1);
    } finally {
      world.startWorkers();
    }
  });
});
