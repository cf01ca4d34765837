// The curators' side of review and consent, end to end: `server/main.ts` as its own process and Debian's Chromium.
// An admin opens an interview's "Durchsicht & Einverständnis" section, is stopped from publishing without consent,
// records a consent with a scan through the form, publishes, creates a review invitation and gets the printable
// letter (screenshot curator-letter.png; the code in it really opens the narrator's review), revokes it, and reads
// the audit log. axe-core checks the pages. (The narrator's own pages: review-flow.test.ts.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, launchBrowser, screenshot, signInThroughForm } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';

const admin = { email: 'chefin@example.org', password: 'glück-auf-1950-ferropolis' };

describe('end to end: curators handle consent, review invitations and the audit log', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let dir: string;
  let scan: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-curator-'));
    scan = path.join(dir, 'Einverständnis Erika Lehmann.pdf');
    fs.writeFileSync(scan, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
    server = await startServer({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    browser = await launchBrowser();
    // axe is injected as a script tag; the app's CSP (script-src 'self') would refuse it otherwise
    context = await browser.newContext({ bypassCSP: true, locale: 'de-DE' });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('consent form, publication gate, printable invitation letter, revocation and audit log', async () => {
    const page = await context.newPage();
    await signInThroughForm(page, server.url, admin);

    // the interview itself is not this test's subject: made through the API, public visibility asked for
    const interviewId = await page.evaluate(async () => {
      const { csrfToken } = await (await fetch('/api/auth/me')).json();
      const res = await fetch('/api/interviews', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({
          title: 'Erika Lehmann: Schichtwechsel in Golpa',
          visibility: 'public',
          people: [{ name: 'Erika Lehmann', role: 'narrator' }],
        }),
      });
      return ((await res.json()) as { id: string }).id;
    });
    await page.goto(`${server.url}/mitarbeit/interviews/${interviewId}`);
    const section = page.getByTestId('curation');
    await section.getByRole('heading', { name: 'Durchsicht & Einverständnis' }).waitFor();

    // publishing without consent is refused, and the page says why
    for (const [button, status] of [
      ['Bereit zur Prüfung', 'Bereit zur Prüfung'],
      ['In Prüfung nehmen', 'In Prüfung'],
      ['Freigeben', 'Freigegeben'],
    ] as const) {
      await section.getByRole('button', { name: button, exact: true }).click();
      await section.getByText(`Status geändert: ${status}.`).waitFor();
    }
    await section.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    const gate = page.getByTestId('consent-required');
    await gate.waitFor();
    expect(await gate.textContent()).toContain('Es fehlt eine passende Einverständniserklärung');
    expect(await gate.textContent()).toContain('Internet (öffentlich)');

    // the consent form: its own checks first, then a record with a scan (multipart)
    await section.getByRole('button', { name: 'Einverständniserklärung erfassen' }).click();
    const form = section.locator('form', { has: page.getByRole('heading', { name: 'Neue Einverständniserklärung' }) });
    await form.getByRole('button', { name: 'Einverständniserklärung speichern' }).click();
    const summary = form.locator('.problem[role="alert"]').first();
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Bitte mindestens einen Zweck ankreuzen.');
    expect(await form.getByLabel('Name der erzählenden Person').inputValue()).toBe('Erika Lehmann');
    for (const scope of ['Archiv', 'Forschung', 'Bildung', 'Internet (öffentlich)'])
      await form.getByLabel(scope, { exact: true }).check();
    await form.getByLabel('Datum des Einverständnisses').fill('2019-05-17');
    await form.getByLabel('unterschriebenes Formular').check();
    await form.getByLabel('Original nur im Archiv behalten').check();
    await form.getByLabel('Anmerkungen').fill('Formular beim Interview unterschrieben.');
    await form.getByLabel('Scan des Formulars').setInputFiles(scan);
    await screenshot(page, 'curator-consent-form');
    await axe(page, 'consent form');
    await form.getByRole('button', { name: 'Einverständniserklärung speichern' }).click();
    await section.getByText('Einverständniserklärung von Erika Lehmann gespeichert.').waitFor();
    const card = section.locator('article', { has: page.getByRole('heading', { name: /Erika Lehmann/ }) }).first();
    await card.getByText('Deckt „Internet (öffentlich)“ ab').waitFor();
    const scanLink = card.getByRole('link', { name: /herunterladen/ });
    const href = await scanLink.getAttribute('href');
    expect(href).toMatch(/\/consents\/[0-9a-f-]{36}\/scan\?version=1$/);
    const scanStatus = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get('content-type'), body: (await r.text()).slice(0, 5) };
    }, href!);
    expect(scanStatus).toEqual({ status: 200, type: 'application/pdf', body: '%PDF-' });

    await section.getByRole('button', { name: 'Veröffentlichen', exact: true }).click();
    await section.getByText('Status geändert: Veröffentlicht.').waitFor();

    // a review invitation: the letter opens at once, with the code that really opens the narrator's review
    await section.getByLabel('Name der erzählenden Person (so steht er im Brief)').fill('Erika Lehmann');
    await section.getByRole('button', { name: 'Einladung erstellen und Brief öffnen' }).click();
    await page.waitForURL(/\/einladung\/[0-9a-f-]{36}$/);
    const letter = page.getByTestId('invitation-letter');
    await letter.waitFor();
    const code = (await letter.locator('.sb-c-letter-code').textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}$/);
    const text = (await letter.textContent()) ?? '';
    expect(text).toContain('Guten Tag, Erika Lehmann,');
    expect(text).toContain('Erika Lehmann: Schichtwechsel in Golpa');
    expect(text).toContain(`${server.url.replace(/^https?:\/\//, '')}/durchsicht`);
    expect(text).toMatch(new RegExp(`${server.url}/durchsicht/[A-Za-z0-9_-]{20,}`));
    expect(text).toContain('Bei Fragen:');
    const qr = letter.locator('img.sb-c-letter-qr');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await page.getByText('Link und Code werden nur jetzt angezeigt.').waitFor();
    await screenshot(page, 'curator-letter');
    await axe(page, 'invitation letter');
    // printed, only the letter remains
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Brief drucken' }).isVisible()).toBe(false);
    expect(await letter.isVisible()).toBe(true);
    await screenshot(page, 'curator-letter-print');
    await page.emulateMedia({ media: 'screen' });
    const narratorView = await page.evaluate(
      async (c) => (await fetch('/api/review', { headers: { Authorization: `Review ${c}` } })).status,
      code,
    );
    expect(narratorView).toBe(200);

    // back on the interview: the invitation is listed as valid and can be revoked
    await page.getByRole('link', { name: 'Zurück zum Interview' }).click();
    const invitations = page.locator('#sb-c-invitations');
    await invitations.getByRole('row', { name: /Erika Lehmann.*gültig/ }).waitFor();
    await invitations.getByRole('button', { name: 'Einladung für Erika Lehmann zurückziehen' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Ja, zurückziehen' }).click();
    await invitations.getByText('Die Einladung für Erika Lehmann ist zurückgezogen.').waitFor();
    await invitations.getByRole('row', { name: /Erika Lehmann.*zurückgezogen/ }).waitFor();
    expect(
      await page.evaluate(
        async (c) => (await fetch('/api/review', { headers: { Authorization: `Review ${c}` } })).status,
        code,
      ),
    ).toBe(401);

    // the interview's log (admins), and the whole log filtered by an action
    const log = page.locator('#sb-c-audit');
    await log.getByRole('cell', { name: /Einladung zurückgezogen/ }).waitFor();
    await log
      .getByRole('cell', { name: /Einverständniserklärung gespeichert/ })
      .first()
      .waitFor();
    await screenshot(page, 'curator-review-section');
    await axe(page, 'interview with review section');

    await page.goto(`${server.url}/mitarbeit/protokoll`);
    await page.getByRole('heading', { name: 'Protokoll', level: 1 }).waitFor();
    await page.getByLabel('Nur diese Aktion').selectOption('consent.version');
    await page.waitForURL(/aktion=consent\.version/);
    await page.getByText('1 Eintrag').waitFor();
    await screenshot(page, 'curator-audit-log');
    await axe(page, 'audit log');
  }, 120_000);
});
