// The interview workflow (DOMAIN.md). Visibility is separate; this only says which state may follow which.
import type { WorkflowStatus } from '../store/types.js';

export const transitions: Record<WorkflowStatus, readonly WorkflowStatus[]> = {
  draft: ['processing', 'ready_for_review', 'withdrawn'],
  processing: ['draft', 'ready_for_review', 'withdrawn'],
  ready_for_review: ['draft', 'in_review', 'withdrawn'],
  in_review: ['changes_requested', 'approved', 'withdrawn'],
  changes_requested: ['ready_for_review', 'in_review', 'withdrawn'],
  approved: ['in_review', 'published', 'withdrawn'],
  published: ['in_review', 'withdrawn'],
  // A withdrawal is the narrator's decision; nothing in the software undoes it.
  withdrawn: [],
};

/** What a contributor may do to their own interview: hand it in for review, or take it back before review starts. */
const contributorTransitions: ReadonlyArray<readonly [WorkflowStatus, WorkflowStatus]> = [
  ['draft', 'ready_for_review'],
  ['processing', 'ready_for_review'],
  ['ready_for_review', 'draft'],
  ['changes_requested', 'ready_for_review'],
];

export function canTransition(from: WorkflowStatus, to: WorkflowStatus): boolean {
  return transitions[from].includes(to);
}

export function contributorMayTransition(from: WorkflowStatus, to: WorkflowStatus): boolean {
  return contributorTransitions.some(([a, b]) => a === from && b === to);
}
