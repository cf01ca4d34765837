// Real ffmpeg/ffprobe on media generated per run. Fixtures are seconds long to keep the file quick on two cores.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  PASS_FILES,
  audioHlsArgs,
  audioPassArgs,
  m4aArgs,
  posterArgs,
  posterTime,
  storyboardArgs,
  storyboardPlan,
  storyboardVtt,
  tileHeightFor,
  videoHlsArgs,
} from '../../server/media/ffmpeg/args.js';
import { isBrowserPlayable, probe, ProbeError, type MediaInfo } from '../../server/media/ffmpeg/probe.js';
import {
  configureFfmpeg,
  FfmpegError,
  ffmpegVersions,
  runFfmpeg,
  runFfprobe,
} from '../../server/media/ffmpeg/runner.js';
import { PeakAccumulator, readPcmPeaks } from '../../server/media/ffmpeg/waveform.js';
import { pictureAccumulator, writeWaveformPicture } from '../../server/media/ffmpeg/waveform-picture.js';
import { dir, fx, isAlive, rejection, useFfmpegFixture } from './helpers/ffmpeg-fixture.js';

useFfmpegFixture();

describe('ffmpegVersions', () => {
  it('reports both versions', async () => {
    const v = await ffmpegVersions();
    expect(v.ffmpeg).toMatch(/^\d+\.\d+/);
    expect(v.ffprobe).toMatch(/^\d+\.\d+/);
    expect(await ffmpegVersions()).toBe(v);
  });
});

describe('probe', () => {
  it('reads an H.264/AAC MP4', async () => {
    const info = await probe(fx.video360);
    expect(info).toMatchObject({
      container: 'mp4',
      streams: 2,
      video: { codec: 'h264', width: 640, height: 360, fps: 25 },
      audio: { codec: 'aac', channels: 1, sampleRate: 48000 },
    });
    expect(info.durationSec).toBeCloseTo(6, 0);
    expect(info.sizeBytes).toBeGreaterThan(0);
    expect(info.video?.rotation).toBeUndefined();
    expect(isBrowserPlayable(info)).toEqual({ playable: true, mime: 'video/mp4' });
  });

  it.each([
    ['m4a', 'm4a', 'aac', 'audio/mp4'],
    ['mp3', 'mp3', 'mp3', 'audio/mpeg'],
    ['opus', 'ogg', 'opus', 'audio/ogg'],
    ['wav', 'wav', 'pcm_s16le', 'audio/wav'],
  ] as const)('reads %s', async (key, container, codec, mime) => {
    const info: MediaInfo = await probe(fx[key]);
    expect(info.container).toBe(container);
    expect(info.audio?.codec).toBe(codec);
    expect(info.video).toBeUndefined();
    expect(info.durationSec).toBeGreaterThan(2.9);
    expect(info.durationSec).toBeLessThan(3.2);
    expect(isBrowserPlayable(info)).toEqual({ playable: true, mime });
  });

  it('rejects text as not-media, an image as no-audio, a missing file as unreadable', async () => {
    const text = await rejection(probe(fx.text));
    expect(text).toBeInstanceOf(ProbeError);
    expect((text as ProbeError).reason).toBe('not-media');

    const image = await rejection(probe(fx.image));
    expect((image as ProbeError).reason).toBe('no-audio');

    const missing = await rejection(probe(path.join(dir, 'nope.mp4')));
    expect((missing as ProbeError).reason).toBe('unreadable');
  });
});

describe('video HLS', () => {
  it('640x360 source: master plus one 360p variant, readable by ffprobe', async () => {
    const out = path.join(dir, 'hls360');
    await runFfmpeg(
      videoHlsArgs({ input: fx.video360, outDir: out, source: { width: 640, height: 360, fps: 25 }, hasAudio: true }),
      { durationSec: 6 },
    );
    const master = await readFile(path.join(out, 'master.m3u8'), 'utf8');
    expect(master).toContain('#EXT-X-STREAM-INF');
    expect(master).toContain('RESOLUTION=640x360');
    expect(master).toContain('360p/index.m3u8');
    expect(master).not.toContain('720p');
    const variant = await readFile(path.join(out, '360p/index.m3u8'), 'utf8');
    expect(variant).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(variant).toContain('#EXT-X-MAP:URI=');
    expect(variant).toContain('#EXT-X-ENDLIST');

    const info = await probe(path.join(out, 'master.m3u8'));
    expect(info.formatName).toBe('hls');
    expect(info.video).toMatchObject({ codec: 'h264', width: 640, height: 360 });
    expect(info.audio?.codec).toBe('aac');
    expect(info.durationSec).toBeCloseTo(6, 0);
  });

  it('720p source: two aligned rungs in one process, monotonic progress to 100', async () => {
    const out = path.join(dir, 'hls720');
    const seen: number[] = [];
    await runFfmpeg(
      videoHlsArgs({
        input: fx.video720,
        outDir: out,
        source: { width: 1280, height: 720, fps: 25 },
        hasAudio: true,
        segmentSeconds: 2,
      }),
      { durationSec: 4, onProgress: (p) => seen.push(p ?? -1) },
    );
    const master = await readFile(path.join(out, 'master.m3u8'), 'utf8');
    expect(master).toContain('RESOLUTION=1280x720');
    expect(master).toContain('RESOLUTION=640x360');

    const extinf = async (rung: string) =>
      (await readFile(path.join(out, rung, 'index.m3u8'), 'utf8')).split('\n').filter((l) => l.startsWith('#EXTINF'));
    const [hi, lo] = await Promise.all([extinf('720p'), extinf('360p')]);
    expect(hi.length).toBe(2);
    expect(lo).toEqual(hi);

    expect(seen.length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(100);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect(seen.every((p) => p >= 0 && p <= 100)).toBe(true);
  });
});

describe('audio derivatives', () => {
  it('AAC HLS and a faststart M4A', async () => {
    const out = path.join(dir, 'audiohls');
    const m4a = path.join(dir, 'speech-download.m4a');
    const src = await probe(fx.speech);
    await Promise.all([
      runFfmpeg(audioHlsArgs({ input: fx.speech, outDir: out, channels: src.audio?.channels }), {
        durationSec: src.durationSec,
        ensureDirs: [out],
      }),
      runFfmpeg(m4aArgs({ input: fx.speech, output: m4a, bitrateK: 96 }), { durationSec: src.durationSec }),
    ]);
    const files = await readdir(out);
    expect(files).toEqual(expect.arrayContaining(['master.m3u8', 'index.m3u8', 'init.mp4', 'seg_00000.m4s']));
    const hls = await probe(path.join(out, 'master.m3u8'));
    expect(hls.audio?.codec).toBe('aac');
    expect(hls.durationSec).toBeCloseTo(src.durationSec, 0);

    const info = await probe(m4a);
    expect(info).toMatchObject({ container: 'm4a', audio: { codec: 'aac' } });
    const bytes = await readFile(m4a);
    expect(bytes.indexOf('moov')).toBeGreaterThan(0);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
  });
});

describe('runner failure handling', () => {
  it('AbortSignal kills the process group and removes cleanupPaths', async () => {
    const work = path.join(dir, 'abort');
    await mkdir(work);
    const ac = new AbortController();
    let pid = 0;
    const args = [
      '-hide_banner',
      '-nostdin',
      '-y',
      '-progress',
      'pipe:1',
      '-nostats',
      '-re',
      '-f',
      'lavfi',
      '-i',
      'sine=duration=600',
      '-c:a',
      'aac',
      path.join(work, 'out.m4a'),
    ];
    const started = Date.now();
    const err = await rejection(
      runFfmpeg(args, {
        durationSec: 600,
        signal: ac.signal,
        cleanupPaths: [work],
        onSpawn: (p) => (pid = p),
        onProgress: () => ac.abort(),
      }),
    );
    expect(err).toBeInstanceOf(FfmpegError);
    expect((err as FfmpegError).kind).toBe('aborted');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(existsSync(work)).toBe(false);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('an already aborted signal never spawns', async () => {
    const err = await rejection(runFfmpeg(['-version'], { signal: AbortSignal.abort() }));
    expect((err as FfmpegError).kind).toBe('aborted');
  });

  it('stall watchdog: input that stops delivering data', async () => {
    // A FIFO we hold open but stop writing to: ffmpeg blocks in read() and emits no progress blocks.
    const fifo = path.join(dir, 'stall.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = await open(fifo, 'r+'); // O_RDWR on a FIFO does not block on Linux
    await writer.write(Buffer.alloc(8000 * 2)); // one second of silence, fits in the pipe buffer
    const outDir = path.join(dir, 'stall-out');
    await mkdir(outDir);
    let pid = 0;
    const started = Date.now();
    try {
      const args = [
        '-hide_banner',
        '-nostdin',
        '-y',
        '-progress',
        'pipe:1',
        '-nostats',
        '-f',
        's16le',
        '-ar',
        '8000',
        '-ac',
        '1',
        '-i',
        fifo,
        '-c:a',
        'pcm_s16le',
        '-f',
        'wav',
        path.join(outDir, 'x.wav'),
      ];
      const err = await rejection(
        runFfmpeg(args, { stallTimeoutMs: 400, cleanupPaths: [outDir], onSpawn: (p) => (pid = p) }),
      );
      expect(err).toBeInstanceOf(FfmpegError);
      expect((err as FfmpegError).kind).toBe('stalled');
    } finally {
      await writer.close();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(outDir)).toBe(false);
  });

  it('probe of an input that never arrives times out', async () => {
    const fifo = path.join(dir, 'probe.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = await open(fifo, 'r+');
    try {
      const err = await rejection(probe(fifo, { timeoutMs: 300 }));
      expect(err).toBeInstanceOf(ProbeError);
      expect((err as ProbeError).reason).toBe('timeout');
    } finally {
      await writer.close();
    }
  });

  it('non-zero exit: kind failed with the stderr tail, cleanup done', async () => {
    const junk = path.join(dir, 'partial.m4a');
    await writeFile(junk, 'x');
    const err = await rejection(
      runFfmpeg(['-hide_banner', '-nostdin', '-y', '-i', path.join(dir, 'missing.wav'), junk], {
        cleanupPaths: [junk],
      }),
    );
    expect((err as FfmpegError).kind).toBe('failed');
    expect((err as FfmpegError).exitCode).not.toBe(0);
    expect((err as FfmpegError).stderrTail).toMatch(/No such file/);
    expect(existsSync(junk)).toBe(false);
  });

  it('a missing binary is a spawn error, versions report null', async () => {
    configureFfmpeg({ ffprobe: path.join(dir, 'no-ffprobe') });
    try {
      const err = await rejection(runFfprobe(['-version']));
      expect((err as FfmpegError).kind).toBe('spawn');
      expect((await ffmpegVersions()).ffprobe).toBeNull();
    } finally {
      configureFfmpeg({ ffprobe: 'ffprobe' });
    }
  });
});

describe('one-pass audio (cwd + PCM on fd 3)', () => {
  it('HLS and M4A from one encode, peaks folded from pipe:3 while -progress runs on stdout', async () => {
    const work = path.join(dir, 'one-pass');
    await mkdir(path.join(work, PASS_FILES.hlsDir), { recursive: true });
    const src = await probe(fx.wav);
    const acc = new PeakAccumulator(80);
    const picture = pictureAccumulator(src.durationSec, 8000);
    const progress: number[] = [];
    let bytes = 0;
    await runFfmpeg(audioPassArgs({ input: fx.wav, channels: src.audio?.channels }), {
      durationSec: src.durationSec,
      cwd: work,
      onData: (chunk) => {
        bytes += chunk.length;
        acc.push(chunk);
        picture.push(chunk);
      },
      onProgress: (p) => p !== null && progress.push(p),
    });
    // 8 kHz mono s16: two bytes a sample, all of it through the pipe
    expect(Math.abs(bytes - src.durationSec * 8000 * 2)).toBeLessThanOrEqual(8000 * 2 * 0.05);
    const peaks = acc.finish(8000);
    expect(Math.abs(peaks.length - (src.durationSec * 8000) / 80)).toBeLessThanOrEqual(2);
    expect(Math.max(...peaks.data)).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const files = await readdir(path.join(work, PASS_FILES.hlsDir));
    expect(files).toEqual(expect.arrayContaining(['master.m3u8', 'index.m3u8', 'init.mp4', 'seg_00000.m4s']));
    expect((await probe(path.join(work, PASS_FILES.hlsDir, 'master.m3u8'))).durationSec).toBeCloseTo(
      src.durationSec,
      0,
    );
    const m4a = await readFile(path.join(work, PASS_FILES.download));
    expect(m4a.indexOf('moov')).toBeGreaterThan(0);
    expect(m4a.indexOf('moov')).toBeLessThan(m4a.indexOf('mdat'));
    // the poster: the waveform picture drawn from the same PCM, as the renditions handler does
    await writeWaveformPicture(picture.finishRaw(), path.join(work, PASS_FILES.poster));
    expect(existsSync(path.join(work, `${PASS_FILES.poster}.rgb`))).toBe(false);
    const poster = JSON.parse(
      await runFfprobe(['-v', 'error', '-print_format', 'json', '-show_streams', path.join(work, PASS_FILES.poster)]),
    ) as { streams: unknown[] };
    expect(poster.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 1280, height: 360 });
  });

  it('a throwing data consumer stops the run and cleans up', async () => {
    const work = path.join(dir, 'one-pass-throw');
    await mkdir(path.join(work, PASS_FILES.hlsDir), { recursive: true });
    const err = await rejection(
      runFfmpeg(audioPassArgs({ input: fx.wav }), {
        cwd: work,
        cleanupPaths: [work],
        onData: () => {
          throw new Error('consumer broke');
        },
      }),
    );
    expect((err as Error).message).toBe('consumer broke');
    expect(existsSync(work)).toBe(false);
  });
});

describe('waveform peaks', () => {
  it('length follows duration, a tone has peaks, silence is flat', async () => {
    const spp = 80;
    const [tone, silence, speech] = await Promise.all([
      readPcmPeaks(fx.wav, { samplesPerPixel: spp }),
      readPcmPeaks(fx.silence, { samplesPerPixel: spp }),
      readPcmPeaks(fx.speech, { samplesPerPixel: spp }),
    ]);
    const toneInfo = await probe(fx.wav);
    expect(Math.abs(tone.length - (toneInfo.durationSec * 8000) / spp)).toBeLessThanOrEqual(1);
    expect(Math.abs(silence.length - (2 * 8000) / spp)).toBeLessThanOrEqual(1);
    expect(tone).toMatchObject({ version: 1, sampleRate: 8000, samplesPerPixel: spp, bits: 8 });
    expect(tone.data.length).toBe(tone.length * 2);
    expect(Math.max(...tone.data)).toBeGreaterThan(0);
    expect(Math.min(...tone.data)).toBeLessThan(0);
    expect(tone.data.every((v) => v >= -128 && v <= 127)).toBe(true);
    expect(silence.data.every((v) => v === 0)).toBe(true);
    expect(Math.max(...speech.data)).toBeGreaterThan(0);
  });
});

describe('poster and storyboard', () => {
  it('poster JPEG at 10 %, width capped', async () => {
    const out = path.join(dir, 'poster.jpg');
    await runFfmpeg(posterArgs({ input: fx.video720, output: out, atSeconds: posterTime(4), maxWidth: 320 }));
    const info = await runFfprobe(['-v', 'error', '-print_format', 'json', '-show_streams', out]);
    const s = (JSON.parse(info) as { streams: Array<{ codec_name: string; width: number; height: number }> })
      .streams[0];
    expect(s).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 180 });
  });

  it('sprite and VTT', async () => {
    const plan = storyboardPlan(6);
    const tileHeight = tileHeightFor(640, 360, 160);
    const sprite = path.join(dir, 'sprite.jpg');
    await runFfmpeg(storyboardArgs({ input: fx.video360, output: sprite, ...plan, tileWidth: 160, tileHeight }));
    const info = JSON.parse(await runFfprobe(['-v', 'error', '-print_format', 'json', '-show_streams', sprite])) as {
      streams: Array<{ codec_name: string; width: number; height: number }>;
    };
    expect(info.streams[0]).toMatchObject({
      codec_name: 'mjpeg',
      width: plan.columns * 160,
      height: plan.rows * tileHeight,
    });
    const vtt = storyboardVtt({ plan, durationSec: 6, tileWidth: 160, tileHeight });
    await writeFile(path.join(dir, 'storyboard.vtt'), vtt);
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt.match(/sprite\.jpg#xywh=\d+,\d+,160,90/g)).toHaveLength(plan.tiles);
  });
});
