// The narrator review pages' texts: their own i18next namespace, registered on the app's i18next instance when this
// module is imported (the area's entry imports it first). Keys are typed from de.json; en.json has the same keys
// (tests/unit/client-review.test.tsx).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../i18n/index.js';
import de from './i18n/de.json' with { type: 'json' };
import en from './i18n/en.json' with { type: 'json' };

export const NS = 'review';

if (!i18n.hasResourceBundle('de', NS)) i18n.addResourceBundle('de', NS, de, true, true);
if (!i18n.hasResourceBundle('en', NS)) i18n.addResourceBundle('en', NS, en, true, true);

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every key of the namespace. */
export type RKey = Leaves<typeof de>;
export type RT = (key: RKey, options?: Record<string, unknown>) => string;

type LooseT = (key: string, options?: Record<string, unknown>) => string;

/** t() bound to the review namespace, re-rendering on language change; `lang` is the UI language. */
export function useRt(): { rt: RT; lang: 'de' | 'en' } {
  const { i18n: instance } = useTranslation();
  const language = instance.language;
  const rt = useMemo<RT>(() => {
    const fixed = (instance as unknown as { getFixedT(lng: string, ns: string): LooseT }).getFixedT(language, NS);
    return (key, options) => fixed(key, options);
  }, [instance, language]);
  return { rt, lang: language === 'en' ? 'en' : 'de' };
}
