// Handlers of the ingest chain (see server/media/ingest-flow.ts). Each writes into its job's workDir, verifies the result
// with ffprobe, and only then renames it into renditions/<mediaId>/ and records it on the medium.
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  PASS_FILES,
  audioPassArgs,
  posterArgs,
  posterTime,
  storyboardArgs,
  storyboardPlan,
  storyboardVtt,
  tileHeightFor,
  videoPassArgs,
} from '../../server/media/ffmpeg/args.js';
import { findCardFont, unrestrictedTime, type RedactionRange } from '../../server/media/ffmpeg/redaction.js';
import { runFfmpeg } from '../../server/media/ffmpeg/runner.js';
import { redactionState, type RedactionState } from '../../server/media/restrictions.js';
import { PeakAccumulator, readPcmPeaks, type WaveformPeaks } from '../../server/media/ffmpeg/waveform.js';
import {
  pictureAccumulator,
  writeWaveformPicture,
  writeWaveformPictureOf,
} from '../../server/media/ffmpeg/waveform-picture.js';
import { derivativeFiles, renditionsRelDir, resolveInUploads } from '../../server/media/paths.js';
import type { Medium } from '../../server/store/types.js';
import { assertDuration, probeOutput, publish } from '../publish.js';
import { PermanentJobError, type JobContext } from '../worker.js';

type MediaJob = JobContext<'media.renditions' | 'media.artwork' | 'media.waveform'>;

interface LoadedMedium {
  medium: Medium;
  input: string;
  outDir: string;
  rel: (file: string) => string;
  /** Restricted passages as they are now: every public rendition is made without them. */
  redaction: RedactionState;
  /** For the builders: absent when nothing is restricted (their arguments then stay exactly as without). */
  filter: { redaction?: { ranges: RedactionRange[]; fontFile: string | null } };
}

async function loadMedium(ctx: MediaJob): Promise<LoadedMedium> {
  const medium = await ctx.store.media.findById(ctx.payload.mediaId);
  if (!medium) throw new PermanentJobError(`medium ${ctx.payload.mediaId} no longer exists`);
  const interview = await ctx.store.interviews.findById(medium.interviewId);
  // a withdrawal removed the renditions; nothing may bring them back
  if (!interview || interview.status === 'withdrawn')
    throw new PermanentJobError(`interview of medium ${medium.id} is withdrawn or gone`);
  const relDir = renditionsRelDir(medium.id);
  const redaction = await redactionState(ctx.store, medium);
  return {
    medium,
    input: resolveInUploads(ctx.uploadsDir, medium.originalPath),
    outDir: resolveInUploads(ctx.uploadsDir, relDir),
    rel: (file) => path.posix.join(relDir, file),
    redaction,
    filter:
      redaction.ranges.length > 0
        ? { redaction: { ranges: redaction.ranges, fontFile: medium.kind === 'video' ? findCardFont() : null } }
        : {},
  };
}

/** Size as the viewer sees it: phones store portrait video as landscape plus a rotation. */
function displaySize(medium: Medium): { width: number; height: number; fps: number } {
  const v = medium.technical.video!;
  const turned = v.rotation === 90 || v.rotation === 270;
  return { width: turned ? v.height : v.width, height: turned ? v.width : v.height, fps: v.fps };
}

/** About 10 peaks a second for short recordings, at most ~8000 for long ones (enough for any screen). */
function waveformPlan(durationSec: number): { sampleRate: number; samplesPerPixel: number; expected: number } {
  const sampleRate = 8000;
  const samplesPerPixel = Math.max(800, Math.ceil((durationSec * sampleRate) / 8000));
  return { sampleRate, samplesPerPixel, expected: Math.floor((durationSec * sampleRate) / samplesPerPixel) };
}

function assertPeaks(peaks: WaveformPeaks, expected: number): void {
  if (peaks.length === 0 || Math.abs(peaks.length - expected) > Math.max(2, expected * 0.02)) {
    throw new Error(`waveform has ${peaks.length} points, expected about ${expected}`);
  }
}

/**
 * The whole ingest in one ffmpeg process (args.ts audioPassArgs / videoPassArgs): the original is decoded once and
 * the HLS ladder, the M4A download, poster (or waveform picture), storyboard and waveform peaks all come from that
 * pass; the peaks are folded from the PCM pipe as it streams. Everything lands in the job's work directory, is checked
 * with ffprobe, and only then renamed into place. media.artwork and media.waveform remain for media that miss only
 * those (made before this pass existed, or after a partial repair).
 */
export async function renditions(ctx: JobContext<'media.renditions'>): Promise<void> {
  const { medium, input, outDir, rel, redaction, filter } = await loadMedium(ctx);
  const duration = medium.technical.durationSec;
  const channels = medium.technical.audio?.channels;
  const hasAudio = medium.technical.audio !== null && medium.technical.audio !== undefined;
  const work = (file: string) => path.join(ctx.workDir, file);
  const hlsDir = work(PASS_FILES.hlsDir);
  const wf = waveformPlan(duration);
  const peaks = hasAudio ? new PeakAccumulator(wf.samplesPerPixel) : null;
  // audio: the poster is the waveform, drawn from the same PCM (one bucket per picture column)
  const picture = medium.kind === 'audio' ? pictureAccumulator(duration, wf.sampleRate) : null;

  const size = medium.kind === 'video' ? displaySize(medium) : null;
  const plan = storyboardPlan(duration);
  const tileWidth = 160;
  const tileHeight = size ? tileHeightFor(size.width, size.height, tileWidth) : 0;
  const args = size
    ? videoPassArgs({
        input,
        source: size,
        hasAudio,
        ...(channels ? { audioChannels: channels } : {}),
        ...filter,
        // a poster frame from outside the restricted passages (the card stays as a safeguard if there is none)
        posterAtSeconds: unrestrictedTime(posterTime(duration), redaction.ranges, duration) ?? posterTime(duration),
        storyboard: { ...plan, tileWidth, tileHeight },
      })
    : audioPassArgs({ input, ...(channels ? { channels } : {}), ...filter });
  // verification and publishing take the last few per cent
  await runFfmpeg(args, {
    durationSec: duration,
    signal: ctx.signal,
    stallTimeoutMs: ctx.stallTimeoutMs,
    logger: ctx.log,
    cwd: ctx.workDir,
    ensureDirs: [hlsDir],
    ...(peaks
      ? {
          onData: (chunk: Buffer) => {
            peaks.push(chunk);
            picture?.push(chunk);
          },
        }
      : {}),
    onProgress: (p) => p !== null && ctx.progress(p * 0.97),
  });
  if (picture)
    await writeWaveformPicture(picture.finishRaw(), work(PASS_FILES.poster), {
      signal: ctx.signal,
      stallTimeoutMs: ctx.stallTimeoutMs,
      logger: ctx.log,
    });

  const master = await probeOutput(path.join(hlsDir, 'master.m3u8'), ctx.signal);
  assertDuration('HLS', master.durationSec, duration);
  if (hasAudio && !master.audio) throw new Error('HLS rendition has no audio');
  if (medium.kind === 'video' && !master.video) throw new Error('HLS rendition has no video');
  if (hasAudio) {
    const download = await probeOutput(work(PASS_FILES.download), ctx.signal);
    assertDuration('M4A', download.durationSec, duration);
  }
  await verifyImage(work(PASS_FILES.poster), ctx.signal);
  if (size) {
    const sprite = await verifyImage(work(PASS_FILES.storyboardSprite), ctx.signal);
    if (sprite.width !== plan.columns * tileWidth)
      throw new Error(`storyboard sprite is ${sprite.width} px wide, expected ${plan.columns * tileWidth}`);
    await fs.writeFile(
      work(derivativeFiles.storyboard),
      storyboardVtt({
        plan,
        durationSec: duration,
        tileWidth,
        tileHeight,
        spriteUrl: derivativeFiles.storyboardSprite,
      }),
    );
  }
  if (peaks) {
    const result = peaks.finish(wf.sampleRate);
    assertPeaks(result, wf.expected);
    await fs.writeFile(work(derivativeFiles.waveform), JSON.stringify(result));
  }
  ctx.progress(98);

  await ctx.assertStillOwned();
  const made: Partial<Record<keyof typeof derivativeFiles, string>> = {};
  const put = async (key: keyof typeof derivativeFiles, from: string): Promise<void> => {
    const file = derivativeFiles[key];
    await publish(from, path.join(outDir, key === 'hls' ? PASS_FILES.hlsDir : file));
    made[key] = rel(file);
  };
  await put('hls', hlsDir);
  if (hasAudio) await put('download', work(PASS_FILES.download));
  await put('poster', work(PASS_FILES.poster));
  if (size) {
    await put('storyboardSprite', work(PASS_FILES.storyboardSprite));
    await put('storyboard', work(derivativeFiles.storyboard));
  }
  if (peaks) await put('waveform', work(derivativeFiles.waveform));
  const now = new Date().toISOString();
  await ctx.store.media.setDerivatives(medium.id, made, now);
  // the restriction set these renditions were made with; the public gets them only while it is still current
  await ctx.store.media.update(medium.id, { renditionRedaction: redaction.key }, now);
}

export async function artwork(ctx: JobContext<'media.artwork'>): Promise<void> {
  const { medium, input, outDir, rel, redaction, filter } = await loadMedium(ctx);
  const duration = medium.technical.durationSec;
  const common = { signal: ctx.signal, stallTimeoutMs: ctx.stallTimeoutMs, logger: ctx.log };
  const poster = path.join(ctx.workDir, derivativeFiles.poster);

  if (medium.kind === 'audio') {
    await writeWaveformPictureOf(input, poster, {
      ...common,
      durationSec: duration,
      ...filter,
      onProgress: (p) => ctx.progress(p),
    });
    await verifyImage(poster, ctx.signal);
    await ctx.assertStillOwned();
    await publish(poster, path.join(outDir, derivativeFiles.poster));
    await ctx.store.media.setDerivatives(medium.id, { poster: rel(derivativeFiles.poster) }, new Date().toISOString());
    return;
  }

  // a poster frame from outside the restricted passages (the card stays as a safeguard if there is none)
  const atSeconds = unrestrictedTime(posterTime(duration), redaction.ranges, duration) ?? posterTime(duration);
  await runFfmpeg(posterArgs({ input, output: poster, atSeconds, ...filter }), { ...common, cleanupPaths: [poster] });
  await verifyImage(poster, ctx.signal);
  ctx.progress(10);

  const size = displaySize(medium);
  const plan = storyboardPlan(duration);
  const tileWidth = 160;
  const tileHeight = tileHeightFor(size.width, size.height, tileWidth);
  const sprite = path.join(ctx.workDir, derivativeFiles.storyboardSprite);
  const vtt = path.join(ctx.workDir, derivativeFiles.storyboard);
  await runFfmpeg(storyboardArgs({ input, output: sprite, ...plan, tileWidth, tileHeight, ...filter }), {
    ...common,
    durationSec: duration,
    cleanupPaths: [sprite],
    onProgress: (p) => p !== null && ctx.progress(10 + p * 0.9),
  });
  const spriteInfo = await verifyImage(sprite, ctx.signal);
  if (spriteInfo.width !== plan.columns * tileWidth)
    throw new Error(`storyboard sprite is ${spriteInfo.width} px wide, expected ${plan.columns * tileWidth}`);
  await fs.writeFile(
    vtt,
    storyboardVtt({ plan, durationSec: duration, tileWidth, tileHeight, spriteUrl: derivativeFiles.storyboardSprite }),
  );

  await ctx.assertStillOwned();
  await publish(poster, path.join(outDir, derivativeFiles.poster));
  await publish(sprite, path.join(outDir, derivativeFiles.storyboardSprite));
  await publish(vtt, path.join(outDir, derivativeFiles.storyboard));
  await ctx.store.media.setDerivatives(
    medium.id,
    {
      poster: rel(derivativeFiles.poster),
      storyboardSprite: rel(derivativeFiles.storyboardSprite),
      storyboard: rel(derivativeFiles.storyboard),
    },
    new Date().toISOString(),
  );
}

export async function waveform(ctx: JobContext<'media.waveform'>): Promise<void> {
  const { medium, input, outDir, rel, filter } = await loadMedium(ctx);
  const { sampleRate, samplesPerPixel, expected } = waveformPlan(medium.technical.durationSec);
  const peaks = await readPcmPeaks(input, {
    samplesPerPixel,
    sampleRate,
    signal: ctx.signal,
    stallTimeoutMs: ctx.stallTimeoutMs,
    logger: ctx.log,
    ...filter,
  });
  assertPeaks(peaks, expected);
  const file = path.join(ctx.workDir, derivativeFiles.waveform);
  await fs.writeFile(file, JSON.stringify(peaks));
  await ctx.assertStillOwned();
  await publish(file, path.join(outDir, derivativeFiles.waveform));
  await ctx.store.media.setDerivatives(
    medium.id,
    { waveform: rel(derivativeFiles.waveform) },
    new Date().toISOString(),
  );
}

async function verifyImage(file: string, signal: AbortSignal): Promise<{ width: number; height: number }> {
  const info = await probeOutput(file, signal);
  if (!info.video || !info.width || !info.height) throw new Error(`${path.basename(file)} is not a readable image`);
  return { width: info.width, height: info.height! };
}
