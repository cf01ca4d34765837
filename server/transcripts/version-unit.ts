// A new transcript version as one unit of work (the version, its search job, its audit event, imported index points).
import { type Viewer } from '../access/viewer.js';
import type { AuditLog } from '../audit/service.js';
import type { JobQueue } from '../jobs/queue.js';
import type { Store } from '../store/repositories.js';
import { type IndexPoint, type Medium, type TranscriptSegment, type TranscriptVersion } from '../store/types.js';
import { actorOf } from '../access/viewer.js';
import { digestOf, type UnitOfWork } from '../store/unit-of-work.js';
import { transcriptVersionConflict, type TranscriptPayload } from './units.js';

/** What writing a version needs; the TranscriptService hands in its own. */
export interface VersionDeps {
  store: Store;
  queue: JobQueue;
  audit: AuditLog | null;
  units: UnitOfWork | null;
}

/**
 * A new version as one unit of work: the version, its search job and its audit event (and the index points an
 * import brought). Based on `expected` (null = no transcript yet; undefined = whatever is current now).
 */
export async function appendVersion(
  deps: VersionDeps,
  viewer: Viewer,
  medium: Medium,
  segments: TranscriptSegment[],
  source: string,
  reason: string,
  expected?: number | null,
  index: IndexPoint[] | null = null,
): Promise<TranscriptVersion> {
  const current = (await deps.store.transcripts.head(medium.id))?.currentVersion ?? null;
  const base = expected !== undefined ? expected : current;
  // the same change on the same version is one unit of work: a retry (same If-Match, same content) gets its version
  const key = `transcript.version:${medium.id}:${base ?? 0}:${digestOf({ segments, source, reason, index })}`;
  const done = deps.units ? await deps.units.find(key) : null;
  if (done && deps.units) {
    await deps.units.run<TranscriptPayload>('transcript.version', key, done.payload as TranscriptPayload);
    return (await deps.store.transcripts.getVersion(medium.id, (base ?? 0) + 1))!;
  }
  if (expected !== undefined && expected !== current) throw versionConflict(current);
  const version = {
    mediaId: medium.id,
    segments,
    authorId: userId(viewer),
    reason,
    source,
    createdAt: new Date().toISOString(),
  };
  if (!deps.units) {
    // no units of work (a service built alone, e.g. in a unit test): the same writes one after another
    const result = await deps.store.transcripts.append(version, current);
    if (!result.ok) throw versionConflict(result.current);
    await deps.queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId: medium.id } });
    if (index) await deps.store.transcripts.putIndex(medium.id, index, userId(viewer), version.createdAt);
    await deps.audit?.record(viewer, {
      interviewId: medium.interviewId,
      action: 'transcript.version',
      entity: 'transcript',
      entityId: medium.id,
      before: { version: result.version.version - 1 || null },
      after: { version: result.version.version, source, reason, segments: segments.length },
    });
    return result.version;
  }
  await deps.units.run<TranscriptPayload>('transcript.version', key, {
    actor: actorOf(viewer),
    interviewId: medium.interviewId,
    version,
    expectedCurrent: current,
    index: index ? { points: index, updatedBy: userId(viewer), at: version.createdAt } : null,
  });
  return (await deps.store.transcripts.getVersion(medium.id, (current ?? 0) + 1))!;
}

export function userId(viewer: Viewer): string | null {
  return viewer.kind === 'user' ? viewer.user.id : null;
}

export const versionConflict = transcriptVersionConflict;
