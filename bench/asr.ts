// bench/asr — realtime factor of automatic transcription and of alignment, for a 10-minute recording, on this machine.
//
//   npx tsx bench/asr.ts [--minutes 10] [--threads 2]
//
// The recording: English espeak-ng sentences with known text and starts (tests/helpers/speech.ts), repeated to the
// length asked for, encoded to M4A as the renditions job does. The engine: `npm run asr-engine` (faster-whisper,
// Whisper tiny.en int8, --threads, default 2 = this machine's cores). Measured side by side in one run:
//   engine alone   the 16 kHz WAV posted once to the engine (what faster-whisper itself costs)
//   archive path   what media.transcribe does: M4A → ffmpeg 16 kHz mono (restrictions silenced) → chunks of ASR_CHUNK_SECONDS
//                  (600) with 5 s overlap → HTTP engine → merge → sentence segments
//   alignment      what media.align adds on top of that: the sequence alignment of the known text to the words
// Wall time and CPU seconds (engine process group from /proc, plus this process) are both printed: the machine is
// shared, so wall time depends on the neighbours; CPU seconds much less.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { alignTranscript } from '../server/asr/align.js';
import { decodeForEngine, mergeChunkResults, planChunks, readChunk, splitAtSentences } from '../server/asr/audio.js';
import { HttpAsrEngine } from '../server/asr/http-engine.js';
import type { AsrResult } from '../server/asr/types.js';
import { configureLogger } from '../server/logger.js';
import { freePort, speakSentences, startAsrEngine, wordErrorRate } from '../tests/helpers/speech.js';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '10' }, threads: { type: 'string', default: '2' } },
});
const minutes = Number(values.minutes);
process.env.ASR_ENGINE_THREADS = values.threads;
configureLogger('silent');

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
/** utime + stime of every process in a process group, in seconds. */
function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* gone */
    }
  }
  return ticks / clockTicks;
}
const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function measure<T>(
  pgid: number,
  fn: () => Promise<T>,
): Promise<{ value: T; wall: number; engineCpu: number; selfCpu: number }> {
  const e0 = groupCpuSeconds(pgid);
  const s0 = selfCpu();
  const t0 = performance.now();
  const value = await fn();
  return {
    value,
    wall: (performance.now() - t0) / 1000,
    engineCpu: groupCpuSeconds(pgid) - e0,
    selfCpu: selfCpu() - s0,
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-bench-asr-'));
const oneRound = await speakSentences(dir, { name: 'probe' });
const repeat = Math.max(1, Math.round((minutes * 60) / oneRound.durationSec));
const spoken = await speakSentences(dir, { repeat, name: 'bench' });
const m4a = path.join(dir, 'bench.m4a');
execFileSync('ffmpeg', [
  '-hide_banner',
  '-loglevel',
  'error',
  '-y',
  '-i',
  spoken.file,
  '-ac',
  '1',
  '-c:a',
  'aac',
  '-b:a',
  '128k',
  m4a,
]);
const wav16 = path.join(dir, 'bench16k.wav');
execFileSync('ffmpeg', [
  '-hide_banner',
  '-loglevel',
  'error',
  '-y',
  '-i',
  m4a,
  '-ac',
  '1',
  '-ar',
  '16000',
  '-c:a',
  'pcm_s16le',
  wav16,
]);
const audioSec = spoken.durationSec;
console.log(
  `recording: ${(audioSec / 60).toFixed(1)} min English espeak-ng speech (${spoken.sentences.length} sentences), M4A 128k mono; engine threads ${values.threads}; nproc ${os.cpus().length}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const engineProc = await startAsrEngine(await freePort());
// the npm process leads the group; faster-whisper (python) runs inside it
const pgid = Number(
  execFileSync('bash', [
    '-c',
    `ss -ltnp | grep ':${new URL(engineProc.url).port} ' | sed -n 's/.*pid=\\([0-9]*\\).*/\\1/p' | head -1`,
  ])
    .toString()
    .trim(),
);
const enginePgid = Number(fs.readFileSync(`/proc/${pgid}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]);
const engine = new HttpAsrEngine({ url: engineProc.url, model: 'tiny.en', timeoutMs: 3_600_000 });

try {
  // 1. the engine alone: one request with the whole 16 kHz WAV
  const direct = await measure(enginePgid, async () =>
    engine.transcribe({ wav: fs.readFileSync(wav16), durationSec: audioSec }, { language: 'en' }),
  );

  // 2. the archive's path, as media.transcribe runs it
  const archive = await measure(enginePgid, async () => {
    const pcm = await decodeForEngine({
      input: m4a,
      output: path.join(dir, 'audio.s16le'),
      ranges: [],
      durationSec: audioSec,
    });
    const parts: { chunk: ReturnType<typeof planChunks>[number]; result: AsrResult }[] = [];
    for (const chunk of planChunks(pcm.durationSec, engine.maxChunkSec)) {
      const audio = await readChunk(pcm.path, chunk);
      parts.push({
        chunk,
        result: await engine.transcribe(audio, { language: 'en', vocabulary: ['Golpa-Nord', 'Ferropolis'] }),
      });
    }
    return { segments: splitAtSentences(mergeChunkResults(parts)), chunks: parts.length };
  });

  // 3. alignment of the known text, untimed, to the words the archive path heard
  const given = spoken.sentences.map((s, i) => ({ start: i, end: i + 1, speaker: null, text: s.text }));
  const words = archive.value.segments.flatMap((s) => s.words);
  const t0 = performance.now();
  const c0 = selfCpu();
  const aligned = alignTranscript(given, words, audioSec);
  const alignWall = (performance.now() - t0) / 1000;
  const alignCpu = selfCpu() - c0;
  const alignErrors = spoken.sentences
    .map((s, i) => Math.abs((aligned.segments[i]!.start ?? Number.NaN) - s.start))
    .sort((a, b) => a - b);
  const wer = wordErrorRate(
    spoken.sentences.map((s) => s.text).join(' '),
    archive.value.segments.map((s) => s.text).join(' '),
  );
  const rt = (x: number) => (x / audioSec).toFixed(3);

  console.log('');
  console.log('| step | wall s | realtime factor (wall/audio) | engine CPU s | archive CPU s | CPU s per audio s |');
  console.log('|---|---|---|---|---|---|');
  console.log(
    `| engine alone (one request) | ${direct.wall.toFixed(1)} | ${rt(direct.wall)} | ${direct.engineCpu.toFixed(1)} | ${direct.selfCpu.toFixed(1)} | ${rt(direct.engineCpu + direct.selfCpu)} |`,
  );
  console.log(
    `| archive path (media.transcribe, ${archive.value.chunks} chunks) | ${archive.wall.toFixed(1)} | ${rt(archive.wall)} | ${archive.engineCpu.toFixed(1)} | ${archive.selfCpu.toFixed(1)} | ${rt(archive.engineCpu + archive.selfCpu)} |`,
  );
  console.log(
    `| alignment step alone (${aligned.words} given words ↔ ${words.length} heard) | ${alignWall.toFixed(2)} | ${rt(alignWall)} | 0 | ${alignCpu.toFixed(2)} | ${rt(alignCpu)} |`,
  );
  console.log(
    `| media.align in all (archive path + alignment) | ${(archive.wall + alignWall).toFixed(1)} | ${rt(archive.wall + alignWall)} | ${archive.engineCpu.toFixed(1)} | ${(archive.selfCpu + alignCpu).toFixed(1)} | ${rt(archive.engineCpu + archive.selfCpu + alignCpu)} |`,
  );
  console.log('');
  console.log(
    `archive path / engine alone: wall ${(archive.wall / direct.wall).toFixed(2)}×, CPU ${((archive.engineCpu + archive.selfCpu) / (direct.engineCpu + direct.selfCpu)).toFixed(2)}×`,
  );
  console.log(
    `WER (archive path) ${wer.toFixed(3)}; segments ${archive.value.segments.length} for ${spoken.sentences.length} sentences`,
  );
  console.log(
    `alignment: ${(aligned.alignedShare * 100).toFixed(1)} % of words aligned; sentence start error median ${alignErrors[Math.floor(alignErrors.length / 2)]!.toFixed(2)} s, p95 ${alignErrors[Math.floor(alignErrors.length * 0.95)]!.toFixed(2)} s, max ${alignErrors[alignErrors.length - 1]!.toFixed(2)} s`,
  );
  console.log(
    `(the machine is shared with other sessions: wall times vary with their load; CPU seconds are the steadier figure; load average now ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
} finally {
  await engineProc.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
