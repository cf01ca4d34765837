// Finding 11, the measurement: what breaks if `style-src 'unsafe-inline'` is dropped? Every page of the client is
// loaded in Debian's Chromium twice — with the archive's CSP, and with the same CSP minus 'unsafe-inline' in
// style-src (rewritten on the way by playwright) — and every `securitypolicyviolation` is collected. The archive's own
// policy must produce none; the strict one's violations are printed per page (the decision is in README).
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../e2e/helpers/browser.js';
import { createTestApp, fullConsent, testPassword, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { send, type Login } from './helpers.js';

let t: TestApp;
let server: http.Server;
let base: string;
let browser: Browser;
let tmp: string;
let curator: Login;
let interviewId: string;
let mediaId: string;

interface Violation {
  page: string;
  directive: string;
  blocked: string;
  sample: string;
}

async function visit(strict: boolean, pages: string[]): Promise<Violation[]> {
  const context: BrowserContext = await browser.newContext({ baseURL: base });
  let rewritten = 0;
  try {
    await context.addInitScript(() => {
      (window as unknown as { __csp: unknown[] }).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { __csp: unknown[] }).__csp.push({
          directive: e.violatedDirective,
          blocked: e.blockedURI,
          sample: e.sample,
        });
      });
    });
    if (strict) {
      await context.route(`${base}/**`, async (route) => {
        if (route.request().resourceType() !== 'document') return route.continue();
        const response = await route.fetch();
        const headers = { ...response.headers() };
        const csp = headers['content-security-policy'];
        if (csp && /style-src [^;]*'unsafe-inline'/.test(csp)) rewritten++;
        if (csp)
          headers['content-security-policy'] = csp.replace(
            /style-src ([^;]*)/,
            (_m, list: string) => `style-src ${list.replace(/\s*'unsafe-inline'/, '')}`,
          );
        await route.fulfill({ response, headers });
      });
    }
    const page = await context.newPage();
    expect(
      (await page.request.post('/api/auth/login', { data: { email: curator.email, password: testPassword } })).status(),
    ).toBe(200);
    const found: Violation[] = [];
    for (const url of pages) {
      await page.goto(url);
      await page.waitForLoadState('load');
      await page.waitForTimeout(1500);
      const list = await page.evaluate(
        () => (window as unknown as { __csp: Array<{ directive: string; blocked: string; sample: string }> }).__csp,
      );
      found.push(...list.map((v) => ({ page: url, ...v })));
    }
    // every page's document really went out with the stricter policy
    if (strict) expect(rewritten).toBeGreaterThanOrEqual(pages.length);
    return found;
  } finally {
    await context.close();
  }
}

describe('finding 11: CSP without style-src unsafe-inline, measured in Chromium', () => {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-csp-'));
    t = await createTestApp(
      { MAP_TILE_URL: 'https://{s}.tiles.invalid/{z}/{x}/{y}.png' },
      { clientDir: path.resolve('client/dist') },
    );
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    curator = await t.loginAs('curator');
    const created = await send(curator, 'post', '/api/interviews')
      .send({
        title: 'Schicht im Tagebau',
        visibility: 'public',
        recordedAt: '1987',
        people: [{ name: 'Horst Krüger', role: 'narrator' }],
        place: { name: 'Ferropolis', lat: 51.75, lon: 12.45 },
      })
      .expect(201);
    interviewId = created.body.id;
    const audio = await makeAudio(tmp, { seconds: 3, format: 'mp3' });
    mediaId = (
      await send(curator, 'post', `/api/interviews/${interviewId}/media`).attach('file', audio, 'band1.mp3').expect(202)
    ).body.id;
    await send(curator, 'put', `/api/interviews/${interviewId}/media/${mediaId}/transcript`)
      .set('Content-Type', 'text/vtt')
      .send('WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<v Horst Krüger>Glück auf.\n')
      .expect(201);
    await send(curator, 'post', `/api/interviews/${interviewId}/consents`).send(fullConsent).expect(201);
    for (const status of ['ready_for_review', 'in_review', 'approved', 'published'])
      await send(curator, 'patch', `/api/interviews/${interviewId}`).send({ status }).expect(200);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the archive policy: no violation on any page; without unsafe-inline: counted per page', async () => {
    const pages = [
      '/',
      '/search?q=Gl%C3%BCck',
      `/interviews/${interviewId}`,
      '/places',
      '/mitarbeit',
      `/mitarbeit/interviews/${interviewId}`,
      '/durchsicht',
      '/login',
    ];
    const now = await visit(false, pages);
    expect(now).toEqual([]);
    const strict = await visit(true, pages);
    const byPage = pages.map((p) => `${p}: ${strict.filter((v) => v.page === p).length}`);
    const kinds = [...new Set(strict.map((v) => `${v.directive} ${v.blocked || 'inline'} ${v.sample.slice(0, 60)}`))];
    console.log(
      `csp without style-src 'unsafe-inline': ${strict.length} violations (${byPage.join(', ')})\n  ${kinds.join('\n  ')}`,
    );
  }, 120_000);
});
