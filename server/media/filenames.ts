// Names of uploaded files: the display name kept from the client, and the extension the original gets on disk.
import type { MediaInfo } from './ffmpeg/probe.js';

const MAX_FILENAME_CHARS = 200;

/**
 * A display name from a client-supplied file name: last path segment only (both separators), no control or
 * bidi-override characters, no leading dots, no characters that are special on common file systems, bounded length.
 * The name never becomes a path on disk; this keeps it harmless wherever it is shown or offered as a download name.
 */
export function sanitizeFilename(raw: string): string {
  const base = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  let name = base
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  const chars = Array.from(name);
  if (chars.length > MAX_FILENAME_CHARS) {
    const ext = /\.[\p{L}\p{N}]{1,10}$/u.exec(name)?.[0] ?? '';
    name =
      Array.from(name.slice(0, name.length - ext.length))
        .slice(0, MAX_FILENAME_CHARS - ext.length)
        .join('')
        .trimEnd() + ext;
  }
  return name === '' ? 'upload' : name;
}

// The extension follows what ffprobe found, never the client's name (a .mp4 can be anything).
const containerExtensions: Record<string, string> = {
  mp4: 'mp4',
  mov: 'mov',
  m4a: 'm4a',
  mp3: 'mp3',
  aac: 'aac',
  webm: 'webm',
  matroska: 'mkv',
  ogg: 'ogg',
  wav: 'wav',
  flac: 'flac',
  avi: 'avi',
  asf: 'asf',
  mpegts: 'ts',
  mpeg: 'mpg',
  amr: 'amr',
  aiff: 'aiff',
  caf: 'caf',
  w64: 'w64',
  '3gp': '3gp',
};

export function extensionFor(info: Pick<MediaInfo, 'container'>): string {
  const known = containerExtensions[info.container];
  if (known) return known;
  return /^[a-z0-9]{1,8}$/.test(info.container) ? info.container : 'bin';
}
