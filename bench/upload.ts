// bench/upload — a large upload over loopback, multipart and tus, against copying the same bytes with cp on the same
// disk, in one run; and how much the server's memory grows meanwhile (it must stream, never buffer).
//
//   npx tsx bench/upload.ts [--gb 2]
//
// The server runs as its own process (`server/main.ts`, embedded Meilisearch, workers off so no transcoding competes);
// its RSS is read from /proc every 50 ms. The upload is a long WAV (valid media, so ingest accepts it).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { freePort } from '../tests/e2e/helpers/server.js';

const { values } = parseArgs({ options: { gb: { type: 'string', default: '2' } } });
const bytesWanted = Number(values.gb) * 1024 ** 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-upload-'));
const admin = { email: 'bench@example.org', password: 'bench-password-12345' };

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

function makeWav(): string {
  // 48 kHz stereo s16 = 192,000 bytes/s; long enough to reach the wanted size
  const seconds = Math.ceil(bytesWanted / 192_000);
  const file = path.join(dir, 'long.wav');
  const r = spawnSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=330:sample_rate=48000:duration=${seconds}`,
    '-ac',
    '2',
    '-c:a',
    'pcm_s16le',
    file,
  ]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return file;
}

function timeCp(src: string): number {
  const dst = path.join(dir, 'uploads', 'cp-copy.wav');
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  const t0 = performance.now();
  const r = spawnSync('cp', [src, dst]);
  spawnSync('sync', [dst]);
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error('cp failed');
  fs.rmSync(dst);
  return s;
}

function request(
  url: string,
  init: { method: string; headers: Record<string, string | number>; body?: fs.ReadStream },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method, headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (init.body) init.body.pipe(req);
    else req.end();
  });
}

async function main(): Promise<void> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'data'),
      UPLOADS_DIR: path.join(dir, 'uploads'),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      WORKERS_IN_PROCESS: 'false',
      LOG_LEVEL: 'warn',
      UPLOAD_MAX_BYTES: String(bytesWanted * 2),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    process.stdout.write('generating the upload …\n');
    const file = makeWav();
    const size = fs.statSync(file).size;
    for (
      let i = 0;
      i < 200 &&
      !(await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 200));

    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const tokenRes = await fetch(`${base}/api/auth/tokens`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    const auth = { authorization: `Bearer ${((await tokenRes.json()) as { token: string }).token}` };
    const interview = (await (
      await fetch(`${base}/api/interviews`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Upload-Bench' }),
      })
    ).json()) as { id: string };

    const cpSeconds = timeCp(file);
    const measure = async (label: string, upload: () => Promise<number>) => {
      const baseline = rssOf(server.pid!);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(server.pid!))), 50);
      const t0 = performance.now();
      const status = await upload();
      const seconds = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, rssOf(server.pid!));
      return { label, status, seconds, growthMB: (peak - baseline) / 1024 ** 2, mbps: size / 1024 ** 2 / seconds };
    };

    const boundary = `----schichtbuch${Date.now()}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const multipart = await measure(
      'multipart',
      () =>
        new Promise((resolve, reject) => {
          const req = http.request(
            `${base}/api/interviews/${interview.id}/media`,
            {
              method: 'POST',
              headers: {
                ...auth,
                'content-type': `multipart/form-data; boundary=${boundary}`,
                'content-length': head.length + size + tail.length,
              },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.write(head);
          const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
          stream.on('end', () => req.end(tail));
          stream.pipe(req, { end: false });
        }),
    );

    const tus = await measure('tus', async () => {
      const meta = (k: string, v: string) => `${k} ${Buffer.from(v).toString('base64')}`;
      const created = await request(`${base}/api/uploads`, {
        method: 'POST',
        headers: {
          ...auth,
          'Tus-Resumable': '1.0.0',
          'Upload-Length': size,
          'Upload-Metadata': `${meta('interviewId', interview.id)},${meta('filename', 'long.wav')}`,
        },
      });
      if (created.status !== 201) throw new Error(`tus create: ${created.status} ${created.body}`);
      const location = new URL(created.headers.location!, base).toString();
      const patched = await request(location, {
        method: 'PATCH',
        headers: {
          ...auth,
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': 0,
          'Content-Type': 'application/offset+octet-stream',
          'Content-Length': size,
        },
        body: fs.createReadStream(file, { highWaterMark: 1024 * 1024 }),
      });
      return patched.status;
    });

    process.stdout.write(
      `\nbench/upload: ${(size / 1024 ** 3).toFixed(2)} GiB over loopback, ${os.cpus().length} cores\n\n`,
    );
    process.stdout.write(
      `cp on the same disk: ${cpSeconds.toFixed(1)} s = ${(size / 1024 ** 2 / cpSeconds).toFixed(0)} MiB/s\n\n`,
    );
    process.stdout.write('method     status  seconds  MiB/s  ÷ cp throughput  server RSS growth MiB\n');
    for (const r of [multipart, tus]) {
      process.stdout.write(
        `${r.label.padEnd(9)}  ${String(r.status).padEnd(6)}  ${r.seconds.toFixed(1).padStart(7)}  ${r.mbps.toFixed(0).padStart(5)}  ${(r.mbps / (size / 1024 ** 2 / cpSeconds)).toFixed(2).padStart(15)}  ${r.growthMB.toFixed(1).padStart(21)}\n`,
      );
    }
    process.stdout.write('\ngoal: server RSS growth ≤ 64 MiB\n');
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
