// Who is working here. On entry (also after a page reload, when the in-memory CSRF token is gone) the area asks
// /api/auth/me: 401 sends the visitor to the login page and back; otherwise the token is put back into api.ts.
import { createContext, useContext } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { type ApiProblem, setCsrfToken } from '../lib/http.js';
import { useApi } from '../useApi.js';
import { contributorPaths } from './paths.js';
import { useCt } from './i18n/index.js';
import type { Me } from './types.js';
import { Problem } from '../components/Problem.js';

const SessionContext = createContext<Me | null>(null);

export function useSession(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useSession outside <SessionGate>');
  return me;
}

export const isStaff = (me: Me) => me.user.role === 'admin' || me.user.role === 'curator';

type GateState =
  { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'error'; problem: ApiProblem } | { kind: 'ready'; me: Me };

export function SessionGate() {
  const { ct } = useCt();
  const location = useLocation();
  // the token goes back into the transport before the area renders with this answer
  const me = useApi<Me>('/api/auth/me', { onData: (data) => setCsrfToken(data.csrfToken) });
  const retry = me.reload;
  const state: GateState =
    me.state.status === 'success'
      ? { kind: 'ready', me: me.state.data }
      : me.state.status === 'error'
        ? me.state.problem.status === 401
          ? { kind: 'anonymous' }
          : { kind: 'error', problem: me.state.problem }
        : { kind: 'loading' };

  if (state.kind === 'anonymous') {
    return <Navigate to={contributorPaths.login(location.pathname + location.search)} replace />;
  }
  if (state.kind === 'loading') {
    return (
      <p className="sb-c-loading" role="status">
        {ct('common.loading')}
      </p>
    );
  }
  if (state.kind === 'error') {
    return (
      <div className="sb-c">
        <Problem signIn problem={state.problem} />
        <button type="button" className="sb-c-button" onClick={retry}>
          {ct('common.retry')}
        </button>
      </div>
    );
  }
  return (
    <SessionContext value={state.me}>
      <div className="sb-c">
        <p className="sb-c-whoami">
          {ct('session.signedInAs', {
            name: state.me.user.displayName || state.me.user.email,
            role: ct(`roles.${state.me.user.role}`),
          })}
        </p>
        <Outlet />
      </div>
    </SessionContext>
  );
}
