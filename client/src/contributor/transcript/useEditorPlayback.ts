// The transcript editor's player state: the playback time and whether it plays, seeking, and the transcriber's
// keyboard shortcuts (play/pause, skip), which also work while typing in a segment.
import { useCallback, useEffect, useRef, useState } from 'react';
import { shortcutFor, skipTarget } from '../lib/shortcuts.js';

export function useEditorPlayback() {
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const mediaRef = useRef<HTMLMediaElement | null>(null);

  const seek = useCallback((seconds: number) => {
    const el = mediaRef.current;
    if (!el) return;
    el.currentTime = Math.max(0, seconds);
    setTime(el.currentTime);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = shortcutFor(e);
      const el = mediaRef.current;
      if (!command || !el) return;
      if (document.querySelector('dialog[open]')) return; // Esc closes the dialog there
      e.preventDefault();
      e.stopPropagation();
      if (command === 'toggle') {
        if (el.paused) void el.play().catch(() => undefined);
        else el.pause();
      } else {
        el.currentTime = skipTarget(el.currentTime, command, el.duration);
        setTime(el.currentTime);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  return { mediaRef, time, setTime, playing, setPlaying, seek };
}
