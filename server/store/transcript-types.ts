// Domain records of transcripts and their index (re-exported by server/store/types.ts, which the code imports).

/**
 * One passage of a transcript (seconds). `start`/`end` are null for untimed text (a legacy OHMS transcript without
 * timecodes or sync data): kept as reading text in document order, found by search at the interview level, never a
 * caption, ready for alignment later. A transcript version is either all timed or all untimed.
 */
export interface TranscriptSegment {
  start: number | null;
  end: number | null;
  speaker: string | null;
  text: string;
  /** `probability`: the engine's confidence (automatic transcripts); `aligned: false`: time interpolated, not heard. */
  words?: { start: number; end: number; text: string; probability?: number; aligned?: false }[];
  /** Alignment found none of this segment's words in the recording: its times are a guess. */
  unaligned?: true;
}

/** A segment with its times: what captions, the editor, restrictions and time search work with. */
export type TimedSegment = TranscriptSegment & { start: number; end: number };

export function isTimed(s: TranscriptSegment): s is TimedSegment {
  return s.start !== null && s.end !== null;
}

/** A place of an index point (OHMS `<gpspoints>`): name, coordinates, map zoom and the name's translation. */
export interface IndexPlace {
  name: string;
  lat?: number;
  lon?: number;
  zoom?: number;
  nameAlt?: string;
}

/** A link of an index point (OHMS `<hyperlinks>`). */
export interface IndexHyperlink {
  url: string;
  text: string;
  textAlt?: string;
}

/** An OHMS-style table-of-contents entry; chapters in the player. The `…Alt` fields are OHMS's translated index. */
export interface IndexPoint {
  start: number;
  title: string;
  synopsis: string | null;
  keywords: string[];
  subjects: string[];
  place: IndexPlace | null;
  partialTranscript?: string | null;
  titleAlt?: string;
  synopsisAlt?: string;
  partialTranscriptAlt?: string;
  keywordsAlt?: string[];
  subjectsAlt?: string[];
  /** Further places after the first (OHMS allows several `<gpspoints>` per point). */
  morePlaces?: IndexPlace[];
  hyperlinks?: IndexHyperlink[];
}

/** Every change to a transcript is a new, complete version: listable, diffable, restorable. */
export interface TranscriptVersion {
  mediaId: string;
  version: number;
  segments: TranscriptSegment[];
  authorId: string | null;
  reason: string;
  /** What made it: `import:vtt`, `edit:text`, `edit:split`, `edit:merge`, `restore:3` … */
  source: string;
  createdAt: string;
}

export interface TranscriptHead {
  mediaId: string;
  currentVersion: number;
  /** The version the search index holds; behind currentVersion until the index job ran. */
  indexedVersion: number | null;
  updatedAt: string;
}

export interface MediaIndex {
  mediaId: string;
  points: IndexPoint[];
  version: number;
  updatedBy: string | null;
  updatedAt: string;
}
