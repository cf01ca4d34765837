// Where media live under UPLOADS_DIR, and the URLs they are served at. One place, so workers, routes and the sweep agree.
//
//   originals/<interviewId>/<mediaId>/original.<ext>   preservation master, written once, mode 0444
//   renditions/<mediaId>/hls/master.m3u8 …              HLS ladder (fMP4)
//   renditions/<mediaId>/download.m4a                   audio download
//   renditions/<mediaId>/poster.jpg                     poster frame / waveform picture
//   renditions/<mediaId>/storyboard.vtt + .jpg          thumbnail storyboard (video)
//   renditions/<mediaId>/waveform.json                  peaks
//   tmp/uploads/…  tmp/tus/…  tmp/jobs/<jobId>/         in flight; never served; swept
import path from 'node:path';

export const derivativeFiles = {
  hls: 'hls/master.m3u8',
  download: 'download.m4a',
  poster: 'poster.jpg',
  storyboard: 'storyboard.vtt',
  storyboardSprite: 'storyboard.jpg',
  waveform: 'waveform.json',
} as const;

export function originalRelPath(interviewId: string, mediaId: string, ext: string): string {
  const safeExt = /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'bin';
  return path.posix.join('originals', interviewId, mediaId, `original.${safeExt}`);
}

export function renditionsRelDir(mediaId: string): string {
  return path.posix.join('renditions', mediaId);
}

export const tmpDirs = {
  uploads: 'tmp/uploads',
  tus: 'tmp/tus',
  jobs: 'tmp/jobs',
} as const;

export function jobWorkDir(uploadsDir: string, jobId: string): string {
  return path.join(uploadsDir, tmpDirs.jobs, jobId);
}

/** Absolute path of something stored relative to UPLOADS_DIR; refuses anything that would leave it. */
export function resolveInUploads(uploadsDir: string, relPath: string): string {
  const abs = path.resolve(uploadsDir, relPath);
  if (abs !== uploadsDir && !abs.startsWith(uploadsDir + path.sep))
    throw new Error(`path escapes UPLOADS_DIR: ${relPath}`);
  return abs;
}

/** Public URL of a medium's file: `/media/<mediaId>/original` or `/media/<mediaId>/<derivative path>`. */
export function mediaUrl(mediaId: string, file: 'original' | string): string {
  return `/media/${mediaId}/${file}`;
}
