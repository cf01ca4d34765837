// The one access rule (DOMAIN.md): everything derived from an interview is visible exactly when the interview page is.
// Routes never decide visibility themselves; they call these functions.
import type { AccessScope } from '../store/repositories.js';
import type { Interview, Role, Visibility, WorkflowStatus } from '../store/types.js';
import type { Viewer } from './viewer.js';

const staffRoles: readonly Role[] = ['admin', 'curator'];

export function isStaff(viewer: Viewer): boolean {
  return viewer.kind === 'user' && staffRoles.includes(viewer.user.role);
}

function isOwner(viewer: Viewer, interview: Interview): boolean {
  return viewer.kind === 'user' && interview.createdBy !== null && interview.createdBy === viewer.user.id;
}

/** Visibilities of published interviews that a viewer may see without being staff or owner. */
function publishedVisibilitiesFor(viewer: Viewer): Visibility[] {
  // `restricted` (named users and groups) arrives with the consent issue; until then only staff and owners see it.
  return viewer.kind === 'user' ? ['public', 'registered'] : ['public'];
}

export function canViewInterview(viewer: Viewer, interview: Interview): boolean {
  if (isStaff(viewer) || isOwner(viewer, interview)) return true;
  return interview.status === 'published' && publishedVisibilitiesFor(viewer).includes(interview.visibility);
}

/** The same rule as canViewInterview, as a filter the repositories apply to lists. */
export function interviewListScope(viewer: Viewer): AccessScope {
  if (isStaff(viewer)) return { kind: 'all' };
  return {
    kind: 'scoped',
    publishedVisibilities: publishedVisibilitiesFor(viewer),
    ...(viewer.kind === 'user' ? { ownerId: viewer.user.id } : {}),
  };
}

/** States in which a contributor may still change their own interview; later it is in the curators' hands. */
const ownerEditableStates: readonly WorkflowStatus[] = ['draft', 'processing', 'ready_for_review', 'changes_requested'];
const ownerDeletableStates: readonly WorkflowStatus[] = ['draft', 'processing'];

export function canEditInterview(viewer: Viewer, interview: Interview): boolean {
  return isStaff(viewer) || (isOwner(viewer, interview) && ownerEditableStates.includes(interview.status));
}

export function canDeleteInterview(viewer: Viewer, interview: Interview): boolean {
  return isStaff(viewer) || (isOwner(viewer, interview) && ownerDeletableStates.includes(interview.status));
}

export function canCreateInterview(viewer: Viewer): boolean {
  return viewer.kind === 'user';
}

export function canManageCollections(viewer: Viewer): boolean {
  return isStaff(viewer);
}

export function canManageUsers(viewer: Viewer): boolean {
  return viewer.kind === 'user' && viewer.user.role === 'admin';
}
