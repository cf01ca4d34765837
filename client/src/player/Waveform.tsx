// Audio waveform from waveform.json on a canvas: the played part in the accent colour, a playhead, click to seek.
// Keyboard users seek with the player's progress bar (a real slider); this picture is a pointer shortcut.
import { useEffect, useRef, useState } from 'react';
import type { WaveformPeaks } from '../types.js';
import type { PlaybackClock } from './clock.js';
import { waveformColumns, waveformDuration } from './time.js';

const colours = { unplayed: '#8d857c', played: '#8a3a10', playhead: '#1d1b19', background: '#ffffff' };

export function Waveform({
  src,
  clock,
  duration,
  onSeek,
}: {
  src: string;
  clock: PlaybackClock;
  duration: number;
  onSeek: (seconds: number) => void;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [peaks, setPeaks] = useState<WaveformPeaks | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetch(src, { signal: controller.signal, credentials: 'same-origin' })
      .then((r) => (r.ok ? (r.json() as Promise<WaveformPeaks>) : null))
      .then((p) => p && Array.isArray(p.data) && setPeaks(p))
      .catch(() => undefined); // no waveform: the poster still shows the recording
    return () => controller.abort();
  }, [src]);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !peaks) return;
    const total = duration > 0 ? duration : waveformDuration(peaks);
    let columns: ReturnType<typeof waveformColumns> | null = null;
    let frame = 0;

    const draw = () => {
      frame = 0;
      const ctx = canvas.getContext('2d');
      if (!ctx) return;
      const ratio = window.devicePixelRatio || 1;
      const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
      const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
      if (canvas.width !== width || canvas.height !== height || !columns) {
        canvas.width = width;
        canvas.height = height;
        columns = waveformColumns(peaks.data, width);
      }
      const mid = height / 2;
      const playedX = total > 0 ? Math.min(width, (clock.time / total) * width) : 0;
      ctx.fillStyle = colours.background;
      ctx.fillRect(0, 0, width, height);
      for (let x = 0; x < width; x++) {
        const top = mid - Math.max(columns.max[x]!, 0.01) * mid * 0.95;
        const bottom = mid - Math.min(columns.min[x]!, -0.01) * mid * 0.95;
        ctx.fillStyle = x < playedX ? colours.played : colours.unplayed;
        ctx.fillRect(x, top, 1, Math.max(1, bottom - top));
      }
      ctx.fillStyle = colours.playhead;
      ctx.fillRect(Math.max(0, Math.round(playedX) - ratio), 0, 2 * ratio, height);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(draw);
    };
    draw();
    const unsubscribe = clock.subscribe(schedule);
    const observer = new ResizeObserver(() => {
      columns = null;
      schedule();
    });
    observer.observe(canvas);
    return () => {
      unsubscribe();
      observer.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [peaks, clock, duration]);

  if (!peaks) return null;
  const total = duration > 0 ? duration : waveformDuration(peaks);
  return (
    <canvas
      ref={canvasRef}
      className="waveform"
      data-testid="waveform"
      aria-hidden="true"
      onClick={(e) => {
        const rect = e.currentTarget.getBoundingClientRect();
        if (rect.width > 0 && total > 0) onSeek(((e.clientX - rect.left) / rect.width) * total);
      }}
    />
  );
}
