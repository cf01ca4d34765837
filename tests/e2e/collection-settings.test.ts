// The collection settings page (/mitarbeit/sammlungen) in Chromium against `server/main.ts` as its own process:
// with ASR configured (Whisper tiny.en behind `npm run asr-engine`) a curator switches automatic transcription on
// and the collection says so; without ASR the option is disabled and explains how to turn ASR on. Screenshots land
// in test-results/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, hasAsrEngine, startAsrEngine } from '../helpers/speech.js';
import { axe, launchBrowser, screenshot, signInThroughForm } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';

const admin = { email: 'chefin@example.org', password: 'glück-auf-1950-ferropolis' };

async function signInAndCreateCollection(page: Page, server: RunningServer, title: string): Promise<string> {
  const csrf = await signInThroughForm(page, server.url, admin, '/mitarbeit/sammlungen');
  const created = await page.request.post(`${server.url}/api/collections`, {
    headers: { 'X-CSRF-Token': csrf },
    data: { title },
  });
  expect(created.status()).toBe(201);
  const id = (await created.json()).id as string;
  await page.goto(`${server.url}/mitarbeit/sammlungen`);
  return id;
}

describe.skipIf(!hasAsrEngine())(
  '[needs asr-engine] end to end: collection settings, automatic transcription on ingest (skipped: run scripts/setup.sh --with-test-tools)',
  () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchBrowser();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    it('with ASR configured: a curator switches it on with a language, saves, and the collection has the setting', async () => {
      const engine = await startAsrEngine(await freePort());
      const server = await startServer({
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        ASR_URL: engine.url,
        ASR_MODEL: 'tiny.en',
      });
      const context = await browser.newContext({
        bypassCSP: true,
        locale: 'de-DE',
        viewport: { width: 1280, height: 900 },
      });
      try {
        const page = await context.newPage();
        const id = await signInAndCreateCollection(page, server, 'Spring School Ferropolis 2026');
        const form = page.getByTestId('collection-auto-transcribe');
        await expect.poll(() => form.isVisible(), { timeout: 15_000 }).toBe(true);
        const box = form.getByLabel('Neue Aufnahmen automatisch transkribieren');
        expect(await box.isEnabled()).toBe(true);
        expect(await box.isChecked()).toBe(false);
        await box.check();
        await form.getByLabel('Sprache der Aufnahmen').selectOption('en');
        await form.getByRole('button', { name: 'Speichern' }).click();
        await expect.poll(() => form.textContent(), { timeout: 10_000 }).toContain('Gespeichert.');
        const stored = await (await page.request.get(`${server.url}/api/collections/${id}`)).json();
        expect(stored.autoTranscribe).toEqual({ enabled: true, language: 'en' });
        await axe(page, 'collection settings');
        console.log(`[e2e] screenshot: ${await screenshot(page, 'collection-settings-asr-on')}`);
        await page.close();
      } finally {
        await context.close();
        await server.stop();
        await engine.stop();
      }
    }, 180_000);

    it('without ASR: the option is disabled and says how to turn automatic transcription on', async () => {
      const server = await startServer({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
      const context = await browser.newContext({
        bypassCSP: true,
        locale: 'de-DE',
        viewport: { width: 1280, height: 900 },
      });
      try {
        const page = await context.newPage();
        await signInAndCreateCollection(page, server, 'Zschornewitz 2020');
        const form = page.getByTestId('collection-auto-transcribe');
        await expect.poll(() => form.isVisible(), { timeout: 15_000 }).toBe(true);
        expect(await form.getByLabel('Neue Aufnahmen automatisch transkribieren').isDisabled()).toBe(true);
        expect(await form.textContent()).toContain('Automatische Transkription ist aus. Zum Einschalten ASR_URL');
        expect(await form.getByRole('button', { name: 'Speichern' }).isDisabled()).toBe(true);
        await axe(page, 'collection settings without ASR');
        console.log(`[e2e] screenshot: ${await screenshot(page, 'collection-settings-asr-off')}`);
        await page.close();
      } finally {
        await context.close();
        await server.stop();
      }
    }, 120_000);
  },
);
