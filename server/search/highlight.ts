/** Highlight marks as Meilisearch returns them when asked: control characters that cannot occur in stored text. */
export const MARK_OPEN = '\u0001';
export const MARK_CLOSE = '\u0002';

/** HTML-escapes user text and keeps only the highlight marks, so snippets are safe to render as HTML. */
export function safeHighlight(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\u0001/g, '<mark>')
    .replace(/\u0002/g, '</mark>');
}
