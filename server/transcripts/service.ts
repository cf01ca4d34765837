// Transcripts: timed segments per medium, every change a new complete version (author, time, reason), restorable and
// diffable; the OHMS-style index points beside them. Each new version queues its search indexing job.
import { canEditInterview, canHearRestricted, canViewInterview } from '../access/policy.js';
import { canSeeDrafts, draftStates, publicVersionOf, REVIEWED_SOURCE, type DraftInfo } from '../asr/draft.js';
import { anonymous, type Viewer } from '../access/viewer.js';
import type { AuditLog } from '../audit/service.js';
import {
  rangesOf, redactIndexPoints, redactSegments, type RedactedSegment, type TimeRange,
} from '../review/redaction.js';
import { Problem } from '../http/problem.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import type { Store, VersionSummary } from '../store/repositories.js';
import {
  isTimed, type IndexPoint, type Interview, type Medium, type Person, type TimedSegment, type TranscriptSegment,
  type TranscriptVersion,
} from '../store/types.js';
import {
  exportTranscript, parseTranscript, detectFormat, TranscriptParseError, type TranscriptFormat,
} from './formats/index.js';
import { diffSegments, type SegmentDiff } from './diff.js';
import { segmentsSchema, type SegmentPatch } from './schemas.js';
import { actorOf } from '../access/viewer.js';
import { digestOf, type UnitOfWork } from '../store/unit-of-work.js';
import { transcriptVersionConflict, type TranscriptPayload } from './units.js';
import { msg } from '../i18n/messages.js';

export interface SpeakerMapping {
  label: string;
  /** The interview's person this label stands for, matched by name; null when no one matches. */
  person: Person | null;
}

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

/** Transcripts may run a little past the recording (rounding in other tools), not minutes past it. */
const durationSlackSec = 2;

export class TranscriptService {
  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly logger: Logger,
    private readonly audit: AuditLog | null = null,
    private readonly units: UnitOfWork | null = null,
  ) {}

  /**
   * Loads interview and medium and checks the viewer may see (or edit) them; 404 hides what may not be seen.
   * `hidden` are the restricted passages this viewer gets only as the marker (empty for curators and the narrator).
   */
  private async target(viewer: Viewer, interviewId: string, mediaId: string, mode: 'view' | 'edit'): Promise<{ interview: Interview; medium: Medium; hidden: TimeRange[] }> {
    const interview = await this.store.interviews.findById(interviewId);
    if (!interview || !canViewInterview(viewer, interview)) throw new Problem('not-found');
    const medium = await this.store.media.findById(mediaId);
    if (!medium || medium.interviewId !== interviewId) throw new Problem('not-found');
    const hidden = canHearRestricted(viewer, interview) ? [] : rangesOf(await this.store.review.listRestrictions({ mediaId }));
    if (mode === 'edit') {
      if (viewer.kind !== 'user') throw new Problem('unauthenticated');
      if (!canEditInterview(viewer, interview)) throw new Problem('forbidden');
      // editing what one cannot see would write the marker into the transcript
      if (hidden.length > 0) {
        throw new Problem('conflict', {
          detail: msg('transcripts.restrictedEdit'),
        });
      }
    }
    return { interview, medium, hidden };
  }

  async import(input: {
    viewer: Viewer; interviewId: string; mediaId: string; text: string; format?: TranscriptFormat; filename?: string;
    reason?: string; expectedVersion?: number | null;
  }): Promise<TranscriptView & { index: IndexPoint[] | null; warnings: { line: number; message: string }[] }> {
    const { interview, medium } = await this.target(input.viewer, input.interviewId, input.mediaId, 'edit');
    const format = input.format ?? detectFormat(input.text, input.filename);
    let parsed;
    try {
      parsed = parseTranscript(input.text, format);
    } catch (err) {
      if (!(err instanceof TranscriptParseError)) throw err;
      throw new Problem('unprocessable', {
        detail: msg('transcripts.importErrors', { format, count: err.issues.length }),
        errors: err.issues.map((i) => ({ field: `file:${i.line}${i.column ? `:${i.column}` : ''}`, line: i.line, ...(i.column ? { column: i.column } : {}), message: i.message })),
        extra: { format },
      });
    }
    const segments = this.validate(parsed.segments, medium);
    const version = await this.append(input.viewer, medium, segments, `import:${format}`, input.reason ?? `Import (${format})`, input.expectedVersion,
      parsed.index.length > 0 ? parsed.index : null);
    const index = parsed.index.length > 0 ? ((await this.store.transcripts.getIndex(medium.id))?.points ?? null) : null;
    // repairs (zero-length or reversed cues …) are part of the answer and the log, never silent
    const warnings = parsed.warnings.map((w) => ({ line: w.line, message: w.message }));
    this.logger.info({ mediaId: medium.id, version: version.version, segments: segments.length, format, warnings: warnings.length }, 'transcript imported');
    return { ...this.view(interview, medium, version, version.version), index, warnings };
  }

  async get(viewer: Viewer, interviewId: string, mediaId: string, version?: number): Promise<TranscriptView> {
    const { interview, medium, hidden } = await this.target(viewer, interviewId, mediaId, 'view');
    const head = await this.store.transcripts.head(mediaId);
    const notFound = () => new Problem('not-found', { detail: msg('transcripts.noneInVersion') });
    if (!head) throw notFound();
    const versions = await this.store.transcripts.listVersions(mediaId);
    const states = draftStates(versions);
    // automatic drafts stay with the team and the narrator until a person marks them reviewed
    const drafts = canSeeDrafts(viewer, interview);
    const latest = drafts ? head.currentVersion : publicVersionOf(versions);
    const wanted = version ?? latest;
    if (wanted === null || (!drafts && states.get(wanted))) throw notFound();
    const v = await this.store.transcripts.getVersion(mediaId, wanted);
    if (!v) throw notFound();
    return this.view(interview, medium, v, latest ?? v.version, hidden, states.get(v.version) ?? null);
  }

  async export(viewer: Viewer, interviewId: string, mediaId: string, format: TranscriptFormat, version?: number): Promise<string> {
    const t = await this.get(viewer, interviewId, mediaId, version);
    const { hidden } = await this.target(viewer, interviewId, mediaId, 'view');
    const index = redactIndexPoints((await this.store.transcripts.getIndex(mediaId))?.points ?? [], hidden);
    const interview = await this.store.interviews.findById(interviewId);
    return exportTranscript({ segments: t.segments, index, title: interview?.title, speakers: t.speakers.map((s) => s.label) }, format);
  }

  async versions(viewer: Viewer, interviewId: string, mediaId: string): Promise<VersionSummary[]> {
    const { interview } = await this.target(viewer, interviewId, mediaId, 'view');
    const versions = await this.store.transcripts.listVersions(mediaId);
    const states = draftStates(versions);
    const drafts = canSeeDrafts(viewer, interview);
    return versions.filter((v) => drafts || !states.get(v.version)).map((v) => ({ ...v, draft: states.get(v.version) ?? null }));
  }

  async diff(viewer: Viewer, interviewId: string, mediaId: string, from: number, to: number): Promise<SegmentDiff> {
    const { hidden, interview } = await this.target(viewer, interviewId, mediaId, 'view');
    if (!canSeeDrafts(viewer, interview)) {
      const states = draftStates(await this.store.transcripts.listVersions(mediaId));
      if (states.get(from) || states.get(to)) throw new Problem('not-found', { detail: msg('transcripts.noSuchVersion') });
    }
    const [a, b] = await Promise.all([this.store.transcripts.getVersion(mediaId, from), this.store.transcripts.getVersion(mediaId, to)]);
    if (!a || !b) throw new Problem('not-found', { detail: msg('transcripts.noSuchVersion') });
    return diffSegments(redactSegments(a.segments, hidden), redactSegments(b.segments, hidden));
  }

  async restore(viewer: Viewer, interviewId: string, mediaId: string, version: number, reason: string | undefined, expectedVersion?: number) {
    const { interview, medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const old = await this.store.transcripts.getVersion(mediaId, version);
    if (!old) throw new Problem('not-found', { detail: msg('transcripts.noSuchVersion') });
    const v = await this.append(viewer, medium, old.segments, `restore:${version}`, reason ?? `Fassung ${version} wiederhergestellt`, expectedVersion);
    return this.view(interview, medium, v, v.version, [], await this.draftOf(mediaId, v.version));
  }

  /**
   * A person read the automatic draft and vouches for it: a new version with the same segments (confidences dropped)
   * and source `review:asr`; from now on the public and search get it.
   */
  async markReviewed(viewer: Viewer, interviewId: string, mediaId: string, reason?: string, expectedVersion?: number): Promise<TranscriptView> {
    const { interview, medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const current = await this.store.transcripts.current(mediaId);
    if (!current) throw new Problem('not-found', { detail: msg('transcripts.noneYet') });
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict(current.version);
    const states = draftStates(await this.store.transcripts.listVersions(mediaId));
    if (!states.get(current.version)) {
      throw new Problem('conflict', { detail: msg('transcripts.notAsrDraft') });
    }
    const segments = current.segments.map((s) => ({ ...s, ...(s.words ? { words: s.words.map(({ probability: _p, ...w }) => w) } : {}) }));
    const v = await this.append(viewer, medium, segments, REVIEWED_SOURCE, reason ?? 'Automatischen Entwurf geprüft', current.version);
    return this.view(interview, medium, v, v.version);
  }

  /** A new version made by the speech-recognition jobs (workers/handlers/asr.ts): author null, source asr:/align:. */
  async appendAutomatic(mediaId: string, segments: TranscriptSegment[], source: string, reason: string, expected?: number | null): Promise<TranscriptVersion> {
    const medium = await this.store.media.findById(mediaId);
    if (!medium) throw new Problem('not-found');
    return this.append(anonymous, medium, this.validate(segments, medium), source, reason, expected);
  }

  /** Text, speaker or timing of one segment. */
  editSegment(viewer: Viewer, interviewId: string, mediaId: string, n: number, patch: SegmentPatch, reason?: string, expectedVersion?: number) {
    return this.mutate(viewer, interviewId, mediaId, 'edit:segment', reason ?? 'Abschnitt bearbeitet', expectedVersion, (segments) => {
      const s = at(segments, n);
      segments[n] = { ...s, ...patch, ...(patch.text !== undefined && patch.text !== s.text ? { words: undefined } : {}) };
      if (segments[n]!.words === undefined) delete segments[n]!.words;
      return segments;
    });
  }

  /** Splits a segment at a time (and, when given, a character offset of its text; otherwise at the word nearest in proportion). */
  split(viewer: Viewer, interviewId: string, mediaId: string, n: number, atSec: number, textOffset: number | undefined, reason?: string, expectedVersion?: number) {
    return this.mutate(viewer, interviewId, mediaId, 'edit:split', reason ?? 'Abschnitt geteilt', expectedVersion, (segments) => {
      const s = at(segments, n);
      if (!(atSec > s.start && atSec < s.end)) {
        throw new Problem('validation', { errors: [{ field: 'body.at', message: `muss zwischen ${s.start} und ${s.end} liegen (must lie inside the segment)` }] });
      }
      const cut = textOffset ?? wordBoundaryNear(s.text, (atSec - s.start) / (s.end - s.start));
      const left = s.text.slice(0, cut).trim();
      const right = s.text.slice(cut).trim();
      if (!left || !right) {
        throw new Problem('validation', { errors: [{ field: 'body.textOffset', message: msg('field.bothPartsNeedText') }] });
      }
      const words = s.words;
      segments.splice(n, 1,
        { start: s.start, end: atSec, speaker: s.speaker, text: left, ...(words ? { words: words.filter((w) => w.start < atSec) } : {}) },
        { start: atSec, end: s.end, speaker: s.speaker, text: right, ...(words ? { words: words.filter((w) => w.start >= atSec) } : {}) });
      return segments;
    });
  }

  /** Joins a segment with the next one. */
  merge(viewer: Viewer, interviewId: string, mediaId: string, n: number, reason?: string, expectedVersion?: number) {
    return this.mutate(viewer, interviewId, mediaId, 'edit:merge', reason ?? 'Abschnitte zusammengeführt', expectedVersion, (segments) => {
      const a = at(segments, n);
      const next = segments[n + 1];
      const b = next && isTimed(next) ? next : undefined;
      if (!b) throw new Problem('validation', { errors: [{ field: 'params.n', message: msg('field.noSuccessor') }] });
      const words = a.words && b.words ? [...a.words, ...b.words] : undefined;
      segments.splice(n, 2, { start: a.start, end: Math.max(a.end, b.end), speaker: a.speaker ?? b.speaker, text: `${a.text} ${b.text}`, ...(words ? { words } : {}) });
      return segments;
    });
  }

  async getIndex(viewer: Viewer, interviewId: string, mediaId: string) {
    const { hidden } = await this.target(viewer, interviewId, mediaId, 'view');
    const index = await this.store.transcripts.getIndex(mediaId);
    return { mediaId, version: index?.version ?? 0, points: redactIndexPoints(index?.points ?? [], hidden), updatedAt: index?.updatedAt ?? null };
  }

  async putIndex(viewer: Viewer, interviewId: string, mediaId: string, points: IndexPoint[], expectedVersion?: number) {
    const { medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const tooLate = points.findIndex((p) => p.start > medium.technical.durationSec + durationSlackSec);
    if (tooLate >= 0) {
      throw new Problem('validation', { errors: [{ field: `body.points.${tooLate}.start`, message: `nach dem Ende der Aufnahme (${Math.round(medium.technical.durationSec)} s) (after the end of the recording)` }] });
    }
    const sorted = [...points].sort((a, b) => a.start - b.start);
    const before = await this.store.transcripts.getIndex(mediaId);
    const result = await this.store.transcripts.putIndex(mediaId, sorted, userId(viewer), new Date().toISOString(), expectedVersion);
    if (!result.ok) throw versionConflict(result.current);
    // one document; the log entry is keyed by the index version it records
    await this.audit?.record(viewer, {
      interviewId, action: 'transcript.index', entity: 'media_index', entityId: mediaId,
      before: before ? { version: before.version, points: before.points } : null, after: { version: result.index.version, points: result.index.points },
    }, `transcript.index:${mediaId}:${result.index.version}`);
    return { mediaId, version: result.index.version, points: result.index.points, updatedAt: result.index.updatedAt };
  }

  private async mutate(
    viewer: Viewer, interviewId: string, mediaId: string, source: string, reason: string, expectedVersion: number | undefined,
    change: (segments: TranscriptSegment[]) => TranscriptSegment[],
  ): Promise<TranscriptView> {
    const { interview, medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const current = await this.store.transcripts.current(mediaId);
    if (!current) throw new Problem('not-found', { detail: msg('transcripts.noneYet') });
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict(current.version);
    const segments = this.validate(change(structuredClone(current.segments)), medium);
    const v = await this.append(viewer, medium, segments, source, reason, current.version);
    return this.view(interview, medium, v, v.version, [], await this.draftOf(mediaId, v.version));
  }

  private async draftOf(mediaId: string, version: number): Promise<DraftInfo | null> {
    return draftStates(await this.store.transcripts.listVersions(mediaId)).get(version) ?? null;
  }

  private validate(segments: TranscriptSegment[], medium: Medium): TranscriptSegment[] {
    const parsed = segmentsSchema.safeParse(segments);
    if (!parsed.success) {
      throw new Problem('validation', { errors: parsed.error.issues.map((i) => ({ field: `segments.${i.path.join('.')}`, message: i.message })) });
    }
    const limit = medium.technical.durationSec + durationSlackSec;
    const late = parsed.data.findIndex((s) => s.start !== null && s.start > limit);
    if (late >= 0) {
      throw new Problem('unprocessable', {
        detail: msg('transcripts.segmentAfterEnd', { segment: late + 1, duration: Math.round(medium.technical.durationSec) }),
        errors: [{ field: `segments.${late}.start`, message: `${parsed.data[late]!.start} s > ${Math.round(limit)} s` }],
      });
    }
    return parsed.data;
  }

  /**
   * A new version as one unit of work: the version, its search job and its audit event (and the index points an
   * import brought). Based on `expected` (null = no transcript yet; undefined = whatever is current now).
   */
  private async append(
    viewer: Viewer, medium: Medium, segments: TranscriptSegment[], source: string, reason: string, expected?: number | null,
    index: IndexPoint[] | null = null,
  ): Promise<TranscriptVersion> {
    const current = (await this.store.transcripts.head(medium.id))?.currentVersion ?? null;
    const base = expected !== undefined ? expected : current;
    // the same change on the same version is one unit of work: a retry (same If-Match, same content) gets its version
    const key = `transcript.version:${medium.id}:${base ?? 0}:${digestOf({ segments, source, reason, index })}`;
    const done = this.units ? await this.units.find(key) : null;
    if (done && this.units) {
      await this.units.run<TranscriptPayload>('transcript.version', key, done.payload as TranscriptPayload);
      return (await this.store.transcripts.getVersion(medium.id, (base ?? 0) + 1))!;
    }
    if (expected !== undefined && expected !== current) throw versionConflict(current);
    const version = { mediaId: medium.id, segments, authorId: userId(viewer), reason, source, createdAt: new Date().toISOString() };
    if (!this.units) {
      // no units of work (a service built alone, e.g. in a unit test): the same writes one after another
      const result = await this.store.transcripts.append(version, current);
      if (!result.ok) throw versionConflict(result.current);
      await this.queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId: medium.id } });
      if (index) await this.store.transcripts.putIndex(medium.id, index, userId(viewer), version.createdAt);
      await this.audit?.record(viewer, {
        interviewId: medium.interviewId, action: 'transcript.version', entity: 'transcript', entityId: medium.id,
        before: { version: result.version.version - 1 || null }, after: { version: result.version.version, source, reason, segments: segments.length },
      });
      return result.version;
    }
    await this.units.run<TranscriptPayload>('transcript.version', key, {
      actor: actorOf(viewer), interviewId: medium.interviewId, version, expectedCurrent: current,
      index: index ? { points: index, updatedBy: userId(viewer), at: version.createdAt } : null,
    });
    return (await this.store.transcripts.getVersion(medium.id, (current ?? 0) + 1))!;
  }

  private view(interview: Interview, medium: Medium, v: TranscriptVersion, currentVersion: number, hidden: readonly TimeRange[] = [], draft?: DraftInfo | null): TranscriptView {
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
}

function userId(viewer: Viewer): string | null {
  return viewer.kind === 'user' ? viewer.user.id : null;
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

const versionConflict = transcriptVersionConflict;

/** The character offset of the word boundary closest to a fraction of the text. */
export function wordBoundaryNear(text: string, fraction: number): number {
  const target = Math.round(text.length * Math.min(1, Math.max(0, fraction)));
  let best = -1;
  for (let i = 1; i < text.length; i++) {
    if (text[i] === ' ' && (best < 0 || Math.abs(i - target) < Math.abs(best - target))) best = i;
  }
  return best < 0 ? target : best;
}

/** Speaker labels in transcripts are free text ("HK", "Krüger", "Horst Krüger"): match them to the interview's people. */
export function mapSpeakers(segments: TranscriptSegment[], people: Person[]): SpeakerMapping[] {
  const labels = [...new Set(segments.map((s) => s.speaker).filter((s): s is string => Boolean(s)))];
  const norm = (s: string) => s.toLocaleLowerCase('de').replace(/[^\p{L}\s]/gu, '').trim();
  return labels.map((label) => {
    const l = norm(label);
    const initials = (name: string) => name.split(/\s+/).map((p) => p[0] ?? '').join('').toLocaleLowerCase('de');
    const person =
      people.find((p) => norm(p.name) === l) ??
      people.find((p) => norm(p.name).split(/\s+/).includes(l)) ??
      people.find((p) => l.length >= 2 && l.length <= 3 && initials(p.name) === l) ??
      null;
    return { label, person };
  });
}
