// Transcripts: timed segments per medium, every change a new complete version (author, time, reason), restorable and
// diffable; the OHMS-style index points beside them. Each new version queues its search indexing job.
// The segment edits and checks are in segment-edits.ts, the presented view in view.ts, speaker matching in speakers.ts,
// writing a version (one unit of work) in version-unit.ts.
import { canEditInterview, canHearRestricted, canViewInterview } from '../access/policy.js';
import { canSeeDrafts, draftStates, publicVersionOf, REVIEWED_SOURCE, type DraftInfo } from '../asr/draft.js';
import { anonymous, type Viewer } from '../access/viewer.js';
import type { AuditLog } from '../audit/service.js';
import { rangesOf, redactIndexPoints, redactSegments, type TimeRange } from '../review/redaction.js';
import { Problem } from '../http/problem.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import type { Store, VersionSummary } from '../store/repositories.js';
import {
  type IndexPoint,
  type Interview,
  type Medium,
  type TranscriptSegment,
  type TranscriptVersion,
} from '../store/types.js';
import {
  exportTranscript,
  parseTranscript,
  detectFormat,
  TranscriptParseError,
  type TranscriptFormat,
} from './formats/index.js';
import { diffSegments, type SegmentDiff } from './diff.js';
import { type SegmentPatch } from './schemas.js';
import { type UnitOfWork } from '../store/unit-of-work.js';
import { msg } from '../i18n/messages.js';
import { durationSlackSec, editSegmentAt, mergeWithNext, splitSegmentAt, validateSegments } from './segment-edits.js';
import { transcriptView, type TranscriptView } from './view.js';
import { appendVersion, userId, versionConflict } from './version-unit.js';

export type { SpeakerMapping } from './speakers.js';
export type { TranscriptView } from './view.js';

export class TranscriptService {
  constructor(
    private readonly store: Store,
    private readonly queue: JobQueue,
    private readonly logger: Logger,
    private readonly audit: AuditLog | null = null,
    private readonly units: UnitOfWork | null = null,
  ) {}

  private get versionDeps() {
    return { store: this.store, queue: this.queue, audit: this.audit, units: this.units };
  }

  /**
   * Loads interview and medium and checks the viewer may see (or edit) them; 404 hides what may not be seen.
   * `hidden` are the restricted passages this viewer gets only as the marker (empty for curators and the narrator).
   */
  private async target(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    mode: 'view' | 'edit',
  ): Promise<{ interview: Interview; medium: Medium; hidden: TimeRange[] }> {
    const interview = await this.store.interviews.findById(interviewId);
    if (!interview || !canViewInterview(viewer, interview)) throw new Problem('not-found');
    const medium = await this.store.media.findById(mediaId);
    if (!medium || medium.interviewId !== interviewId) throw new Problem('not-found');
    const hidden = canHearRestricted(viewer, interview)
      ? []
      : rangesOf(await this.store.review.listRestrictions({ mediaId }));
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
    viewer: Viewer;
    interviewId: string;
    mediaId: string;
    text: string;
    format?: TranscriptFormat;
    filename?: string;
    reason?: string;
    expectedVersion?: number | null;
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
        errors: err.issues.map((i) => ({
          field: `file:${i.line}${i.column ? `:${i.column}` : ''}`,
          line: i.line,
          ...(i.column ? { column: i.column } : {}),
          message: i.message,
        })),
        extra: { format },
      });
    }
    const segments = validateSegments(parsed.segments, medium);
    const version = await appendVersion(
      this.versionDeps,
      input.viewer,
      medium,
      segments,
      `import:${format}`,
      input.reason ?? `Import (${format})`,
      input.expectedVersion,
      parsed.index.length > 0 ? parsed.index : null,
    );
    const index = parsed.index.length > 0 ? ((await this.store.transcripts.getIndex(medium.id))?.points ?? null) : null;
    // repairs (zero-length or reversed cues …) are part of the answer and the log, never silent
    const warnings = parsed.warnings.map((w) => ({ line: w.line, message: w.message }));
    this.logger.info(
      { mediaId: medium.id, version: version.version, segments: segments.length, format, warnings: warnings.length },
      'transcript imported',
    );
    return { ...transcriptView(interview, medium, version, version.version), index, warnings };
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
    return transcriptView(interview, medium, v, latest ?? v.version, hidden, states.get(v.version) ?? null);
  }

  async export(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    format: TranscriptFormat,
    version?: number,
  ): Promise<string> {
    const t = await this.get(viewer, interviewId, mediaId, version);
    const { hidden } = await this.target(viewer, interviewId, mediaId, 'view');
    const index = redactIndexPoints((await this.store.transcripts.getIndex(mediaId))?.points ?? [], hidden);
    const interview = await this.store.interviews.findById(interviewId);
    return exportTranscript(
      { segments: t.segments, index, title: interview?.title, speakers: t.speakers.map((s) => s.label) },
      format,
    );
  }

  async versions(viewer: Viewer, interviewId: string, mediaId: string): Promise<VersionSummary[]> {
    const { interview } = await this.target(viewer, interviewId, mediaId, 'view');
    const versions = await this.store.transcripts.listVersions(mediaId);
    const states = draftStates(versions);
    const drafts = canSeeDrafts(viewer, interview);
    return versions
      .filter((v) => drafts || !states.get(v.version))
      .map((v) => ({ ...v, draft: states.get(v.version) ?? null }));
  }

  async diff(viewer: Viewer, interviewId: string, mediaId: string, from: number, to: number): Promise<SegmentDiff> {
    const { hidden, interview } = await this.target(viewer, interviewId, mediaId, 'view');
    if (!canSeeDrafts(viewer, interview)) {
      const states = draftStates(await this.store.transcripts.listVersions(mediaId));
      if (states.get(from) || states.get(to))
        throw new Problem('not-found', { detail: msg('transcripts.noSuchVersion') });
    }
    const [a, b] = await Promise.all([
      this.store.transcripts.getVersion(mediaId, from),
      this.store.transcripts.getVersion(mediaId, to),
    ]);
    if (!a || !b) throw new Problem('not-found', { detail: msg('transcripts.noSuchVersion') });
    return diffSegments(redactSegments(a.segments, hidden), redactSegments(b.segments, hidden));
  }

  async restore(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    version: number,
    reason: string | undefined,
    expectedVersion?: number,
  ) {
    const { interview, medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const old = await this.store.transcripts.getVersion(mediaId, version);
    if (!old) throw new Problem('not-found', { detail: msg('transcripts.noSuchVersion') });
    const v = await appendVersion(
      this.versionDeps,
      viewer,
      medium,
      old.segments,
      `restore:${version}`,
      reason ?? `Fassung ${version} wiederhergestellt`,
      expectedVersion,
    );
    return transcriptView(interview, medium, v, v.version, [], await this.draftOf(mediaId, v.version));
  }

  /**
   * A person read the automatic draft and vouches for it: a new version with the same segments (confidences dropped)
   * and source `review:asr`; from now on the public and search get it.
   */
  async markReviewed(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    reason?: string,
    expectedVersion?: number,
  ): Promise<TranscriptView> {
    const { interview, medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const current = await this.store.transcripts.current(mediaId);
    if (!current) throw new Problem('not-found', { detail: msg('transcripts.noneYet') });
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict(current.version);
    const states = draftStates(await this.store.transcripts.listVersions(mediaId));
    if (!states.get(current.version)) {
      throw new Problem('conflict', { detail: msg('transcripts.notAsrDraft') });
    }
    const segments = current.segments.map((s) => ({
      ...s,
      ...(s.words ? { words: s.words.map(({ probability: _p, ...w }) => w) } : {}),
    }));
    const v = await appendVersion(
      this.versionDeps,
      viewer,
      medium,
      segments,
      REVIEWED_SOURCE,
      reason ?? 'Automatischen Entwurf geprüft',
      current.version,
    );
    return transcriptView(interview, medium, v, v.version);
  }

  /** A new version made by the speech-recognition jobs (workers/handlers/asr.ts): author null, source asr:/align:. */
  async appendAutomatic(
    mediaId: string,
    segments: TranscriptSegment[],
    source: string,
    reason: string,
    expected?: number | null,
  ): Promise<TranscriptVersion> {
    const medium = await this.store.media.findById(mediaId);
    if (!medium) throw new Problem('not-found');
    return appendVersion(
      this.versionDeps,
      anonymous,
      medium,
      validateSegments(segments, medium),
      source,
      reason,
      expected,
    );
  }

  /** Text, speaker or timing of one segment (segment-edits.ts). */
  editSegment(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    n: number,
    patch: SegmentPatch,
    reason?: string,
    expectedVersion?: number,
  ) {
    return this.mutate(
      viewer,
      interviewId,
      mediaId,
      'edit:segment',
      reason ?? 'Abschnitt bearbeitet',
      expectedVersion,
      (segments) => editSegmentAt(segments, n, patch),
    );
  }

  /** Splits a segment at a time, or at a character offset of its text (segment-edits.ts). */
  split(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    n: number,
    atSec: number,
    textOffset: number | undefined,
    reason?: string,
    expectedVersion?: number,
  ) {
    return this.mutate(
      viewer,
      interviewId,
      mediaId,
      'edit:split',
      reason ?? 'Abschnitt geteilt',
      expectedVersion,
      (segments) => splitSegmentAt(segments, n, atSec, textOffset),
    );
  }

  /** Joins a segment with the next one. */
  merge(viewer: Viewer, interviewId: string, mediaId: string, n: number, reason?: string, expectedVersion?: number) {
    return this.mutate(
      viewer,
      interviewId,
      mediaId,
      'edit:merge',
      reason ?? 'Abschnitte zusammengeführt',
      expectedVersion,
      (segments) => mergeWithNext(segments, n),
    );
  }

  async getIndex(viewer: Viewer, interviewId: string, mediaId: string) {
    const { hidden } = await this.target(viewer, interviewId, mediaId, 'view');
    const index = await this.store.transcripts.getIndex(mediaId);
    return {
      mediaId,
      version: index?.version ?? 0,
      points: redactIndexPoints(index?.points ?? [], hidden),
      updatedAt: index?.updatedAt ?? null,
    };
  }

  async putIndex(viewer: Viewer, interviewId: string, mediaId: string, points: IndexPoint[], expectedVersion?: number) {
    const { medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const tooLate = points.findIndex((p) => p.start > medium.technical.durationSec + durationSlackSec);
    if (tooLate >= 0) {
      throw new Problem('validation', {
        errors: [
          {
            field: `body.points.${tooLate}.start`,
            message: `nach dem Ende der Aufnahme (${Math.round(medium.technical.durationSec)} s) (after the end of the recording)`,
          },
        ],
      });
    }
    const sorted = [...points].sort((a, b) => a.start - b.start);
    const before = await this.store.transcripts.getIndex(mediaId);
    const result = await this.store.transcripts.putIndex(
      mediaId,
      sorted,
      userId(viewer),
      new Date().toISOString(),
      expectedVersion,
    );
    if (!result.ok) throw versionConflict(result.current);
    // one document; the log entry is keyed by the index version it records
    await this.audit?.record(
      viewer,
      {
        interviewId,
        action: 'transcript.index',
        entity: 'media_index',
        entityId: mediaId,
        before: before ? { version: before.version, points: before.points } : null,
        after: { version: result.index.version, points: result.index.points },
      },
      `transcript.index:${mediaId}:${result.index.version}`,
    );
    return { mediaId, version: result.index.version, points: result.index.points, updatedAt: result.index.updatedAt };
  }

  private async mutate(
    viewer: Viewer,
    interviewId: string,
    mediaId: string,
    source: string,
    reason: string,
    expectedVersion: number | undefined,
    change: (segments: TranscriptSegment[]) => TranscriptSegment[],
  ): Promise<TranscriptView> {
    const { interview, medium } = await this.target(viewer, interviewId, mediaId, 'edit');
    const current = await this.store.transcripts.current(mediaId);
    if (!current) throw new Problem('not-found', { detail: msg('transcripts.noneYet') });
    if (expectedVersion !== undefined && expectedVersion !== current.version) throw versionConflict(current.version);
    const segments = validateSegments(change(structuredClone(current.segments)), medium);
    const v = await appendVersion(this.versionDeps, viewer, medium, segments, source, reason, current.version);
    return transcriptView(interview, medium, v, v.version, [], await this.draftOf(mediaId, v.version));
  }

  private async draftOf(mediaId: string, version: number): Promise<DraftInfo | null> {
    return draftStates(await this.store.transcripts.listVersions(mediaId)).get(version) ?? null;
  }
}
