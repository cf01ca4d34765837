// The combined passes: one ffmpeg process per medium decodes the original once and makes every derivative from that
// decode. Outputs are named relative to the job's work directory, so the process must run with it as its cwd
// (runFfmpeg's `cwd`): the tee muxer's slave list needs no escaping for whatever path UPLOADS_DIR has.
import {
  COMMON,
  STRIP_METADATA,
  audioEncoderArgs,
  audioRedaction,
  fmtNum,
  hlsMuxerArgs,
  safePath,
  type RedactionOption,
} from './args-common.js';
import { ladderPlan, ladderStreams, type VideoHlsOptions } from './args-video.js';

/** File names of a combined pass inside the job's work directory. */
export const PASS_FILES = {
  hlsDir: 'hls',
  download: 'download.m4a',
  poster: 'poster.jpg',
  storyboardSprite: 'storyboard.jpg',
} as const;

/** Waveform PCM of the combined passes goes to this fd (stdout carries `-progress`). */
export const PCM_PIPE = 'pipe:3';

/** Length of the PCM pipe's frames: few, large writes (see pcmChain); 4 s at 8 kHz s16 = 64,000 bytes < 64 KiB. */
export const PCM_FRAME_SECONDS = 4;

/** Branch of a filter graph that turns audio into the waveform PCM (mono s16 at `sampleRate`). */
function pcmChain(inLabel: string, sampleRate: number, outLabel: string): string {
  // asetnsamples: ffmpeg writes each frame to the pipe as it comes, ~200 samples at 8 kHz from a 44.1 kHz MP3 — one
  // wake-up of the worker per 400 bytes. 4-second frames (64,000 bytes: one write that fits the 64 KiB pipe buffer; no
  // padding, the last one stays short) make it one wake-up per 4 s of media — at 60× realtime ~15 a second, not 120.
  const frame = Math.max(1, Math.round(sampleRate * PCM_FRAME_SECONDS));
  return `[${inLabel}]aresample=${sampleRate},aformat=sample_fmts=s16:channel_layouts=mono,asetnsamples=n=${frame}:p=0[${outLabel}]`;
}

function pcmOutput(label: string): string[] {
  return ['-map', `[${label}]`, '-c:a', 'pcm_s16le', '-f', 's16le', PCM_PIPE];
}

/**
 * Picture outputs of the video pass (poster, storyboard) get their real frame late — at the poster
 * time or at the end. ffmpeg 5.1 prints no `-progress` report until every output file has started, which would leave
 * the progress bar still and let the stall watchdog kill a long pass. So each picture output first receives a
 * placeholder of the same size, format and aspect made from the same branch (or source), at once, and then the real
 * frame; the image2 muxer with `-update 1` keeps the last one. `-frames:v 2` ends the output after the real one.
 */
// passthrough: image2 is a constant-rate muxer and would otherwise duplicate the placeholder into the gap
const PICTURE_FRAMES = ['-fps_mode:v', 'passthrough', '-frames:v', '2'] as const;

function placeholderFirst(placeholder: string, real: string, out: string): string {
  // one-second steps: the encoder needs rising timestamps whatever the branches' own clocks were
  return `[${placeholder}][${real}]concat=n=2:v=1:a=0,settb=1,setpts=N[${out}]`;
}

/** Filter-graph pad labels: ['a', 'b'] → `[a][b]`. */
function labels(names: string[]): string {
  return names.map((n) => `[${n}]`).join('');
}

export interface AudioPassOptions extends RedactionOption {
  input: string;
  /** Source channel count; more than two is folded to stereo, mono stays mono. */
  channels?: number;
  segmentSeconds?: number;
  bitrateK?: number;
  /** Waveform PCM rate on `pipe:3`. */
  pcmSampleRate?: number;
}

/**
 * Audio: decode once, redact once, then `asplit` into (1) one AAC encode that the tee muxer writes both as fMP4 HLS
 * (`hls/master.m3u8` → `index.m3u8` → `init.mp4` + `seg_00000.m4s`…) and as the M4A download (moov first), (2) mono
 * s16 PCM on `pipe:3`, from which the worker folds the waveform peaks and the buckets of the waveform picture (the
 * poster, drawn in Node: waveform-picture.ts). The same derivatives the separate builders make, from one decode and
 * one encode.
 */
export function audioPassArgs(opts: AudioPassOptions): string[] {
  const { input, segmentSeconds = 6, bitrateK = 128, pcmSampleRate = 8000 } = opts;
  const ar = audioRedaction(opts.redaction);
  const head = `[0:a:0]${ar ? `${ar},` : ''}${(opts.channels ?? 0) > 2 ? 'aformat=channel_layouts=stereo,' : ''}`;
  const filter = [`${head}asplit=2${labels(['enc', 'wav'])}`, pcmChain('wav', pcmSampleRate, 'pcm')].join(';');
  const hls = PASS_FILES.hlsDir;
  const hlsSlave = [
    'f=hls',
    `hls_time=${fmtNum(segmentSeconds)}`,
    'hls_playlist_type=vod',
    'hls_segment_type=fmp4',
    'hls_flags=independent_segments',
    'hls_fmp4_init_filename=init.mp4',
    `hls_segment_filename=${hls}/seg_%05d.m4s`,
    'master_pl_name=master.m3u8',
  ].join(':');
  return [
    ...COMMON,
    '-i',
    safePath(input),
    '-filter_complex',
    filter,
    // 1: the one AAC encode, muxed twice
    '-map',
    '[enc]',
    ...STRIP_METADATA,
    ...audioEncoderArgs(bitrateK),
    // tee: the encoder's extradata goes into the container headers (fMP4 init segment, M4A moov), not ADTS
    '-flags:a',
    '+global_header',
    '-f',
    'tee',
    `[${hlsSlave}]${hls}/index.m3u8|[f=ipod:movflags=+faststart]${PASS_FILES.download}`,
    // 2: waveform PCM (peaks and picture)
    ...pcmOutput('pcm'),
  ];
}

export interface VideoPassOptions extends Omit<VideoHlsOptions, 'outDir'> {
  /** Poster frame time on the original timeline (outside restricted passages: see unrestrictedTime). */
  posterAtSeconds: number;
  posterMaxWidth?: number;
  storyboard: { intervalSeconds: number; columns: number; rows: number; tileWidth: number; tileHeight: number };
  pcmSampleRate?: number;
  downloadBitrateK?: number;
}

/**
 * Video: the ladder process of videoHlsArgs, whose filter graph also yields the poster frame, the storyboard sprite,
 * the M4A download and the waveform PCM (`pipe:3`) from the same decode. The card goes in before the split, so every
 * picture gets it; the audio is silenced once before its split. The poster branch ends itself after one frame
 * (trim), so nothing queues behind a finished output.
 */
export function videoPassArgs(opts: VideoPassOptions): string[] {
  const {
    input,
    source,
    hasAudio,
    segmentSeconds = 6,
    preset = 'veryfast',
    pcmSampleRate = 8000,
    downloadBitrateK = 128,
  } = opts;
  const outDir = PASS_FILES.hlsDir;
  const { rungs, gop, pre } = ladderPlan(source, segmentSeconds, opts.redaction);
  const sb = opts.storyboard;
  const posterAt = fmtNum(Math.max(0, opts.posterAtSeconds));
  const posterMaxWidth = opts.posterMaxWidth ?? 1280;

  const parts = [
    `[0:v:0]${pre}split=${rungs.length + 2}${labels([...rungs.map((_, i) => `s${i}`), 'sp', 'sb'])}`,
    ...rungs.map((r, i) => `[s${i}]scale=-2:${r.height},format=yuv420p[v${i}]`),
    // the first frame, scaled alike, as placeholder; then the frame at the poster time
    `[sp]split[sp0][sp1]`,
    `[sp0]trim=end_frame=1,scale='min(${posterMaxWidth},iw)':-2[p0]`,
    `[sp1]trim=start=${posterAt},trim=end_frame=1,scale='min(${posterMaxWidth},iw)':-2[p1]`,
    placeholderFirst('p0', 'p1', 'poster'),
    // a sprite with only the first tile as placeholder (tile flushes its partial canvas at the end of its input)
    `[sb]split[sb0][sb1]`,
    `[sb0]trim=end_frame=1,scale=${sb.tileWidth}:${sb.tileHeight},tile=${sb.columns}x${sb.rows}[t0]`,
    `[sb1]fps=1/${fmtNum(sb.intervalSeconds)}:eof_action=pass,scale=${sb.tileWidth}:${sb.tileHeight},tile=${sb.columns}x${sb.rows}[t1]`,
    placeholderFirst('t0', 't1', 'sprite'),
  ];
  if (hasAudio) {
    const ar = audioRedaction(opts.redaction);
    const head = `[0:a:0]${ar ? `${ar},` : ''}${(opts.audioChannels ?? 0) > 2 ? 'aformat=channel_layouts=stereo,' : ''}`;
    parts.push(`${head}asplit=${rungs.length + 2}${labels([...rungs.map((_, i) => `a${i}`), 'am', 'wav'])}`);
    parts.push(pcmChain('wav', pcmSampleRate, 'pcm'));
  }

  const { maps, perStream, varMap } = ladderStreams(rungs, hasAudio ? (i) => `[a${i}]` : null);

  return [
    ...COMMON,
    '-i',
    safePath(input),
    '-filter_complex',
    parts.join(';'),
    // the ladder, exactly as videoHlsArgs
    ...maps,
    ...STRIP_METADATA,
    '-c:v',
    'libx264',
    '-preset',
    preset,
    '-profile:v',
    'high',
    '-crf',
    '23',
    '-g',
    String(gop),
    '-keyint_min',
    String(gop),
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `expr:gte(t,n_forced*${fmtNum(segmentSeconds)})`,
    ...(hasAudio ? audioEncoderArgs() : []),
    ...perStream,
    ...hlsMuxerArgs(outDir, segmentSeconds, '%v/seg_%05d.m4s', '%v/index.m3u8', ['-var_stream_map', varMap.join(' ')]),
    // the download (a second AAC encode of the audio: one AAC track costs ≈ 1 % of the x264 ladder)
    ...(hasAudio
      ? [
          '-map',
          '[am]',
          ...STRIP_METADATA,
          ...audioEncoderArgs(downloadBitrateK),
          '-movflags',
          '+faststart',
          '-f',
          'ipod',
          PASS_FILES.download,
        ]
      : []),
    '-map',
    '[poster]',
    ...STRIP_METADATA,
    ...PICTURE_FRAMES,
    '-q:v',
    '3',
    '-f',
    'image2',
    '-update',
    '1',
    PASS_FILES.poster,
    '-map',
    '[sprite]',
    ...STRIP_METADATA,
    ...PICTURE_FRAMES,
    '-q:v',
    '4',
    '-f',
    'image2',
    '-update',
    '1',
    PASS_FILES.storyboardSprite,
    ...(hasAudio ? pcmOutput('pcm') : []),
  ];
}
