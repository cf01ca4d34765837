// Einverständniserklärungen: the current version per narrator, a way to record a new one or change one (as a new
// version), each record's history, and the scans of the signed forms.
import { useRef, useState } from 'react';
import { useApi } from '../../useApi.js';
import { Problem } from '../../components/Problem.js';
import { scopeForVisibility } from '../lib/consentForm.js';
import { formatBytes } from '../lib/progress.js';
import { useSession } from '../session.js';
import { useCt, type CT } from '../i18n/index.js';
import { consentScopes, type ConsentRecord, type Visibility } from '../types.js';
import { ConsentForm } from './ConsentForm.js';
import { formatDay } from '../lib/dates.js';
import { Table } from '../../components/Table.js';

interface Props {
  interviewId: string;
  narrators: string[];
  visibility: Visibility;
  /** A saved consent may move a published interview back to review: the page reloads its record. */
  onConsentSaved: () => void;
}

type Editing = { mode: 'new' } | { mode: 'edit'; record: ConsentRecord } | null;

export const scanUrl = (interviewId: string, consentId: string, version: number) =>
  `/api/interviews/${encodeURIComponent(interviewId)}/consents/${encodeURIComponent(consentId)}/scan?version=${version}`;

export function ConsentPanel({ interviewId, narrators, visibility, onConsentSaved }: Props) {
  const { ct, lang } = useCt();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState('');
  const [historyId, setHistoryId] = useState<string | null>(null);
  const newButtonRef = useRef<HTMLButtonElement>(null);
  // what to do with the list once it is fetched again (a stale edit continues on the fresh record)
  const afterReload = useRef<((items: ConsentRecord[]) => void) | null>(null);

  const consents = useApi<{ items: ConsentRecord[] }>(`/api/interviews/${encodeURIComponent(interviewId)}/consents`, {
    keepPrevious: true,
    onData: (data) => {
      afterReload.current?.(data.items);
      afterReload.current = null;
    },
  });
  const list = consents.data?.items ?? null;
  const { problem } = consents;
  const load = (then?: (items: ConsentRecord[]) => void) => {
    afterReload.current = then ?? null;
    consents.reload();
  };

  const historyAnswer = useApi<{ items: ConsentRecord[] }>(
    historyId
      ? `/api/interviews/${encodeURIComponent(interviewId)}/consents/${encodeURIComponent(historyId)}/versions`
      : null,
  );
  const history = historyId
    ? {
        id: historyId,
        versions: historyAnswer.problem ? [] : (historyAnswer.data?.items ?? null),
        problem: historyAnswer.problem,
      }
    : null;
  const showHistory = (id: string) => setHistoryId((current) => (current === id ? null : id));

  const needed = scopeForVisibility[visibility];
  const neededLabel = ct(`consent.scopes.${needed}`);

  return (
    <section aria-labelledby="sb-c-consents-title" id="sb-c-consents" className="sb-c-subsection">
      <h3 id="sb-c-consents-title">{ct('consent.title')}</h3>
      <p className="sb-c-hint">
        {ct('consent.intro', { visibility: ct(`visibility.${visibility}.label`), scope: neededLabel })}
      </p>
      <p className="sb-c-live" role="status" aria-live="polite">
        {notice}
      </p>
      {problem && <Problem signIn problem={problem} />}
      {list === null && !problem && <p className="sb-c-loading">{ct('common.loading')}</p>}
      {list && list.length === 0 && <p>{ct('consent.none')}</p>}
      {list && list.length > 0 && (
        <ul className="sb-c-cards">
          {list.map((c) => (
            <li key={c.id}>
              <article className="sb-c-card" aria-labelledby={`sb-c-consent-${c.id}-title`}>
                <h4 id={`sb-c-consent-${c.id}-title`} className="sb-c-card-title">
                  {c.narrator} <span className="sb-c-meta">({ct('consent.version', { version: c.version })})</span>
                </h4>
                <p>
                  {c.scope.includes(needed) ? (
                    <span className="sb-c-badge sb-c-status-published">
                      {ct('consent.covers', { scope: neededLabel })}
                    </span>
                  ) : (
                    <span className="sb-c-badge sb-c-status-changes_requested">
                      {ct('consent.doesNotCover', { scope: neededLabel })}
                    </span>
                  )}
                </p>
                <ConsentDetails record={c} ct={ct} lang={lang} interviewId={interviewId} />
                <div className="sb-c-actions">
                  <button
                    type="button"
                    className="sb-c-button"
                    onClick={() => setEditing({ mode: 'edit', record: c })}
                    aria-label={ct('consent.editNamed', { narrator: c.narrator })}
                    disabled={editing !== null}
                  >
                    {ct('consent.edit')}
                  </button>
                  <button
                    type="button"
                    className="sb-c-button sb-c-quiet"
                    aria-expanded={history?.id === c.id}
                    aria-controls={`sb-c-consent-${c.id}-history`}
                    onClick={() => showHistory(c.id)}
                  >
                    {ct('consent.history', { narrator: c.narrator })}
                  </button>
                </div>
                {history?.id === c.id && (
                  <div id={`sb-c-consent-${c.id}-history`}>
                    {history.problem && <Problem signIn problem={history.problem} />}
                    {history.versions === null && <p className="sb-c-loading">{ct('common.loading')}</p>}
                    {history.versions && history.versions.length > 0 && (
                      <ConsentHistory versions={history.versions} interviewId={interviewId} narrator={c.narrator} />
                    )}
                  </div>
                )}
                {editing?.mode === 'edit' && editing.record.id === c.id && (
                  <ConsentForm
                    interviewId={interviewId}
                    initial={editing.record}
                    narrators={narrators}
                    onCancel={() => setEditing(null)}
                    onStale={() => {
                      load((items) => {
                        const fresh = items.find((x) => x.id === c.id);
                        setEditing(fresh ? { mode: 'edit', record: fresh } : null);
                      });
                    }}
                    onSaved={(saved) => {
                      setEditing(null);
                      setHistoryId(null);
                      setNotice(ct('consent.savedVersion', { narrator: saved.narrator, version: saved.version }));
                      load();
                      onConsentSaved();
                    }}
                  />
                )}
              </article>
            </li>
          ))}
        </ul>
      )}
      {editing?.mode === 'new' ? (
        <ConsentForm
          interviewId={interviewId}
          narrators={narrators}
          onCancel={() => {
            setEditing(null);
            newButtonRef.current?.focus();
          }}
          onStale={() => load()}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(ct('consent.saved', { narrator: saved.narrator }));
            load();
            onConsentSaved();
          }}
        />
      ) : (
        <button
          type="button"
          ref={newButtonRef}
          className="sb-c-button"
          onClick={() => setEditing({ mode: 'new' })}
          disabled={editing !== null || list === null}
        >
          {ct('consent.new')}
        </button>
      )}
    </section>
  );
}

function ConsentDetails({
  record: c,
  ct,
  lang,
  interviewId,
}: {
  record: ConsentRecord;
  ct: CT;
  lang: 'de' | 'en';
  interviewId: string;
}) {
  return (
    <dl className="sb-c-dl">
      <dt>{ct('consent.scope')}</dt>
      <dd>
        <ul className="sb-c-inline-list">
          {consentScopes
            .filter((s) => c.scope.includes(s))
            .map((s) => (
              <li key={s}>{ct(`consent.scopes.${s}`)}</li>
            ))}
        </ul>
      </dd>
      <dt>{ct('consent.given')}</dt>
      <dd>
        {ct('consent.givenText', { date: formatDay(c.givenOn, lang), method: ct(`consent.methods.${c.method}`) })}
      </dd>
      <dt>{ct('consent.embargoUntil')}</dt>
      <dd>{c.embargoUntil ? formatDay(c.embargoUntil, lang) : ct('consent.noEmbargo')}</dd>
      <dt>{ct('consent.onWithdrawal')}</dt>
      <dd>{ct(`consent.withdrawal.${c.onWithdrawal}`)}</dd>
      {c.notes && (
        <>
          <dt>{ct('consent.notes')}</dt>
          <dd className="sb-c-pre">{c.notes}</dd>
        </>
      )}
      <dt>{ct('consent.scan')}</dt>
      <dd>
        {c.scan ? (
          <a href={scanUrl(interviewId, c.id, c.version)} download={c.scan.filename || undefined}>
            {ct('consent.scanDownload', {
              name: c.scan.filename || ct('consent.scanUnnamed'),
              size: formatBytes(c.scan.sizeBytes, lang),
            })}
          </a>
        ) : (
          ct('consent.noScan')
        )}
      </dd>
    </dl>
  );
}

function ConsentHistory({
  versions,
  interviewId,
  narrator,
}: {
  versions: ConsentRecord[];
  interviewId: string;
  narrator: string;
}) {
  const { ct, lang } = useCt();
  const me = useSession();
  const dateTime = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
    dateStyle: 'medium',
    timeStyle: 'short',
  });
  const author = (id: string | null) =>
    id === null
      ? ct('consent.authorNarrator')
      : id === me.user.id
        ? ct('versions.you')
        : ct('versions.someone', { id: id.slice(0, 8) });
  return (
    <Table
      caption={ct('consent.historyCaption', { narrator })}
      showCaption
      columns={[
        ct('versions.version'),
        ct('versions.date'),
        ct('versions.author'),
        ct('consent.scope'),
        ct('consent.given'),
        ct('consent.scan'),
      ]}
    >
      {[...versions]
        .sort((a, b) => b.version - a.version)
        .map((v) => (
          <tr key={v.version}>
            <th scope="row">{v.version}</th>
            <td>
              <time dateTime={v.createdAt}>{dateTime.format(new Date(v.createdAt))}</time>
            </td>
            <td>{author(v.authorId)}</td>
            <td>{v.scope.map((s) => ct(`consent.scopes.${s}`)).join(', ')}</td>
            <td>
              {ct('consent.givenText', { date: formatDay(v.givenOn, lang), method: ct(`consent.methods.${v.method}`) })}
            </td>
            <td>
              {v.scan ? (
                <a href={scanUrl(interviewId, v.id, v.version)} download={v.scan.filename || undefined}>
                  {ct('consent.scanOfVersion', { version: v.version })}
                </a>
              ) : (
                '–'
              )}
            </td>
          </tr>
        ))}
    </Table>
  );
}
