// The security catalogue's fixture: one app (no workers) with its accounts, the owner's private draft and medium,
// a logged-in Chromium. The test file calls `useCatalogueFixture()`; the bindings below are live once it ran.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from '../e2e/helpers/browser.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { send, type Login } from './helpers.js';
import { payload, results } from './catalogue.data.js';

// ── the fixture ───────────────────────────────────────────────────────────────────────────────────────────────────

export let t: TestApp;
export let tmp: string;
export let server: http.Server;
export let base: string;
export let browser: Browser;
export let audio: string;
export let admin: Login;
export let owner: Login;
export let other: Login;
export let researcher: Login;
export let curator: Login;
export let demoted: Login;
export let ownDraft: string; // owner's private draft (the target of most API cases)
export let ownMedium: string;
export let demotedDraft: string;
export const SECRET = 'Verschlusssachewort';

export const ATTRIBUTION_ID = 'attr';

export function useCatalogueFixture(): void {
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-catalogue-'));
    t = await createTestApp(
      {
        MAP_TILE_URL: 'https://{s}.tiles.invalid/{z}/{x}/{y}.png',
        MAP_TILE_ATTRIBUTION: `© OSM ${payload('img', ATTRIBUTION_ID)}`,
        UPLOAD_MAX_BYTES: '8MiB',
        REVIEW_RATE_LIMIT: '100000',
      },
      { clientDir: path.resolve('client/dist') },
    );
    // no workers: media stay `stored` (playable originals), so nothing changes the store behind the cases' backs
    server = http.createServer(t.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    [admin, owner, other, researcher, curator, demoted] = await Promise.all([
      t.loginAs('admin'),
      t.loginAs('contributor'),
      t.loginAs('contributor'),
      t.loginAs('researcher'),
      t.loginAs('curator'),
      t.loginAs('contributor'),
    ]);
    audio = await makeAudio(tmp, { seconds: 3, format: 'mp3' });
    ownDraft = (
      await send(owner, 'post', '/api/interviews')
        .send({ title: `Entwurf ${SECRET}`, visibility: 'private', summary: SECRET })
        .expect(201)
    ).body.id;
    ownMedium = (
      await send(owner, 'post', `/api/interviews/${ownDraft}/media`).attach('file', audio, 'band1.mp3').expect(202)
    ).body.id;
    demotedDraft = (
      await send(demoted, 'post', '/api/interviews')
        .send({ title: 'Vom Herabgestuften', visibility: 'private' })
        .expect(201)
    ).body.id;
    await send(admin, 'patch', `/api/users/${demoted.userId}`).send({ role: 'researcher' }).expect(200);
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    const failed = results.filter((r) => !r.held);
    if (failed.length > 0)
      console.log(
        ['security cases that did not hold:', ...failed.map((r) => `  ${r.group} / ${r.id}: ${r.detail}`)].join('\n'),
      );
    const groups = [...new Set(results.map((r) => r.group))].map(
      (g) => `${g} ${results.filter((r) => r.group === g).length}`,
    );
    console.log(`security catalogue groups: ${groups.join(', ')}`);
    console.log(`security: ${results.length} cases, ${results.filter((r) => r.held).length} held`);
  });
}
