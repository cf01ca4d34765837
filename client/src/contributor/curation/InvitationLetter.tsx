// The printable letter to a narrator: large, friendly text, the QR code, the short code in big letters, where to type
// it, the full link, the expiry date and a line for a phone number. Only the letter prints (contributor.css).
import { archiveContact } from '../../contact.js';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useDocumentTitle } from '../../useDocumentTitle.js';
import { letterModel, letterStore, type LetterModel } from '../lib/letter.js';
import { AreaBreadcrumbs } from '../components/AreaBreadcrumbs.js';
import { contributorPaths } from '../paths.js';
import { isStaff, useSession } from '../session.js';
import { fixedCt, useCt, type CT } from '../i18n/index.js';

export function InvitationLetterRoute() {
  const { id = '', invitationId = '' } = useParams();
  const { ct, lang } = useCt();
  const me = useSession();
  const stored = letterStore.get(invitationId);
  const [letterLang, setLetterLang] = useState<'de' | 'en'>('de');
  const model =
    stored && stored.created.invitation.interviewId === id
      ? letterModel(stored.created, stored.interviewTitle, letterLang)
      : null;
  useDocumentTitle(model ? ct('letterPage.title', { narrator: model.narrator }) : ct('letterPage.titlePlain'));

  const back = contributorPaths.interview(id);
  if (!isStaff(me)) {
    return (
      <section>
        <h1>{ct('letterPage.titlePlain')}</h1>
        <p>{ct('curation.staffOnly')}</p>
      </section>
    );
  }
  if (!model) {
    return (
      <section aria-labelledby="sb-c-letter-page-title">
        <AreaBreadcrumbs current={ct('letterPage.crumb')} trail={[{ to: back, label: ct('form.titleEditPlain') }]} />
        <h1 id="sb-c-letter-page-title">{ct('letterPage.gone')}</h1>
        <p>{ct('letterPage.goneText')}</p>
        <p>
          <Link to={back}>{ct('letterPage.back')}</Link>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="sb-c-letter-page-title" className="sb-c-letter-page">
      <div className="sb-c-noprint">
        <AreaBreadcrumbs current={ct('letterPage.crumb')} trail={[{ to: back, label: model.interviewTitle }]} />
        <h1 id="sb-c-letter-page-title">{ct('letterPage.title', { narrator: model.narrator })}</h1>
        <div className="sb-c-notice-warn" role="note">
          <p>
            <strong>{ct('letterPage.onceTitle')}</strong> {ct('letterPage.once')}
          </p>
        </div>
        <div className="sb-c-actions">
          <button type="button" className="sb-c-button sb-c-primary" onClick={() => window.print()}>
            {ct('letterPage.print')}
          </button>
          <div className="sb-c-field sb-c-inline-field">
            <label htmlFor="sb-c-letter-lang">{ct('letterPage.language')}</label>
            <select
              id="sb-c-letter-lang"
              value={letterLang}
              onChange={(e) => setLetterLang(e.target.value === 'en' ? 'en' : 'de')}
            >
              <option value="de">{ct('languages.de')}</option>
              <option value="en">{ct('languages.en')}</option>
            </select>
          </div>
          <Link to={back}>{ct('letterPage.back')}</Link>
        </div>
        {lang !== letterLang && <p className="sb-c-hint">{ct('letterPage.languageNote')}</p>}
      </div>
      <LetterView model={model} ct={fixedCt(letterLang)} lang={letterLang} />
    </section>
  );
}

/** The letter itself; `ct` is fixed to the letter's language. */
export function LetterView({ model, ct, lang }: { model: LetterModel; ct: CT; lang: 'de' | 'en' }) {
  // ARCHIVE_CONTACT when configured; otherwise a line to write the number in by hand
  const contact = archiveContact();
  return (
    <article
      className="sb-c-letter"
      lang={lang}
      aria-label={ct('letter.label', { narrator: model.narrator })}
      data-testid="invitation-letter"
    >
      <div className="sb-c-letter-head">
        <p className="sb-c-letter-sender">{ct('letter.sender')}</p>
        <p className="sb-c-letter-date">{model.writtenOn}</p>
      </div>
      <p className="sb-c-letter-greeting">{ct('letter.greeting', { narrator: model.narrator })}</p>
      <p>{ct('letter.thanks', { title: model.interviewTitle })}</p>
      <p>{ct('letter.why')}</p>
      <ul>
        <li>{ct('letter.can1')}</li>
        <li>{ct('letter.can2')}</li>
        <li>{ct('letter.can3')}</li>
      </ul>

      <h2 className="sb-c-letter-heading">{ct('letter.how')}</h2>
      <div className="sb-c-letter-ways">
        <section className="sb-c-letter-way">
          <h3>{ct('letter.way1Title')}</h3>
          <p>{ct('letter.way1')}</p>
          {model.qrSrc ? (
            <img className="sb-c-letter-qr" src={model.qrSrc} alt={ct('letter.qrAlt')} width={220} height={220} />
          ) : (
            <p>{ct('letter.noQr')}</p>
          )}
        </section>
        <section className="sb-c-letter-way">
          <h3>{ct('letter.way2Title')}</h3>
          <p>{ct('letter.way2')}</p>
          <p className="sb-c-letter-url">{model.codeUrlShort}</p>
          <p>{ct('letter.way2b')}</p>
          <p className="sb-c-letter-code" aria-label={ct('letter.codeLabel', { code: model.codeGroups.join(' – ') })}>
            {model.code}
          </p>
          <p className="sb-c-letter-small">{ct('letter.way2c')}</p>
        </section>
      </div>
      <p className="sb-c-letter-small">
        {ct('letter.way3')} <span className="sb-c-letter-link">{model.link}</span>
      </p>

      <p className="sb-c-letter-expiry">{ct('letter.expires', { date: model.expiresOn })}</p>
      <p>{ct('letter.noRush')}</p>
      <p className="sb-c-letter-phone">
        {ct('letter.questions')}{' '}
        {contact ?? (
          <span className="sb-c-letter-blank" aria-hidden="true">
            ______________________________
          </span>
        )}
      </p>
      <p>{ct('letter.questionsHint')}</p>
      <p>{ct('letter.keepSafe')}</p>
      <p className="sb-c-letter-closing">{ct('letter.closing')}</p>
      <p>{ct('letter.signature')}</p>
    </article>
  );
}
