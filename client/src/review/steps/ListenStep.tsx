// Step 2: listen and read. The big Play and "10 Sekunden zurück" buttons, the transcript following along, passages
// marked "nicht veröffentlichen" (by selecting text, or by time), corrections proposed per passage, and the list of
// marked passages with "Zurücknehmen".
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Medium } from '../../types.js';
import { addRestriction, removeRestriction, type NewRestriction } from '../api.js';
import { StepHeading } from '../components/StepHeading.js';
import { findCurrentIndex, restrictedFlags } from '../lib/segments.js';
import { spanText } from '../lib/time.js';
import { PlayerPanel } from '../listen/PlayerPanel.js';
import { RestrictionList } from '../listen/RestrictionList.js';
import { SelectionPanel } from '../listen/SelectionPanel.js';
import { useTranscriptSelection } from '../listen/selection.js';
import { TimeRangeForm } from '../listen/TimeRangeForm.js';
import { TranscriptPane } from '../listen/TranscriptPane.js';
import { usePlayback } from '../listen/usePlayback.js';
import { useRt } from '../i18n/index.js';
import type { ReviewCorrection, ReviewRestriction, ReviewView } from '../types.js';

export interface ListenStepProps {
  view: ReviewView;
  credential: string;
  update: (change: (v: ReviewView) => ReviewView) => void;
  refresh: () => Promise<ReviewView>;
  onBack: () => void;
  onNext: () => void;
}

export function ListenStep({ view, credential, update, refresh, onBack, onNext }: ListenStepProps) {
  const { rt } = useRt();
  const [part, setPart] = useState(0);
  const [notice, setNotice] = useState('');
  const listHeading = useRef<HTMLHeadingElement>(null);
  const media = view.media;
  const medium = media[part] ?? media[0] ?? null;
  const partOf = useMemo(() => (media.length > 1 ? new Map(media.map((m, i) => [m.id, i + 1])) : null), [media]);

  const add = useCallback(
    async (body: NewRestriction) => {
      const created = await addRestriction(credential, body);
      update((v) => ({ ...v, restrictions: [...v.restrictions, created] }));
      setNotice(rt('restrictions.added', spanText(created.start, created.end)));
      listHeading.current?.focus();
    },
    [credential, update, rt],
  );

  const remove = useCallback(
    async (r: ReviewRestriction) => {
      await removeRestriction(credential, r.id);
      update((v) => ({ ...v, restrictions: v.restrictions.filter((x) => x.id !== r.id) }));
      setNotice(rt('restrictions.removed', spanText(r.start, r.end)));
      listHeading.current?.focus();
    },
    [credential, update, rt],
  );

  const addCorrection = useCallback(
    (c: ReviewCorrection) => update((v) => ({ ...v, corrections: [...v.corrections, c] })),
    [update],
  );

  return (
    <section className="sb-r-panel" aria-labelledby="review-step-title">
      <StepHeading id="review-step-title">{rt('steps.listen')}</StepHeading>
      <p className="sb-r-lead">{medium ? rt('listen.intro') : rt('listen.noMedia')}</p>
      {media.length > 1 && (
        <div className="sb-r-parts" role="group" aria-label={rt('player.parts')}>
          {media.map((m, i) => (
            <button
              key={m.id}
              type="button"
              className={`sb-r-button ${i === part ? 'sb-r-primary' : 'sb-r-secondary'}`}
              aria-pressed={i === part}
              onClick={() => setPart(i)}
            >
              {rt('common.part', { n: m.part ?? i + 1 })}
            </button>
          ))}
        </div>
      )}
      {medium && view.transcripts.find((t) => t.mediaId === medium.id)?.draft && (
        <p className="sb-r-muted sb-r-draft" role="note" data-testid="review-draft">
          {rt('transcript.draft')}
        </p>
      )}
      {medium && (
        <MediumListening
          key={medium.id}
          medium={medium}
          title={view.interview.title}
          credential={credential}
          segments={view.transcripts.find((t) => t.mediaId === medium.id)?.segments ?? []}
          restrictions={view.restrictions.filter((r) => r.mediaId === medium.id)}
          corrections={view.corrections.filter((c) => c.mediaId === medium.id)}
          refresh={async () => (await refresh()).media.find((m) => m.id === medium.id) ?? null}
          onRestrict={add}
          onCorrection={addCorrection}
        />
      )}
      <RestrictionList
        ref={listHeading}
        restrictions={view.restrictions}
        partOf={partOf}
        notice={notice}
        onRemove={remove}
      />
      <p className="sb-r-actions sb-r-nav">
        <button type="button" className="sb-r-button sb-r-secondary" onClick={onBack}>
          <span aria-hidden="true">← </span>
          {rt('common.back')}
        </button>
        <button type="button" className="sb-r-button sb-r-primary sb-r-big" onClick={onNext}>
          {rt('listen.next')} <span aria-hidden="true">→</span>
        </button>
      </p>
    </section>
  );
}

function MediumListening(props: {
  medium: Medium;
  title: string;
  credential: string;
  segments: ReviewView['transcripts'][number]['segments'];
  restrictions: ReviewRestriction[];
  corrections: ReviewCorrection[];
  refresh: () => Promise<Medium | null>;
  onRestrict: (body: NewRestriction) => Promise<void>;
  onCorrection: (c: ReviewCorrection) => void;
}) {
  const { rt } = useRt();
  const { medium, segments } = props;
  const playback = usePlayback(medium, rt('player.media', { title: props.title }), props.refresh);
  const listRef = useRef<HTMLOListElement>(null);
  const { passage, clear } = useTranscriptSelection(listRef, segments);
  const current = findCurrentIndex(segments, playback.time);
  const restrictionKey = props.restrictions.map((r) => `${r.start}-${r.end}`).join('|');
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when the ranges change, not the array
  const restricted = useMemo(() => restrictedFlags(segments, props.restrictions), [segments, restrictionKey]);
  const duration = Number.isFinite(playback.duration) && playback.duration > 0 ? playback.duration : medium.durationSec;
  const { playFrom } = playback;
  const jump = useCallback((seconds: number) => playFrom(seconds), [playFrom]);

  const suggest = () => {
    const now = playback.currentTime();
    const i = findCurrentIndex(segments, now);
    const segment = i >= 0 ? segments[i] : undefined;
    if (segment && now < segment.end) return { start: Math.floor(segment.start), end: segment.end };
    return { start: Math.floor(now), end: Math.min(duration, Math.floor(now) + 30) };
  };

  return (
    <>
      <PlayerPanel playback={playback} medium={medium} />
      <div className="sb-r-hint-box">
        <p>
          <strong>{rt('listen.howToMark')}</strong> {rt('listen.howToMarkText')}
        </p>
      </div>
      <TranscriptPane
        mediaId={medium.id}
        credential={props.credential}
        segments={segments}
        current={current}
        restricted={restricted}
        corrections={props.corrections}
        pending={passage}
        listRef={listRef}
        onJump={jump}
        onCorrection={props.onCorrection}
      />
      {passage && (
        <SelectionPanel
          key={`${passage.first}-${passage.last}-${passage.quote.length}`}
          passage={passage}
          onCancel={clear}
          onSubmit={async (reason) => {
            await props.onRestrict({
              mediaId: medium.id,
              start: passage.start,
              end: passage.end,
              quote: passage.quote,
              reason: reason || null,
            });
            clear();
          }}
        />
      )}
      <TimeRangeForm
        suggest={suggest}
        duration={duration}
        onSubmit={(start, end, reason) => props.onRestrict({ mediaId: medium.id, start, end, reason: reason || null })}
      />
    </>
  );
}
