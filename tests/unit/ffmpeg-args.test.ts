import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AAC_ENCODER,
  PASS_FILES,
  audioEncoderArgs,
  audioHlsArgs,
  audioPassArgs,
  gopFrames,
  ladderFor,
  m4aArgs,
  outputFps,
  posterArgs,
  posterTime,
  probeArgs,
  safePath,
  storyboardArgs,
  storyboardPlan,
  storyboardVtt,
  tileHeightFor,
  videoHlsArgs,
  videoPassArgs,
  waveformPcmArgs,
} from '../../server/media/ffmpeg/args.js';

/** Value following `flag` (first occurrence). */
function after(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function allAfter(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag && args[i + 1] !== undefined ? [args[i + 1]!] : []));
}

const COMMON = ['-hide_banner', '-nostdin', '-y', '-progress', 'pipe:1', '-nostats'];

describe('safePath', () => {
  it('prefixes dash-leading and protocol-looking paths with file:', () => {
    expect(safePath('-i.mp4')).toBe('file:-i.mp4');
    expect(safePath('http://example.org/x.mp4')).toBe('file:http://example.org/x.mp4');
    expect(safePath('interview:1.mp4')).toBe('file:interview:1.mp4');
    expect(safePath('/srv/uploads/a.mp4')).toBe('/srv/uploads/a.mp4');
    expect(safePath('uploads/a:b.mp4')).toBe('uploads/a:b.mp4');
  });
});

describe('probeArgs', () => {
  it('asks for JSON format and streams', () => {
    expect(probeArgs('/x/a.mp4')).toEqual([
      '-v',
      'error',
      '-print_format',
      'json',
      '-show_format',
      '-show_streams',
      '/x/a.mp4',
    ]);
    expect(probeArgs('-rf.mp4').at(-1)).toBe('file:-rf.mp4');
  });
});

describe('ladderFor', () => {
  const heights = (h: number) => ladderFor(h).map((r) => r.height);
  it('never upscales', () => {
    expect(heights(2160)).toEqual([720, 360]);
    expect(heights(1080)).toEqual([720, 360]);
    expect(heights(720)).toEqual([720, 360]);
    expect(heights(719)).toEqual([360]);
    expect(heights(480)).toEqual([360]);
    expect(heights(360)).toEqual([360]);
  });
  it('gives sources below 360p one rung at their own (even) height', () => {
    expect(heights(240)).toEqual([240]);
    expect(heights(241)).toEqual([240]);
    expect(ladderFor(240)[0]!.name).toBe('240p');
    expect(ladderFor(144)[0]!.maxrateK).toBeGreaterThanOrEqual(200);
  });
});

describe('outputFps / gopFrames', () => {
  it('halves high frame rates, keeps ≤ 30', () => {
    expect(outputFps(25)).toBe(25);
    expect(outputFps(29.97)).toBe(29.97);
    expect(outputFps(60)).toBe(30);
    expect(outputFps(59.94)).toBe(29.97);
    expect(outputFps(50)).toBe(25);
    expect(outputFps(0)).toBe(25);
    expect(outputFps(Number.NaN)).toBe(25);
  });
  it('gop = segment length × fps', () => {
    expect(gopFrames(6, 25)).toBe(150);
    expect(gopFrames(6, 29.97)).toBe(180);
    expect(gopFrames(4, 30)).toBe(120);
  });
});

describe('videoHlsArgs', () => {
  const base = { input: '/in/a.mp4', outDir: '/out/hls', hasAudio: true };

  it('builds one process with the whole ladder, aligned GOPs and a master playlist', () => {
    const args = videoHlsArgs({ ...base, source: { width: 1920, height: 1080, fps: 25 } });
    expect(args.slice(0, 3)).toEqual(COMMON.slice(0, 3));
    for (const f of COMMON) expect(args).toContain(f);
    expect(after(args, '-progress')).toBe('pipe:1');
    expect(after(args, '-g')).toBe('150');
    expect(after(args, '-keyint_min')).toBe('150');
    expect(after(args, '-sc_threshold')).toBe('0');
    expect(after(args, '-hls_time')).toBe('6');
    expect(after(args, '-hls_segment_type')).toBe('fmp4');
    expect(after(args, '-hls_playlist_type')).toBe('vod');
    expect(after(args, '-master_pl_name')).toBe('master.m3u8');
    expect(after(args, '-var_stream_map')).toBe('v:0,a:0,name:720p v:1,a:1,name:360p');
    expect(after(args, '-filter_complex')).toBe(
      '[0:v:0]split=2[s0][s1];[s0]scale=-2:720,format=yuv420p[v0];[s1]scale=-2:360,format=yuv420p[v1]',
    );
    expect(allAfter(args, '-map')).toEqual(['[v0]', '0:a:0', '[v1]', '0:a:0']);
    expect(after(args, '-hls_segment_filename')).toBe(path.join('/out/hls', '%v/seg_%05d.m4s'));
    expect(args.at(-1)).toBe(path.join('/out/hls', '%v/index.m3u8'));
    // muxer options must come before the output path
    expect(args.indexOf('-var_stream_map')).toBeLessThan(args.length - 1);
    expect(args.indexOf('-i')).toBeLessThan(args.indexOf('-filter_complex'));
  });

  it('uses the output frame rate for the GOP and the custom segment length', () => {
    const args = videoHlsArgs({ ...base, segmentSeconds: 4, source: { width: 1280, height: 720, fps: 59.94 } });
    expect(after(args, '-g')).toBe(String(Math.round(4 * 29.97)));
    expect(after(args, '-filter_complex')).toMatch(/^\[0:v:0\]fps=29\.97,split=2/);
    expect(after(args, '-force_key_frames')).toBe('expr:gte(t,n_forced*4)');
  });

  it('maps video only when there is no audio, single rung for small sources', () => {
    const args = videoHlsArgs({ ...base, hasAudio: false, source: { width: 426, height: 240, fps: 30 } });
    expect(after(args, '-var_stream_map')).toBe('v:0,name:240p');
    expect(allAfter(args, '-map')).toEqual(['[v0]']);
    expect(args).not.toContain('-c:a');
    expect(after(args, '-filter_complex')).toBe('[0:v:0]split=1[s0];[s0]scale=-2:240,format=yuv420p[v0]');
  });

  it('makes dash-leading input safe and the output dir absolute', () => {
    const args = videoHlsArgs({
      ...base,
      input: '-x.mp4',
      outDir: 'rel/out',
      source: { width: 640, height: 360, fps: 25 },
    });
    expect(after(args, '-i')).toBe('file:-x.mp4');
    expect(path.isAbsolute(args.at(-1)!)).toBe(true);
  });
});

describe('audio args', () => {
  it('audioHlsArgs: AAC fMP4 HLS with master', () => {
    const args = audioHlsArgs({ input: '/in/a.wav', outDir: '/out/a' });
    for (const f of COMMON) expect(args).toContain(f);
    expect(allAfter(args, '-map')).toEqual(['0:a:0']);
    expect(after(args, '-c:a')).toBe('aac');
    expect(after(args, '-b:a')).toBe('128k');
    expect(after(args, '-hls_time')).toBe('6');
    expect(after(args, '-hls_segment_type')).toBe('fmp4');
    expect(after(args, '-master_pl_name')).toBe('master.m3u8');
    expect(args.at(-1)).toBe('/out/a/index.m3u8');
    expect(args).not.toContain('-ac');
    expect(after(audioHlsArgs({ input: 'a', outDir: '/o', channels: 6 }), '-ac')).toBe('2');
  });

  it('m4aArgs: faststart, bitrate, safe paths', () => {
    const args = m4aArgs({ input: '-a.wav', output: '-b.m4a', bitrateK: 96 });
    expect(after(args, '-i')).toBe('file:-a.wav');
    expect(args.at(-1)).toBe('file:-b.m4a');
    expect(after(args, '-movflags')).toBe('+faststart');
    expect(after(args, '-b:a')).toBe('96k');
    expect(after(args, '-map')).toBe('0:a:0');
  });

  it('waveformPcmArgs: mono s16le PCM on stdout, no progress', () => {
    const args = waveformPcmArgs({ input: '/in/a.mp3' });
    expect(args).not.toContain('-progress');
    expect(after(args, '-ar')).toBe('8000');
    expect(after(args, '-ac')).toBe('1');
    expect(after(args, '-f')).toBe('s16le');
    expect(after(args, '-map')).toBe('0:a:0');
    expect(args.at(-1)).toBe('pipe:1');
  });
});

describe('poster and storyboard', () => {
  it('posterArgs seeks on the input side and caps the width', () => {
    const args = posterArgs({ input: '/in/v.mp4', output: '/out/poster.jpg', atSeconds: posterTime(600) });
    expect(after(args, '-ss')).toBe('60');
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(after(args, '-frames:v')).toBe('1');
    expect(after(args, '-vf')).toBe("scale='min(1280,iw)':-2");
    expect(after(args, '-map')).toBe('0:v:0');
    expect(posterTime(0)).toBe(0);
  });

  it('storyboardPlan keeps ≤ 100 tiles with round intervals', () => {
    for (const d of [1, 5, 59, 100, 101, 600, 3600, 2 * 3600 + 17, 10 * 3600, 200 * 3600]) {
      const p = storyboardPlan(d);
      expect(p.tiles).toBeLessThanOrEqual(100);
      expect(p.tiles).toBeGreaterThanOrEqual(1);
      expect(p.tiles * p.intervalSeconds).toBeGreaterThanOrEqual(d);
      expect(p.columns).toBeLessThanOrEqual(10);
      expect(p.columns * p.rows).toBeGreaterThanOrEqual(p.tiles);
      expect(p.columns * (p.rows - 1)).toBeLessThan(p.tiles);
    }
    expect(storyboardPlan(3600)).toEqual({ intervalSeconds: 60, columns: 10, rows: 6, tiles: 60 });
    expect(storyboardPlan(6)).toEqual({ intervalSeconds: 1, columns: 6, rows: 1, tiles: 6 });
    expect(storyboardPlan(2 * 3600).intervalSeconds).toBe(90);
  });

  it('storyboardArgs tiles frames every interval into one JPEG', () => {
    const args = storyboardArgs({
      input: '/v.mp4',
      output: '/s.jpg',
      intervalSeconds: 60,
      columns: 10,
      rows: 6,
      tileHeight: 90,
    });
    expect(after(args, '-vf')).toBe('fps=1/60:eof_action=pass,scale=160:90,tile=10x6');
    expect(after(args, '-skip_frame')).toBe('nokey');
    expect(after(args, '-frames:v')).toBe('1');
    const short = storyboardArgs({ input: '/v.mp4', output: '/s.jpg', intervalSeconds: 2, columns: 3, rows: 1 });
    expect(short).not.toContain('-skip_frame');
    expect(after(short, '-vf')).toBe('fps=1/2:eof_action=pass,scale=160:-2,tile=3x1');
  });

  it('tileHeightFor matches scale=160:-2', () => {
    expect(tileHeightFor(1920, 1080)).toBe(90);
    expect(tileHeightFor(640, 480)).toBe(120);
    expect(tileHeightFor(1080, 1920)).toBe(284);
  });

  it('storyboardVtt maps time ranges to sprite regions', () => {
    const plan = storyboardPlan(25);
    const vtt = storyboardVtt({ plan, durationSec: 25, tileWidth: 160, tileHeight: 90 });
    const lines = vtt.split('\n');
    expect(lines[0]).toBe('WEBVTT');
    expect(vtt).toContain('00:00:00.000 --> 00:00:01.000\nsprite.jpg#xywh=0,0,160,90');
    expect(vtt).toContain('00:00:10.000 --> 00:00:11.000\nsprite.jpg#xywh=0,90,160,90');
    expect(vtt).toContain('00:00:24.000 --> 00:00:25.000\nsprite.jpg#xywh=640,180,160,90');
    expect(lines.filter((l) => l.includes('#xywh=')).length).toBe(25);
  });
});

describe('AAC encoder settings', () => {
  it('are in one place and used by every AAC output', () => {
    expect(AAC_ENCODER).toEqual(['-c:a', 'aac', '-aac_coder', 'fast']);
    expect(audioEncoderArgs(128)).toEqual(['-c:a', 'aac', '-aac_coder', 'fast', '-b:a', '128k']);
    const everyAac = [
      audioHlsArgs({ input: '/a', outDir: '/o' }),
      m4aArgs({ input: '/a', output: '/o.m4a' }),
      videoHlsArgs({ input: '/v', outDir: '/o', source: { width: 1280, height: 720, fps: 25 }, hasAudio: true }),
      audioPassArgs({ input: '/a' }),
      videoPassArgs({
        input: '/v',
        source: { width: 1280, height: 720, fps: 25 },
        hasAudio: true,
        posterAtSeconds: 1,
        storyboard: { intervalSeconds: 1, columns: 2, rows: 1, tileWidth: 160, tileHeight: 90 },
      }),
    ];
    for (const args of everyAac) {
      const encoders = allAfter(args, '-c:a').filter((c) => c === 'aac');
      expect(encoders.length).toBeGreaterThan(0);
      expect(allAfter(args, '-aac_coder')).toEqual(encoders.map(() => 'fast'));
    }
  });
});

describe('audioPassArgs (one decode, one AAC encode)', () => {
  const args = audioPassArgs({ input: '-in.mp3', channels: 1 });
  const graph = after(args, '-filter_complex')!;

  it('decodes once and splits into the encode and the PCM (peaks and waveform picture are drawn in Node from it)', () => {
    expect(allAfter(args, '-i')).toEqual(['file:-in.mp3']);
    expect(graph).toBe(
      '[0:a:0]asplit=2[enc][wav];[wav]aresample=8000,aformat=sample_fmts=s16:channel_layouts=mono,asetnsamples=n=32000:p=0[pcm]',
    );
    // showwavespic would hold every sample it gets until the end (3 h: > 300 MB)
    expect(graph).not.toContain('showwavespic');
    expect(allAfter(args, '-map')).toEqual(['[enc]', '[pcm]']);
  });

  it('encodes AAC once and tees it to fMP4 HLS (6 s) and the faststart M4A', () => {
    expect(allAfter(args, '-c:a')).toEqual(['aac', 'pcm_s16le']);
    expect(after(args, '-b:a')).toBe('128k');
    expect(after(args, '-flags:a')).toBe('+global_header');
    expect(after(args, '-f')).toBe('tee');
    expect(args[args.indexOf('tee') + 1]).toBe(
      '[f=hls:hls_time=6:hls_playlist_type=vod:hls_segment_type=fmp4:hls_flags=independent_segments:hls_fmp4_init_filename=init.mp4' +
        `:hls_segment_filename=${PASS_FILES.hlsDir}/seg_%05d.m4s:master_pl_name=master.m3u8]${PASS_FILES.hlsDir}/index.m3u8` +
        `|[f=ipod:movflags=+faststart]${PASS_FILES.download}`,
    );
    expect(args).not.toContain('-ac');
  });

  it('sends PCM to fd 3 and keeps -progress on stdout; no picture output, so no placeholder frames', () => {
    for (const f of COMMON) expect(args).toContain(f);
    expect(args.slice(-7)).toEqual(['-map', '[pcm]', '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:3']);
    expect(args).not.toContain(PASS_FILES.poster);
    expect(args).not.toContain('-frames:v');
  });

  it('redaction is applied once, before the split, so every output gets it; >2 channels fold to stereo', () => {
    const r = audioPassArgs({ input: '/a.wav', channels: 6, redaction: { ranges: [{ start: 1, end: 2 }] } });
    const g = after(r, '-filter_complex')!;
    expect(g.startsWith('[0:a:0]asetnsamples=n=1024:p=0,volume=')).toBe(true);
    expect(g.indexOf('volume=')).toBeLessThan(g.indexOf('aformat=channel_layouts=stereo,asplit=2'));
    expect(g.match(/volume=volume=/g)).toHaveLength(1);
  });
});

describe('videoPassArgs (the ladder process makes every derivative)', () => {
  const storyboard = { intervalSeconds: 2, columns: 10, rows: 6, tileWidth: 160, tileHeight: 90 };
  const base = {
    input: '/v.mp4',
    source: { width: 1280, height: 720, fps: 60 },
    hasAudio: true,
    posterAtSeconds: 12,
    storyboard,
  };
  const args = videoPassArgs(base);
  const graph = after(args, '-filter_complex')!;

  it('one input, one split of the decoded picture for both rungs, the poster and the storyboard', () => {
    expect(allAfter(args, '-i')).toEqual(['/v.mp4']);
    expect(graph.startsWith('[0:v:0]fps=30,split=4[s0][s1][sp][sb];')).toBe(true);
    expect(graph).toContain('[s0]scale=-2:720,format=yuv420p[v0]');
    expect(graph).toContain('[s1]scale=-2:360,format=yuv420p[v1]');
    expect(graph).toContain("[sp1]trim=start=12,trim=end_frame=1,scale='min(1280,iw)':-2[p1]");
    expect(graph).toContain('[sb1]fps=1/2:eof_action=pass,scale=160:90,tile=10x6[t1]');
    expect(graph).toContain('[0:a:0]asplit=4[a0][a1][am][wav]');
    expect(allAfter(args, '-map')).toEqual(['[v0]', '[a0]', '[v1]', '[a1]', '[am]', '[poster]', '[sprite]', '[pcm]']);
  });

  it('keeps the ladder exactly: bitrates, GOP, 6 s fMP4 segments, var streams', () => {
    const ladder = videoHlsArgs({ ...base, outDir: PASS_FILES.hlsDir });
    for (const flag of [
      '-c:v',
      '-preset',
      '-crf',
      '-g',
      '-keyint_min',
      '-sc_threshold',
      '-force_key_frames',
      '-maxrate:v:0',
      '-maxrate:v:1',
      '-bufsize:v:0',
      '-b:a:0',
      '-b:a:1',
      '-hls_time',
      '-hls_segment_type',
      '-var_stream_map',
    ]) {
      expect(after(args, flag)).toBe(after(ladder, flag));
    }
    expect(after(args, '-b:a:0')).toBe('128k');
    expect(after(args, '-b:a:1')).toBe('96k');
    expect(after(args, '-hls_time')).toBe('6');
    // relative to the job's work directory (the pass runs there)
    expect(after(args, '-hls_segment_filename')).toBe('hls/%v/seg_%05d.m4s');
  });

  it('writes the M4A, poster and sprite beside the ladder, PCM to fd 3', () => {
    const m4a = args.indexOf(PASS_FILES.download);
    expect(args.slice(args.indexOf('[am]') + 1, m4a)).toEqual([
      '-map_metadata',
      '-1',
      '-map_chapters',
      '-1',
      '-c:a',
      'aac',
      '-aac_coder',
      'fast',
      '-b:a',
      '128k',
      '-movflags',
      '+faststart',
      '-f',
      'ipod',
    ]);
    expect(args).toContain(PASS_FILES.poster);
    expect(args).toContain(PASS_FILES.storyboardSprite);
    expect(args.at(-1)).toBe('pipe:3');
  });

  it('without audio: no audio branch, no M4A, no PCM', () => {
    const silent = videoPassArgs({ ...base, hasAudio: false });
    expect(after(silent, '-filter_complex')).not.toContain('0:a:0');
    expect(silent).not.toContain(PASS_FILES.download);
    expect(silent).not.toContain('pipe:3');
    expect(silent).not.toContain('-c:a');
  });

  it('the card goes in once before the split, the silence once before the audio split', () => {
    const r = videoPassArgs({ ...base, redaction: { ranges: [{ start: 1, end: 2 }], fontFile: null } });
    const g = after(r, '-filter_complex')!;
    expect(
      g.startsWith(
        "[0:v:0]drawbox=x=0:y=0:w=iw:h=ih:color=0x333333@1:t=fill:enable='between(t,1.000,2.000)',fps=30,split=4",
      ),
    ).toBe(true);
    expect(g.match(/drawbox/g)).toHaveLength(1);
    expect(g).toMatch(/\[0:a:0\]asetnsamples=n=1024:p=0,volume=[^;]*asplit=4\[a0\]\[a1\]\[am\]\[wav\]/);
  });
});
