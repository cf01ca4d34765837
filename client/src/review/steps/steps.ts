// The four steps of the review, in order; the URL carries the current one as ?schritt=<n>.
import type { RKey } from '../i18n/index.js';

export const stepNames = ['welcome', 'listen', 'decide', 'receipt'] as const;
export type StepName = (typeof stepNames)[number];
export const STEP_COUNT = stepNames.length;

export const stepLabel = (name: StepName): RKey => `steps.${name}`;

export function stepNumber(name: StepName): number {
  return stepNames.indexOf(name) + 1;
}

/** `?schritt=2` → 'listen'; anything else → null. */
export function stepFromParam(value: string | null): StepName | null {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= STEP_COUNT ? stepNames[n - 1]! : null;
}

/**
 * Which step to show. Without ?schritt the page opens at the welcome, or at the receipt when a decision exists; after a
 * withdrawal only the receipt is left; the receipt needs a decision.
 */
export function resolveStep(requested: StepName | null, state: { decided: boolean; withdrawn: boolean }): StepName {
  if (state.withdrawn) return 'receipt';
  const step = requested ?? (state.decided ? 'receipt' : 'welcome');
  if (step === 'receipt' && !state.decided) return 'decide';
  return step;
}
