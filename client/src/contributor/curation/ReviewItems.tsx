// Vorschläge und Sperrvermerke: passages marked "nicht veröffentlichen" (a curator may lift one, with a reason), the
// narrator's proposed corrections (accept = a new transcript version, or reject), and the narrator's decisions.
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { type ApiProblem, asProblem, request } from '../../lib/http.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Problem } from '../../components/Problem.js';
import { formatDateTime } from '../lib/dates.js';
import { formatTimeSpan } from '../../lib/time.js';
import { diffWords, restrictionAuthor, sortCorrections, sortRestrictions, type DiffPart } from '../lib/review.js';
import { contributorPaths } from '../paths.js';
import { useSession } from '../session.js';
import { useCt } from '../i18n/index.js';
import type { Correction, Medium, Restriction, ReviewOverview } from '../types.js';
import { Table } from '../../components/Table.js';

interface Props {
  interviewId: string;
  overview: ReviewOverview | null;
  media: Medium[];
  onChange: () => void;
}

export function ReviewItems({ interviewId, overview, media, onChange }: Props) {
  const { ct } = useCt();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [notice, setNotice] = useState('');
  const partOf = (mediaId: string) => media.find((m) => m.id === mediaId)?.part ?? 0;

  return (
    <section aria-labelledby="sb-c-proposals-title" id="sb-c-proposals" className="sb-c-subsection">
      <h3 id="sb-c-proposals-title">{ct('reviewItems.title')}</h3>
      <p className="sb-c-live" role="status" aria-live="polite">
        {notice}
      </p>
      {problem && <Problem signIn problem={problem} />}
      {overview === null ? (
        <p className="sb-c-loading">{ct('common.loading')}</p>
      ) : (
        <>
          <Restrictions
            interviewId={interviewId}
            overview={overview}
            partOf={partOf}
            onDone={(text) => {
              setProblem(null);
              setNotice(text);
              onChange();
            }}
            onProblem={setProblem}
          />
          <Corrections
            interviewId={interviewId}
            corrections={overview.corrections}
            partOf={partOf}
            onDone={(text) => {
              setProblem(null);
              setNotice(text);
              onChange();
            }}
            onProblem={setProblem}
          />
          <Decisions overview={overview} />
        </>
      )}
    </section>
  );
}

interface ItemProps {
  interviewId: string;
  partOf: (mediaId: string) => number;
  onDone: (notice: string) => void;
  onProblem: (p: ApiProblem) => void;
}

function Restrictions({ interviewId, overview, partOf, onDone, onProblem }: ItemProps & { overview: ReviewOverview }) {
  const { ct, lang } = useCt();
  const me = useSession();
  const [lifting, setLifting] = useState<Restriction | null>(null);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const list = sortRestrictions(overview.restrictions, partOf);
  const who = (r: Restriction) => {
    const a = restrictionAuthor(r, overview.invitations, me.user.id);
    if (a.kind === 'narrator')
      return a.name ? ct('reviewItems.byNarrator', { name: a.name }) : ct('reviewItems.byNarratorPlain');
    if (a.kind === 'you') return ct('versions.you');
    if (a.kind === 'user') return ct('versions.someone', { id: a.name });
    return ct('reviewItems.bySystem');
  };
  const lift = async (r: Restriction, why: string) => {
    try {
      await request<Restriction>(
        'POST',
        `/api/interviews/${encodeURIComponent(interviewId)}/restrictions/${encodeURIComponent(r.id)}/lift`,
        { json: { reason: why } },
      );
      onDone(ct('reviewItems.lifted', { part: partOf(r.mediaId), span: formatTimeSpan(r.start, r.end) }));
    } catch (err) {
      onProblem(asProblem(err));
    }
  };

  return (
    <>
      <h4>{ct('reviewItems.restrictions')}</h4>
      {list.length === 0 ? (
        <p>{ct('reviewItems.noRestrictions')}</p>
      ) : (
        <Table
          caption={ct('reviewItems.restrictions')}
          columns={[
            ct('reviewItems.passage'),
            ct('reviewItems.reason'),
            ct('reviewItems.quote'),
            ct('reviewItems.by'),
            ct('reviewItems.status'),
          ]}
          actionsLabel={ct('versions.actions')}
        >
          {list.map((r) => (
            <tr key={r.id} className={r.status === 'lifted' ? 'sb-c-row-done' : undefined}>
              <th scope="row">
                {ct('reviewItems.partSpan', { part: partOf(r.mediaId), span: formatTimeSpan(r.start, r.end) })}
              </th>
              <td>{r.reason ?? '–'}</td>
              <td>{r.quote ? <blockquote className="sb-c-quote">{r.quote}</blockquote> : '–'}</td>
              <td>
                {who(r)}
                <br />
                <span className="sb-c-meta">{formatDateTime(r.createdAt, lang)}</span>
              </td>
              <td>
                {r.status === 'active' ? (
                  <span className="sb-c-badge sb-c-restriction-active">{ct('reviewItems.active')}</span>
                ) : (
                  <>
                    <span className="sb-c-badge">{ct('reviewItems.liftedState')}</span>
                    {r.liftedAt && <span className="sb-c-meta"> {formatDateTime(r.liftedAt, lang)}</span>}
                  </>
                )}
              </td>
              <td>
                {r.status === 'active' && (
                  <button
                    type="button"
                    className="sb-c-button sb-c-quiet"
                    onClick={() => {
                      setReason('');
                      setLifting(r);
                    }}
                    aria-label={ct('reviewItems.liftNamed', {
                      part: partOf(r.mediaId),
                      span: formatTimeSpan(r.start, r.end),
                    })}
                  >
                    {ct('reviewItems.lift')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={lifting !== null}
        title={ct('reviewItems.liftTitle', {
          part: lifting ? partOf(lifting.mediaId) : 0,
          span: lifting ? formatTimeSpan(lifting.start, lifting.end) : '',
        })}
        confirmLabel={ct('reviewItems.liftConfirm')}
        cancelLabel={ct('common.cancel')}
        confirmDisabled={reason.trim() === ''}
        onConfirm={() => {
          const r = lifting;
          const why = reason.trim();
          if (!r || why === '') return;
          setLifting(null);
          void lift(r, why);
        }}
        onCancel={() => setLifting(null)}
      >
        <p>{ct('reviewItems.liftText')}</p>
        <div className="sb-c-field">
          <label htmlFor={reasonId}>{ct('reviewItems.liftReason')}</label>
          <textarea
            id={reasonId}
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={2000}
            required
          />
        </div>
      </ConfirmDialog>
    </>
  );
}

function Corrections({
  interviewId,
  corrections,
  partOf,
  onDone,
  onProblem,
}: ItemProps & { corrections: Correction[] }) {
  const { ct, lang } = useCt();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const list = sortCorrections(corrections);

  const decide = async (c: Correction, accept: boolean) => {
    setBusy(c.id);
    const note = (notes[c.id] ?? '').trim();
    try {
      const { data } = await request<Correction>(
        'POST',
        `/api/interviews/${encodeURIComponent(interviewId)}/corrections/${encodeURIComponent(c.id)}/${accept ? 'accept' : 'reject'}`,
        {
          json: note ? { note } : {},
        },
      );
      onDone(
        accept
          ? ct('reviewItems.acceptedNotice', {
              n: c.segmentNo + 1,
              part: partOf(c.mediaId),
              version: data.transcriptVersion ?? '?',
            })
          : ct('reviewItems.rejectedNotice', { n: c.segmentNo + 1, part: partOf(c.mediaId) }),
      );
    } catch (err) {
      onProblem(asProblem(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <h4>{ct('reviewItems.corrections')}</h4>
      {list.length === 0 && <p>{ct('reviewItems.noCorrections')}</p>}
      {list.length > 0 && (
        <ul className="sb-c-cards">
          {list.map((c) => {
            const parts = diffWords(c.original, c.proposed);
            const heading = ct('reviewItems.correctionTitle', { part: partOf(c.mediaId), n: c.segmentNo + 1 });
            return (
              <li key={c.id}>
                <article className="sb-c-card" aria-labelledby={`sb-c-corr-${c.id}`}>
                  <h5 id={`sb-c-corr-${c.id}`} className="sb-c-card-title">
                    {heading}{' '}
                    <span className={`sb-c-badge sb-c-correction-${c.status}`}>
                      {ct(`reviewItems.correctionStates.${c.status}`)}
                    </span>
                  </h5>
                  <p className="sb-c-meta">
                    {ct('reviewItems.proposedAt', { date: formatDateTime(c.createdAt, lang) })}
                  </p>
                  <div className="sb-c-compare">
                    <div>
                      <p className="sb-c-compare-label">{ct('reviewItems.original')}</p>
                      <p className="sb-c-compare-text">
                        <DiffText parts={parts} side="original" />
                      </p>
                    </div>
                    <div>
                      <p className="sb-c-compare-label">{ct('reviewItems.proposed')}</p>
                      <p className="sb-c-compare-text">
                        <DiffText parts={parts} side="proposed" />
                      </p>
                    </div>
                  </div>
                  {c.note && (
                    <p>
                      <strong>{ct('reviewItems.narratorNote')}</strong> {c.note}
                    </p>
                  )}
                  {c.status === 'open' ? (
                    <>
                      <div className="sb-c-field">
                        <label htmlFor={`sb-c-corr-note-${c.id}`}>{ct('reviewItems.decisionNote')}</label>
                        <input
                          id={`sb-c-corr-note-${c.id}`}
                          type="text"
                          value={notes[c.id] ?? ''}
                          maxLength={2000}
                          onChange={(e) => setNotes((n) => ({ ...n, [c.id]: e.target.value }))}
                        />
                      </div>
                      <div className="sb-c-actions">
                        <button
                          type="button"
                          className="sb-c-button sb-c-primary"
                          disabled={busy !== null}
                          onClick={() => void decide(c, true)}
                          aria-label={ct('reviewItems.acceptNamed', { title: heading })}
                        >
                          {ct('reviewItems.accept')}
                        </button>
                        <button
                          type="button"
                          className="sb-c-button"
                          disabled={busy !== null}
                          onClick={() => void decide(c, false)}
                          aria-label={ct('reviewItems.rejectNamed', { title: heading })}
                        >
                          {ct('reviewItems.reject')}
                        </button>
                      </div>
                    </>
                  ) : (
                    <p>
                      {c.decidedAt && ct('reviewItems.decidedAt', { date: formatDateTime(c.decidedAt, lang) })}
                      {c.decisionNote && <> – {c.decisionNote}</>}
                      {c.status === 'accepted' && c.transcriptVersion !== null && (
                        <>
                          {' '}
                          <Link to={contributorPaths.transcript(interviewId, c.mediaId)}>
                            {ct('reviewItems.transcriptVersion', { version: c.transcriptVersion })}
                          </Link>
                        </>
                      )}
                    </p>
                  )}
                </article>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** One side of a word diff: the original shows what goes, the proposal what comes. */
export function DiffText({ parts, side }: { parts: DiffPart[]; side: 'original' | 'proposed' }) {
  const { ct } = useCt();
  return (
    <>
      {parts.map((p, i) => {
        if (p.kind === 'same') return <span key={i}>{p.text}</span>;
        if (side === 'original' && p.kind === 'removed') {
          return (
            <del key={i} className="sb-c-diff-del">
              <span className="visually-hidden">[{ct('reviewItems.removedMark')}: </span>
              {p.text}
              <span className="visually-hidden">]</span>
            </del>
          );
        }
        if (side === 'proposed' && p.kind === 'added') {
          return (
            <ins key={i} className="sb-c-diff-ins">
              <span className="visually-hidden">[{ct('reviewItems.addedMark')}: </span>
              {p.text}
              <span className="visually-hidden">]</span>
            </ins>
          );
        }
        return null;
      })}
    </>
  );
}

function Decisions({ overview }: { overview: ReviewOverview }) {
  const { ct, lang } = useCt();
  const narratorOf = (invitationId: string | null) =>
    overview.invitations.find((i) => i.id === invitationId)?.narrator ?? '–';
  return (
    <>
      <h4>{ct('reviewItems.decisions')}</h4>
      {overview.decisions.length === 0 ? (
        <p>{ct('reviewItems.noDecisions')}</p>
      ) : (
        <Table
          caption={ct('reviewItems.decisions')}
          columns={[
            ct('reviewItems.decisionDate'),
            ct('reviewItems.narrator'),
            ct('reviewItems.decision'),
            ct('reviewItems.visibilityChosen'),
            ct('reviewItems.message'),
            ct('reviewItems.receipt'),
          ]}
        >
          {[...overview.decisions]
            .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
            .map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  <time dateTime={d.createdAt}>{formatDateTime(d.createdAt, lang)}</time>
                </th>
                <td>{narratorOf(d.invitationId)}</td>
                <td>{ct(`reviewItems.decisionKinds.${d.decision}`)}</td>
                <td>{d.visibility ? ct(`visibility.${d.visibility}.label`) : '–'}</td>
                <td className="sb-c-pre">{d.message ?? '–'}</td>
                <td>
                  <span className="sb-c-receipt">{d.receiptNo}</span>
                </td>
              </tr>
            ))}
        </Table>
      )}
    </>
  );
}
