// The letters Meilisearch compares, plus ß: shared by the vocabulary rules (german.ts) and the decompounder.

/** Lower case, ß → ss, diacritics removed ("Förderbrücke" → "forderbrucke"). */
export function foldChars(text: string): string {
  return text.toLowerCase().replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}/gu, '');
}
