// Search hits pass the same access check as the interview page (server/access/policy.ts), not only the Meilisearch
// filter that mirrors it: a change the index has not caught up with yet (a withdrawal, a new restriction, a narrowed
// visibility) never shows in a hit, however long the search job waits.
import { canHearRestricted, canViewInterview, type AccessFields } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import { overlapsAny } from '../review/redaction.js';
import type { Store } from '../store/repositories.js';

/**
 * `interviewOf`: where to read an interview's access fields; by default the store, one read per interview. Archive
 * search passes its catalog (interview-catalog.ts), which is the store as of this request too.
 */
export async function visibleHits<H extends { interviewId: string; mediaId: string; start: number; end: number }>(
  store: Store,
  viewer: Viewer,
  hits: readonly H[],
  interviewOf: (id: string) => Promise<AccessFields | null> | AccessFields | null = (id) =>
    store.interviews.findById(id),
): Promise<{ hits: H[]; dropped: number }> {
  const interviews = new Map<string, AccessFields | null>();
  const restrictions = new Map<string, { start: number; end: number }[]>();
  const kept: H[] = [];
  for (const hit of hits) {
    if (!interviews.has(hit.interviewId)) interviews.set(hit.interviewId, await interviewOf(hit.interviewId));
    const interview = interviews.get(hit.interviewId);
    if (!interview || !canViewInterview(viewer, interview)) continue;
    if (!canHearRestricted(viewer, interview)) {
      if (!restrictions.has(hit.mediaId))
        restrictions.set(hit.mediaId, await store.review.listRestrictions({ mediaId: hit.mediaId }));
      if (overlapsAny(hit, restrictions.get(hit.mediaId)!)) continue;
    }
    kept.push(hit);
  }
  return { hits: kept, dropped: hits.length - kept.length };
}
