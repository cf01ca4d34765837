// Requests of the review pages: the narrator has no account and no cookie; the link token or the short code from the
// letter goes out as `Authorization: Review <credential>` on every call.
import { ApiProblem, request } from '../lib/http.js';
import type {
  DecisionAnswer,
  DecisionKind,
  Receipt,
  ReviewCorrection,
  ReviewRestriction,
  ReviewView,
  Visibility,
} from './types.js';

type Method = 'GET' | 'POST' | 'DELETE';

async function send<T>(
  credential: string,
  method: Method,
  path: string,
  json?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const answer = await request<T>(method, `/api/review${path}`, {
    headers: { ...reviewHeaders(credential), ...headers },
    ...(json !== undefined ? { json } : {}),
  });
  return answer.data;
}

/** The narrator's credential as the review API's Authorization header. */
export const reviewHeaders = (credential: string) => ({ Authorization: `Review ${credential}` });

/** What GET /api/review answers: the lists may be left out (nothing to show yet). */
export type ReviewViewAnswer = Partial<ReviewView> &
  Pick<ReviewView, 'invitation' | 'decision' | 'canDecide' | 'withdrawn' | 'interview'>;
export const reviewViewPath = '/api/review';

export const normaliseView = (raw: ReviewViewAnswer): ReviewView => ({
  media: [],
  transcripts: [],
  restrictions: [],
  corrections: [],
  ...raw,
});

export async function loadView(credential: string): Promise<ReviewView> {
  return normaliseView(await send<ReviewViewAnswer>(credential, 'GET', ''));
}

export interface NewRestriction {
  mediaId: string;
  start: number;
  end: number;
  reason?: string | null;
  quote?: string | null;
}

export const addRestriction = (credential: string, body: NewRestriction) =>
  send<ReviewRestriction>(credential, 'POST', '/restrictions', body);
export const removeRestriction = (credential: string, id: string) =>
  send<void>(credential, 'DELETE', `/restrictions/${encodeURIComponent(id)}`);

export const addCorrection = (
  credential: string,
  body: { mediaId: string; segmentNo: number; proposed: string; note?: string | null },
) => send<ReviewCorrection>(credential, 'POST', '/corrections', body);

// One Idempotency-Key per decision the narrator confirms: sending it again after a failed connection is the same
// decision, recorded once (server/store/unit-of-work.ts).
const decisionKeys = new Map<string, string>();
function decisionKey(id: string): string {
  let key = decisionKeys.get(id);
  if (!key) {
    key =
      typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function'
        ? crypto.randomUUID()
        : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    decisionKeys.set(id, key);
  }
  return key;
}

export const decide = (
  credential: string,
  body: { decision: DecisionKind; visibility?: Visibility; message?: string | null },
) =>
  send<DecisionAnswer>(credential, 'POST', '/decision', body, {
    'Idempotency-Key': decisionKey(`${credential}|${JSON.stringify(body)}`),
  });

export const loadReceipt = (credential: string) => send<Receipt>(credential, 'GET', '/receipt');

/** Why a credential did not work, as the pages tell it; null when the problem is something else. */
export type CredentialFailure = 'unknown' | 'expired' | 'revoked' | 'rateLimited' | 'network';

export function credentialFailure(err: unknown): CredentialFailure | null {
  if (!(err instanceof ApiProblem)) return null;
  if (err.isNetworkError) return 'network';
  if (err.status === 429) return 'rateLimited';
  if (err.status === 401 && /review-link$/.test(String(err.problem.type ?? ''))) {
    const reason = err.problem.reason;
    return reason === 'expired' || reason === 'revoked' ? reason : 'unknown';
  }
  return null;
}
