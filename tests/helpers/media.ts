// Small synthetic media for tests, generated with ffmpeg's lavfi sources (and espeak-ng for speech).
// Deliberately independent of server/media/ffmpeg so a runner bug cannot hide behind its own fixtures.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
let counter = 0;

async function ffmpeg(args: string[]): Promise<void> {
  await exec('ffmpeg', ['-hide_banner', '-nostdin', '-y', '-loglevel', 'error', ...args], {
    maxBuffer: 8 * 1024 * 1024,
  });
}

function name(dir: string, stem: string, ext: string): string {
  counter += 1;
  return path.join(dir, `${stem}-${process.pid}-${counter}.${ext}`);
}

export interface VideoSpec {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  withAudio: boolean;
}

/** H.264/AAC MP4: moving testsrc2 picture, 440 Hz tone. ultrafast keeps generation well under a second. */
export async function makeVideo(dir: string, spec: VideoSpec): Promise<string> {
  const out = name(dir, `video-${spec.width}x${spec.height}`, 'mp4');
  const { seconds: d, width, height, fps } = spec;
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${width}x${height}:rate=${fps}:duration=${d}`,
    ...(spec.withAudio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${d}`] : []),
    '-map',
    '0:v',
    ...(spec.withAudio ? ['-map', '1:a'] : []),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    ...(spec.withAudio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    '-movflags',
    '+faststart',
    out,
  ]);
  return out;
}

export type AudioFormat = 'mp3' | 'wav' | 'm4a' | 'opus';

export interface AudioSpec {
  seconds: number;
  format: AudioFormat;
  /** Digital silence (anullsrc) instead of a tone. */
  silent?: boolean;
  frequency?: number;
  sampleRate?: number;
  channels?: 1 | 2;
}

const AUDIO_CODEC: Record<AudioFormat, { ext: string; args: string[] }> = {
  mp3: { ext: 'mp3', args: ['-c:a', 'libmp3lame', '-b:a', '64k'] },
  wav: { ext: 'wav', args: ['-c:a', 'pcm_s16le'] },
  m4a: { ext: 'm4a', args: ['-c:a', 'aac', '-b:a', '64k', '-movflags', '+faststart'] },
  // Ogg/Opus, the usual container for .opus files.
  opus: { ext: 'opus', args: ['-c:a', 'libopus', '-b:a', '48k'] },
};

export async function makeAudio(dir: string, spec: AudioSpec): Promise<string> {
  const { ext, args } = AUDIO_CODEC[spec.format];
  const out = name(dir, spec.silent ? 'silence' : 'tone', ext);
  const rate = spec.sampleRate ?? 48000;
  const ch = spec.channels ?? 1;
  const src = spec.silent
    ? `anullsrc=sample_rate=${rate}:channel_layout=${ch === 2 ? 'stereo' : 'mono'}`
    : `sine=frequency=${spec.frequency ?? 440}:sample_rate=${rate}`;
  await ffmpeg(['-f', 'lavfi', '-i', src, '-t', String(spec.seconds), '-ac', String(ch), ...args, out]);
  return out;
}

/** German speech via espeak-ng, as AAC/M4A like a phone recording. */
export async function makeGermanSpeech(dir: string, text: string): Promise<string> {
  const wav = name(dir, 'speech', 'wav');
  const out = wav.replace(/\.wav$/, '.m4a');
  // `--` so text starting with '-' is never read as an option.
  await exec('espeak-ng', ['-v', 'de', '-w', wav, '--', text]);
  await ffmpeg(['-i', wav, '-map', '0:a', '-c:a', 'aac', '-b:a', '64k', out]);
  return out;
}

/** A single PNG frame: ffprobe sees a "video" stream, but it is not playable media. */
export async function makeImageOnly(dir: string): Promise<string> {
  const out = name(dir, 'image', 'png');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1', out]);
  return out;
}

export async function makeTextFile(
  dir: string,
  text = 'Glück auf! Das hier ist kein Interview, nur Text.\n',
): Promise<string> {
  const out = name(dir, 'notes', 'txt');
  await writeFile(out, text, 'utf8');
  return out;
}
