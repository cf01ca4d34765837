// Search end to end with a real Meilisearch sidecar that is stopped and started under a running app: transcripts
// are indexed by jobs; while Meilisearch is down search answers 503, everything else keeps working, and what changed
// meanwhile is in the index once it is back (delayed, never lost). Hits land on the second and respect access.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepSearchCurrent } from '../../server/runtime.js';
import { MeiliSidecar } from '../../server/search/sidecar.js';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { untilWithin } from '../helpers/until.js';

const until = untilWithin(20_000);

const vtt = (lines: [number, string, string][]) =>
  `WEBVTT\n\n${lines.map(([s, who, text]) => `00:00:${String(s).padStart(2, '0')}.000 --> 00:00:${String(s + 4).padStart(2, '0')}.000\n<v ${who}>${text}`).join('\n\n')}\n`;

describe('search over transcripts, through jobs, across a Meilisearch outage', () => {
  let dir: string;
  let sidecar: MeiliSidecar;
  let t: TestApp;
  let workers: Workers;
  let curator: Awaited<ReturnType<TestApp['loginAs']>>;
  let audio: string;
  let onSearchUp: () => void;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-outage-'));
    sidecar = new MeiliSidecar({ dataDir: dir, port: 0 });
    const { url, masterKey } = await sidecar.start();
    t = await createTestApp({}, { meili: { url, key: masterKey } });
    t.search.startMonitoring(200);
    workers = startWorkers(t.config, t.store, t.services.queue, {
      pollMs: 50,
      sweepMs: 500,
      search: t.services.search,
    });
    t.services.queue.on('enqueued', () => workers.worker.poke());
    onSearchUp = keepSearchCurrent(t.store, t.search, t.services.search, () => workers.worker, t.services.queue);
    curator = await t.loginAs('curator');
    audio = await makeAudio(dir, { seconds: 40, format: 'mp3' });
  });
  afterAll(async () => {
    await workers?.stop();
    await t?.close();
    await sidecar?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** An interview with one recording and a transcript, published (public) or left a private draft. */
  const interview = async (title: string, lines: [number, string, string][], publish: boolean) => {
    const send = (method: 'post' | 'patch' | 'put', url: string) =>
      curator.agent[method](url).set('X-CSRF-Token', curator.csrf);
    const { body } = await send('post', '/api/interviews')
      .send({
        title,
        visibility: 'public',
        people: [{ name: 'Karl Mehnert', role: 'narrator' }],
        recordedAt: '1989-06',
        place: { name: 'Golpa' },
      })
      .expect(201);
    const medium = await send('post', `/api/interviews/${body.id}/media`).attach('file', audio, 'band.mp3').expect(202);
    await send('put', `/api/interviews/${body.id}/media/${medium.body.id}/transcript`)
      .set('Content-Type', 'text/vtt')
      .send(vtt(lines))
      .expect(201);
    if (publish) {
      await send('post', `/api/interviews/${body.id}/consents`).send(fullConsent).expect(201);
      for (const status of ['ready_for_review', 'in_review', 'approved', 'published']) {
        await send('patch', `/api/interviews/${body.id}`).send({ status }).expect(200);
      }
    }
    return { id: body.id as string, mediaId: medium.body.id as string };
  };

  /** Jobs that are running or due now (publishing re-writes the documents' access fields through jobs). */
  const jobsDue = () =>
    t.store.db
      .prepare(`SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND run_after <= ?`)
      .pluck()
      .get(new Date().toISOString()) as number;

  it('finds the second where a word is said; private drafts only for staff; snippets are HTML-safe; facets and groups', async () => {
    const pub = await interview(
      'Karl Mehnert erzählt',
      [
        [2, 'Karl Mehnert', 'Ich bin 1958 in den Tagebau gekommen.'],
        [
          10,
          'Karl Mehnert',
          'Später stand ich an der Förderbrücke &lt;script&gt;alert(1)&lt;/script&gt; in Klettwitz.',
        ],
        [20, 'Karl Mehnert', 'Die Förderbrücke war das größte Gerät im Braunkohletagebau.'],
      ],
      true,
    );
    const draft = await interview('Entwurf', [[4, 'Karl Mehnert', 'Auch hier die Förderbrücke, aber privat.']], false);

    // publishing re-writes the documents' access fields through jobs: wait until no job is due any more and the
    // public answer is complete, then assert on that answer
    const res = await until(async () => {
      if (jobsDue() > 0) return undefined;
      const r = await t.request.get('/api/search?q=Förderbrücke').expect(200);
      return r.body.total === 2 && r.body.hits.length === 2 ? r : undefined;
    });
    expect(res.body.hits.map((h: { start: number }) => h.start).sort()).toEqual([10, 20]);
    expect(res.body.hits[0]).toMatchObject({
      interviewId: pub.id,
      interviewTitle: 'Karl Mehnert erzählt',
      mediaId: pub.mediaId,
      speaker: 'Karl Mehnert',
    });
    const withScript = res.body.hits.find((h: { start: number }) => h.start === 10);
    expect(withScript.snippet).toContain('<mark>Förderbrücke</mark>');
    expect(withScript.snippet).toContain('&lt;script&gt;');
    expect(withScript.snippet).not.toContain('<script>');
    expect(res.body.groups).toEqual([expect.objectContaining({ interviewId: pub.id, hitCount: 2 })]);
    expect(res.body.facets.narrator).toEqual({ 'Karl Mehnert': 2 });
    expect(res.body.facets.decade).toEqual({ 1980: 2 });

    // compound part and umlaut-less spelling reach the same interview
    expect(
      (await t.request.get('/api/search?q=Tagebau').expect(200)).body.hits
        .map((h: { start: number }) => h.start)
        .sort(),
    ).toEqual([2, 20]);
    expect((await t.request.get('/api/search?q=Forderbrucke').expect(200)).body.total).toBe(2);

    await until(async () => (await curator.agent.get('/api/search?q=Förderbrücke')).body.total === 3);
    expect(
      (await curator.agent.get('/api/search?q=Förderbrücke')).body.hits.map(
        (h: { interviewId: string }) => h.interviewId,
      ),
    ).toContain(draft.id);
    // facet filter
    expect((await curator.agent.get('/api/search?q=Förderbrücke&place=Klettwitz').expect(200)).body.total).toBe(0);
    // the index is eventually consistent (status changes re-write access fields through jobs): wait for the filtered
    // answer to settle, then hold it to the exact count
    await until(
      async () =>
        (await curator.agent.get('/api/search?q=Förderbrücke&narrator=Karl%20Mehnert&decade=1980')).body.total === 3,
    );
    expect(
      (await curator.agent.get('/api/search?q=Förderbrücke&narrator=Karl%20Mehnert&decade=1980').expect(200)).body
        .total,
    ).toBe(3);

    // within one interview: every hit with its second, in playback order
    const within = await t.request.get(`/api/interviews/${pub.id}/search?q=Förderbrücke`).expect(200);
    expect(within.body.hits.map((h: { start: number }) => h.start)).toEqual([10, 20]);
    await t.request.get(`/api/interviews/${draft.id}/search?q=Förderbrücke`).expect(404);

    const suggest = await t.request.get('/api/search/suggest?q=förder').expect(200);
    expect(suggest.body.suggestions).toContain('Förderbrücke');
  });

  it('answers 503 problem+json while Meilisearch is down, keeps serving the rest, and catches up afterwards', async () => {
    const port = Number(new URL(sidecar.url).port);
    await sidecar.stop();
    await until(() => !t.search.available);
    const res = await t.request.get('/api/search?q=Bagger').expect(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ type: '/problems/search-unavailable', status: 503 });
    expect(res.headers['retry-after']).toBe('5');
    const health = await t.request.get('/healthz').expect(503);
    expect(health.body.status).toBe('degraded');
    expect(health.body.checks.search.ok).toBe(false);
    expect(health.body.checks.store.ok).toBe(true);
    await t.request.get('/api/interviews').expect(200);

    // changes during the outage: a new interview, and an edit that must vanish from the index
    const late = await interview(
      'Bagger im Tagebau Gröbern',
      [[6, 'Karl Mehnert', 'Der Bagger fuhr rund um die Uhr.']],
      true,
    );
    await until(async () =>
      (await t.store.jobs.listByMedia(late.mediaId)).some((j) => j.name === 'search.transcript' && j.attempts >= 1),
    );

    // same data dir and port, as after a crash restart
    sidecar = new MeiliSidecar({ dataDir: dir, port });
    await sidecar.start();
    // the hit from the answer that showed it: a second request may meet a re-index still in flight
    const caughtUp = await until(async () => {
      const body = (await t.request.get('/api/search?q=Bagger')).body;
      return body.total === 1 && body.hits.length === 1 ? body : undefined;
    });
    const hit = caughtUp.hits[0];
    expect(hit).toMatchObject({ interviewId: late.id, start: 6 });
    const healthy = await t.request.get('/healthz').expect(200);
    expect(healthy.body.checks).toMatchObject({
      search: { ok: true, version: '1.21.0' },
      ffmpeg: { ok: true },
      ffprobe: { ok: true },
    });
  });

  it('withdrawing an interview takes its segments out of public search', async () => {
    const gone = await interview(
      'Brikettfabrik Zschornewitz',
      [[8, 'Karl Mehnert', 'In der Brikettfabrik war es heiß.']],
      true,
    );
    await until(async () => (await t.request.get('/api/search?q=Brikettfabrik')).body.total === 1);
    const started = Date.now();
    await curator.agent
      .patch(`/api/interviews/${gone.id}`)
      .set('X-CSRF-Token', curator.csrf)
      .send({ status: 'withdrawn' })
      .expect(200);
    await until(async () => (await t.request.get('/api/search?q=Brikettfabrik')).body.total === 0, 60_000);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('an index written before passages carried access tags is re-indexed when search comes up', async () => {
    const old = await interview(
      'Kraftwerk Vockerode',
      [[3, 'Karl Mehnert', 'Im Kraftwerk Vockerode war Schicht.']],
      true,
    );
    // the publishing jobs must be done first, or one of them writes the tags back after the strip below
    await until(async () => jobsDue() === 0 && (await t.request.get('/api/search?q=Vockerode')).body.total === 1);
    // what an older version wrote: the same passages without the `access` tags (Meilisearch replaces whole documents)
    const index = t.search.client.index(t.services.search.segments.uid);
    const docs = await index.getDocuments<Record<string, unknown>>({ filter: `interviewId = "${old.id}"`, limit: 100 });
    expect(docs.results.length).toBeGreaterThan(0);
    const untagged = docs.results.map(({ access: _access, ...rest }) => rest);
    await index.addDocuments(untagged).waitTask({ timeout: 20_000 });
    expect((await t.request.get('/api/search?q=Vockerode').expect(200)).body.total).toBe(0);
    expect(await t.services.search.segments.mediaToReindex()).toEqual([old.mediaId]);

    onSearchUp();
    await until(async () => (await t.request.get('/api/search?q=Vockerode')).body.total === 1);
    expect(await t.services.search.segments.mediaToReindex()).toEqual([]);
  });

  it('an index written before passages carried sort keys (no key, or the older hash key) is counted again once re-indexed', async () => {
    const old = await interview('Tagebau Golpa-Nord', [[3, 'Karl Mehnert', 'Am Absetzer in Golpa-Nord.']], true);
    const hitCount = async () =>
      ((await t.request.get('/api/search?q=Absetzer').expect(200)).body.groups as Array<{ hitCount: number }>)[0]
        ?.hitCount;
    await until(async () => jobsDue() === 0 && (await hitCount()) === 1);
    // what an older version wrote: the passages with the pure-hash `interviewKey` instead of `interviewSortKey` (found,
    // but in no interview's count)
    const index = t.search.client.index(t.services.search.segments.uid);
    const docs = await index.getDocuments<Record<string, unknown>>({ filter: `interviewId = "${old.id}"`, limit: 100 });
    expect(docs.results.length).toBeGreaterThan(0);
    const keyless = docs.results.map(({ interviewSortKey: _key, ...rest }) => ({ ...rest, interviewKey: 12_345 }));
    await index.addDocuments(keyless).waitTask({ timeout: 20_000 });
    expect(await hitCount()).toBe(0);
    expect(await t.services.search.segments.mediaToReindex()).toEqual([old.mediaId]);

    onSearchUp();
    await until(async () => (await hitCount()) === 1);
    expect(await t.services.search.segments.mediaToReindex()).toEqual([]);
  });

  it('/metrics speaks Prometheus text with request latency per route template and search_up', async () => {
    const res = await t.request.get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toMatch(/schichtbuch_http_request_duration_seconds_bucket\{[^}]*route="\/api\/interviews\/:id"/);
    expect(res.text).toMatch(/^schichtbuch_search_up 1$/m);
  });
});
