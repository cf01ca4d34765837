// How a transcript version came about, from its `source` (import:vtt, edit:segment, edit:split, edit:merge, restore:3).

export type SourceKind = 'import' | 'segment' | 'split' | 'merge' | 'restore' | 'other';

export function describeSource(source: string): { kind: SourceKind; detail: string } {
  const [head, rest = ''] = source.split(':', 2) as [string, string?];
  if (head === 'import') return { kind: 'import', detail: rest };
  if (head === 'restore') return { kind: 'restore', detail: rest };
  if (head === 'edit' && (rest === 'segment' || rest === 'split' || rest === 'merge'))
    return { kind: rest, detail: '' };
  return { kind: 'other', detail: source };
}
