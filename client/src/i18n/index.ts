// The one i18next setup: German first, English second. The choice is kept in localStorage and mirrored to <html lang>
// and to the API's Accept-Language. Namespaces: `public` (here, the default), `contributor` and `review`, which their
// areas register on this instance when their chunk loads (i18n/namespace.ts). German, the default and the fallback,
// is bundled; the English public texts load on demand (the first change to English, or at start for a reader who chose
// it), so a German reader's first page carries one catalog, not two.
import i18n, { type BackendModule, type ReadCallback } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage } from '../lib/http.js';
import de from './de.json' with { type: 'json' };

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

/** Reads the texts that are not bundled: only the English public namespace (areas register both of theirs). */
const textsOnDemand: BackendModule = {
  type: 'backend',
  init() {},
  read(lng: string, ns: string, callback: ReadCallback) {
    if (lng !== 'en' || ns !== 'public') return callback(null, {});
    import('./en.json', { with: { type: 'json' } }).then(
      (texts) => callback(null, texts.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

/** Resolves once the reader's language has its texts: render after it, so nobody sees the other language first. */
export const i18nReady: Promise<unknown> = i18n
  .use(textsOnDemand)
  .use(initReactI18next)
  .init({
    resources: { de: { public: de } },
    partialBundledLanguages: true,
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
