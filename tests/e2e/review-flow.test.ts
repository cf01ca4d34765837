// The narrator's review end to end, all real: `server/main.ts` as its own process (SQLite, embedded Meilisearch,
// in-process ffmpeg workers) and Debian's Chromium. A curator prepares an interview through the API (German speech
// from espeak-ng, a WebVTT transcript, ready for review, an invitation); the narrator — no account, a fresh browser
// without cookies — opens the link from the letter, listens (the audio really plays), marks a passage by selecting
// transcript text, proposes a correction, releases the interview for the public and gets the receipt. The curator's
// overview then holds exactly that. Also: the short code typed at /durchsicht leads to the same page, and a revoked
// invitation's link says so in plain words. axe-core checks the welcome, listening and receipt steps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, launchBrowser, screenshot } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';
import {
  admin,
  type Cue,
  expectFocusedHeading,
  makeSpeech,
  narrator,
  selectText,
  sentences,
  StaffApi,
  title,
  waitFor,
  webvtt,
} from './helpers/review-flow.js';

describe('end to end: the narrator reviews their interview', () => {
  let server: RunningServer;
  let browser: Browser;
  let dir: string;
  let cues: Cue[];
  let staff: StaffApi;
  let interviewId: string;
  let mediaId: string;
  let invitation: { token: string; code: string; link: string; invitation: { id: string } };
  let revokedLink: string;
  const contexts: BrowserContext[] = [];

  /**
   * A fresh browser for the narrator: no cookies, German; CSP bypassed only so that axe can be injected. Debian's
   * Chromium plays HLS natively; `withoutNativeHls` hides that, so the page takes the other path (video.js + VHS on MSE).
   */
  const narratorPage = async (options: { withoutNativeHls?: boolean } = {}): Promise<Page> => {
    const context = await browser.newContext({
      bypassCSP: true,
      locale: 'de-DE',
      viewport: { width: 1100, height: 900 },
    });
    contexts.push(context);
    if (options.withoutNativeHls) {
      await context.addInitScript(() => {
        const original = HTMLMediaElement.prototype.canPlayType;
        HTMLMediaElement.prototype.canPlayType = function canPlayType(type: string) {
          return /mpegurl/i.test(type) ? '' : original.call(this, type);
        };
      });
    }
    return context.newPage();
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-review-'));
    const speech = makeSpeech(dir);
    cues = speech.cues;
    server = await startServer({
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      ARCHIVE_CONTACT: 'Archiv Ferropolis, Tel. 034953 35120',
    });
    browser = await launchBrowser();

    staff = new StaffApi(server.url);
    await staff.login(admin.email, admin.password);
    interviewId = (
      await staff.call<{ id: string }>('POST', '/api/interviews', {
        title,
        people: [{ name: narrator, role: 'narrator' }],
        recordedAt: '2019-05-17',
        place: { name: 'Gräfenhainichen' },
      })
    ).id;
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(speech.file)], { type: 'audio/mp4' }), path.basename(speech.file));
    mediaId = (await staff.call<{ id: string }>('POST', `/api/interviews/${interviewId}/media`, form)).id;
    await waitFor(
      async () => {
        const m = await staff.call<{ status: string; hls: string | null }>('GET', `/api/media/${mediaId}`);
        if (m.status === 'failed') throw new Error(`media processing failed:\n${server.logs().slice(-3000)}`);
        return m.status === 'ready' && m.hls !== null;
      },
      90_000,
      'the medium to be ready with HLS',
    );
    await staff.call('PUT', `/api/interviews/${interviewId}/media/${mediaId}/transcript`, webvtt(cues));
    await staff.call('PATCH', `/api/interviews/${interviewId}`, { status: 'ready_for_review' });
    invitation = await staff.call('POST', `/api/interviews/${interviewId}/review-invitations`, { narrator });
    const other = await staff.call<{ link: string; invitation: { id: string } }>(
      'POST',
      `/api/interviews/${interviewId}/review-invitations`,
      { narrator },
    );
    await staff.call('POST', `/api/interviews/${interviewId}/review-invitations/${other.invitation.id}/revoke`);
    revokedLink = other.link;
  }, 150_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('link → welcome → listen (plays) → mark a passage by selecting text → correction → release for the public → receipt', async () => {
    expect(invitation.link).toBe(`${server.url}/durchsicht/${invitation.token}`);
    const page = await narratorPage();
    await page.goto(invitation.link);

    // step 1: welcome
    await page.getByRole('heading', { level: 1, name: `Guten Tag, ${narrator}!` }).waitFor();
    await expect.poll(() => page.getByTestId('step-indicator').textContent()).toBe('Schritt 1 von 4');
    await page.getByText(title).waitFor();
    await expectFocusedHeading(page, `Guten Tag, ${narrator}!`);
    // how to reach the archive (ARCHIVE_CONTACT) on every step
    await page.getByText('Fragen? Sie erreichen uns: Archiv Ferropolis, Tel. 034953 35120').waitFor();
    await screenshot(page, 'review-welcome');
    await axe(page, 'welcome');
    // opening the page started the review
    expect((await staff.call<{ status: string }>('GET', `/api/interviews/${interviewId}`)).status).toBe('in_review');

    // step 2: listen and read
    await page.getByRole('button', { name: "Los geht's" }).click();
    await expect.poll(() => page.getByTestId('step-indicator').textContent()).toBe('Schritt 2 von 4');
    await expectFocusedHeading(page, 'Anhören und lesen');
    expect(new URL(page.url()).searchParams.get('schritt')).toBe('2');
    const segments = page.locator('[data-testid="review-segment"]');
    await expect.poll(() => segments.count()).toBe(cues.length);
    const media = page.locator('[data-testid="review-media"] video');
    await media.waitFor({ state: 'attached' });

    await page.getByRole('button', { name: 'Abspielen' }).click();
    await expect
      .poll(() => media.evaluate((v: HTMLVideoElement) => !v.paused && v.currentTime > 0.3), { timeout: 20_000 })
      .toBe(true);
    const first = await media.evaluate((v: HTMLVideoElement) => v.currentTime);
    await expect
      .poll(() => media.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
      .toBeGreaterThan(first + 0.3);
    // the transcript follows: the passage being heard is marked as current
    await expect.poll(() => page.locator('[data-testid="review-segment"][aria-current="true"]').count()).toBe(1);
    await page.getByRole('button', { name: 'Anhalten' }).click();
    await expect.poll(() => media.evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    // "10 Sekunden zurück" goes back (here to the beginning: the recording is short)
    await page.getByRole('button', { name: '10 Sekunden zurück' }).click();
    await expect.poll(() => media.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(0.5);
    // a passage's time button plays from there; the current passage follows
    await segments
      .nth(3)
      .getByRole('button', { name: /^Ab \d\d:\d\d anhören$/ })
      .click();
    await expect
      .poll(() => media.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(cues[3]!.start - 0.1);
    await expect.poll(() => segments.nth(3).getAttribute('aria-current')).toBe('true');
    await page.getByRole('button', { name: 'Anhalten' }).click();

    // mark a passage: select text from the middle of the third passage to the middle of the fourth
    await selectText(page, 2, 3);
    const panel = page.getByTestId('selection-panel');
    await panel.waitFor();
    const quote = (await panel.locator('blockquote').textContent()) ?? '';
    expect(quote).toMatch(/Vorarbeiter|möchte|lieber|nichts|sagen/);
    expect(quote).toMatch(/Neunzehn|wurde/);
    expect(quote).not.toMatch(/anhören|Korrektur/); // only transcript text, no button labels
    await panel.getByLabel('Warum? (freiwillig)').fill('Das geht niemanden etwas an.');
    await panel.getByRole('button', { name: 'Diese Stelle nicht veröffentlichen' }).click();
    await page.getByText(/Gespeichert: Die Stelle von \d\d:\d\d bis \d\d:\d\d wird nicht veröffentlicht\./).waitFor();
    await expect.poll(() => page.getByTestId('restriction-item').count()).toBe(1);
    await expect.poll(() => segments.nth(2).getAttribute('data-restricted')).toBe('true');
    await expect.poll(() => segments.nth(3).getAttribute('data-restricted')).toBe('true');
    expect(await segments.nth(1).getAttribute('data-restricted')).toBeNull();
    await segments.nth(2).getByText('Wird nicht veröffentlicht').waitFor();
    expect(await page.getByTestId('selection-panel').count()).toBe(0);

    // propose a correction of the second passage: the current text is prefilled
    await segments
      .nth(1)
      .getByRole('button', { name: /Korrektur vorschlagen/ })
      .click();
    const correction = segments.nth(1).getByTestId('correction-form');
    const proposed = correction.getByLabel('So ist es richtig:');
    await expect.poll(() => proposed.inputValue()).toBe(sentences[1]!.written);
    await proposed.fill(sentences[1]!.spoken);
    await correction.getByLabel('Anmerkung für das Archiv (freiwillig)').fill('Golpa mit p, wie das Dorf.');
    await correction.getByRole('button', { name: 'Vorschlag senden' }).click();
    await segments.nth(1).getByText('Danke! Ihr Vorschlag ist angekommen. Das Archiv prüft ihn.').waitFor();
    await segments.nth(1).getByText(`„${sentences[1]!.spoken}“`).waitFor();
    await screenshot(page, 'review-listening');
    await axe(page, 'listening');

    // step 3: the decision
    await page.getByRole('button', { name: 'Weiter zur Entscheidung' }).click();
    await expect.poll(() => page.getByTestId('step-indicator').textContent()).toBe('Schritt 3 von 4');
    await expectFocusedHeading(page, 'Ihre Entscheidung');
    // sending without a choice says what is missing
    await page.getByRole('button', { name: 'Entscheidung absenden' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Sie haben noch nichts ausgewählt.');
    await page.getByLabel('Ja, ich gebe es frei').check();
    await page.getByLabel('Für alle im Internet').check();
    await page.getByLabel('Möchten Sie uns noch etwas mitteilen? (freiwillig)').fill('Glück auf!');
    await screenshot(page, 'review-decision');
    await axe(page, 'decision');
    await page.getByRole('button', { name: 'Entscheidung absenden' }).click();

    // step 4: the receipt
    await expect
      .poll(() => page.getByTestId('step-indicator').textContent(), { timeout: 15_000 })
      .toBe('Schritt 4 von 4');
    await expectFocusedHeading(page, 'Bestätigung');
    const receipt = page.getByTestId('receipt');
    await receipt.waitFor();
    expect(await page.getByTestId('receipt-number').textContent()).toMatch(/^\d{8}-[A-Z0-9]{4}$/);
    expect(await page.getByTestId('receipt-decision').textContent()).toBe('Freigegeben – Für alle im Internet');
    const restrictionLine = (await page.getByTestId('receipt-restrictions').textContent()) ?? '';
    expect(restrictionLine).toMatch(/^\d\d:\d\d–\d\d:\d\d \(Das geht niemanden etwas an\.\)$/);
    expect(await page.getByTestId('receipt-corrections').textContent()).toContain(
      `soll heißen: „${sentences[1]!.spoken}“`,
    );
    await receipt.getByText(narrator, { exact: true }).waitFor();
    await screenshot(page, 'review-receipt');
    await axe(page, 'receipt');
    // printing shows the receipt only
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sb-r-header').isVisible()).toBe(false);
    expect(await page.getByTestId('step-indicator').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Drucken' }).isVisible()).toBe(false);
    expect(await receipt.isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // what the curator now sees
    const overview = await staff.call<{
      restrictions: {
        mediaId: string;
        start: number;
        end: number;
        quote: string | null;
        reason: string | null;
        createdByKind: string;
        status: string;
      }[];
      corrections: { segmentNo: number; original: string; proposed: string; note: string | null; status: string }[];
      decisions: { decision: string; visibility: string | null; message: string | null; receiptNo: string }[];
    }>('GET', `/api/interviews/${interviewId}/review`);
    expect(overview.restrictions).toHaveLength(1);
    const r = overview.restrictions[0]!;
    expect(r).toMatchObject({
      mediaId,
      createdByKind: 'narrator',
      status: 'active',
      reason: 'Das geht niemanden etwas an.',
    });
    expect(r.start).toBeCloseTo(cues[2]!.start, 2);
    expect(r.end).toBeCloseTo(cues[3]!.end, 1);
    expect(r.quote).toMatch(/Neunzehn|wurde/);
    expect(overview.corrections).toEqual([
      expect.objectContaining({
        segmentNo: 1,
        original: sentences[1]!.written,
        proposed: sentences[1]!.spoken,
        note: 'Golpa mit p, wie das Dorf.',
        status: 'open',
      }),
    ]);
    expect(overview.decisions).toHaveLength(1);
    expect(overview.decisions[0]).toMatchObject({ decision: 'approve', visibility: 'public', message: 'Glück auf!' });
    expect(await page.getByTestId('receipt-number').textContent()).toBe(overview.decisions[0]!.receiptNo);
    const interview = await staff.call<{ status: string; visibility: string }>('GET', `/api/interviews/${interviewId}`);
    expect(interview).toMatchObject({ status: 'approved', visibility: 'public' });

    // opening the link again goes straight to the receipt, with the way back to listening
    await page.goto(invitation.link);
    await page.getByTestId('receipt').waitFor();
    await expect.poll(() => page.getByTestId('step-indicator').textContent()).toBe('Schritt 4 von 4');
    await page.getByRole('button', { name: 'Zurück zum Anhören' }).click();
    await expect.poll(() => page.getByTestId('step-indicator').textContent()).toBe('Schritt 2 von 4');
    await expect.poll(() => page.getByTestId('restriction-item').count()).toBe(1);
  }, 120_000);

  it('the short code from the letter, typed at /durchsicht in lower case with spaces, opens the same review (and plays through video.js/VHS)', async () => {
    // the new restriction made the archive re-make the HLS files: wait for them, so that HLS is what this page gets
    await waitFor(
      async () => {
        const m = await staff.call<{ status: string; hls: string | null }>('GET', `/api/media/${mediaId}`);
        return m.status === 'ready' && m.hls !== null;
      },
      90_000,
      'the renditions to be re-made',
    );
    const page = await narratorPage({ withoutNativeHls: true });
    await page.goto(`${server.url}/durchsicht`);
    await page.getByRole('heading', { level: 1, name: 'Durchsicht Ihres Interviews' }).waitFor();
    const field = page.getByLabel('Ihr Zugangscode');
    // a wrong code is answered next to the field, in plain words
    await field.fill('abcd efgh jk');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByText('Diesen Code kennen wir nicht').waitFor();
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    const typed = invitation.code.toLowerCase().replace(/-/g, ' ');
    await field.fill(typed);
    await screenshot(page, 'review-code-entry');
    await axe(page, 'code entry');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.waitForURL(`${server.url}/durchsicht/${invitation.code}`);
    // the same invitation: the decision made through the link is here, so the receipt comes first
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('receipt').getByText(narrator, { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Zurück zum Anhören' }).click();
    await expect.poll(() => page.locator('[data-testid="review-segment"]').count()).toBe(cues.length);
    // without native HLS the page plays the signed HLS through video.js and its HLS engine (Media Source Extensions)
    const media = page.locator('[data-testid="review-media"] video');
    await expect.poll(() => media.getAttribute('data-engine'), { timeout: 15_000 }).toBe('videojs');
    await page.getByRole('button', { name: 'Abspielen' }).click();
    await expect
      .poll(() => media.evaluate((v: HTMLVideoElement) => !v.paused && v.currentTime > 0.3), { timeout: 20_000 })
      .toBe(true);
    expect(await media.evaluate((v: HTMLVideoElement) => v.currentSrc)).toMatch(/^blob:/);
    const first = await media.evaluate((v: HTMLVideoElement) => v.currentTime);
    await expect
      .poll(() => media.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
      .toBeGreaterThan(first + 0.3);
    await page.getByRole('button', { name: 'Anhalten' }).click();
    // on a phone: nothing wider than the screen
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(page, 'review-listening-phone');
  }, 120_000);

  it('when the HLS files are gone (expired link, renditions being re-made), the page fetches fresh links and plays the M4A made without the restricted passage', async () => {
    const page = await narratorPage();
    let reviewLoads = 0;
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/review') reviewLoads++;
    });
    await page.route(/\/hls\//, (route) => route.fulfill({ status: 404, body: '' }));
    await page.goto(`${invitation.link}?schritt=2`);
    const player = page.getByTestId('review-player');
    await expect.poll(() => player.getAttribute('data-status'), { timeout: 20_000 }).toBe('ready');
    const media = page.locator('[data-testid="review-media"] video');
    // a passage is restricted by now: the original is for curators only, the narrator gets the re-made download
    expect(await media.evaluate((v: HTMLVideoElement) => v.currentSrc)).toMatch(/\/download\.m4a$/);
    expect(reviewLoads).toBeGreaterThanOrEqual(2); // the page asked for fresh links before falling back
    await page.getByRole('button', { name: 'Abspielen' }).click();
    await expect
      .poll(() => media.evaluate((v: HTMLVideoElement) => !v.paused && v.currentTime > 0.3), { timeout: 20_000 })
      .toBe(true);
    await page.getByRole('button', { name: 'Anhalten' }).click();
  }, 60_000);

  it("a revoked invitation's link says in plain words that it was withdrawn", async () => {
    const page = await narratorPage();
    await page.goto(revokedLink);
    const failure = page.getByTestId('review-failure');
    await failure.waitFor();
    expect(await failure.getAttribute('data-failure')).toBe('revoked');
    await page.getByRole('heading', { level: 1, name: 'Dieser Zugang wurde zurückgezogen' }).waitFor();
    await page.getByRole('link', { name: 'Code noch einmal eingeben' }).waitFor();
    await screenshot(page, 'review-revoked');
    await axe(page, 'revoked');
    // English second
    await page.getByRole('button', { name: /^EN/ }).click();
    await page.getByRole('heading', { level: 1, name: 'This access was withdrawn' }).waitFor();
    await page.getByRole('button', { name: /^DE/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Dieser Zugang wurde zurückgezogen' }).waitFor();
  }, 60_000);
  // last: a withdrawal closes the interview for good
  it('withdrawing consent after the release asks once more, then the receipt says so and nothing is left to listen to', async () => {
    const page = await narratorPage();
    await page.goto(`${invitation.link}?schritt=3`);
    await expectFocusedHeading(page, 'Ihre Entscheidung');
    await page.getByText('Sie haben bereits entschieden.').waitFor();
    await page.getByRole('button', { name: 'Ich ziehe mein Einverständnis zurück' }).click();
    await expectFocusedHeading(page, 'Wollen Sie Ihr Einverständnis wirklich zurückziehen?');
    await page.getByText('Das lässt sich nicht rückgängig machen.', { exact: false }).waitFor();
    await axe(page, 'withdraw confirmation');
    // "Nein" changes nothing
    await page.getByRole('button', { name: 'Nein, zurück zur Auswahl' }).click();
    await page.getByTestId('receipt').waitFor();
    expect((await staff.call<{ status: string }>('GET', `/api/interviews/${interviewId}`)).status).toBe('approved');
    await page.goto(`${invitation.link}?schritt=3`);
    await page.getByRole('button', { name: 'Ich ziehe mein Einverständnis zurück' }).click();
    await page.getByRole('button', { name: 'Ja, Einverständnis endgültig zurückziehen' }).click();
    await expect
      .poll(() => page.getByTestId('receipt-decision').textContent(), { timeout: 15_000 })
      .toBe('Einverständnis zurückgezogen');
    await page
      .getByText('Sie haben Ihr Einverständnis zurückgezogen. Das Interview wird nicht veröffentlicht.')
      .waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Zurück zum Anhören' }).count()).toBe(0);
    expect((await staff.call<{ status: string }>('GET', `/api/interviews/${interviewId}`)).status).toBe('withdrawn');
    // opening it again: only the receipt, whatever step the URL asks for
    await page.goto(`${invitation.link}?schritt=2`);
    await page.getByTestId('receipt').waitFor();
    expect(await page.locator('[data-testid="review-segment"]').count()).toBe(0);
  }, 60_000);
});
