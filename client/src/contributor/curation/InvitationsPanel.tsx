// Einladungen zur Durchsicht: a narrator gets a letter with a link, a QR code and a short code. The server answers
// with them once (it keeps only hashes), so the letter opens right after creating; the list shows what became of
// each invitation and can revoke one.
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { type ApiProblem, asProblem, request } from '../../lib/http.js';
import { ConfirmDialog } from '../components/ConfirmDialog.js';
import { Field } from '../components/Field.js';
import { Problem } from '../../components/Problem.js';
import { formatDateTime } from '../lib/dates.js';
import { groupFieldErrors, type FieldErrors } from '../lib/fieldErrors.js';
import { letterStore } from '../lib/letter.js';
import { sortInvitations } from '../lib/review.js';
import { contributorPaths } from '../paths.js';
import { useCt } from '../i18n/index.js';
import type { CreatedInvitation, Invitation } from '../types.js';
import { Table } from '../../components/Table.js';

interface Props {
  interviewId: string;
  interviewTitle: string;
  /** From the review overview; null while loading. */
  invitations: Invitation[] | null;
  narrators: string[];
  withdrawn: boolean;
  onChange: () => void;
}

const invitationFieldKey = (field: string) => {
  const f = field.replace(/^body\.?/, '');
  return f === 'narrator' || f === 'expiresInDays' ? f : '_form';
};

export function InvitationsPanel({ interviewId, interviewTitle, invitations, narrators, withdrawn, onChange }: Props) {
  const { ct, lang } = useCt();
  const navigate = useNavigate();
  const [narrator, setNarrator] = useState(narrators.length === 1 ? narrators[0]! : '');
  const [days, setDays] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [notice, setNotice] = useState('');

  const create = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setProblem(null);
    const name = narrator.trim();
    const own: FieldErrors = {};
    if (name === '') own.narrator = [ct('invitations.errors.narrator')];
    const n = days.trim() === '' ? undefined : Number(days);
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 365))
      own.expiresInDays = [ct('invitations.errors.days')];
    setErrors(own);
    if (Object.keys(own).length > 0) {
      document.getElementById(own.narrator ? 'sb-c-invite-narrator' : 'sb-c-invite-days')?.focus();
      return;
    }
    setBusy(true);
    try {
      const { data } = await request<CreatedInvitation>(
        'POST',
        `/api/interviews/${encodeURIComponent(interviewId)}/review-invitations`,
        {
          json: { narrator: name, ...(n !== undefined ? { expiresInDays: n } : {}) },
        },
      );
      letterStore.put(data, interviewTitle);
      onChange();
      void navigate(contributorPaths.invitationLetter(interviewId, data.invitation.id));
    } catch (err) {
      const p = asProblem(err);
      if (p.problem.errors?.length) setErrors(groupFieldErrors(p.problem.errors, invitationFieldKey));
      setProblem(p);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (invitation: Invitation) => {
    setProblem(null);
    try {
      await request<Invitation>(
        'POST',
        `/api/interviews/${encodeURIComponent(interviewId)}/review-invitations/${encodeURIComponent(invitation.id)}/revoke`,
      );
      letterStore.drop(invitation.id);
      setNotice(ct('invitations.revoked', { narrator: invitation.narrator }));
      onChange();
    } catch (err) {
      setProblem(asProblem(err));
    }
  };

  const list = invitations ? sortInvitations(invitations) : null;

  return (
    <section aria-labelledby="sb-c-invitations-title" id="sb-c-invitations" className="sb-c-subsection">
      <h3 id="sb-c-invitations-title">{ct('invitations.title')}</h3>
      <p className="sb-c-hint">{ct('invitations.intro')}</p>
      <p className="sb-c-live" role="status" aria-live="polite">
        {notice}
      </p>
      {problem && <Problem signIn problem={problem} showFieldErrors={false} />}

      {list === null && <p className="sb-c-loading">{ct('common.loading')}</p>}
      {list && list.length === 0 && <p>{ct('invitations.none')}</p>}
      {list && list.length > 0 && (
        <Table
          caption={ct('invitations.title')}
          columns={[
            ct('invitations.narrator'),
            ct('invitations.state'),
            ct('invitations.created'),
            ct('invitations.expires'),
            ct('invitations.lastUsed'),
          ]}
          actionsLabel={ct('versions.actions')}
        >
          {list.map((i) => (
            <tr key={i.id}>
              <th scope="row">{i.narrator}</th>
              <td>
                <span className={`sb-c-badge sb-c-invitation-${i.state}`}>{ct(`invitations.states.${i.state}`)}</span>
                {i.revokedAt && <span className="sb-c-meta"> {formatDateTime(i.revokedAt, lang)}</span>}
              </td>
              <td>{formatDateTime(i.createdAt, lang)}</td>
              <td>{formatDateTime(i.expiresAt, lang)}</td>
              <td>{i.lastUsedAt ? formatDateTime(i.lastUsedAt, lang) : ct('invitations.neverUsed')}</td>
              <td>
                {i.state === 'active' && (
                  <button
                    type="button"
                    className="sb-c-button sb-c-quiet"
                    onClick={() => setRevoking(i)}
                    aria-label={ct('invitations.revokeNamed', { narrator: i.narrator })}
                  >
                    {ct('invitations.revoke')}
                  </button>
                )}
                {i.state === 'active' && letterStore.get(i.id) && (
                  <Link className="sb-c-button sb-c-quiet" to={contributorPaths.invitationLetter(interviewId, i.id)}>
                    {ct('invitations.openLetter')}
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}

      {withdrawn ? (
        <p>{ct('invitations.withdrawn')}</p>
      ) : (
        <form className="sb-c-form" onSubmit={(e) => void create(e)} noValidate aria-labelledby="sb-c-invite-title">
          <h4 id="sb-c-invite-title">{ct('invitations.newTitle')}</h4>
          <p className="sb-c-notice-warn">{ct('invitations.onceWarning')}</p>
          <div className="sb-c-row">
            <Field
              id="sb-c-invite-narrator"
              label={ct('invitations.narratorLabel')}
              errors={errors.narrator}
              className="sb-c-grow"
            >
              {(a) => (
                <>
                  <input
                    {...a}
                    type="text"
                    autoComplete="off"
                    list="sb-c-invite-narrators"
                    value={narrator}
                    onChange={(e) => setNarrator(e.target.value)}
                    maxLength={200}
                  />
                  <datalist id="sb-c-invite-narrators">
                    {narrators.map((n) => (
                      <option key={n} value={n} />
                    ))}
                  </datalist>
                </>
              )}
            </Field>
            <Field
              id="sb-c-invite-days"
              label={ct('invitations.days')}
              hint={ct('invitations.daysHint')}
              errors={errors.expiresInDays}
            >
              {(a) => (
                <input
                  {...a}
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={365}
                  value={days}
                  onChange={(e) => setDays(e.target.value)}
                  className="sb-c-short"
                />
              )}
            </Field>
          </div>
          <button type="submit" className="sb-c-button sb-c-primary" disabled={busy} aria-busy={busy}>
            {busy ? ct('invitations.creating') : ct('invitations.create')}
          </button>
        </form>
      )}

      <ConfirmDialog
        open={revoking !== null}
        title={ct('invitations.revokeTitle', { narrator: revoking?.narrator ?? '' })}
        confirmLabel={ct('invitations.revokeConfirm')}
        cancelLabel={ct('common.cancel')}
        onConfirm={() => {
          const i = revoking;
          setRevoking(null);
          if (i) void revoke(i);
        }}
        onCancel={() => setRevoking(null)}
      >
        <p>{ct('invitations.revokeText')}</p>
      </ConfirmDialog>
    </section>
  );
}
