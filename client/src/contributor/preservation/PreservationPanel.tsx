// "Archivpaket" on the interview page (admins): the interview's BagIt bag as a ZIP — originals, every transcript
// version (VTT, OHMS, JSON), index and metadata, consent records only when ticked — plus its open fixity problems.
import { useId, useState } from 'react';
import { useSession } from '../session.js';
import { useCt } from '../i18n/index.js';
import { FixityAlert } from './FixityAlert.js';
import { bagUrl } from './fixity.js';

export function PreservationPanel({ interviewId }: { interviewId: string }) {
  const { ct } = useCt();
  const me = useSession();
  const [withConsent, setWithConsent] = useState(false);
  const consentId = useId();
  if (me.user.role !== 'admin') return null;
  return (
    <section
      id="sb-c-preservation"
      aria-labelledby="sb-c-preservation-title"
      className="sb-c-subsection"
      data-testid="preservation"
    >
      <h3 id="sb-c-preservation-title">{ct('preservation.title')}</h3>
      <p className="sb-c-hint">{ct('preservation.intro')}</p>
      <FixityAlert interviewId={interviewId} />
      <p>
        <input
          id={consentId}
          type="checkbox"
          checked={withConsent}
          onChange={(e) => setWithConsent(e.target.checked)}
        />{' '}
        <label htmlFor={consentId}>{ct('preservation.withConsent')}</label>
      </p>
      <p>
        <a className="sb-c-button" href={bagUrl(interviewId, withConsent)} download data-testid="bag-download">
          {ct('preservation.download')}
        </a>
      </p>
    </section>
  );
}
