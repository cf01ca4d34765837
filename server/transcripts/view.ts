// A transcript version as the API presents it: speakers matched, restricted passages reduced to their marker.
import { type DraftInfo } from '../asr/draft.js';
import { redactSegments, type RedactedSegment, type TimeRange } from '../review/redaction.js';
import { type Interview, type Medium, type TranscriptVersion } from '../store/types.js';
import { mapSpeakers, type SpeakerMapping } from './speakers.js';

export interface TranscriptView {
  mediaId: string;
  interviewId: string;
  version: number;
  currentVersion: number;
  reason: string;
  source: string;
  authorId: string | null;
  createdAt: string;
  speakers: SpeakerMapping[];
  /** For viewers who may not hear restricted passages, those segments carry only the marker (`restricted: true`). */
  segments: RedactedSegment[];
  /** Set when this version is an automatic draft ("automatisch erstellt, ungeprüft"), shown to the team and narrator only. */
  draft: DraftInfo | null;
}

export function transcriptView(
  interview: Interview,
  medium: Medium,
  v: TranscriptVersion,
  currentVersion: number,
  hidden: readonly TimeRange[] = [],
  draft?: DraftInfo | null,
): TranscriptView {
  return {
    mediaId: medium.id,
    interviewId: interview.id,
    version: v.version,
    currentVersion,
    reason: v.reason,
    source: v.source,
    authorId: v.authorId,
    createdAt: v.createdAt,
    speakers: mapSpeakers(v.segments, interview.people),
    segments: redactSegments(v.segments, hidden),
    draft: draft !== undefined ? draft : v.source.startsWith('asr:') ? { origin: v.version, source: v.source } : null,
  };
}
