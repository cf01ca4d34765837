// The one i18next setup: German first, English second. The choice is kept in localStorage and mirrored to <html lang>
// and to the API's Accept-Language. Namespaces: `public` (here, the default), `contributor` and `review`, which their
// areas register on this instance when their chunk loads (i18n/namespace.ts).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../lib/http.js';
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

export const languages = ['de', 'en'] as const;
export type Language = (typeof languages)[number];

const STORAGE_KEY = 'schichtbuch.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'public';
    resources: { public: typeof de };
  }
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : 'de';
  } catch {
    return 'de'; // storage blocked (privacy mode): stay German
  }
}

function applyLanguage(lng: string): void {
  const lang: Language = isLanguage(lng) ? lng : 'de';
  setApiLanguage(lang);
  if (typeof document !== 'undefined') document.documentElement.lang = lang;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // ignore: the choice then lasts for this page view only
  }
}

i18n.on('languageChanged', applyLanguage);

void i18n.use(initReactI18next).init({
  resources: { de: { public: de }, en: { public: en } },
  ns: ['public'],
  defaultNS: 'public',
  lng: storedLanguage(),
  fallbackLng: 'de',
  supportedLngs: [...languages],
  interpolation: { escapeValue: false }, // React escapes
  react: { useSuspense: false },
  initAsync: false,
});

export default i18n;

// init is synchronous (inline resources, initAsync: false); make sure <html lang> is right from the start
applyLanguage(i18n.language);
