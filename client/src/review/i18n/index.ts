// The narrator review pages' texts: the `review` namespace (i18n/namespace.ts), registered when the area's entry
// imports this module.
import { defineNamespace, type KeyOf, type TypedT } from '../../i18n/namespace.js';
import type { Language } from '../../i18n/index.js';
import de from './de.json' with { type: 'json' };
import en from './en.json' with { type: 'json' };

const review = defineNamespace('review', { de, en });

export type RKey = KeyOf<typeof de>;
export type RT = TypedT<RKey>;

export function useRt(): { rt: RT; lang: Language } {
  const { t, lang } = review.useT();
  return { rt: t, lang };
}
