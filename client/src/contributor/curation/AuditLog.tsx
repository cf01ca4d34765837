// The audit log (admins): who changed what and when, with the change as a compact before → after list. On the
// interview page for that interview; at /mitarbeit/protokoll for everything, filtered by action.
import { useId, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ApiProblem } from '../../lib/http.js';
import { useApi } from '../../useApi.js';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { Problem } from '../../components/Problem.js';
import { auditActions, compactDiff, isAuditAction } from '../lib/audit.js';
import { formatDateTime } from '../lib/dates.js';
import { AreaBreadcrumbs } from '../components/AreaBreadcrumbs.js';
import { contributorPaths } from '../paths.js';
import { useSession } from '../session.js';
import { useCt, type CKey, type CT } from '../i18n/index.js';
import type { AuditEvent, Paged } from '../types.js';
import { Table } from '../../components/Table.js';

export function actionLabel(action: string, ct: CT): string {
  return (auditActions as readonly string[]).includes(action) ? ct(`audit.actions.${action}` as CKey) : action;
}

export function actorLabel(e: Pick<AuditEvent, 'actorKind' | 'actorId' | 'actorLabel'>, ct: CT): string {
  if (e.actorKind === 'system') return ct('audit.system');
  return e.actorLabel ?? e.actorId ?? '–';
}

type Load = { kind: 'loading' } | { kind: 'error'; problem: ApiProblem } | { kind: 'ready'; data: Paged<AuditEvent> };

function useAudit(
  query: { interviewId?: string; action?: string; page: number; pageSize: number },
  enabled = true,
): Load {
  const { interviewId, action, page, pageSize } = query;
  const params = new URLSearchParams({ page: String(page), pageSize: String(pageSize) });
  if (interviewId) params.set('interviewId', interviewId);
  if (action) params.set('action', action);
  // another page or filter keeps the table shown until the answer is in
  const { state, data } = useApi<Paged<AuditEvent>>(enabled ? `/api/audit?${params}` : null, { keepPrevious: true });
  if (state.status === 'error') return { kind: 'error', problem: state.problem };
  return data ? { kind: 'ready', data } : { kind: 'loading' };
}

export function AuditTable({
  events,
  showInterview = false,
  caption,
}: {
  events: AuditEvent[];
  showInterview?: boolean;
  caption: string;
}) {
  const { ct, lang } = useCt();
  return (
    <Table
      caption={caption}
      className="sb-c-audit"
      columns={[
        ct('audit.when'),
        ct('audit.who'),
        ct('audit.action'),
        showInterview && ct('audit.interview'),
        ct('audit.changes'),
      ]}
    >
      {events.map((e) => {
        const rows = compactDiff(e.before, e.after);
        return (
          <tr key={e.id}>
            <th scope="row">
              <time dateTime={e.at}>{formatDateTime(e.at, lang)}</time>
            </th>
            <td className="sb-c-break">{actorLabel(e, ct)}</td>
            <td>
              {actionLabel(e.action, ct)}
              <br />
              <code className="sb-c-meta">{e.action}</code>
            </td>
            {showInterview && (
              <td>
                {e.interviewId ? (
                  <Link to={contributorPaths.interview(e.interviewId)}>{e.interviewId.slice(0, 8)}</Link>
                ) : (
                  '–'
                )}
              </td>
            )}
            <td>
              {rows.length === 0 ? (
                '–'
              ) : (
                <ul className="sb-c-diff-list">
                  {rows.map((r) => (
                    <li key={r.path}>
                      {r.path && <span className="sb-c-diff-path">{r.path}: </span>}
                      {r.before !== undefined && r.after !== undefined ? (
                        <>
                          <del className="sb-c-diff-del">
                            <span className="visually-hidden">{ct('audit.before')} </span>
                            {r.before}
                          </del>
                          <span aria-hidden="true"> → </span>
                          <ins className="sb-c-diff-ins">
                            <span className="visually-hidden">{ct('audit.after')} </span>
                            {r.after}
                          </ins>
                        </>
                      ) : r.after !== undefined ? (
                        <span>{r.after}</span>
                      ) : (
                        <del className="sb-c-diff-del">
                          <span className="visually-hidden">{ct('audit.removed')} </span>
                          {r.before}
                        </del>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

function Pager({
  page,
  total,
  pageSize,
  onPage,
  label,
}: {
  page: number;
  total: number;
  pageSize: number;
  onPage: (p: number) => void;
  label: string;
}) {
  const { ct } = useCt();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages <= 1) return null;
  return (
    <nav aria-label={label} className="sb-c-actions">
      <button type="button" className="sb-c-button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {ct('audit.newer')}
      </button>
      <span>{ct('audit.pageOf', { page, pages })}</span>
      <button type="button" className="sb-c-button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {ct('audit.older')}
      </button>
    </nav>
  );
}

/** The log of one interview, on its page. */
export function InterviewAudit({ interviewId }: { interviewId: string }) {
  const { ct } = useCt();
  const [page, setPage] = useState(1);
  const state = useAudit({ interviewId, page, pageSize: 20 });
  return (
    <section aria-labelledby="sb-c-audit-title" id="sb-c-audit" className="sb-c-subsection">
      <h3 id="sb-c-audit-title">{ct('audit.title')}</h3>
      <p className="sb-c-hint">
        {ct('audit.interviewIntro')} <Link to={contributorPaths.auditLog}>{ct('audit.toGlobal')}</Link>
      </p>
      {state.kind === 'loading' && <p className="sb-c-loading">{ct('common.loading')}</p>}
      {state.kind === 'error' && <Problem signIn problem={state.problem} />}
      {state.kind === 'ready' && state.data.items.length === 0 && <p>{ct('audit.none')}</p>}
      {state.kind === 'ready' && state.data.items.length > 0 && (
        <>
          <p className="sb-c-meta">{ct('audit.count', { count: state.data.total })}</p>
          <AuditTable events={state.data.items} caption={ct('audit.title')} />
          <Pager page={page} total={state.data.total} pageSize={20} onPage={setPage} label={ct('audit.pages')} />
        </>
      )}
    </section>
  );
}

const GLOBAL_PAGE_SIZE = 50;

/** /mitarbeit/protokoll: everything, newest first; `?aktion=` filters, `?seite=` pages. */
export function AuditPage() {
  const { ct } = useCt();
  const me = useSession();
  const [params, setParams] = useSearchParams();
  const filterId = useId();
  useDocumentTitle(ct('audit.pageTitle'));
  const rawAction = params.get('aktion') ?? '';
  const action = isAuditAction(rawAction) ? rawAction : '';
  const page = Math.max(1, Number.parseInt(params.get('seite') ?? '1', 10) || 1);
  const admin = me.user.role === 'admin';
  const state = useAudit({ ...(action ? { action } : {}), page, pageSize: GLOBAL_PAGE_SIZE }, admin);

  const set = (next: { aktion?: string; seite?: number }) => {
    const p = new URLSearchParams(params);
    if (next.aktion !== undefined) {
      if (next.aktion) p.set('aktion', next.aktion);
      else p.delete('aktion');
      p.delete('seite');
    }
    if (next.seite !== undefined) {
      if (next.seite > 1) p.set('seite', String(next.seite));
      else p.delete('seite');
    }
    setParams(p);
  };

  return (
    <section aria-labelledby="sb-c-audit-page-title">
      <AreaBreadcrumbs current={ct('audit.pageTitle')} />
      <h1 id="sb-c-audit-page-title">{ct('audit.pageTitle')}</h1>
      {!admin ? (
        <p>{ct('audit.adminOnly')}</p>
      ) : (
        <>
          <div className="sb-c-field sb-c-short-field">
            <label htmlFor={filterId}>{ct('audit.filter')}</label>
            <select id={filterId} value={action} onChange={(e) => set({ aktion: e.target.value })}>
              <option value="">{ct('audit.allActions')}</option>
              {auditActions.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a, ct)}
                </option>
              ))}
            </select>
          </div>
          {state.kind === 'loading' && <p className="sb-c-loading">{ct('common.loading')}</p>}
          {state.kind === 'error' && <Problem signIn problem={state.problem} />}
          {state.kind === 'ready' && (
            <>
              <p className="sb-c-meta" role="status">
                {ct('audit.count', { count: state.data.total })}
              </p>
              {state.data.items.length > 0 && (
                <AuditTable events={state.data.items} showInterview caption={ct('audit.pageTitle')} />
              )}
              <Pager
                page={page}
                total={state.data.total}
                pageSize={GLOBAL_PAGE_SIZE}
                onPage={(p) => set({ seite: p })}
                label={ct('audit.pages')}
              />
            </>
          )}
        </>
      )}
    </section>
  );
}
