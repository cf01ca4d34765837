// The one way an area gets its texts: an i18next namespace on the app's one instance (i18n/index.ts), registered when
// the area's chunk loads (so the public pages do not carry the contributor's or the narrator's texts), with t() typed
// from the area's de.json. en.json must have the same keys (the i18n unit tests compare them).
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import i18n, { type Language } from './index.js';

type Leaves<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${P}${K}` : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];
type PluralBase<K extends string> = K extends `${infer B}_${'one' | 'other'}` ? B : K;

/** Every key of a namespace's texts, plural forms by their base key (`uploads.files` for `uploads.files_one`). */
export type KeyOf<Texts> = PluralBase<Leaves<Texts>>;
export type TypedT<Key extends string> = (key: Key, options?: Record<string, unknown>) => string;

type LooseT = (key: string, options?: Record<string, unknown>) => string;
const fixedT = (lng: string, ns: string): LooseT =>
  (i18n as unknown as { getFixedT(lng: string, ns: string): LooseT }).getFixedT(lng, ns);

export interface Namespace<Key extends string> {
  /** t() bound to the namespace, re-rendering on language change; `lang` is the UI language. */
  useT(): { t: TypedT<Key>; lang: Language };
  /** t() of the namespace in a fixed language, e.g. for a letter printed in the narrator's language. */
  fixed(lang: Language): TypedT<Key>;
}

export function defineNamespace<Texts extends object>(
  ns: string,
  resources: Record<Language, Texts>,
): Namespace<KeyOf<Texts>> {
  for (const lang of Object.keys(resources) as Language[]) {
    if (!i18n.hasResourceBundle(lang, ns)) i18n.addResourceBundle(lang, ns, resources[lang], true, true);
  }
  return {
    useT() {
      const { i18n: instance } = useTranslation();
      const language = instance.language;
      const t = useMemo<TypedT<KeyOf<Texts>>>(() => {
        const bound = fixedT(language, ns);
        return (key, options) => bound(key, options);
      }, [language]);
      return { t, lang: language === 'en' ? 'en' : 'de' };
    },
    fixed(lang) {
      const bound = fixedT(lang, ns);
      return (key, options) => bound(key, options);
    },
  };
}
