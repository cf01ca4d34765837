// Curator work on an interview (consent, review): one answer for everyone else. 404 for whoever may not see the
// interview (existence is not disclosed) and for visitors without an account; 403 for accounts that may see it.
import { Problem } from '../http/problem.js';
import type { InterviewRepository } from '../store/repositories.js';
import type { Interview } from '../store/types.js';
import { interviewAccess, isStaff } from './policy.js';
import type { Viewer } from './viewer.js';

export async function staffInterview(
  interviews: Pick<InterviewRepository, 'findById'>,
  viewer: Viewer,
  interviewId: string,
  why: { de: string; en: string },
): Promise<Interview> {
  const interview = await interviews.findById(interviewId);
  if (!interview || viewer.kind !== 'user' || interviewAccess(viewer, interview) === 'none')
    throw new Problem('not-found');
  if (!isStaff(viewer)) throw new Problem('forbidden', { detail: why });
  return interview;
}
