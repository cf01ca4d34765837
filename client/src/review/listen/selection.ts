// Text selected with the mouse over the transcript → the passage to restrict. Listens to `selectionchange`; a
// selection that leaves the transcript, or collapses (a click on a button), keeps the passage already found, so the
// narrator can still press "nicht veröffentlichen" after the browser dropped its highlight.
import { useCallback, useEffect, useState, type RefObject } from 'react';
import { passageOf, snapToWords, type SelectedPassage } from '../lib/segments.js';
import type { ReviewSegment } from '../types.js';

/** The part of `el`'s text that lies inside `sel`, widened to whole words. */
function textInside(sel: Range, el: Element): string {
  const r = document.createRange();
  r.selectNodeContents(el);
  if (sel.compareBoundaryPoints(Range.START_TO_START, r) > 0) r.setStart(sel.startContainer, sel.startOffset);
  if (sel.compareBoundaryPoints(Range.END_TO_END, r) < 0) r.setEnd(sel.endContainer, sel.endOffset);
  const inside = r.toString();
  if (inside === '') return '';
  const before = document.createRange();
  before.selectNodeContents(el);
  before.setEnd(r.startContainer, r.startOffset);
  const from = before.toString().length;
  return snapToWords(el.textContent ?? '', from, from + inside.length);
}

export function useTranscriptSelection(listRef: RefObject<HTMLElement | null>, segments: readonly ReviewSegment[]) {
  const [passage, setPassage] = useState<SelectedPassage | null>(null);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const compute = () => {
      const sel = document.getSelection();
      const list = listRef.current;
      if (!sel || sel.isCollapsed || sel.rangeCount === 0 || !list) return;
      const range = sel.getRangeAt(0);
      if (!range.intersectsNode(list)) return;
      const pieces = new Map<number, string>();
      for (const el of list.querySelectorAll<HTMLElement>('[data-segment-text]')) {
        if (!range.intersectsNode(el)) continue;
        const text = textInside(range, el);
        if (text.trim() !== '') pieces.set(Number(el.dataset.index), text);
      }
      const found = passageOf(segments, pieces);
      if (found) setPassage(found);
    };
    const onChange = () => {
      clearTimeout(timer);
      timer = setTimeout(compute, 150);
    };
    document.addEventListener('selectionchange', onChange);
    return () => {
      clearTimeout(timer);
      document.removeEventListener('selectionchange', onChange);
    };
  }, [listRef, segments]);

  const clear = useCallback(() => {
    setPassage(null);
    document.getSelection()?.removeAllRanges();
  }, []);

  return { passage, clear };
}
