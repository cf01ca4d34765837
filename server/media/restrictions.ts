// Restricted passages and a medium's renditions. Public renditions are re-made with the passages silenced (and a card
// over the picture); until a medium's renditions carry the current restriction set, viewers who may not hear the
// passages get none of its files. The original is never served to them while a restriction exists.
import type { JobQueue } from '../jobs/queue.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/repositories.js';
import { canHearRestricted, isStaff } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import type { Interview, Medium } from '../store/types.js';
import { normalizeRanges, redactionKey, type RedactionRange } from './ffmpeg/redaction.js';
import { replanIngest } from './ingest-flow.js';

export interface RedactionState {
  ranges: RedactionRange[];
  /** redactionKey of the active restrictions; '' when there are none. */
  key: string;
}

export async function redactionState(store: Store, medium: Pick<Medium, 'id' | 'technical'>): Promise<RedactionState> {
  const restrictions = await store.review.listRestrictions({ mediaId: medium.id });
  const ranges = normalizeRanges(
    restrictions.map((r) => ({ start: r.start, end: r.end })),
    medium.technical.durationSec,
  );
  return { ranges, key: redactionKey(ranges) };
}

/**
 * What of a medium this viewer may be given right now. While passages are restricted the original (never redacted)
 * is for curators and admins only; renditions go to everyone else once they are re-made without those passages
 * (staff and the narrator, who may hear everything, keep them meanwhile).
 */
export function deliverable(
  viewer: Viewer,
  interview: Interview,
  medium: Medium,
  state: RedactionState,
): { original: boolean; renditions: boolean } {
  return {
    original: state.key === '' || isStaff(viewer),
    renditions: medium.renditionRedaction === state.key || canHearRestricted(viewer, interview),
  };
}

/**
 * The restriction set changed: the ingest flow runs the rendition chain again from the start. The HLS ladder and the download stay
 * until the new ones replace them — their renditionRedaction no longer matches, so only viewers who may hear
 * everything (curators, the narrator) still get them, and the narrator can go on listening meanwhile. Poster,
 * storyboard and waveform are forgotten at once, so that the chain makes them again after the ladder.
 */
export async function remakeRenditions(store: Store, queue: JobQueue, medium: Medium, logger: Logger): Promise<void> {
  await replanIngest({ store, queue }, medium, {
    forget: ['poster', 'storyboard', 'storyboardSprite', 'waveform'],
    from: 'media.renditions',
  });
  // search marks the passages too
  await queue.enqueue({ name: 'search.transcript', payload: { v: 1, mediaId: medium.id } });
  logger.info({ mediaId: medium.id }, 'renditions to be re-made for a changed restriction set');
}
