// The archive's own words as a prompt for the engine: Whisper spells names and terms it was shown before far better
// (people, places, collection and index terms of this interview, then the mining vocabulary).
import type { Store } from '../store/repositories.js';
import type { Interview } from '../store/types.js';
import { germanVocabulary } from '../search/german.js';

/** Whisper reads at most ~224 prompt tokens; ~600 characters stay well inside for German. */
export const PROMPT_MAX_CHARS = 600;

/** Deduplicated, in order of importance, capped so the most specific words always make it into the prompt. */
export function vocabularyPrompt(terms: readonly string[], maxChars = PROMPT_MAX_CHARS): string {
  const seen = new Set<string>();
  const picked: string[] = [];
  let length = 0;
  for (const raw of terms) {
    const t = raw.replace(/\s+/g, ' ').trim();
    const key = t.toLocaleLowerCase('de');
    if (!t || t.length > 80 || seen.has(key)) continue;
    if (length + t.length + 2 > maxChars) break;
    seen.add(key);
    picked.push(t);
    length += t.length + 2;
  }
  return picked.join(', ');
}

/** People, place, keywords and collection title of the interview, its index terms, then the mining vocabulary. */
export async function interviewVocabulary(store: Store, interview: Interview, mediaId: string): Promise<string[]> {
  const terms: string[] = [];
  for (const p of interview.people) terms.push(p.name);
  if (interview.place?.name) terms.push(interview.place.name);
  terms.push(...interview.keywords);
  if (interview.collectionId) {
    const c = await store.collections.findById(interview.collectionId);
    if (c) terms.push(c.title);
  }
  const index = await store.transcripts.getIndex(mediaId);
  for (const p of index?.points ?? []) {
    if (p.place?.name) terms.push(p.place.name);
    terms.push(...p.keywords, ...p.subjects);
  }
  // the mining terms are German: only worth sending for German recordings
  if (interview.language.startsWith('de')) terms.push(...germanVocabulary().terms.values());
  return terms;
}
