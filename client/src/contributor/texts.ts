// The contributor area's texts: their own i18next namespace, registered on the app's i18next instance when this
// module is imported (the area's entry imports it first). Keys are typed from de.json; en.json has the same keys
// (tests/unit/client-contributor-i18n.test.tsx).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.js';
import de from './i18n/de.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

export const NS = 'contributor';

if (!i18n.hasResourceBundle('de', NS)) i18n.addResourceBundle('de', NS, de, true, true);
if (!i18n.hasResourceBundle('en', NS)) i18n.addResourceBundle('en', NS, en, true, true);

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
type PluralBase<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;

/** Every key of the namespace, plural forms by their base key (`uploads.files` for `uploads.files_one`). */
export type CKey = PluralBase<Leaves<typeof de>>;
export type CT = (key: CKey, options?: Record<string, unknown>) => string;

type LooseT = (key: string, options?: Record<string, unknown>) => string;

/** t() bound to the contributor namespace, re-rendering on language change; `lang` is the UI language. */
export function useCt(): { ct: CT; lang: 'de' | 'en' } {
  const { i18n: instance } = useTranslation();
  const language = instance.language;
  const ct = useMemo<CT>(() => {
    const fixed = (instance as unknown as { getFixedT(lng: string, ns: string): LooseT }).getFixedT(language, NS);
    return (key, options) => fixed(key, options);
  }, [instance, language]);
  return { ct, lang: language === 'en' ? 'en' : 'de' };
}

/** t() of the namespace in a fixed language, e.g. for a letter printed in the narrator's language. */
export function fixedCt(lang: 'de' | 'en'): CT {
  const fixed = (i18n as unknown as { getFixedT(lng: string, ns: string): LooseT }).getFixedT(lang, NS);
  return (key, options) => fixed(key, options);
}
