// A reload in the middle of an upload (a student's browser crashes, the train enters a tunnel): the page offers the
// unfinished upload, the same file is chosen again, and it continues from the server's offset instead of from zero.
// Real server process, real tus, real Chromium; the slow connection is Chromium's own network throttling.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './helpers/browser.js';
import { startServer, type RunningServer } from './helpers/server.js';

const admin = { email: 'chefin@example.org', password: 'glück-auf-1950-ferropolis' };

describe('end to end: a reload during an upload resumes it', () => {
  let server: RunningServer;
  let browser: Browser;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-resume-'));
    file = path.join(dir, 'kassette.wav');
    // ~5.8 MB of valid audio: long enough to interrupt at a throttled 400 KB/s
    execFileSync('ffmpeg', [
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=330:sample_rate=48000:duration=30',
      '-ac',
      '2',
      '-c:a',
      'pcm_s16le',
      file,
    ]);
    server = await startServer({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('continues from the server offset after a page reload and ends with the same SHA-256', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const login = await context.request.post(`${server.url}/api/auth/login`, { data: admin });
    const { csrfToken } = await login.json();
    const created = await context.request.post(`${server.url}/api/interviews`, {
      data: { title: 'Kassette 3' },
      headers: { 'x-csrf-token': csrfToken },
    });
    const interviewId = (await created.json()).id as string;

    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 400 * 1024,
    });
    await page.goto(`${server.url}/mitarbeit/interviews/${interviewId}`);
    await page.getByLabel('Audio- oder Videodateien auswählen').setInputFiles(file);
    const bar = page.locator('[data-testid="upload-progress"]').first();
    await expect
      .poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(25);
    await screenshot(page, 'resume-before-reload');

    // reload while still throttled: lifting the throttle first could let the upload finish before the reload
    await page.reload();
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await page.getByText('Unterbrochene Uploads').waitFor({ timeout: 15_000 });
    await screenshot(page, 'resume-offered');
    await page.getByLabel('kassette.wav erneut auswählen').setInputFiles(file);
    const resumed = await page.locator('[data-testid="upload-resumed"]').first().textContent({ timeout: 15_000 });
    const from = Number(/ab (\d+)/.exec(resumed ?? '')?.[1]);
    expect(from).toBeGreaterThan(0);
    await page.locator('[data-testid="media-status"][data-status="ready"]').waitFor({ timeout: 60_000 });

    const interview = await (await context.request.get(`${server.url}/api/interviews/${interviewId}`)).json();
    expect(interview.media).toHaveLength(1);
    const sha = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    expect(interview.media[0]).toMatchObject({ sha256: sha, sizeBytes: fs.statSync(file).size, status: 'ready' });
    await context.close();
  }, 150_000);
});
