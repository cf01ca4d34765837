// bench/client — what each page costs a visitor: gzipped JavaScript per route, and how long the interview page takes
// until it can be used (player and transcript there), on loopback in headless Chromium. Goals: ≤ 250 KB gz for the
// interview page, interactive ≤ 1.5 s.
//
//   npm run build && npx tsx bench/client.ts [--runs 5]
//
// The server runs as its own process (embedded SQLite + Meilisearch); the bench publishes one interview with a
// generated recording and a transcript through the API, then loads each route in a fresh browser context.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { launchBrowser } from '../tests/e2e/helpers/browser.js';
import { startServer } from '../tests/e2e/helpers/server.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const admin = { email: 'bench@example.org', password: 'bench-password-12345' };

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-client-'));
  const audio = path.join(dir, 'band.mp3');
  spawnSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=220:duration=120',
    '-ac',
    '1',
    audio,
  ]);
  const server = await startServer({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password, LOG_LEVEL: 'warn' });
  const browser = await launchBrowser();
  try {
    const base = server.url;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const h = { cookie, 'x-csrf-token': csrfToken };
    const json = async (method: string, url: string, body: unknown) =>
      (
        await fetch(`${base}${url}`, {
          method,
          headers: { ...h, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json() as Promise<Record<string, string>>;
    const interview = await json('POST', '/api/interviews', {
      title: 'Schichtbetrieb an der Förderbrücke',
      visibility: 'public',
      people: [{ name: 'Horst Krüger', role: 'narrator' }],
    });
    const form = new FormData();
    form.append('file', await fs.openAsBlob(audio), 'band.mp3');
    const medium = (await (
      await fetch(`${base}/api/interviews/${interview.id}/media`, { method: 'POST', headers: h, body: form })
    ).json()) as { id: string };
    const cues = Array.from(
      { length: 60 },
      (_, i) =>
        `00:${String(Math.floor((i * 2) / 60)).padStart(2, '0')}:${String((i * 2) % 60).padStart(2, '0')}.000 --> 00:${String(Math.floor((i * 2 + 2) / 60)).padStart(2, '0')}:${String((i * 2 + 2) % 60).padStart(2, '0')}.000\n<v Horst Krüger>Im Tagebau Golpa-Nord haben wir in drei Schichten an der Förderbrücke gearbeitet, Satz ${i + 1}.`,
    );
    await fetch(`${base}/api/interviews/${interview.id}/media/${medium.id}/transcript`, {
      method: 'PUT',
      headers: { ...h, 'content-type': 'text/vtt' },
      body: `WEBVTT\n\n${cues.join('\n\n')}\n`,
    });
    // publication needs a consent that covers the public web
    await json('POST', `/api/interviews/${interview.id}/consents`, {
      narrator: 'Horst Krüger',
      scope: ['archive', 'research', 'public_web'],
      givenOn: '2019-05-17',
      method: 'signed_form',
    });
    for (const status of ['ready_for_review', 'in_review', 'approved', 'published']) {
      const res = await json('PATCH', `/api/interviews/${interview.id}`, { status });
      if (res.status !== status) throw new Error(`could not move the interview to ${status}: ${JSON.stringify(res)}`);
    }
    for (let i = 0; i < 100; i++) {
      const m = (await (await fetch(`${base}/api/media/${medium.id}`, { headers: h })).json()) as { status: string };
      if (m.status === 'ready') break;
      await new Promise((r) => setTimeout(r, 300));
    }

    const routes: [string, string][] = [
      ['home', '/'],
      ['search', '/search?q=Tagebau'],
      ['interview', `/interviews/${interview.id}?t=30`],
      ['places', '/places'],
    ];
    process.stdout.write(
      `bench/client on loopback, headless Chromium, ${os.cpus().length} cores\n\nroute       JS files  JS gzip KB\n`,
    );
    const sizes: Record<string, number> = {};
    for (const [name, url] of routes) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const js: Buffer[] = [];
      page.on('response', (res) => {
        if (res.url().endsWith('.js') || res.headers()['content-type']?.includes('javascript'))
          void res.body().then(
            (b) => js.push(b),
            () => undefined,
          );
      });
      await page.goto(`${base}${url}`, { waitUntil: 'networkidle' });
      const gz = js.reduce((sum, b) => sum + zlib.gzipSync(b, { level: 9 }).length, 0) / 1024;
      sizes[name] = gz;
      process.stdout.write(`${name.padEnd(10)}  ${String(js.length).padStart(8)}  ${gz.toFixed(1).padStart(10)}\n`);
      await context.close();
    }

    // interactive = the player element and the first transcript segment are in the page and respond (from navigation start)
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/interviews/${interview.id}`, { waitUntil: 'commit' });
      await page.waitForSelector('[data-testid="player"]', { timeout: 15_000 });
      await page.waitForSelector('[data-testid="segment"]', { timeout: 15_000 });
      times.push(await page.evaluate(() => performance.now()));
      await context.close();
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    process.stdout.write(
      `\ninterview page interactive (player + transcript), ${runs} runs: median ${median.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms\n`,
    );
    process.stdout.write(
      `\ngoals: interview page ≤ 250 KB gz ${sizes.interview! <= 250 ? '✓' : '✗'} (${sizes.interview!.toFixed(1)} KB); interactive ≤ 1.5 s ${median <= 1500 ? '✓' : '✗'}\n`,
    );
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
