// The narrator review flow's material: spoken sentences (espeak-ng) with the transcript that has a misspelt place
// name to correct, the curator's API calls, and the page helpers (focus, text selection, polling).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { until } from '../../helpers/until.js';

export const admin = { email: 'kuratorin@example.org', password: 'glück-auf-1951-golpa-nord' };
export const narrator = 'Gerda Wünsche';
export const title = 'Gerda Wünsche: Baggerfahrerin in Golpa-Nord';

/** What espeak-ng says, and what the transcript says (with a misspelt place name for the narrator to correct). */
export const sentences = [
  {
    spoken: 'Glück auf! Ich bin Gerda Wünsche aus Gräfenhainichen.',
    written: 'Glück auf! Ich bin Gerda Wünsche aus Gräfenhainichen.',
  },
  {
    spoken: 'Ich war dreißig Jahre Baggerfahrerin im Tagebau Golpa-Nord.',
    written: 'Ich war dreißig Jahre Baggerfahrerin im Tagebau Golba-Nord.',
  },
  {
    spoken: 'Über meinen Vorarbeiter möchte ich lieber nichts sagen.',
    written: 'Über meinen Vorarbeiter möchte ich lieber nichts sagen.',
  },
  {
    spoken: 'Neunzehnhunderteinundneunzig wurde der Tagebau stillgelegt.',
    written: 'Neunzehnhunderteinundneunzig wurde der Tagebau stillgelegt.',
  },
];

export interface Cue {
  start: number;
  end: number;
  text: string;
}

export const probeSeconds = (file: string) =>
  Number(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]).toString(),
  );

/** One sentence per cue: each spoken by espeak-ng on its own, then joined into one AAC file, so the cue times are exact. */
export function makeSpeech(dir: string): { file: string; cues: Cue[] } {
  const cues: Cue[] = [];
  const parts: string[] = [];
  let at = 0;
  sentences.forEach((s, i) => {
    const wav = path.join(dir, `satz-${i}.wav`);
    execFileSync('espeak-ng', ['-v', 'de', '-s', '140', '-w', wav, '--', s.spoken]);
    const seconds = probeSeconds(wav);
    cues.push({ start: at, end: at + seconds, text: s.written });
    parts.push(wav);
    at += seconds;
  });
  const file = path.join(dir, 'Interview Gerda Wünsche.m4a');
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    ...parts.flatMap((p) => ['-i', p]),
    '-filter_complex',
    `${parts.map((_, i) => `[${i}:a]`).join('')}concat=n=${parts.length}:v=0:a=1[a]`,
    '-map',
    '[a]',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-movflags',
    '+faststart',
    file,
  ]);
  return { file, cues };
}

export function webvtt(cues: Cue[]): string {
  const t = (s: number) => {
    const ms = Math.round(s * 1000);
    const hh = String(Math.floor(ms / 3_600_000)).padStart(2, '0');
    const mm = String(Math.floor((ms % 3_600_000) / 60_000)).padStart(2, '0');
    const ss = String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0');
    return `${hh}:${mm}:${ss}.${String(ms % 1000).padStart(3, '0')}`;
  };
  return `WEBVTT\n\n${cues.map((c) => `${t(c.start)} --> ${t(c.end)}\n<v ${narrator}>${c.text}`).join('\n\n')}\n`;
}

/** The curator's side, through the API with a session cookie and the CSRF token, as the archive's own client does. */
export class StaffApi {
  private cookie = '';
  private csrf = '';
  constructor(private readonly base: string) {}

  async login(email: string, password: string): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(res.status).toBe(200);
    this.cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async call<T>(method: string, url: string, body?: unknown, expected = [200, 201, 202, 204]): Promise<T> {
    const headers: Record<string, string> = {
      cookie: this.cookie,
      'x-csrf-token': this.csrf,
      accept: 'application/json',
    };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (typeof body === 'string') {
      headers['content-type'] = 'text/vtt';
      payload = body;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${this.base}${url}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const text = await res.text();
    expect(expected, `${method} ${url} → ${res.status} ${text.slice(0, 500)}`).toContain(res.status);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Polls a condition outside a test (vitest's expect.poll works inside tests only). */
export const waitFor = (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<true> =>
  until(async () => (await check()) || undefined, timeoutMs, 500, what);

/** The narrator's page focuses the new step's heading: assert it is the one with this text. */
export async function expectFocusedHeading(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(() => (document.activeElement?.tagName === 'H1' ? document.activeElement.textContent : null)),
    )
    .toMatch(text);
}

/** Press on the text at `from` (fraction of the first line) and drag to `to` in another (or the same) segment. */
export async function selectText(page: Page, fromSegment: number, toSegment: number): Promise<void> {
  const text = (i: number) => page.locator('[data-testid="review-segment"]').nth(i).locator('[data-segment-text]');
  await text(fromSegment).scrollIntoViewIfNeeded();
  const a = (await text(fromSegment).boundingBox())!;
  const b = (await text(toSegment).boundingBox())!;
  const lineA = Math.min(a.height / 2, 16);
  const lineB = Math.min(b.height / 2, 16);
  await page.mouse.move(a.x + a.width * 0.3, a.y + lineA);
  await page.mouse.down();
  await page.mouse.move(b.x + 40, b.y + lineB, { steps: 8 });
  await page.mouse.move(b.x + b.width * 0.4, b.y + lineB, { steps: 8 });
  await page.mouse.up();
}
