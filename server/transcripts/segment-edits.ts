// The segment edits (one segment, split, merge) as pure changes of a copy of the segments, and the check every new
// version passes (schema, not past the end of the recording).
import { Problem } from '../http/problem.js';
import { isTimed, type Medium, type TimedSegment, type TranscriptSegment } from '../store/types.js';
import { segmentsSchema, type SegmentPatch } from './schemas.js';
import { msg } from '../i18n/messages.js';

/** Transcripts may run a little past the recording (rounding in other tools), not minutes past it. */
export const durationSlackSec = 2;

/** Every new version: the segment schema, and no segment starting after the end of the recording. */
export function validateSegments(segments: TranscriptSegment[], medium: Medium): TranscriptSegment[] {
  const parsed = segmentsSchema.safeParse(segments);
  if (!parsed.success) {
    throw new Problem('validation', {
      errors: parsed.error.issues.map((i) => ({ field: `segments.${i.path.join('.')}`, message: i.message })),
    });
  }
  const limit = medium.technical.durationSec + durationSlackSec;
  const late = parsed.data.findIndex((s) => s.start !== null && s.start > limit);
  if (late >= 0) {
    throw new Problem('unprocessable', {
      detail: msg('transcripts.segmentAfterEnd', {
        segment: late + 1,
        duration: Math.round(medium.technical.durationSec),
      }),
      errors: [{ field: `segments.${late}.start`, message: `${parsed.data[late]!.start} s > ${Math.round(limit)} s` }],
    });
  }
  return parsed.data;
}

/** Text, speaker or timing of one segment. */
export function editSegmentAt(segments: TranscriptSegment[], n: number, patch: SegmentPatch): TranscriptSegment[] {
  const s = at(segments, n);
  segments[n] = { ...s, ...patch, ...(patch.text !== undefined && patch.text !== s.text ? { words: undefined } : {}) };
  if (segments[n]!.words === undefined) delete segments[n]!.words;
  return segments;
}

/** Splits a segment at a time (and, when given, a character offset of its text; otherwise at the word nearest in proportion). */
export function splitSegmentAt(
  segments: TranscriptSegment[],
  n: number,
  atSec: number,
  textOffset: number | undefined,
): TranscriptSegment[] {
  const s = at(segments, n);
  if (!(atSec > s.start && atSec < s.end)) {
    throw new Problem('validation', {
      errors: [
        { field: 'body.at', message: `muss zwischen ${s.start} und ${s.end} liegen (must lie inside the segment)` },
      ],
    });
  }
  const cut = textOffset ?? wordBoundaryNear(s.text, (atSec - s.start) / (s.end - s.start));
  const left = s.text.slice(0, cut).trim();
  const right = s.text.slice(cut).trim();
  if (!left || !right) {
    throw new Problem('validation', {
      errors: [{ field: 'body.textOffset', message: msg('field.bothPartsNeedText') }],
    });
  }
  const words = s.words;
  segments.splice(
    n,
    1,
    {
      start: s.start,
      end: atSec,
      speaker: s.speaker,
      text: left,
      ...(words ? { words: words.filter((w) => w.start < atSec) } : {}),
    },
    {
      start: atSec,
      end: s.end,
      speaker: s.speaker,
      text: right,
      ...(words ? { words: words.filter((w) => w.start >= atSec) } : {}),
    },
  );
  return segments;
}

/** Joins a segment with the next one. */
export function mergeWithNext(segments: TranscriptSegment[], n: number): TranscriptSegment[] {
  const a = at(segments, n);
  const next = segments[n + 1];
  const b = next && isTimed(next) ? next : undefined;
  if (!b) throw new Problem('validation', { errors: [{ field: 'params.n', message: msg('field.noSuccessor') }] });
  const words = a.words && b.words ? [...a.words, ...b.words] : undefined;
  segments.splice(n, 2, {
    start: a.start,
    end: Math.max(a.end, b.end),
    speaker: a.speaker ?? b.speaker,
    text: `${a.text} ${b.text}`,
    ...(words ? { words } : {}),
  });
  return segments;
}

function at(segments: TranscriptSegment[], n: number): TimedSegment {
  const s = segments[n];
  if (!s) throw new Problem('not-found', { detail: msg('transcripts.noSegment', { n }) });
  if (!isTimed(s)) {
    throw new Problem('conflict', {
      detail: msg('transcripts.untimed'),
    });
  }
  return s;
}

/** The character offset of the word boundary closest to a fraction of the text. */
export function wordBoundaryNear(text: string, fraction: number): number {
  const target = Math.round(text.length * Math.min(1, Math.max(0, fraction)));
  let best = -1;
  for (let i = 1; i < text.length; i++) {
    if (text[i] === ' ' && (best < 0 || Math.abs(i - target) < Math.abs(best - target))) best = i;
  }
  return best < 0 ? target : best;
}
