// Pure helpers for the curators' review overview: times of restricted passages, the difference between a segment
// and a narrator's proposed correction, and the order invitations and items are shown in.
import { diffArrays } from 'diff';
import type { Correction, Invitation, Restriction } from '../types.js';

export type DiffPart = { kind: 'same' | 'removed' | 'added'; text: string };

/** Words and the spaces between them, so the parts join back to the texts exactly. */
function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/**
 * Word by word, what the proposal keeps, removes and adds (jsdiff's Myers diff over words and spaces). Neighbouring
 * parts of the same kind are merged. For long texts beyond `limit` tokens each, the whole text is shown as replaced.
 */
export function diffWords(original: string, proposed: string, limit = 2000): DiffPart[] {
  const a = tokens(original);
  const b = tokens(proposed);
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart['kind'], text: string) => {
    if (text === '') return;
    const last = parts.at(-1);
    if (last && last.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  if (a.length > limit || b.length > limit) {
    push('removed', original);
    push('added', proposed);
    return parts;
  }
  // One hunk is shown as all it removes, then all it adds; a lone space kept between two edits belongs to the hunk
  // ("Golpa Nord" → "Golpa-Nord" is one replacement, not two).
  let removed = '';
  let added = '';
  const flush = () => {
    push('removed', removed);
    push('added', added);
    removed = added = '';
  };
  const changes = diffArrays(a, b);
  changes.forEach((change, k) => {
    const text = change.value.join('');
    if (change.removed) removed += text;
    else if (change.added) added += text;
    else if ((removed || added) && k + 1 < changes.length && /^\s+$/.test(text)) {
      removed += text;
      added += text;
    } else {
      flush();
      push('same', text);
    }
  });
  flush();
  return parts;
}

/** Active invitations first, then newest first. */
export function sortInvitations(list: readonly Invitation[]): Invitation[] {
  const rank = { active: 0, expired: 1, revoked: 2 } as const;
  return [...list].sort((x, y) => rank[x.state] - rank[y.state] || y.createdAt.localeCompare(x.createdAt));
}

/** Active restrictions first (in time order per part), lifted ones after. */
export function sortRestrictions(list: readonly Restriction[], partOf: (mediaId: string) => number): Restriction[] {
  return [...list].sort(
    (x, y) =>
      Number(x.status === 'lifted') - Number(y.status === 'lifted') ||
      partOf(x.mediaId) - partOf(y.mediaId) ||
      x.start - y.start,
  );
}

/** Open proposals first, then newest first. */
export function sortCorrections(list: readonly Correction[]): Correction[] {
  return [...list].sort(
    (x, y) => Number(x.status !== 'open') - Number(y.status !== 'open') || y.createdAt.localeCompare(x.createdAt),
  );
}

/** Who created a restriction, as a key for the texts plus the name to fill in. */
export function restrictionAuthor(
  r: Pick<Restriction, 'createdByKind' | 'createdById'>,
  invitations: readonly Pick<Invitation, 'id' | 'narrator'>[],
  myId: string,
): { kind: 'narrator' | 'you' | 'user' | 'system'; name: string } {
  if (r.createdByKind === 'narrator')
    return { kind: 'narrator', name: invitations.find((i) => i.id === r.createdById)?.narrator ?? '' };
  if (r.createdByKind === 'system' || !r.createdById) return { kind: 'system', name: '' };
  return r.createdById === myId ? { kind: 'you', name: '' } : { kind: 'user', name: r.createdById.slice(0, 8) };
}
