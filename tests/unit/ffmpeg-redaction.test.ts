import { describe, expect, it } from 'vitest';
import {
  audioHlsArgs,
  m4aArgs,
  posterArgs,
  storyboardArgs,
  videoHlsArgs,
  waveformPcmArgs,
} from '../../server/media/ffmpeg/args.js';
import {
  audioRedactionFilter,
  CARD_TEXT,
  enableExpression,
  escapeFilterValue,
  normalizeRanges,
  redactionKey,
  shiftRanges,
  unrestrictedTime,
  videoRedactionFilter,
  type RedactionRange,
} from '../../server/media/ffmpeg/redaction.js';

function after(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

function allAfter(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (a === flag && args[i + 1] !== undefined ? [args[i + 1]!] : []));
}

const RANGES: RedactionRange[] = [
  { start: 5.5, end: 6.5 },
  { start: 2, end: 4 },
];
const ENABLE = "enable='between(t,2.000,4.000)+between(t,5.500,6.500)'";
const BOX = `drawbox=x=0:y=0:w=iw:h=ih:color=0x333333@1:t=fill:${ENABLE}`;
const AUDIO =
  "asetnsamples=n=1024:p=0,volume=volume='not(lt(t,4.000)*gt(t+1024/sample_rate,2.000)+lt(t,6.500)*gt(t+1024/sample_rate,5.500))':eval=frame";

describe('normalizeRanges', () => {
  it('sorts and merges overlapping and touching ranges', () => {
    expect(
      normalizeRanges([
        { start: 10, end: 12 },
        { start: 1, end: 3 },
        { start: 2, end: 4 },
        { start: 4, end: 5 },
        { start: 11, end: 11.5 },
      ]),
    ).toEqual([
      { start: 1, end: 5 },
      { start: 10, end: 12 },
    ]);
  });

  it('clamps to [0, duration] and drops empty, inverted and NaN ranges', () => {
    expect(
      normalizeRanges(
        [
          { start: -3, end: 1 },
          { start: 8, end: 20 },
          { start: 5, end: 5 },
          { start: 7, end: 6 },
          { start: Number.NaN, end: 3 },
          { start: 12, end: 14 },
          null as unknown as RedactionRange,
          { start: '1', end: 2 } as unknown as RedactionRange,
        ],
        10,
      ),
    ).toEqual([
      { start: 0, end: 1 },
      { start: 8, end: 10 },
    ]);
  });

  it('keeps an open end (it would otherwise publish the passage)', () => {
    expect(normalizeRanges([{ start: 3, end: Number.POSITIVE_INFINITY }], 60)).toEqual([{ start: 3, end: 60 }]);
    expect(normalizeRanges([{ start: 3, end: Number.POSITIVE_INFINITY }])[0]!.end).toBeGreaterThan(1e6);
  });

  it('does not mutate its input', () => {
    const input = [
      { start: 1, end: 3 },
      { start: 2, end: 4 },
    ];
    normalizeRanges(input);
    expect(input).toEqual([
      { start: 1, end: 3 },
      { start: 2, end: 4 },
    ]);
  });

  it('shiftRanges moves and clamps at 0', () => {
    expect(shiftRanges(RANGES, -3)).toEqual([
      { start: 0, end: 1 },
      { start: 2.5, end: 3.5 },
    ]);
  });
});

describe('redactionKey', () => {
  it('is empty without (valid) ranges', () => {
    expect(redactionKey([])).toBe('');
    expect(redactionKey([{ start: 4, end: 4 }])).toBe('');
  });

  it('is short, stable and independent of order, splitting and float noise', () => {
    const k = redactionKey(RANGES);
    expect(k).toMatch(/^[0-9a-f]{16}$/);
    expect(redactionKey([...RANGES].reverse())).toBe(k);
    expect(
      redactionKey([
        { start: 2, end: 3 },
        { start: 3, end: 4 },
        { start: 5.5, end: 6.5 },
      ]),
    ).toBe(k);
    expect(
      redactionKey([
        { start: 2.0000001, end: 4 },
        { start: 5.5, end: 6.5 },
      ]),
    ).toBe(k);
  });

  it('changes when the set changes', () => {
    expect(
      redactionKey([
        { start: 2, end: 4.001 },
        { start: 5.5, end: 6.5 },
      ]),
    ).not.toBe(redactionKey(RANGES));
    expect(redactionKey([{ start: 2, end: 4 }])).not.toBe(redactionKey(RANGES));
  });
});

describe('filters', () => {
  it('audioRedactionFilter mutes every frame that overlaps a range', () => {
    expect(audioRedactionFilter([])).toBeNull();
    expect(audioRedactionFilter(RANGES)).toBe(AUDIO);
  });

  it('rounds range bounds outwards to milliseconds', () => {
    expect(enableExpression([{ start: 1.0004, end: 2.0001 }])).toBe('between(t,1.000,2.001)');
    expect(enableExpression([{ start: 1.1, end: 4.35 }])).toBe('between(t,1.100,4.350)');
  });

  it('keeps commas inside quotes, so the graph parser does not split the filter', () => {
    for (const f of [AUDIO, videoRedactionFilter(RANGES, { fontFile: '/f.ttf' })!]) {
      const outside = f
        .split("'")
        .filter((_, i) => i % 2 === 0)
        .join('');
      expect(outside).not.toMatch(/[;[\]]/);
    }
  });

  it('videoRedactionFilter: opaque full-frame box, caption only with a font', () => {
    expect(videoRedactionFilter([])).toBeNull();
    expect(videoRedactionFilter(RANGES)).toBe(BOX);
    expect(videoRedactionFilter(RANGES, { fontFile: null })).toBe(BOX);
    const withText = videoRedactionFilter(RANGES, { fontFile: '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf' })!;
    expect(
      withText.startsWith(
        `${BOX},drawtext=fontfile=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf:text=${CARD_TEXT}:`,
      ),
    ).toBe(true);
    expect(withText.endsWith(ENABLE)).toBe(true);
  });

  it('escapes font paths for both the option and the graph parser', () => {
    expect(escapeFilterValue('/a/b.ttf')).toBe('/a/b.ttf');
    expect(escapeFilterValue('C:x')).toBe('C\\\\:x');
    expect(escapeFilterValue("it's")).toBe("it\\\\\\'s");
    expect(escapeFilterValue('a,b[c];d')).toBe('a\\,b\\[c\\]\\;d');
  });

  it('unrestrictedTime moves a time out of a range, to the nearer side', () => {
    expect(unrestrictedTime(1, RANGES, 8)).toBe(1);
    expect(unrestrictedTime(3.5, RANGES, 8)).toBeCloseTo(4.002, 6);
    expect(unrestrictedTime(2.2, RANGES, 8)).toBeCloseTo(1.998, 6);
    expect(unrestrictedTime(0, [{ start: 0, end: 2 }], 8)).toBeCloseTo(2.002, 6);
    // the frame at a range's end still gets the card (between is inclusive)
    expect(unrestrictedTime(4, RANGES, 8)).toBeCloseTo(4.002, 6);
    expect(
      unrestrictedTime(
        3.9,
        [
          { start: 2, end: 4 },
          { start: 4.0015, end: 5 },
        ],
        7,
      ),
    ).toBeCloseTo(5.002, 6);
    expect(
      unrestrictedTime(
        3.9,
        [
          { start: 2, end: 4 },
          { start: 4.0015, end: 5 },
        ],
        5,
      ),
    ).toBeCloseTo(1.998, 6);
    expect(unrestrictedTime(5, [{ start: 0, end: 10 }], 8)).toBeNull();
  });
});

describe('builders with redaction', () => {
  const redaction = { ranges: RANGES };
  const empty = { ranges: [] as RedactionRange[] };
  const invalid = { ranges: [{ start: 3, end: 1 }] };

  it('audioHlsArgs / m4aArgs: -af with the audio filter, otherwise unchanged', () => {
    const base = { input: '/in/a.wav', outDir: '/out/a', channels: 6 };
    const plain = audioHlsArgs(base);
    const args = audioHlsArgs({ ...base, redaction });
    expect(after(args, '-af')).toBe(AUDIO);
    expect(args.filter((_, i) => i !== args.indexOf('-af') && i !== args.indexOf('-af') + 1)).toEqual(plain);
    expect(args.indexOf('-af')).toBeGreaterThan(args.indexOf('-i'));
    expect(args.indexOf('-af')).toBeLessThan(args.indexOf('-f'));
    expect(audioHlsArgs({ ...base, redaction: empty })).toEqual(plain);
    expect(audioHlsArgs({ ...base, redaction: invalid })).toEqual(plain);
    expect(audioHlsArgs({ ...base, redaction: undefined })).toEqual(plain);

    const m = { input: '/in/a.wav', output: '/out/d.m4a' };
    const m4a = m4aArgs({ ...m, redaction });
    expect(after(m4a, '-af')).toBe(AUDIO);
    expect(m4a.indexOf('-af')).toBeLessThan(m4a.length - 1);
    expect(m4aArgs({ ...m, redaction: empty })).toEqual(m4aArgs(m));
  });

  it('videoHlsArgs: card before fps and split, silenced audio split per rung', () => {
    const base = {
      input: '/in/a.mp4',
      outDir: '/out/hls',
      hasAudio: true,
      source: { width: 1920, height: 1080, fps: 50 },
    };
    const args = videoHlsArgs({ ...base, redaction });
    expect(after(args, '-filter_complex')).toBe(
      `[0:v:0]${BOX},fps=25,split=2[s0][s1];[s0]scale=-2:720,format=yuv420p[v0];[s1]scale=-2:360,format=yuv420p[v1]` +
        `;[0:a:0]${AUDIO},asplit=2[a0][a1]`,
    );
    expect(allAfter(args, '-map')).toEqual(['[v0]', '[a0]', '[v1]', '[a1]']);
    expect(after(args, '-var_stream_map')).toBe('v:0,a:0,name:720p v:1,a:1,name:360p');
    expect(args).not.toContain('-af');
    expect(args).not.toContain('-vf');
    const plain = videoHlsArgs(base);
    expect(videoHlsArgs({ ...base, redaction: empty })).toEqual(plain);
    // everything but the filter graph and the audio maps stays as it was
    const strip = (a: string[]) => a.filter((x) => !x.startsWith('[') && x !== '0:a:0');
    expect(strip(args.filter((_, i) => i !== args.indexOf('-filter_complex') + 1))).toEqual(
      strip(plain.filter((_, i) => i !== plain.indexOf('-filter_complex') + 1)),
    );
  });

  it('videoHlsArgs: video only and with a caption font', () => {
    const base = {
      input: '/in/a.mp4',
      outDir: '/out/hls',
      hasAudio: false,
      source: { width: 640, height: 360, fps: 25 },
    };
    const args = videoHlsArgs({ ...base, redaction: { ranges: RANGES, fontFile: '/f.ttf' } });
    expect(after(args, '-filter_complex')).toBe(
      `[0:v:0]${videoRedactionFilter(RANGES, { fontFile: '/f.ttf' })},split=1[s0];[s0]scale=-2:360,format=yuv420p[v0]`,
    );
    expect(allAfter(args, '-map')).toEqual(['[v0]']);
  });

  it('posterArgs: keeps the input-side seek and shifts the ranges by it', () => {
    const base = { input: '/in/v.mp4', output: '/out/p.jpg', atSeconds: 3 };
    const args = posterArgs({ ...base, redaction });
    expect(after(args, '-ss')).toBe('3');
    expect(args.indexOf('-ss')).toBeLessThan(args.indexOf('-i'));
    expect(after(args, '-vf')).toBe(
      "drawbox=x=0:y=0:w=iw:h=ih:color=0x333333@1:t=fill:enable='between(t,0.000,1.000)+between(t,2.500,3.500)',scale='min(1280,iw)':-2",
    );
    // ranges entirely before the seek point vanish, and with them the filter
    expect(posterArgs({ ...base, atSeconds: 7, redaction })).toEqual(posterArgs({ ...base, atSeconds: 7 }));
    expect(posterArgs({ ...base, redaction: empty })).toEqual(posterArgs(base));
  });

  it('storyboardArgs: card before fps/scale/tile', () => {
    const base = { input: '/v.mp4', output: '/s.jpg', intervalSeconds: 2, columns: 3, rows: 1 };
    expect(after(storyboardArgs({ ...base, redaction }), '-vf')).toBe(
      `${BOX},fps=1/2:eof_action=pass,scale=160:-2,tile=3x1`,
    );
    expect(storyboardArgs({ ...base, redaction: empty })).toEqual(storyboardArgs(base));
  });

  it('waveformPcmArgs: -af before the output, no progress', () => {
    const args = waveformPcmArgs({ input: '/in/a.mp3', redaction });
    expect(after(args, '-af')).toBe(AUDIO);
    expect(args.indexOf('-af')).toBeGreaterThan(args.indexOf('-i'));
    expect(args).not.toContain('-progress');
    expect(args.at(-1)).toBe('pipe:1');
    expect(waveformPcmArgs({ input: '/in/a.mp3', redaction: empty })).toEqual(waveformPcmArgs({ input: '/in/a.mp3' }));
  });
});
