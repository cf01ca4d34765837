// Pure helpers for the player and the transcript: timecodes, "which passage is current", chapters, waveform columns.
// Nothing here touches the DOM or video.js. Timecodes are in lib/time.ts.

/**
 * Index of the item that is current at `time` in a list sorted by `start`: the last one that has started
 * (so a pause between two passages keeps the previous one highlighted), -1 before the first. Binary search.
 */
export function findCurrentIndex(items: ReadonlyArray<{ start: number }>, time: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.start <= time) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Like findCurrentIndex, but only while `time` is inside the item (`start <= time < end`); -1 in gaps. */
export function findActiveIndex(items: ReadonlyArray<{ start: number; end: number }>, time: number): number {
  const i = findCurrentIndex(items, time);
  return i >= 0 && time < items[i]!.end ? i : -1;
}

export interface ChapterCue {
  start: number;
  end: number;
  title: string;
}

/** Index points → chapter cues: each runs until the next one starts, the last one until the end of the recording. */
export function chapterCues(points: ReadonlyArray<{ start: number; title: string }>, duration: number): ChapterCue[] {
  const sorted = [...points].sort((a, b) => a.start - b.start);
  const end = Number.isFinite(duration) && duration > 0 ? duration : (sorted.at(-1)?.start ?? 0) + 1;
  return sorted
    .map((p, i) => ({ start: p.start, end: Math.max(sorted[i + 1]?.start ?? end, p.start + 0.001), title: p.title }))
    .filter((c) => c.start < end);
}

/**
 * Waveform peaks (interleaved int8 min/max pairs) folded onto `columns` pixel columns: per column the lowest
 * minimum and the highest maximum, scaled to -1…1. Quiet recordings are amplified so that their loudest peak
 * fills the height (at most `maxGain` times), as interview tapes are often recorded far below full scale.
 */
export function waveformColumns(
  data: ReadonlyArray<number>,
  columns: number,
  maxGain = 8,
): { min: Float32Array; max: Float32Array } {
  const n = Math.max(0, Math.floor(columns));
  const min = new Float32Array(n);
  const max = new Float32Array(n);
  const pairs = Math.floor(data.length / 2);
  if (pairs === 0 || n === 0) return { min, max };
  let peak = 1;
  for (let i = 0; i < pairs * 2; i++) peak = Math.max(peak, Math.abs(data[i]!));
  const gain = Math.min(maxGain, 127 / peak);
  const clamp = (v: number) => Math.max(-1, Math.min(1, v));
  for (let c = 0; c < n; c++) {
    const from = Math.floor((c * pairs) / n);
    const to = Math.max(from + 1, Math.floor(((c + 1) * pairs) / n));
    let lo = 127;
    let hi = -128;
    for (let p = from; p < to && p < pairs; p++) {
      lo = Math.min(lo, data[2 * p]!);
      hi = Math.max(hi, data[2 * p + 1]!);
    }
    min[c] = clamp((lo * gain) / 127);
    max[c] = clamp((hi * gain) / 127);
  }
  return { min, max };
}

/** Length of a waveform in seconds. */
export function waveformDuration(peaks: { length: number; samplesPerPixel: number; sampleRate: number }): number {
  return peaks.sampleRate > 0 ? (peaks.length * peaks.samplesPerPixel) / peaks.sampleRate : 0;
}

export const playbackRates = [0.75, 1, 1.25, 1.5, 1.75, 2] as const;
