// The one access rule (DOMAIN.md): everything derived from an interview is visible exactly when the interview page is,
// minus restricted passages for viewers who may not hear them. Routes never decide visibility themselves; they call
// these functions, and the list/search filters (interviewListScope → SQL and Meilisearch) say the same in their terms.
// tests/api/access-matrix.test.ts checks every endpoint against one table built from this rule.
import type { AccessScope } from '../store/repositories.js';
import type { Interview, Role, Visibility, WorkflowStatus } from '../store/types.js';
import type { Viewer } from './viewer.js';

const staffRoles: readonly Role[] = ['admin', 'curator'];

/** The fields of an interview that decide who sees it (the search catalog keeps only these). */
export type AccessFields = Pick<
  Interview,
  'id' | 'status' | 'visibility' | 'grants' | 'createdBy' | 'embargoUntil' | 'embargoListed'
>;

export function isStaff(viewer: Viewer): boolean {
  return viewer.kind === 'user' && staffRoles.includes(viewer.user.role);
}

function isOwner(viewer: Viewer, interview: AccessFields): boolean {
  return viewer.kind === 'user' && interview.createdBy !== null && interview.createdBy === viewer.user.id;
}

/** Owners edit only while their role still edits: a contributor made `researcher` keeps reading, never editing. */
function isEditingOwner(viewer: Viewer, interview: AccessFields): boolean {
  return isOwner(viewer, interview) && viewer.kind === 'user' && viewer.user.role === 'contributor';
}

/** The narrator holding a (valid) review invitation for exactly this interview. */
export function isNarratorOf(viewer: Viewer, interview: Pick<Interview, 'id'>): boolean {
  return viewer.kind === 'narrator' && viewer.invitation.interviewId === interview.id;
}

/** Visibilities of published interviews that a viewer may see without being staff or owner. */
function openVisibilitiesFor(viewer: Viewer): Visibility[] {
  return viewer.kind === 'user' ? ['public', 'registered'] : ['public'];
}

function embargoActive(interview: AccessFields, now: Date): boolean {
  return interview.embargoUntil !== null && Date.parse(interview.embargoUntil) > now.getTime();
}

function openTo(viewer: Viewer, interview: AccessFields): boolean {
  if (openVisibilitiesFor(viewer).includes(interview.visibility)) return true;
  return (
    interview.visibility === 'restricted' &&
    viewer.kind === 'user' &&
    interview.grants.some((g) => viewer.principals.includes(g))
  );
}

/**
 * `full`: the interview page with everything derived from it. `sealed`: listed with its title and the embargo date
 * only ("gesperrt bis …"), nothing else. `none`: 404 — existence is not disclosed.
 */
export type InterviewAccess = 'full' | 'sealed' | 'none';

export function interviewAccess(viewer: Viewer, interview: AccessFields, now = new Date()): InterviewAccess {
  if (isStaff(viewer)) return 'full';
  // A withdrawal takes the interview from everyone but curators and admins (the receipt stays with the narrator).
  if (interview.status === 'withdrawn') return 'none';
  if (isNarratorOf(viewer, interview)) return 'full';
  if (isOwner(viewer, interview)) return 'full';
  if (!openTo(viewer, interview)) return 'none';
  if (interview.status === 'published')
    return embargoActive(interview, now) ? (interview.embargoListed ? 'sealed' : 'none') : 'full';
  // Approved and waiting for its embargo to end: published automatically by the interview.publish job.
  if (interview.status === 'approved' && embargoActive(interview, now) && interview.embargoListed) return 'sealed';
  return 'none';
}

export function canViewInterview(viewer: Viewer, interview: AccessFields, now = new Date()): boolean {
  return interviewAccess(viewer, interview, now) === 'full';
}

/** Restricted passages: curators and admins, and the narrator who restricted them; everybody else gets the marker. */
export function canHearRestricted(viewer: Viewer, interview: Pick<Interview, 'id'>): boolean {
  return isStaff(viewer) || isNarratorOf(viewer, interview);
}

/** Anonymous visitors would see it: its media may be served unsigned and cached. */
export function isPubliclyVisible(interview: Interview, now = new Date()): boolean {
  return interviewAccess({ kind: 'anonymous' }, interview, now) === 'full';
}

/** The same rule as interviewAccess, as a filter the repositories apply to lists (sealed entries included). */
export function interviewListScope(viewer: Viewer): AccessScope {
  if (isStaff(viewer)) return { kind: 'all' };
  return {
    kind: 'scoped',
    publishedVisibilities: openVisibilitiesFor(viewer),
    includeSealed: true,
    ...(viewer.kind === 'user' ? { ownerId: viewer.user.id, principals: viewer.principals } : {}),
    ...(viewer.kind === 'narrator' ? { interviewIds: [viewer.invitation.interviewId] } : {}),
  };
}

/** As interviewListScope, for search: sealed interviews are never found by their content. */
export function searchScope(viewer: Viewer): AccessScope {
  const scope = interviewListScope(viewer);
  return scope.kind === 'all' ? scope : { ...scope, includeSealed: false };
}

/** States in which a contributor may still change their own interview; later it is in the curators' hands. */
const ownerEditableStates: readonly WorkflowStatus[] = ['draft', 'processing', 'ready_for_review', 'changes_requested'];
const ownerDeletableStates: readonly WorkflowStatus[] = ['draft', 'processing'];

export function canEditInterview(viewer: Viewer, interview: Interview): boolean {
  return isStaff(viewer) || (isEditingOwner(viewer, interview) && ownerEditableStates.includes(interview.status));
}

export function canDeleteInterview(viewer: Viewer, interview: Interview): boolean {
  return isStaff(viewer) || (isEditingOwner(viewer, interview) && ownerDeletableStates.includes(interview.status));
}

const creatingRoles: readonly Role[] = ['admin', 'curator', 'contributor'];

export function canCreateInterview(viewer: Viewer): boolean {
  return viewer.kind === 'user' && creatingRoles.includes(viewer.user.role);
}

export function canManageCollections(viewer: Viewer): boolean {
  return isStaff(viewer);
}

function isAdmin(viewer: Viewer): boolean {
  return viewer.kind === 'user' && viewer.user.role === 'admin';
}

/** Accounts and groups (grants of `restricted` interviews name them). */
export function canManageUsers(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

export function canReadAudit(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

/** Operational warnings: failed logins per account, the media store's state. */
export function canReadAdminWarnings(viewer: Viewer): boolean {
  return isAdmin(viewer);
}

/** Preservation copies (unredacted BagIt bags) and the fixity state. */
export function canManagePreservation(viewer: Viewer): boolean {
  return isAdmin(viewer);
}
