// The editor with an automatic draft, end to end and all real: `server/main.ts` as its own process with ASR_URL set
// to `npm run asr-engine` (faster-whisper, Whisper tiny.en), English espeak-ng speech uploaded through the API,
// transcription started from the editor's button in Chromium; the draft banner, the uncertain words, and marking it
// reviewed. Screenshots land in test-results/screenshots/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, hasAsrEngine, hasEspeak, speakSentences, startAsrEngine } from '../helpers/speech.js';
import { axe, launchBrowser, screenshot, signInThroughForm } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';

const admin = { email: 'chefin@example.org', password: 'glück-auf-1950-ferropolis' };

describe.skipIf(!hasAsrEngine() || !hasEspeak())(
  '[needs asr-engine] end to end: the editor with an automatic draft (skipped: run scripts/setup.sh --with-test-tools)',
  () => {
    let engine: Awaited<ReturnType<typeof startAsrEngine>>;
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let dir: string;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-asr-e2e-'));
      engine = await startAsrEngine(await freePort());
      server = await startServer({
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        ASR_URL: engine.url,
        ASR_MODEL: 'tiny.en',
      });
      browser = await launchBrowser();
      context = await browser.newContext({ bypassCSP: true, locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    }, 120_000);
    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await server?.stop();
      await engine?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('start from the editor → progress → draft "automatisch erstellt, ungeprüft" with uncertain words marked → mark reviewed', async () => {
      const page = await context.newPage();
      const csrf = await signInThroughForm(page, server.url, admin);
      const headers = { 'X-CSRF-Token': csrf };
      const interview = await (
        await page.request.post(`${server.url}/api/interviews`, {
          headers,
          data: {
            title: 'Tagebau Golpa-Nord (englische Probe)',
            language: 'en',
            people: [{ name: 'Horst Krüger', role: 'narrator' }],
          },
        })
      ).json();
      const spoken = await speakSentences(dir);
      const medium = await (
        await page.request.post(`${server.url}/api/interviews/${interview.id}/media`, {
          headers,
          multipart: { file: { name: 'band1.wav', mimeType: 'audio/wav', buffer: fs.readFileSync(spoken.file) } },
        })
      ).json();
      for (let i = 0; i < 300; i++) {
        const m = await (await page.request.get(`${server.url}/api/media/${medium.id}`)).json();
        if (m.status === 'ready') break;
        if (m.status === 'failed') throw new Error(m.error);
        await page.waitForTimeout(200);
      }

      await page.goto(`${server.url}/mitarbeit/interviews/${interview.id}/medien/${medium.id}/transkript`);
      const panel = page.getByTestId('asr-panel');
      await expect.poll(() => panel.isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await panel.textContent()).toContain('tiny.en');
      await panel.getByLabel('Sprache der Aufnahme').selectOption('en');
      await panel.getByRole('button', { name: 'Automatisch transkribieren' }).click();
      await expect
        .poll(() => page.getByTestId('asr-job').textContent(), { timeout: 15_000 })
        .toMatch(/Transkription: \d+ %|Fertig/);
      const banner = page.getByTestId('asr-draft');
      await expect.poll(() => banner.isVisible(), { timeout: 120_000 }).toBe(true);
      expect(await banner.textContent()).toContain('Automatisch erstellt, ungeprüft');
      expect(await banner.textContent()).toContain('asr:http:tiny.en');
      const segments = page.locator('.sb-c-seg');
      expect(await segments.count()).toBeGreaterThanOrEqual(spoken.sentences.length);
      expect((await page.locator('.sb-c-seg textarea').first().inputValue()).toLowerCase()).toContain('miners');
      const uncertain = await page.locator('mark.sb-c-lowconf').count();
      console.log(`[e2e] ${await segments.count()} segments, ${uncertain} uncertain words marked`);
      expect(uncertain).toBeGreaterThan(0);
      await axe(page, 'editor with automatic draft');
      const shot = await screenshot(page, 'asr-editor-draft');
      await page.getByTestId('asr-draft').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.resolve('test-results', 'screenshots', 'asr-editor-draft-top.png') });
      console.log(
        `[e2e] screenshots: ${shot}, ${path.resolve('test-results', 'screenshots', 'asr-editor-draft-top.png')}`,
      );

      await banner.getByRole('button', { name: 'Als geprüft markieren' }).click();
      await expect
        .poll(() => page.getByTestId('editor-message').textContent(), { timeout: 10_000 })
        .toContain('Als geprüft markiert');
      expect(await page.getByTestId('asr-draft').count()).toBe(0);
      expect(await page.locator('mark.sb-c-lowconf').count()).toBe(0);
      await screenshot(page, 'asr-editor-reviewed');
      await page.close();
    }, 240_000);
  },
);
