// What the media ingest tells a user, German first. Each entry is {de, en}; texts with values are functions.
// (The server's message catalog folds these in.)
import type { ProbeError } from './ffmpeg/probe.js';

export interface LocalizedText {
  de: string;
  en: string;
}

const hms = (sec: number) => `${Math.floor(sec / 3600)}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

/** Why ffprobe refused a file. */
export const probeTexts: Record<ProbeError['reason'], LocalizedText> = {
  'not-media': {
    de: 'Die Datei ist keine lesbare Audio- oder Videodatei (beschädigt, unvollständig oder ein anderes Format).',
    en: 'The file is not readable audio or video (damaged, incomplete or another kind of file).',
  },
  'no-audio': {
    de: 'Die Datei enthält keine Tonspur (etwa ein Standbild). Ein Interview braucht Ton.',
    en: 'The file has no audio track (e.g. a still image). An interview needs sound.',
  },
  unreadable: {
    de: 'Die Datei konnte nicht gelesen werden.',
    en: 'The file could not be read.',
  },
  timeout: {
    de: 'Die Prüfung der Datei hat zu lange gedauert; sie ist vermutlich beschädigt.',
    en: 'Checking the file took too long; it is probably damaged.',
  },
};

export const mediaTexts = {
  empty: { de: 'Die Datei ist leer (0 Bytes).', en: 'The file is empty (0 bytes).' },
  damaged: {
    de: 'Die Datei ist beschädigt oder unvollständig (vielleicht nicht ganz hochgeladen). Bitte erneut hochladen oder neu exportieren.',
    en: 'The file is damaged or incomplete (perhaps not uploaded completely). Please upload or export it again.',
  },
  audioUndecodable: (codec: string): LocalizedText => ({
    de: `Die Tonspur (${codec || 'unbekannt'}) kann nicht dekodiert werden.`,
    en: `The audio track (${codec || 'unknown'}) cannot be decoded.`,
  }),
  videoUndecodable: (codec: string): LocalizedText => ({
    de: `Die Videospur (${codec || 'unbekannt'}) kann nicht dekodiert werden.`,
    en: `The video track (${codec || 'unknown'}) cannot be decoded.`,
  }),
  tooLong: (durationSec: number, maxSec: number): LocalizedText => ({
    de: `Die Aufnahme dauert ${hms(durationSec)}; erlaubt sind höchstens ${hms(maxSec)} je Datei. Bitte in Teilen hochladen.`,
    en: `The recording runs ${hms(durationSec)}; at most ${hms(maxSec)} per file are allowed. Please upload it in parts.`,
  }),
  tooManyPixels: (width: number, height: number, maxPixels: number): LocalizedText => ({
    de: `Das Video hat ${width}×${height} Bildpunkte; erlaubt sind höchstens ${maxPixels} je Bild.`,
    en: `The video is ${width}×${height} pixels; at most ${maxPixels} per frame are allowed.`,
  }),
} as const;
