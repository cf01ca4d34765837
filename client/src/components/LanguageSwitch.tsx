import { useTranslation } from 'react-i18next';
import { languages } from '../i18n/index.js';

/** DE | EN toggle; the chosen language is persisted by the i18n module. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = i18n.resolvedLanguage ?? i18n.language;
  return (
    <div className="lang-switch" role="group" aria-label={t('language.label')}>
      {languages.map((lng, index) => (
        <span key={lng}>
          {index > 0 && (
            <span aria-hidden="true" className="lang-sep">
              |
            </span>
          )}
          <button
            type="button"
            lang={lng}
            aria-pressed={current === lng}
            aria-label={`${lng.toUpperCase()} – ${t(`language.${lng}`)}`}
            onClick={() => void i18n.changeLanguage(lng)}
          >
            {lng.toUpperCase()}
          </button>
        </span>
      ))}
    </div>
  );
}
