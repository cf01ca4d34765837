// Format detection: content first, the filename extension only breaks ties.
import { stripBom } from './common.js';
import type { TranscriptFormat } from './types.js';

const EXTENSIONS: Record<string, TranscriptFormat> = {
  vtt: 'vtt',
  webvtt: 'vtt',
  srt: 'srt',
  xml: 'ohms',
  ohms: 'ohms',
  json: 'json',
  txt: 'txt',
  text: 'txt',
};

function fromFilename(filename: string | undefined): TranscriptFormat | null {
  const ext = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  return ext ? (EXTENSIONS[ext] ?? null) : null;
}

export function detectFormat(text: string, filename?: string): TranscriptFormat {
  const head = stripBom(text).trimStart();
  const byName = fromFilename(filename);
  if (/^WEBVTT(?:[ \t\r\n]|$)/.test(head)) return 'vtt';
  if (
    /^<\?xml\b/i.test(head) ||
    /^<(?:[\w-]+:)?(?:ROOT|record)\b/i.test(head) ||
    (head.startsWith('<') && /<(?:[\w-]+:)?record\b/i.test(head.slice(0, 4000)))
  ) {
    return 'ohms';
  }
  if (head.startsWith('{')) return 'json';
  const sample = head.slice(0, 4000);
  if (sample.includes('-->')) {
    // SRT: numbered cues and comma milliseconds; dots without a WEBVTT header could be either
    if (
      /^\d+[ \t]*\r?\n[ \t]*\d{1,2}:\d{2}:\d{2},\d{1,3}[ \t]*-->/m.test(sample) ||
      /\d{2}:\d{2},\d{3}[ \t]*-->/.test(sample)
    )
      return 'srt';
    return byName === 'srt' ? 'srt' : 'vtt';
  }
  // plain text by content; a telling extension wins so the right parser reports what is wrong
  return byName && byName !== 'txt' ? byName : 'txt';
}
