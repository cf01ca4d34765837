// "Durchsicht & Einverständnis" on the interview page, for curators and admins only: publication settings, consent
// records, review invitations with their letters, the narrator's proposals and restrictions, and (admins) the log.
import { useCallback, useState } from 'react';
import { useApi } from '../../useApi.js';
import { Problem } from '../../components/Problem.js';
import { isStaff, useSession } from '../session.js';
import { useCt } from '../i18n/index.js';
import type { Interview, Medium, ReviewOverview, Visibility } from '../types.js';
import { InterviewAudit } from './AuditLog.js';
import { ConsentPanel } from './ConsentPanel.js';
import { InvitationsPanel } from './InvitationsPanel.js';
import { PublicationPanel } from './PublicationPanel.js';
import { ReviewItems } from './ReviewItems.js';
import { PreservationPanel } from '../preservation/PreservationPanel.js';

interface Props {
  interviewId: string;
  record: Interview;
  media: Medium[];
  etag: string | null;
  formVisibility: Visibility;
  onInterviewSaved: (interview: Interview, etag: string | null) => void;
  /** Reload the interview (form included), e.g. after a 412. */
  onReload: () => void;
  /** Fetch the record again without touching the form (a consent may move the interview back to review). */
  onRefresh: () => void;
}

export function CurationSection({
  interviewId,
  record,
  media,
  etag,
  formVisibility,
  onInterviewSaved,
  onReload,
  onRefresh,
}: Props) {
  const { ct } = useCt();
  const me = useSession();
  // staff only: the review overview (corrections, restrictions, decisions); fetched again after each change here
  const {
    data: overview = null,
    problem,
    reload,
  } = useApi<ReviewOverview>(isStaff(me) ? `/api/interviews/${encodeURIComponent(interviewId)}/review` : null, {
    keepPrevious: true,
  });
  // each change also shows the log anew
  const [tick, setTick] = useState(0);
  const refreshOverview = useCallback(() => {
    reload();
    setTick((n) => n + 1);
  }, [reload]);

  if (!isStaff(me)) return null;
  const admin = me.user.role === 'admin';
  const narrators = record.people.filter((p) => p.role === 'narrator').map((p) => p.name);
  const openCount = overview ? overview.corrections.filter((c) => c.status === 'open').length : 0;

  return (
    <section aria-labelledby="sb-c-curation-title" className="sb-c-section sb-c-curation" data-testid="curation">
      <h2 id="sb-c-curation-title">{ct('curation.title')}</h2>
      <p className="sb-c-hint">{ct('curation.intro')}</p>
      <nav aria-label={ct('curation.toc')} className="sb-c-toc">
        <ul>
          <li>
            <a href="#sb-c-publication">{ct('publication.title')}</a>
          </li>
          <li>
            <a href="#sb-c-consents">{ct('consent.title')}</a>
          </li>
          <li>
            <a href="#sb-c-invitations">{ct('invitations.title')}</a>
          </li>
          <li>
            <a href="#sb-c-proposals">
              {ct('reviewItems.title')}
              {openCount > 0 && <> ({ct('curation.openProposals', { count: openCount })})</>}
            </a>
          </li>
          {admin && (
            <li>
              <a href="#sb-c-audit">{ct('audit.title')}</a>
            </li>
          )}
          {admin && (
            <li>
              <a href="#sb-c-preservation">{ct('preservation.title')}</a>
            </li>
          )}
        </ul>
      </nav>
      {problem && <Problem signIn problem={problem} />}

      <PublicationPanel
        interviewId={interviewId}
        record={record}
        etag={etag}
        formVisibility={formVisibility}
        onSaved={onInterviewSaved}
        onReload={onReload}
      />
      <ConsentPanel
        interviewId={interviewId}
        narrators={narrators}
        visibility={formVisibility}
        onConsentSaved={onRefresh}
      />
      <InvitationsPanel
        interviewId={interviewId}
        interviewTitle={record.title}
        invitations={overview?.invitations ?? null}
        narrators={narrators}
        withdrawn={record.status === 'withdrawn'}
        onChange={refreshOverview}
      />
      <ReviewItems interviewId={interviewId} overview={overview} media={media} onChange={refreshOverview} />
      {admin && <InterviewAudit key={`${record.version}-${tick}`} interviewId={interviewId} />}
      {admin && <PreservationPanel interviewId={interviewId} />}
    </section>
  );
}
