// End to end, all real: `server/main.ts` as its own process (SQLite, embedded Meilisearch, built client) and Chromium.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';

const admin = { email: 'chefin@example.org', password: 'glück-auf-1950-ferropolis' };

function meiliChildren(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,comm=']).toString();
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, ppid, comm]) => Number(ppid) === pid && comm === 'meilisearch')
    .map(([p]) => Number(p));
}

describe('end to end: the archive in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the German home page, logs in through the form, lists a published interview and opens it by deep link', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Schichtbuch');
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    await screenshot(page, 'home-empty');

    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-Mail').fill(admin.email);
    await page.getByLabel('Passwort').fill(admin.password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
    await page.waitForURL(`${server.url}/`);

    // create and publish through the API with the browser's own session cookie and CSRF token
    const id = await page.evaluate(async () => {
      const me = await (await fetch('/api/auth/me')).json();
      const send = (method: string, url: string, body: unknown) =>
        fetch(url, {
          method,
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
          body: JSON.stringify(body),
        }).then((r) => r.json());
      const created = await send('POST', '/api/interviews', {
        title: 'Schichtbetrieb an der Förderbrücke',
        visibility: 'public',
        recordedAt: '2019-05',
        people: [{ name: 'Horst Krüger', role: 'narrator' }],
        place: { name: 'Ferropolis' },
      });
      await send('POST', `/api/interviews/${created.id}/consents`, {
        narrator: 'Horst Krüger',
        scope: ['archive', 'research', 'education', 'public_web'],
        givenOn: '2019-05-17',
        method: 'signed_form',
      });
      for (const status of ['ready_for_review', 'in_review', 'approved', 'published'])
        await send('PATCH', `/api/interviews/${created.id}`, { status });
      return created.id as string;
    });

    const anonymous = await browser.newPage();
    await anonymous.goto(`${server.url}/`);
    await anonymous.getByRole('link', { name: /Schichtbetrieb an der Förderbrücke/ }).waitFor();
    await screenshot(anonymous, 'home-with-interview');

    // deep link straight into an SPA route: the server answers with the client, the client renders the interview
    await anonymous.goto(`${server.url}/interviews/${id}`);
    await anonymous.getByRole('heading', { name: 'Schichtbetrieb an der Förderbrücke' }).waitFor();
    expect(await anonymous.textContent('body')).toContain('Horst Krüger');
    await screenshot(anonymous, 'interview');

    // the English texts are not bundled (German is): the switch loads them, then shows them
    const englishChunk = anonymous.waitForResponse((r) => /\/assets\/en-[^/]*\.js$/.test(r.url()));
    await anonymous.getByRole('button', { name: /Englisch/ }).click();
    expect((await englishChunk).status()).toBe(200);
    await expect.poll(() => anonymous.getAttribute('html', 'lang')).toBe('en');
    await anonymous
      .getByRole('group', { name: 'Language' })
      .getByRole('button', { name: /German/ })
      .waitFor();
    // a reader who chose English gets English from the first paint (the page waits for the texts)
    await anonymous.reload();
    await anonymous.getByRole('heading', { name: 'Schichtbetrieb an der Förderbrücke' }).waitFor();
    expect(await anonymous.getByRole('group', { name: 'Language' }).count()).toBe(1);
    expect(await anonymous.getByRole('group', { name: 'Sprache' }).count()).toBe(0);
  });

  it('sends security headers and serves API errors as problem+json', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await fetch(`${server.url}/api/interviews/00000000-0000-4000-8000-000000000000`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  it('keeps its Meilisearch alive and stops it with the server on SIGTERM', async () => {
    const pid = server.process.pid!;
    const children = meiliChildren(pid);
    expect(children).toHaveLength(1);
    const keyFile = path.join(server.dir, 'data', 'meili-master-key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const code = await server.stop();
    expect(code).toBe(0);
    expect(() => process.kill(children[0]!, 0)).toThrow();
  });
});
