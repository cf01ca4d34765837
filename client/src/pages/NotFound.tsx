import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../useDocumentTitle.js';

/** Catch-all page; also used for 404 answers with a more specific title/text. */
export function NotFound({ title, text }: { title?: string; text?: string }) {
  const { t } = useTranslation();
  const heading = title ?? t('notFound.title');
  useDocumentTitle(heading);
  return (
    <section className="not-found" aria-labelledby="not-found-title">
      <h1 id="not-found-title">{heading}</h1>
      <p>{text ?? t('notFound.text')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </section>
  );
}
