// Admins: files whose latest fixity check failed or found them missing. Shown at the top of the contributor area
// (all interviews) and on an interview's page (that interview), as an alert — a damaged original needs a person.
import { Link } from 'react-router';
import { useApi } from '../../useApi.js';
import { contributorPaths } from '../paths.js';
import { useSession } from '../session.js';
import { useCt } from '../i18n/index.js';
import { problemsOf, type FixityProblem, type FixityState } from './fixity.js';

export function useFixityProblems(enabled: boolean, interviewId?: string): FixityProblem[] {
  // an error shows no alert (the page itself says what is wrong)
  const { state } = useApi<FixityState>(enabled ? '/api/preservation/fixity' : null);
  return problemsOf(state.status === 'success' ? state.data : null, interviewId);
}

export function FixityProblemList({ problems, showInterview }: { problems: FixityProblem[]; showInterview: boolean }) {
  const { ct } = useCt();
  return (
    <ul className="sb-c-fixity-list">
      {problems.map((p) => (
        <li key={p.id}>
          <strong>{ct(p.fileKind === 'original' ? 'preservation.kindOriginal' : 'preservation.kindRendition')}</strong>{' '}
          {ct(p.outcome === 'missing' ? 'preservation.missing' : 'preservation.mismatch')}: <code>{p.path}</code>
          {showInterview && (
            <>
              {' '}
              (<Link to={contributorPaths.interview(p.interviewId)}>{ct('preservation.toInterview')}</Link>)
            </>
          )}
          {p.fileKind === 'original' && <> — {ct('preservation.notRepaired')}</>}
          {p.fileKind === 'rendition' && p.detail && <> — {ct('preservation.remade')}</>}
        </li>
      ))}
    </ul>
  );
}

/** The banner for admins; renders nothing for everyone else and while all files pass. */
export function FixityAlert({ interviewId }: { interviewId?: string }) {
  const { ct } = useCt();
  const me = useSession();
  const admin = me.user.role === 'admin';
  const problems = useFixityProblems(admin, interviewId);
  if (!admin || problems.length === 0) return null;
  return (
    <div className="problem sb-c-fixity-alert" role="alert" data-testid="fixity-alert">
      <p>
        <strong>{ct('preservation.alertTitle')}</strong> {ct('preservation.alertText', { count: problems.length })}
      </p>
      <FixityProblemList problems={problems} showInterview={!interviewId} />
    </div>
  );
}
