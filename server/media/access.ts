// Access to media follows the interview it belongs to (server/access/policy.ts). Every media read — JSON, job
// status, file bytes — goes through assertCanViewMedium, so the review/consent rules only need to change it here.
import { canEditInterview, canViewInterview } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import { msg } from '../i18n/messages.js';
import type { InterviewRepository } from '../store/repositories.js';
import type { Interview, Medium } from '../store/types.js';

export interface MediaAccessDeps {
  interviews: Pick<InterviewRepository, 'findById'>;
}

/** The one check before anything of a medium is shown or served. 404 when invisible: existence is not disclosed. */
export async function assertCanViewMedium(deps: MediaAccessDeps, viewer: Viewer, medium: Medium): Promise<Interview> {
  const interview = await deps.interviews.findById(medium.interviewId);
  if (!interview || !canViewInterview(viewer, interview)) throw new Problem('not-found');
  return interview;
}

/** Adding or deleting media: 404 when the interview is invisible, 401 for anonymous, 403 when visible but locked. */
export async function assertCanEditInterviewMedia(
  deps: MediaAccessDeps,
  viewer: Viewer,
  interviewId: string,
): Promise<Interview> {
  const interview = await deps.interviews.findById(interviewId);
  if (!interview || !canViewInterview(viewer, interview)) throw new Problem('not-found');
  if (viewer.kind !== 'user') throw new Problem('unauthenticated');
  if (!canEditInterview(viewer, interview)) {
    throw new Problem('forbidden', { detail: msg('media.editLocked') });
  }
  return interview;
}
