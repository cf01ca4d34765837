// A calm frame for the review pages: the archive's name, what this is, text size and language; no site navigation.
import type { ReactNode } from 'react';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { TextSizeSwitch } from '../components/TextSizeSwitch.js';
import { archiveContact } from '../contact.js';
import { useRt } from './i18n/index.js';

export function ReviewLayout({ children }: { children: ReactNode }) {
  const { rt } = useRt();
  const contact = archiveContact();
  return (
    <div className="sb-r">
      <a className="skip-link sb-r-no-print" href="#review-main">
        {rt('app.skipLink')}
      </a>
      <header className="sb-r-header sb-r-no-print">
        <div className="sb-r-container sb-r-header-inner">
          <p className="sb-r-brand">
            <span className="sb-r-brand-name">{rt('app.brand')}</span>
            <span className="sb-r-brand-area">{rt('app.area')}</span>
          </p>
          <div className="sb-r-tools" role="group" aria-label={rt('app.tools')}>
            <TextSizeSwitch />
            <LanguageSwitch />
          </div>
        </div>
      </header>
      <main id="review-main" tabIndex={-1} className="sb-r-container sb-r-main">
        {children}
      </main>
      {contact && (
        <footer className="sb-r-container sb-r-footer">
          <p>{rt('app.contact', { contact })}</p>
        </footer>
      )}
    </div>
  );
}
