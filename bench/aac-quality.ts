// bench/aac-quality — what `-aac_coder fast` (args.ts AAC_ENCODER) costs against ffmpeg's default AAC coder (twoloop):
// both encode the same speech at the pipeline's 128 kb/s, both are decoded again and compared sample by sample with
// the decoded source, and with each other. Also the encode CPU time of each.
//
//   npx tsx bench/aac-quality.ts [--input bench/.cache/speech-mono-1800s.mp3] [--seconds 300]
//
// Measures: SNR (whole signal), segmental SNR (1024-sample frames, each clamped to −10…35 dB, silent frames skipped),
// log-spectral distance (2048-point Hann-windowed FFT frames, dB RMS over the bins up to 10 kHz: espeak-ng speaks at
// 22.05 kHz, so above 11 kHz both sides hold only noise floors), and the best alignment
// lag (the mp4 edit list should make it 0).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { audioEncoderArgs } from '../server/media/ffmpeg/args.js';

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: 'bench/.cache/speech-mono-1800s.mp3' },
    seconds: { type: 'string', default: '300' },
  },
});
const input = path.resolve(values.input!);
const seconds = Number(values.seconds);
const RATE = 44100;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

function childCpu(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[13]) + Number(f[14])) / CLK_TCK;
}

function ffmpeg(args: string[], capture = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', ...args], {
      stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout?.on('data', (c: Buffer) => chunks.push(c));
    child.stderr!.on('data', (d) => (err += d));
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`ffmpeg ${code}: ${err.slice(-500)}`)),
    );
  });
}

async function decode(file: string): Promise<Float32Array> {
  const buf = await ffmpeg(
    ['-i', file, '-t', String(seconds), '-map', '0:a:0', '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-'],
    true,
  );
  return new Float32Array(buf.buffer, buf.byteOffset, Math.floor(buf.length / 4));
}

function snr(ref: Float32Array, x: Float32Array, lag: number): number {
  let s = 0,
    e = 0;
  const n = Math.min(ref.length, x.length - lag);
  for (let i = 0; i < n; i++) {
    const d = ref[i]! - x[i + lag]!;
    s += ref[i]! * ref[i]!;
    e += d * d;
  }
  return 10 * Math.log10(s / e);
}

function segSnr(ref: Float32Array, x: Float32Array, lag: number, frame = 1024): number {
  let sum = 0,
    count = 0;
  const n = Math.min(ref.length, x.length - lag);
  for (let f = 0; f + frame <= n; f += frame) {
    let s = 0,
      e = 0;
    for (let i = f; i < f + frame; i++) {
      const d = ref[i]! - x[i + lag]!;
      s += ref[i]! * ref[i]!;
      e += d * d;
    }
    if (s / frame < 1e-7) continue; // below −70 dBFS: pauses between sentences
    sum += Math.min(35, Math.max(-10, 10 * Math.log10(s / Math.max(e, 1e-20))));
    count++;
  }
  return sum / count;
}

/** In-place radix-2 FFT. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k),
          wi = Math.sin(ang * k);
        const ar = re[i + k + len / 2]!,
          ai = im[i + k + len / 2]!;
        const tr = ar * wr - ai * wi,
          ti = ar * wi + ai * wr;
        re[i + k + len / 2] = re[i + k]! - tr;
        im[i + k + len / 2] = im[i + k]! - ti;
        re[i + k] = re[i + k]! + tr;
        im[i + k] = im[i + k]! + ti;
      }
    }
  }
}

function lsd(ref: Float32Array, x: Float32Array, lag: number, n = 2048, maxHz = 10000): number {
  const bins = Math.floor((maxHz / RATE) * n);
  const win = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  let sum = 0,
    count = 0;
  const total = Math.min(ref.length, x.length - lag);
  const power = (sig: Float32Array, off: number): Float64Array => {
    const re = new Float64Array(n),
      im = new Float64Array(n);
    for (let i = 0; i < n; i++) re[i] = sig[off + i]! * win[i]!;
    fft(re, im);
    const p = new Float64Array(bins);
    for (let k = 1; k <= bins; k++) p[k - 1] = re[k]! * re[k]! + im[k]! * im[k]! + 1e-12;
    return p;
  };
  for (let f = 0; f + n <= total; f += n) {
    let energy = 0;
    for (let i = f; i < f + n; i++) energy += ref[i]! * ref[i]!;
    if (energy / n < 1e-6) continue; // skip pauses
    const a = power(ref, f),
      b = power(x, f + lag);
    let d = 0;
    for (let k = 0; k < bins; k++) {
      const r = 10 * Math.log10(a[k]! / b[k]!);
      d += r * r;
    }
    sum += Math.sqrt(d / bins);
    count++;
  }
  return sum / count;
}

function bestLag(ref: Float32Array, x: Float32Array): number {
  const start = RATE * 10,
    len = RATE * 2;
  let best = 0,
    bestC = -Infinity;
  for (let lag = -2048; lag <= 2048; lag++) {
    let c = 0;
    for (let i = start; i < start + len; i += 2) c += ref[i]! * x[i + lag]!;
    if (c > bestC) {
      bestC = c;
      best = lag;
    }
  }
  return best;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aac-quality-'));
  try {
    const excerpt = ['-i', input, '-t', String(seconds), '-map', '0:a:0', '-vn', '-map_metadata', '-1'];
    const variants = [
      { name: 'default coder (twoloop)', args: ['-c:a', 'aac', '-b:a', '128k'] },
      { name: `pipeline: ${audioEncoderArgs(128).join(' ')}`, args: audioEncoderArgs(128) },
    ];
    const ref = await decode(input);
    const rows: string[] = [];
    const decoded: Float32Array[] = [];
    for (const v of variants) {
      const out = path.join(dir, `${decoded.length}.m4a`);
      const c0 = childCpu();
      const t0 = performance.now();
      await ffmpeg([...excerpt, ...v.args, '-f', 'ipod', out]);
      const wall = (performance.now() - t0) / 1000;
      const cpu = childCpu() - c0;
      const x = await decode(out);
      decoded.push(x);
      const lag = bestLag(ref, x);
      const kbps = (fs.statSync(out).size * 8) / seconds / 1000;
      rows.push(
        `${v.name.padEnd(48)} encode ${wall.toFixed(1)} s wall / ${cpu.toFixed(1)} s cpu  ${kbps.toFixed(1)} kb/s  lag ${lag}  ` +
          `SNR ${snr(ref, x, lag).toFixed(2)} dB  segSNR ${segSnr(ref, x, lag).toFixed(2)} dB  LSD ${lsd(ref, x, lag).toFixed(3)} dB`,
      );
    }
    const [a, b] = decoded as [Float32Array, Float32Array];
    const lag = bestLag(a, b);
    rows.push(
      `${'fast vs default decode'.padEnd(48)} lag ${lag}  SNR ${snr(a, b, lag).toFixed(2)} dB  segSNR ${segSnr(a, b, lag).toFixed(2)} dB  LSD ${lsd(a, b, lag).toFixed(3)} dB`,
    );
    process.stdout.write(
      `bench/aac-quality: ${path.basename(input)}, first ${seconds} s, mono ${RATE} Hz, 128 kb/s (shared machine: CPU times are noisy)\n${rows.join('\n')}\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
