// Speaker labels of a transcript matched to the interview's people.
import { type Person, type TranscriptSegment } from '../store/types.js';

export interface SpeakerMapping {
  label: string;
  /** The interview's person this label stands for, matched by name; null when no one matches. */
  person: Person | null;
}

/** Speaker labels in transcripts are free text ("HK", "Krüger", "Horst Krüger"): match them to the interview's people. */
export function mapSpeakers(segments: TranscriptSegment[], people: Person[]): SpeakerMapping[] {
  const labels = [...new Set(segments.map((s) => s.speaker).filter((s): s is string => Boolean(s)))];
  const norm = (s: string) =>
    s
      .toLocaleLowerCase('de')
      .replace(/[^\p{L}\s]/gu, '')
      .trim();
  return labels.map((label) => {
    const l = norm(label);
    const initials = (name: string) =>
      name
        .split(/\s+/)
        .map((p) => p[0] ?? '')
        .join('')
        .toLocaleLowerCase('de');
    const person =
      people.find((p) => norm(p.name) === l) ??
      people.find((p) => norm(p.name).split(/\s+/).includes(l)) ??
      people.find((p) => l.length >= 2 && l.length <= 3 && initials(p.name) === l) ??
      null;
    return { label, person };
  });
}
