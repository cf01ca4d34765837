// The transcript to read along: the passage being heard is framed and labelled "Läuft gerade" and kept in view, a
// click on a passage (or its time button) plays from there, passages that will not be published say so, and every
// passage offers "Korrektur vorschlagen" (a small form right under it, the current text prefilled).
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
  type RefObject,
} from 'react';
import { addCorrection } from '../api.js';
import { FailureNotice } from '../components/FailureNotice.js';
import { mmss } from '../lib/time.js';
import type { SelectedPassage } from '../lib/segments.js';
import { useRt } from '../i18n/index.js';
import type { ReviewCorrection, ReviewSegment } from '../types.js';

export interface TranscriptPaneProps {
  mediaId: string;
  credential: string;
  segments: readonly ReviewSegment[];
  current: number;
  restricted: readonly boolean[];
  corrections: readonly ReviewCorrection[];
  pending: SelectedPassage | null;
  listRef: RefObject<HTMLOListElement | null>;
  onJump: (seconds: number) => void;
  onCorrection: (correction: ReviewCorrection) => void;
}

export function TranscriptPane(props: TranscriptPaneProps) {
  const { segments, current, restricted, corrections, pending, listRef, onJump } = props;
  const { rt } = useRt();
  const [follow, setFollow] = useState(true);
  const [editing, setEditing] = useState<number | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const followId = useId();
  const headingId = useId();

  // keep the current passage in view inside the scrolling box (the page itself never scrolls by itself) when playback
  // moves on; not while the narrator is writing a correction or has marked text
  const quiet = useRef(false);
  quiet.current = !follow || editing !== null || pending !== null;
  useEffect(() => {
    const list = listRef.current;
    if (quiet.current || current < 0 || !list) return;
    const item = list.querySelector<HTMLElement>(`[data-index="${current}"]`);
    if (!item) return;
    const top = item.offsetTop;
    if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
      const smooth = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
      list.scrollTo({ top: Math.max(0, top - list.clientHeight / 4), behavior: smooth ? 'smooth' : 'auto' });
    }
  }, [current, listRef]);

  const byNo = new Map<number, ReviewCorrection[]>();
  for (const c of corrections) byNo.set(c.segmentNo, [...(byNo.get(c.segmentNo) ?? []), c]);

  const closeEditor = useCallback(() => setEditing(null), []);
  const startEdit = useCallback((index: number) => {
    setEditing(index);
    setSent(null);
  }, []);

  return (
    <section className="sb-r-transcript" aria-labelledby={headingId}>
      <div className="sb-r-transcript-head">
        <h2 id={headingId}>{rt('transcript.title')}</h2>
        <div className="sb-r-check">
          <input id={followId} type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          <label htmlFor={followId}>{rt('transcript.follow')}</label>
        </div>
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {segments.length === 0 ? (
        <p className="sb-r-muted">{rt('transcript.empty')}</p>
      ) : (
        <ol ref={listRef} className="sb-r-segments" data-testid="review-transcript" aria-labelledby={headingId}>
          {segments.map((segment, index) => (
            <SegmentRow
              key={`${index}:${segment.start}`}
              index={index}
              segment={segment}
              isCurrent={index === current}
              isRestricted={restricted[index] === true}
              isPending={pending !== null && index >= pending.first && index <= pending.last}
              corrections={byNo.get(index)}
              editing={editing === index}
              justSent={sent === index}
              onJump={onJump}
              onEdit={startEdit}
              onClose={closeEditor}
              editor={
                editing === index ? (
                  <CorrectionForm
                    mediaId={props.mediaId}
                    credential={props.credential}
                    segmentNo={index}
                    original={segment.text}
                    onDone={(c) => {
                      props.onCorrection(c);
                      setEditing(null);
                      setSent(index);
                      setAnnouncement(rt('correction.sent'));
                    }}
                    onCancel={closeEditor}
                  />
                ) : null
              }
            />
          ))}
        </ol>
      )}
    </section>
  );
}

interface SegmentRowProps {
  index: number;
  segment: ReviewSegment;
  isCurrent: boolean;
  isRestricted: boolean;
  isPending: boolean;
  corrections: ReviewCorrection[] | undefined;
  editing: boolean;
  editor: ReactNode;
  justSent: boolean;
  onJump: (seconds: number) => void;
  onEdit: (index: number) => void;
  onClose: () => void;
}

const SegmentRow = memo(function SegmentRow(p: SegmentRowProps) {
  const { rt } = useRt();
  const { segment, index } = p;
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // the form closed (sent or cancelled): back to the button that opened it
  useEffect(() => {
    if (wasEditing.current && !p.editing) editButton.current?.focus();
    wasEditing.current = p.editing;
  }, [p.editing]);

  const classes = [
    'sb-r-segment',
    p.isCurrent && 'is-current',
    p.isRestricted && 'is-restricted',
    p.isPending && 'is-pending',
  ]
    .filter(Boolean)
    .join(' ');
  const time = mmss(segment.start);
  return (
    <li
      className={classes}
      data-index={index}
      data-testid="review-segment"
      data-start={segment.start}
      data-end={segment.end}
      data-restricted={p.isRestricted || undefined}
      aria-current={p.isCurrent ? 'true' : undefined}
    >
      <div className="sb-r-segment-head">
        <button type="button" className="sb-r-link-button sb-r-time-button" onClick={() => p.onJump(segment.start)}>
          <span aria-hidden="true">▶ </span>
          {rt('transcript.jumpTo', { time })}
        </button>
        {segment.speaker && <span className="sb-r-speaker">{rt('transcript.speaker', { name: segment.speaker })}</span>}
        <span className={`sb-r-now${p.isCurrent ? '' : ' is-hidden'}`} aria-hidden={!p.isCurrent}>
          <span aria-hidden="true">♪ </span>
          {rt('transcript.now')}
        </span>
      </div>
      {p.isRestricted && (
        <p className="sb-r-restricted-label">
          <span aria-hidden="true">⊘ </span>
          {rt('transcript.restricted')}
        </p>
      )}
      {/* a click plays from here, unless the narrator is selecting text; the time button above does the same by keyboard */}
      <p
        className="sb-r-segment-text"
        data-segment-text=""
        data-index={index}
        onClick={() => {
          if (document.getSelection()?.isCollapsed !== false) p.onJump(segment.start);
        }}
      >
        {segment.text}
      </p>
      {p.corrections?.map((c) => (
        <p key={c.id} className="sb-r-correction-note">
          <strong>{rt('correction.yours')}</strong> „{c.proposed}“{' '}
          <span className="sb-r-muted">({rt(`correction.status.${c.status}`)})</span>
        </p>
      ))}
      {p.justSent && (
        <p className="sb-r-success">
          <span aria-hidden="true">✓ </span>
          {rt('correction.sent')}
        </p>
      )}
      {p.editing ? (
        p.editor
      ) : (
        <button
          ref={editButton}
          type="button"
          className="sb-r-button sb-r-secondary sb-r-small"
          onClick={() => p.onEdit(index)}
          aria-label={rt('transcript.correctLabel', { time })}
        >
          <span aria-hidden="true">✎ </span>
          {rt('transcript.correct')}
        </button>
      )}
    </li>
  );
});

function CorrectionForm(props: {
  mediaId: string;
  credential: string;
  segmentNo: number;
  original: string;
  onDone: (c: ReviewCorrection) => void;
  onCancel: () => void;
}) {
  const { rt } = useRt();
  const [text, setText] = useState(props.original);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unchanged, setUnchanged] = useState(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const titleId = useId();
  const textId = useId();
  const noteId = useId();
  const errorId = useId();

  useEffect(() => {
    textRef.current?.focus();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (text.trim() === props.original.trim()) {
      setUnchanged(true);
      textRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setUnchanged(false);
    try {
      const c = await addCorrection(props.credential, {
        mediaId: props.mediaId,
        segmentNo: props.segmentNo,
        proposed: text.trim(),
        note: note.trim() || null,
      });
      props.onDone(c);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <form
      className="sb-r-inline-form"
      aria-labelledby={titleId}
      onSubmit={(e) => void submit(e)}
      data-testid="correction-form"
    >
      <h3 id={titleId}>{rt('correction.title')}</h3>
      <p className="sb-r-muted">
        {rt('correction.original')} „{props.original}“
      </p>
      <label htmlFor={textId} className="sb-r-label">
        {rt('correction.proposed')}
      </label>
      <textarea
        ref={textRef}
        id={textId}
        className="sb-r-input"
        rows={4}
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-invalid={unchanged || undefined}
        aria-describedby={unchanged || error ? errorId : undefined}
      />
      <label htmlFor={noteId} className="sb-r-label">
        {rt('correction.note')}
      </label>
      <textarea id={noteId} className="sb-r-input" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      {unchanged && (
        <p className="sb-r-alert" role="alert" id={errorId}>
          <span aria-hidden="true">⚠ </span>
          {rt('correction.unchanged')}
        </p>
      )}
      {error !== null && <FailureNotice error={error} id={errorId} />}
      <p className="sb-r-actions">
        <button type="submit" className="sb-r-button sb-r-primary" aria-disabled={busy || undefined}>
          {busy ? rt('common.saving') : rt('correction.submit')}
        </button>
        <button type="button" className="sb-r-button sb-r-secondary" onClick={props.onCancel}>
          {rt('common.cancel')}
        </button>
      </p>
    </form>
  );
}
