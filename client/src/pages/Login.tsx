import { useId, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiProblem, apiSend, setCsrfToken } from '../lib/http.js';
import { useDocumentTitle } from '../useDocumentTitle.js';
import type { LoginAnswer } from '../types.js';
import { Problem } from '../components/Problem.js';

export function Login() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.title'));
  const navigate = useNavigate();
  const [params] = useSearchParams();
  // back to where the login was asked for, but only inside this site
  const next = params.get('next');
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  const emailId = useId();
  const passwordId = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setProblem(null);
    try {
      const answer = await apiSend<LoginAnswer>('POST', '/api/auth/login', { email, password });
      setCsrfToken(answer.csrfToken);
      void navigate(target, { replace: true });
    } catch (err) {
      setProblem(err instanceof ApiProblem ? err : new ApiProblem({ title: '', status: 500 }));
      setPassword('');
    } finally {
      setPending(false);
    }
  }

  return (
    <section className="login" aria-labelledby="login-title">
      <h1 id="login-title">{t('login.title')}</h1>
      {problem && <Problem problem={problem} />}
      <form onSubmit={(e) => void onSubmit(e)} className="stack">
        <div className="field">
          <label htmlFor={emailId}>{t('login.email')}</label>
          <input
            id={emailId}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={passwordId}>{t('login.password')}</label>
          <input
            id={passwordId}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <button type="submit" disabled={pending} aria-busy={pending}>
          {pending ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}
