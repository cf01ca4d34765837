// Playback state for the big buttons and the transcript: one media engine per medium, its position as React state
// (a few updates a second is plenty to follow the text), and recovery when the files go away under it: signed URLs
// expire (a long pause), and a new restriction makes the archive re-make the HLS files. Then the page fetches fresh
// URLs and continues from the same second, with HLS or, failing that, the original.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { Medium } from '../../types.js';
import { createEngine, planSources, type MediaEngine, type SourcePlan } from './engine.js';

export type PlaybackStatus = 'loading' | 'ready' | 'failed' | 'none';

export interface Playback {
  hostRef: RefObject<HTMLDivElement | null>;
  status: PlaybackStatus;
  playing: boolean;
  time: number;
  duration: number;
  toggle(): void;
  skip(delta: number): void;
  seek(seconds: number): void;
  /** Seek and play (a click on a passage). */
  playFrom(seconds: number): void;
  currentTime(): number;
  retry(): void;
}

export function usePlayback(medium: Medium, label: string, refresh: () => Promise<Medium | null>): Playback {
  const hostRef = useRef<HTMLDivElement>(null);
  const engineRef = useRef<MediaEngine | null>(null);
  const [status, setStatus] = useState<PlaybackStatus>('loading');
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(medium.durationSec);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  // set by the effect: (re)load the medium's sources from the current position
  const recoverRef = useRef<() => void>(() => undefined);
  /** Whether the narrator wants to hear it now (pressed Play), so that a reload continues playing. */
  const wantRef = useRef(false);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    let disposed = false;
    let engine: MediaEngine | null = null;
    let plan: SourcePlan = planSources(medium);
    let stage: 'first' | 'fallback' = 'first';
    /** Recoveries since playback last worked: a fresh set of URLs, then the original. */
    let attempts = 0;
    let resume: { at: number; play: boolean } | null = null;
    let lastTime = 0;
    /** While fresh URLs are being fetched, further errors of the old source change nothing. */
    let refreshing = false;

    const loadCurrent = (at: number, play: boolean) => {
      const source = stage === 'first' ? plan.first : plan.fallback;
      if (!engine || !source) {
        setStatus(plan.first || plan.fallback ? 'failed' : 'none');
        return;
      }
      resume = at > 0 || play ? { at, play } : null;
      engine.clearError();
      engine.load(source);
    };

    const recover = async () => {
      if (!engine || disposed || refreshing) return;
      const at = lastTime;
      const play = wantRef.current;
      attempts += 1;
      if (attempts === 1) {
        // most likely stale URLs (expired, or renditions being re-made): ask for fresh ones
        refreshing = true;
        const fresh = await refreshRef.current().catch(() => null);
        refreshing = false;
        if (disposed) return;
        if (fresh) plan = planSources(fresh);
        stage = 'first';
        loadCurrent(at, play);
        return;
      }
      if (attempts === 2 && stage === 'first' && plan.fallback) {
        stage = 'fallback';
        loadCurrent(at, play);
        return;
      }
      setStatus('failed');
      setPlaying(false);
    };
    recoverRef.current = () => {
      attempts = 0;
      setStatus('loading');
      void recover();
    };

    void createEngine(host, label).then((created) => {
      if (disposed) {
        created.dispose();
        return;
      }
      engine = created;
      engineRef.current = created;
      const publish = () => {
        const t = created.currentTime();
        lastTime = t;
        setTime(t);
      };
      created.on(['timeupdate', 'seeking', 'seeked'], publish);
      created.on(['play', 'playing'], () => setPlaying(true));
      created.on(['pause', 'ended'], () => {
        setPlaying(false);
        publish();
      });
      created.on(['ended'], () => {
        wantRef.current = false;
      });
      created.on(['playing'], () => {
        attempts = 0;
      });
      created.on(['loadedmetadata', 'durationchange'], () => {
        const d = created.duration();
        if (Number.isFinite(d) && d > 0) setDuration(d);
      });
      created.on(['loadedmetadata'], () => {
        setStatus('ready');
        const r = resume;
        resume = null;
        if (r && r.at > 0) created.seek(r.at);
        if (r?.play) created.play().catch(() => setPlaying(false));
      });
      created.on(['error'], () => void recover());
      loadCurrent(0, false);
    });

    return () => {
      disposed = true;
      engineRef.current = null;
      recoverRef.current = () => undefined;
      engine?.dispose();
    };
    // one engine per medium; fresh URLs of the same medium come through refresh()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [medium.id]);

  const seek = useCallback((seconds: number) => {
    const engine = engineRef.current;
    if (!engine) return;
    const d = engine.duration();
    const target = Math.max(0, Math.min(seconds, Number.isFinite(d) && d > 0 ? d : seconds));
    engine.seek(target);
    setTime(target);
  }, []);

  const toggle = useCallback(() => {
    const engine = engineRef.current;
    if (!engine) return;
    if (engine.paused()) {
      wantRef.current = true;
      engine.play().catch(() => setPlaying(false));
    } else {
      wantRef.current = false;
      engine.pause();
    }
  }, []);

  const skip = useCallback((delta: number) => seek((engineRef.current?.currentTime() ?? 0) + delta), [seek]);

  const playFrom = useCallback(
    (seconds: number) => {
      seek(seconds);
      const engine = engineRef.current;
      wantRef.current = true;
      if (engine?.paused()) engine.play().catch(() => setPlaying(false));
    },
    [seek],
  );

  const currentTime = useCallback(() => engineRef.current?.currentTime() ?? 0, []);
  const retry = useCallback(() => recoverRef.current(), []);

  return { hostRef, status, playing, time, duration, toggle, skip, seek, playFrom, currentTime, retry };
}
