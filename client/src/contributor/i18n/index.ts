// The contributor area's texts: the `contributor` namespace (i18n/namespace.ts), registered when the area's entry
// imports this module.
import { defineNamespace, type KeyOf, type TypedT } from '../../i18n/namespace.js';
import type { Language } from '../../i18n/index.js';
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

const contributor = defineNamespace('contributor', { de, en });

export type CKey = KeyOf<typeof de>;
export type CT = TypedT<CKey>;

export function useCt(): { ct: CT; lang: Language } {
  const { t, lang } = contributor.useT();
  return { ct: t, lang };
}

export const fixedCt = (lang: Language): CT => contributor.fixed(lang);
