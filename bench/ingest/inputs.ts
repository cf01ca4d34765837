// bench/ingest inputs: generated once into bench/.cache (git-ignored) — a 720p30 H.264/AAC clip (testsrc2 + tone) and
// mono speech MP3s (espeak-ng -v de, looped to length; the long one repeats the 30-minute one, frames copied).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Input {
  name: string;
  label: string;
  file: string;
  kind: 'audio' | 'video';
  seconds: number;
}

export interface InputOptions {
  videoSeconds: number;
  audioMinutes: number;
  longHours: number;
  only?: string | undefined;
}

const cache = path.resolve('bench/.cache');

function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr?.toString().slice(-500)}`);
}

function makeVideo(seconds: number): string {
  const video = path.join(cache, `clip-720p-${seconds}s.mp4`);
  if (fs.existsSync(video)) return video;
  process.stdout.write(`generating ${path.basename(video)} …\n`);
  sh('ffmpeg', [
    '-hide_banner',
    '-y',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=1280x720:rate=30:duration=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=220:sample_rate=48000:duration=${seconds}`,
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-b:v',
    '4M',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-movflags',
    '+faststart',
    `${video}.part.mp4`,
  ]);
  fs.renameSync(`${video}.part.mp4`, video);
  return video;
}

function makeSpeech(seconds: number, loopOf?: string): string {
  const file = path.join(cache, `speech-mono-${seconds}s.mp3`);
  if (fs.existsSync(file)) return file;
  process.stdout.write(`generating ${path.basename(file)} …\n`);
  if (loopOf) {
    // the long recording repeats the shorter one, MP3 frames copied: no second encode of hours of audio
    sh('ffmpeg', [
      '-hide_banner',
      '-y',
      '-stream_loop',
      '-1',
      '-i',
      loopOf,
      '-t',
      String(seconds),
      '-c',
      'copy',
      `${file}.part.mp3`,
    ]);
    fs.renameSync(`${file}.part.mp3`, file);
    return file;
  }
  const wav = path.join(cache, 'speech.wav');
  if (!fs.existsSync(wav)) {
    sh('espeak-ng', [
      '-v',
      'de',
      '-s',
      '150',
      '-w',
      wav,
      'Ich habe dreißig Jahre im Tagebau Golpa-Nord gearbeitet, zuerst als Schlosser, später an der Förderbrücke. ' +
        'Die Schicht begann um sechs Uhr früh, und im Winter war es bitterkalt auf dem Bagger. ' +
        'Nach der Wende wurde der Tagebau stillgelegt, und aus dem Gelände wurde Ferropolis, die Stadt aus Eisen.',
    ]);
  }
  sh('ffmpeg', [
    '-hide_banner',
    '-y',
    '-stream_loop',
    '-1',
    '-i',
    wav,
    '-t',
    String(seconds),
    '-ac',
    '1',
    '-ar',
    '44100',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '96k',
    `${file}.part.mp3`,
  ]);
  fs.renameSync(`${file}.part.mp3`, file);
  return file;
}

/** The inputs picked by `--only` (names' prefixes, indexes, or `video`), generated when missing. */
export function makeInputs(o: InputOptions): Input[] {
  fs.mkdirSync(cache, { recursive: true });
  const audioSeconds = o.audioMinutes * 60;
  const longSeconds = o.longHours * 3600;
  const all: Input[] = [
    {
      name: `video720p30-${o.videoSeconds}s`,
      label: `720p30 clip ${o.videoSeconds} s`,
      file: '',
      kind: 'video',
      seconds: o.videoSeconds,
    },
    {
      name: `speech-${o.audioMinutes}min`,
      label: `mono speech ${o.audioMinutes} min`,
      file: '',
      kind: 'audio',
      seconds: audioSeconds,
    },
    {
      name: `speech-${o.longHours}h`,
      label: `mono speech ${o.longHours} h`,
      file: '',
      kind: 'audio',
      seconds: longSeconds,
    },
  ];
  const only = o.only?.split(',');
  const picked = all.filter(
    (x, i) =>
      !only || only.some((w) => x.name.startsWith(w) || String(i) === w || (w === 'video' && x.kind === 'video')),
  );
  for (const x of picked) {
    if (x.kind === 'video') x.file = makeVideo(x.seconds);
    else x.file = x === all[2] ? makeSpeech(x.seconds, makeSpeech(audioSeconds)) : makeSpeech(x.seconds);
  }
  return picked;
}
