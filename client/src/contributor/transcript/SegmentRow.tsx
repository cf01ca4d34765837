import { memo } from 'react';
import { formatTimecodeTenths } from '../../lib/time.js';
import { useCt } from '../i18n/index.js';
import type { Segment } from '../types.js';
import { LOW_CONFIDENCE } from './AsrPanel.js';

export interface SegmentDraft {
  text: string;
  speaker: string;
}

export type SegmentAction = 'save' | 'split' | 'merge' | 'setStart';

interface Props {
  index: number;
  segment: Segment;
  draft: SegmentDraft | undefined;
  isCurrent: boolean;
  isLast: boolean;
  /** An automatic draft: mark the words the recogniser was unsure about. */
  showConfidence?: boolean;
  nextHasDraft: boolean;
  /**
   * Playback time (tenths) for the rows around it, where splitting and setting the start make sense; null for the
   * others, so that only a handful of rows re-render while the recording plays.
   */
  time: number | null;
  busy: boolean;
  error: string | undefined;
  speakersListId: string;
  onDraft: (index: number, draft: SegmentDraft | undefined) => void;
  onAction: (index: number, action: SegmentAction) => void;
  onSeek: (seconds: number) => void;
}

export const SegmentRow = memo(function SegmentRow(p: Props) {
  const { ct } = useCt();
  const { segment: s, index: n } = p;
  const text = p.draft?.text ?? s.text;
  const speaker = p.draft?.speaker ?? s.speaker ?? '';
  const dirty = p.draft !== undefined;
  const time = p.time;
  const inside = time !== null && time > s.start && time < s.end;
  const canSetStart = time !== null && time < s.end;
  const idBase = `sb-c-seg-${n}`;
  const setDraft = (next: SegmentDraft) => {
    const unchanged = next.text === s.text && (next.speaker.trim() === '' ? null : next.speaker.trim()) === s.speaker;
    p.onDraft(n, unchanged ? undefined : next);
  };
  return (
    <li
      className={`sb-c-seg${p.isCurrent ? ' sb-c-seg-current' : ''}${dirty ? ' sb-c-seg-dirty' : ''}`}
      aria-current={p.isCurrent ? 'true' : undefined}
      data-index={n}
    >
      <div className="sb-c-seg-head">
        <button
          type="button"
          className="sb-c-time"
          onClick={() => p.onSeek(s.start)}
          aria-label={ct('editor.seekTo', {
            time: formatTimecodeTenths(s.start),
            range: `${formatTimecodeTenths(s.start)} – ${formatTimecodeTenths(s.end)}`,
          })}
        >
          {formatTimecodeTenths(s.start)} – {formatTimecodeTenths(s.end)}
        </button>
        <span className="sb-c-seg-number">{ct('editor.segment', { n: n + 1 })}</span>
        {p.isCurrent && <span className="sb-c-now">{ct('editor.now')}</span>}
        {dirty && <span className="sb-c-unsaved">{ct('editor.unsaved')}</span>}
        {s.unaligned && <span className="sb-c-badge sb-c-unaligned">{ct('asr.unaligned')}</span>}
      </div>
      {p.showConfidence &&
        !dirty &&
        s.words?.some((w) => w.probability !== undefined && w.probability < LOW_CONFIDENCE) && (
          <p
            className="sb-c-confidence"
            aria-label={ct('asr.lowConfidence', { n: n + 1 })}
            data-testid="low-confidence"
          >
            {s.words.map((w, i) => {
              const low = w.probability !== undefined && w.probability < LOW_CONFIDENCE;
              return (
                <span key={i}>
                  {i > 0 && ' '}
                  {low ? (
                    <mark
                      className="sb-c-lowconf"
                      title={ct('asr.lowConfidenceWord', { percent: Math.round((w.probability ?? 0) * 100) })}
                    >
                      {w.text}
                    </mark>
                  ) : (
                    w.text
                  )}
                </span>
              );
            })}
          </p>
        )}
      <div className="sb-c-seg-fields">
        <div className="sb-c-field sb-c-speaker">
          <label htmlFor={`${idBase}-speaker`}>{ct('editor.speaker')}</label>
          <input
            id={`${idBase}-speaker`}
            type="text"
            list={p.speakersListId}
            value={speaker}
            onChange={(e) => setDraft({ text, speaker: e.target.value })}
            aria-describedby={p.error ? `${idBase}-error` : undefined}
          />
        </div>
        <div className="sb-c-field sb-c-text">
          <label htmlFor={`${idBase}-text`}>{ct('editor.text', { n: n + 1 })}</label>
          <textarea
            id={`${idBase}-text`}
            rows={2}
            value={text}
            onChange={(e) => setDraft({ text: e.target.value, speaker })}
            aria-invalid={p.error ? true : undefined}
            aria-describedby={p.error ? `${idBase}-error` : undefined}
            onKeyDown={(e) => {
              // Ctrl+Enter saves the segment, as in chat and mail programs
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && dirty) {
                e.preventDefault();
                p.onAction(n, 'save');
              }
            }}
          />
        </div>
      </div>
      {p.error && (
        <p id={`${idBase}-error`} className="sb-c-field-error" role="alert">
          {p.error}
        </p>
      )}
      <div className="sb-c-actions sb-c-seg-actions">
        <button
          type="button"
          className="sb-c-button sb-c-primary"
          disabled={!dirty || p.busy}
          onClick={() => p.onAction(n, 'save')}
          aria-label={ct('editor.saveNamed', { n: n + 1 })}
        >
          {ct('editor.save')}
        </button>
        <button
          type="button"
          className="sb-c-button"
          disabled={!inside || dirty || p.busy}
          onClick={() => p.onAction(n, 'split')}
          aria-label={inside ? ct('editor.splitNamed', { n: n + 1, time: formatTimecodeTenths(time) }) : undefined}
          title={inside ? undefined : ct('editor.splitHint')}
        >
          {inside ? ct('editor.split', { time: formatTimecodeTenths(time) }) : ct('editor.splitPlain')}
        </button>
        <button
          type="button"
          className="sb-c-button"
          disabled={p.isLast || dirty || p.nextHasDraft || p.busy}
          onClick={() => p.onAction(n, 'merge')}
          aria-label={ct('editor.mergeNamed', { n: n + 1, next: n + 2 })}
        >
          {ct('editor.merge')}
        </button>
        <button
          type="button"
          className="sb-c-button"
          disabled={!canSetStart || p.busy}
          onClick={() => p.onAction(n, 'setStart')}
          aria-label={
            canSetStart ? ct('editor.setStartNamed', { n: n + 1, time: formatTimecodeTenths(time) }) : undefined
          }
          title={canSetStart ? undefined : ct('editor.setStartHint')}
        >
          {ct('editor.setStart')}
        </button>
      </div>
    </li>
  );
});
