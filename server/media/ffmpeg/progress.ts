// ffmpeg's `-progress` stream: key=value blocks parsed into out time, speed and the end marker.

/** Splits ffmpeg's `-progress` key=value stream into blocks, each ending with `progress=…`. */
export class ProgressParser {
  private partial = '';
  private current: Record<string, string> = {};

  /** Feed text; returns the blocks completed by it. */
  push(text: string): Array<Record<string, string>> {
    const done: Array<Record<string, string>> = [];
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.trim();
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const key = line.slice(0, eq);
      this.current[key] = line.slice(eq + 1);
      if (key === 'progress') {
        done.push(this.current);
        this.current = {};
      }
    }
    return done;
  }
}

export interface ProgressInfo {
  /** Seconds of output written so far. */
  outTimeSec: number;
  /** Encoding speed relative to realtime (4 = four times realtime), null while unknown. */
  speed: number | null;
  /** Estimated seconds left, when duration and speed are known. */
  etaSec: number | null;
  frame: number | null;
  /** true on the final report. */
  done: boolean;
}

export function num(v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number.parseFloat(v);
  return Number.isFinite(n) ? n : null;
}

/** out_time_us, else out_time_ms (also microseconds: a long-standing ffmpeg misnomer), else out_time. */
export function outTimeSeconds(block: Record<string, string>): number | null {
  const us = num(block.out_time_us) ?? num(block.out_time_ms);
  if (us !== null) return us / 1e6;
  const m = /^(-)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(block.out_time ?? '');
  if (!m) return null;
  const s = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] ? -s : s;
}
