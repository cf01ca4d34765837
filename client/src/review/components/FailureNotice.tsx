// Friendly failure texts for narrators: for the credential (unknown, expired, revoked, too many attempts), the network,
// and the rest; shown in the one problem box (components/Problem.tsx).
import { ProblemBox } from '../../components/Problem.js';
import { ApiProblem } from '../../lib/http.js';
import { credentialFailure } from '../api.js';
import { useRt, type RKey } from '../i18n/index.js';

export type FailureKind = 'unknown' | 'expired' | 'revoked' | 'rateLimited' | 'network' | 'generic';

export function failureOf(err: unknown): FailureKind {
  return credentialFailure(err) ?? 'generic';
}

/** The server's own words for what went wrong (field errors first), for the "generic" case. */
export function serverWords(err: unknown): string | null {
  if (!(err instanceof ApiProblem) || err.isNetworkError) return null;
  const field = err.problem.errors?.map((e) => e.message).join(' ');
  return field || err.problem.detail || null;
}

/** An inline failure message (role=alert): title, plain text, and for other problems what the server said. */
export function FailureNotice({ error, id, showTitle = true }: { error: unknown; id?: string; showTitle?: boolean }) {
  const { rt } = useRt();
  const kind = failureOf(error);
  const extra = kind === 'generic' ? serverWords(error) : null;
  return (
    <ProblemBox
      id={id}
      failure={kind}
      title={
        showTitle ? (
          <>
            <span aria-hidden="true">⚠ </span>
            {rt(`errors.${kind}.title` as RKey)}
          </>
        ) : undefined
      }
    >
      <p>
        {!showTitle && <span aria-hidden="true">⚠ </span>}
        {rt(`errors.${kind}.text` as RKey)}
      </p>
      {extra && <p className="sb-r-alert-detail">{extra}</p>}
    </ProblemBox>
  );
}
