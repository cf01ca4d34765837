// A real IIIF viewer plays our manifest: Clover (`@samvera/clover-iiif`, its web component) on a page of ANOTHER
// origin loads /iiif/interviews/:id/manifest from the archive (`npm start` as its own process, real ffmpeg
// renditions), in Debian's Chromium. The video plays (HLS through Clover's hls.js, cross-origin) and the caption
// track from the `supplementing` WebVTT annotation is there with its cues. The interview page links the manifest
// (`<link rel="alternate">` in <head> and a visible IIIF link). Screenshot: test-results/screenshots/iiif-clover.png.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeVideo } from '../helpers/media.js';
import { launchBrowser, screenshot } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';
import { until } from '../helpers/until.js';

const admin = { email: 'kurator-iiif@example.org', password: 'glück-auf-iiif-1957-golpa' };
// the web-component bundle is not in the package's exports map: found beside its package.json
const cloverBundle = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@samvera/clover-iiif/package.json')),
  'dist/web-components/index.umd.js',
);

const vtt = [
  'WEBVTT',
  '',
  '00:00:00.500 --> 00:00:03.000',
  '<v Horst Krüger>Glück auf! Ich war Baggerfahrer in Golpa-Nord.',
  '',
  '00:00:03.000 --> 00:00:06.000',
  '<v Horst Krüger>Der Bagger hieß bei uns nur die Mosquito.',
  '',
  '00:00:06.000 --> 00:00:09.500',
  '<v Horst Krüger>Neunzehnhunderteinundneunzig war Schluss.',
  '',
].join('\n');

/** Polls (the shared helper) until `check` holds. */
const waitFor = (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<true> =>
  until(async () => (await check()) || undefined, timeoutMs, 300, what);

describe('end to end: Clover (a IIIF viewer on another origin) plays the manifest', () => {
  let server: RunningServer;
  let viewerSite: http.Server;
  let viewerOrigin: string;
  let browser: Browser;
  let interviewId: string;
  let cookie = '';
  let csrf = '';
  let tmp: string;

  const call = async (method: string, url: string, body?: unknown, type = 'application/json') => {
    const headers: Record<string, string> = { cookie, 'x-csrf-token': csrf };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = type;
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(`${server.url}${url}`, { method, headers, ...(payload ? { body: payload } : {}) });
    const text = await res.text();
    expect(res.status, `${method} ${url}: ${text.slice(0, 300)}`).toBeLessThan(300);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-clover-'));
    server = await startServer({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    csrf = ((await login.json()) as { csrfToken: string }).csrfToken;

    interviewId = (
      await call('POST', '/api/interviews', {
        title: 'Baggerfahrer in Golpa-Nord',
        visibility: 'public',
        language: 'de',
        recordedAt: '2019-05',
        people: [{ name: 'Horst Krüger', role: 'narrator' }],
      })
    ).id;
    const file = await makeVideo(tmp, { seconds: 10, width: 640, height: 360, fps: 25, withAudio: true });
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(file)], { type: 'video/mp4' }), 'band1.mp4');
    const medium = await call('POST', `/api/interviews/${interviewId}/media`, form);
    await call('PUT', `/api/interviews/${interviewId}/media/${medium.id}/transcript`, vtt, 'text/vtt');
    await call('PUT', `/api/interviews/${interviewId}/media/${medium.id}/index`, {
      points: [
        { start: 0, title: 'Anfang im Tagebau', synopsis: null, keywords: [], subjects: [], place: null },
        { start: 6, title: 'Das Ende', synopsis: null, keywords: [], subjects: [], place: null },
      ],
    });
    await waitFor(async () => (await call('GET', `/api/media/${medium.id}`)).status === 'ready', 120_000, 'renditions');
    await call('POST', `/api/interviews/${interviewId}/consents`, {
      narrator: 'Horst Krüger',
      scope: ['archive', 'education', 'public_web'],
      givenOn: '2019-05-17',
      method: 'signed_form',
    });
    for (const status of ['ready_for_review', 'in_review', 'approved', 'published'])
      await call('PATCH', `/api/interviews/${interviewId}`, { status });

    // the foreign site: Clover's web component and one page, nothing of ours (no `id` attribute: Clover reads it as the manifest)
    const page = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Fremder IIIF-Viewer</title>
<script src="/clover.js"></script></head><body style="margin:0">
<clover-viewer iiif-content="${server.url}/iiif/interviews/${interviewId}/manifest"></clover-viewer></body></html>`;
    viewerSite = http
      .createServer((req, res) => {
        if (req.url === '/clover.js') {
          res.writeHead(200, { 'content-type': 'text/javascript' });
          fs.createReadStream(cloverBundle).pipe(res);
        } else if (req.url === '/') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        } else if (req.url === '/favicon.ico') res.writeHead(204).end();
        else res.writeHead(404).end();
      })
      .listen(0, '127.0.0.1');
    await new Promise((r) => viewerSite.once('listening', r));
    viewerOrigin = `http://127.0.0.1:${(viewerSite.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    viewerSite?.close();
    await server?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('Clover loads the manifest cross-origin, the video plays and the caption track has its cues', async () => {
    expect(new URL(viewerOrigin).port).not.toBe(new URL(server.url).port);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('requestfailed', (r) => failures.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('console', (m) => {
      if (m.type() === 'error') failures.push(`console: ${m.text()}`);
    });
    const requests: string[] = [];
    page.on('response', (r) =>
      requests.push(`${r.request().method()} ${r.url()} → ${r.status()} ${JSON.stringify(r.request().headers())}`),
    );
    await page.goto(viewerOrigin);
    const video = page.locator('video#clover-iiif-video');
    try {
      await video.waitFor({ timeout: 30_000 });
    } catch (err) {
      await screenshot(page, 'iiif-clover-failed');
      throw new Error(
        `no Clover video: ${failures.join('\n')}\n${requests.join('\n')}\n${(await page.content()).slice(0, 3000)}`,
        { cause: err },
      );
    }
    // the caption track from the supplementing annotation
    const track = page.locator('video#clover-iiif-video track');
    await expect.poll(() => track.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await track.first().getAttribute('src')).toBe(
      `${server.url}/iiif/interviews/${interviewId}/media/${await mediumIdFromManifest()}/captions.de.vtt`,
    );

    await page.evaluate(async () => {
      const v = document.querySelector('video#clover-iiif-video') as HTMLVideoElement;
      v.muted = true;
      for (const t of Array.from(v.textTracks)) t.mode = 'showing';
      await v.play();
    });
    await expect
      .poll(
        () => page.evaluate(() => (document.querySelector('video#clover-iiif-video') as HTMLVideoElement).currentTime),
        { timeout: 30_000 },
      )
      .toBeGreaterThan(1.5);
    const state = await page.evaluate(() => {
      const v = document.querySelector('video#clover-iiif-video') as HTMLVideoElement;
      const tracks = Array.from(v.textTracks).map((t) => ({
        kind: t.kind,
        label: t.label,
        cues: t.cues?.length ?? 0,
        cueText: t.cues
          ? Array.from(t.cues)
              .map((c) => (c as VTTCue).text)
              .join(' | ')
          : '',
      }));
      return {
        paused: v.paused,
        currentTime: v.currentTime,
        duration: v.duration,
        width: v.videoWidth,
        height: v.videoHeight,
        error: v.error?.code ?? null,
        tracks,
      };
    });
    console.log(`Clover: ${JSON.stringify(state)}`);
    expect(state.error).toBeNull();
    expect(state.paused).toBe(false);
    expect(state.width).toBeGreaterThan(0);
    expect(Math.round(state.duration)).toBe(10);
    expect(state.tracks.length).toBeGreaterThan(0);
    expect(state.tracks[0]!.cues).toBe(3);
    expect(state.tracks[0]!.cueText).toContain('Mosquito');
    // Clover's information panel lists the structures (ranges from the index) or the transcript
    await page.waitForTimeout(500);
    const file = await screenshot(page, 'iiif-clover');
    console.log(`screenshot: ${file}`);
    expect(failures).toEqual([]);
    await context.close();
  }, 120_000);

  it('the interview page links its manifest: <link rel="alternate"> in <head> and a visible IIIF link', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/interviews/${interviewId}`);
    const link = page.locator('head link[rel="alternate"][type^="application/ld+json"]');
    await link.waitFor({ state: 'attached', timeout: 20_000 });
    expect(await link.getAttribute('type')).toBe(
      'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"',
    );
    expect(await link.getAttribute('href')).toBe(`/iiif/interviews/${interviewId}/manifest`);
    const visible = page.getByTestId('iiif-manifest-link');
    await expect.poll(() => visible.isVisible()).toBe(true);
    expect(await visible.textContent()).toContain('IIIF');
    const res = await page.evaluate(
      async (href) => {
        const r = await fetch(href);
        return { status: r.status, type: (await r.json()).type };
      },
      (await visible.getAttribute('href')) ?? '',
    );
    expect(res).toEqual({ status: 200, type: 'Manifest' });
    await context.close();
  });

  async function mediumIdFromManifest(): Promise<string> {
    const m = await (await fetch(`${server.url}/iiif/interviews/${interviewId}/manifest`)).json();
    return (m.items[0].id as string).split('/').pop()!;
  }
});
