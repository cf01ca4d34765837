// The one Meilisearch filter of segment search: the access rule over the passages' access tags, plus facet choices.
import type { AccessScope } from '../store/repositories.js';
import { quote } from './interview-index.js';
import { isInterviewKey } from './interview-key.js';
import { grantTag, INTERVIEW_KEY_FIELD, openTag, RESTRICTED_TAG, WITHDRAWN_TAG } from './segment-documents.js';

export interface SegmentFilterChoices {
  speaker?: readonly string[];
  /** Only these interviews (the catalog's answer to interview facet choices); an empty list finds nothing. */
  interviewIds?: readonly string[];
  /** Never these (interviews the store no longer shows this viewer while the index lags behind). */
  excludeInterviewIds?: readonly string[];
  /** Never passages with these interview keys (keys of no interview the store has, or of one interview alone). */
  excludeInterviewKeys?: readonly number[];
}

/**
 * The access rule plus facet choices as one filter. Passages a narrator did not release are for staff only
 * (not even the interview's owner finds them through search).
 *
 * The rule is the interview index's (accessFilter), over the segments' access tags: published and open to one of the
 * scope's visibilities, or restricted and granted to one of its principals, or one of the scope's own interviews
 * unless withdrawn. Segments carry no owner: `ownedInterviewIds` (the store's answer for scope.ownerId) stands in for
 * the interview index's `createdBy` clause, so a scope with an owner needs it.
 */
export function segmentFilter(
  scope: AccessScope,
  choices: SegmentFilterChoices = {},
  ownedInterviewIds: readonly string[] = [],
): string | undefined {
  const clauses: string[] = [];
  if (scope.kind === 'scoped') {
    const open = [...scope.publishedVisibilities.map(openTag), ...(scope.principals ?? []).map(grantTag)];
    const alternatives = [`access IN [${open.map(quote).join(', ')}]`];
    const ids = [...(scope.interviewIds ?? []), ...ownedInterviewIds];
    if (ids.length > 0) {
      alternatives.push(`(interviewId IN [${ids.map(quote).join(', ')}] AND access != ${quote(WITHDRAWN_TAG)})`);
    }
    // the narrator finds their own restricted passages; nobody else but staff does
    const own = scope.interviewIds ?? [];
    const unrestricted = `access != ${quote(RESTRICTED_TAG)}`;
    clauses.push(
      alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`,
      own.length > 0 ? `(${unrestricted} OR interviewId IN [${own.map(quote).join(', ')}])` : unrestricted,
    );
  }
  if (choices.speaker && choices.speaker.length > 0)
    clauses.push(`speaker IN [${choices.speaker.map(quote).join(', ')}]`);
  if (choices.interviewIds) clauses.push(`interviewId IN [${choices.interviewIds.map(quote).join(', ')}]`);
  if (choices.excludeInterviewIds && choices.excludeInterviewIds.length > 0) {
    clauses.push(`interviewId NOT IN [${choices.excludeInterviewIds.map(quote).join(', ')}]`);
  }
  if (choices.excludeInterviewKeys && choices.excludeInterviewKeys.length > 0) {
    clauses.push(`${INTERVIEW_KEY_FIELD} NOT IN [${choices.excludeInterviewKeys.map(keyLiteral).join(', ')}]`);
  }
  return clauses.length > 0 ? clauses.join(' AND ') : undefined;
}

export const keyLiteral = (key: number): string => {
  if (!isInterviewKey(key)) throw new Error(`not an interview key: ${key}`);
  return String(key);
};
