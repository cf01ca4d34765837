// GET/HEAD /media/<mediaId>/original and /media/<mediaId>/<derivative>: files only, each request through the one
// access check. Only files recorded on the medium are served (never whatever happens to lie in its folder), with
// Range, ETag/Last-Modified and revalidation on every use, because access can be withdrawn at any moment.
import path from 'node:path';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { Problem } from '../http/problem.js';
import { msg } from '../i18n/messages.js';
import type { Viewer } from '../access/viewer.js';
import type { Store } from '../store/repositories.js';
import type { MediaDerivatives, Medium } from '../store/types.js';
import { assertCanViewMedium } from './access.js';
import { derivativeFiles } from './paths.js';
import { deliverable, redactionState } from './restrictions.js';
import type { GrantPrincipal, MediaUrlSigner } from './signing.js';

export { assertCanViewMedium };

interface Target {
  /** Relative to UPLOADS_DIR; `send` resolves it under `root` and refuses anything that climbs out. */
  relPath: string;
  isOriginal: boolean;
  contentType: string;
  /** Set for originals that browsers cannot play: a download, never rendered. */
  downloadName?: string;
}

const segmentPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const mediaIdParam = z.object({ mediaId: z.uuid() });
const signedParams = z.object({ grant: z.string().max(200), mediaId: z.uuid() });

/** Content types by extension; the kind decides between audio/ and video/ where a container holds either. */
export function contentTypeFor(file: string, kind: Medium['kind']): string | null {
  switch (path.posix.extname(file).toLowerCase()) {
    case '.m3u8':
      return 'application/vnd.apple.mpegurl';
    case '.m4s':
      return 'video/iso.segment';
    case '.mp4':
      return kind === 'audio' ? 'audio/mp4' : 'video/mp4';
    case '.m4a':
      return 'audio/mp4';
    case '.aac':
      return 'audio/aac';
    case '.mp3':
      return 'audio/mpeg';
    case '.webm':
      return kind === 'audio' ? 'audio/webm' : 'video/webm';
    case '.ogg':
    case '.opus':
      return 'audio/ogg';
    case '.wav':
      return 'audio/wav';
    case '.flac':
      return 'audio/flac';
    case '.ts':
      return 'video/mp2t';
    case '.jpg':
    case '.jpeg':
      return 'image/jpeg';
    case '.vtt':
      return 'text/vtt; charset=utf-8';
    case '.json':
      return 'application/json; charset=utf-8';
    default:
      return null;
  }
}

function downloadNameOf(medium: Medium): string {
  const ext = path.posix.extname(medium.originalPath);
  const stem = medium.originalFilename.replace(/\.[^.]*$/, '') || 'original';
  return `${stem}${ext}`;
}

/** Which file a URL names, or null. Derivatives count only once the worker has recorded them on the medium. */
function targetFor(medium: Medium, segments: string[]): Target | null {
  if (segments.length === 0 || !segments.every((s) => segmentPattern.test(s))) return null;
  const rel = segments.join('/');
  if (rel === 'original') {
    const mime = medium.technical.playableMime;
    return mime
      ? { relPath: medium.originalPath, contentType: mime, isOriginal: true }
      : {
          relPath: medium.originalPath,
          contentType: 'application/octet-stream',
          downloadName: downloadNameOf(medium),
          isOriginal: true,
        };
  }
  const d = medium.derivatives;
  if (segments[0] === 'hls') {
    if (!d.hls || segments.length < 2) return null;
    const contentType = contentTypeFor(rel, medium.kind);
    return contentType
      ? { relPath: path.posix.join(path.posix.dirname(d.hls), ...segments.slice(1)), contentType, isOriginal: false }
      : null;
  }
  const key = (Object.keys(derivativeFiles) as (keyof MediaDerivatives)[]).find(
    (k) => k !== 'hls' && derivativeFiles[k] === rel,
  );
  const stored = key ? d[key] : undefined;
  const contentType = contentTypeFor(rel, medium.kind);
  return stored && contentType ? { relPath: stored, contentType, isOriginal: false } : null;
}

function sendFile(res: Response, root: string, relPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    res.sendFile(
      relPath,
      { root, dotfiles: 'deny', cacheControl: false, acceptRanges: true, lastModified: true },
      (err) => (err ? reject(err) : resolve()),
    );
  });
}

function sendError(err: unknown, res: Response): unknown {
  const e = err as { status?: number; statusCode?: number; code?: string; headers?: Record<string, string> };
  const status = e?.status ?? e?.statusCode;
  for (const name of ['Content-Type', 'Content-Disposition', 'Cache-Control']) res.removeHeader(name);
  if (e?.code === 'ENOENT' || e?.code === 'ENOTDIR' || e?.code === 'EISDIR' || status === 404 || status === 403) {
    return new Problem('not-found');
  }
  if (status === 416) {
    return new Problem('bad-request', {
      status: 416,
      detail: msg('media.rangeNotSatisfiable'),
      ...(e.headers?.['Content-Range'] ? { headers: { 'Content-Range': e.headers['Content-Range'] } } : {}),
    });
  }
  if (status === 412) return new Problem('precondition-failed');
  return err;
}

export interface MediaFileDeps {
  store: Store;
  uploadsDir: string;
  signer?: MediaUrlSigner | null;
  /** The viewer a signed URL was issued to, as they are now (null: account disabled, invitation revoked …). */
  resolveGrant?: (principal: GrantPrincipal) => Promise<Viewer | null>;
}

export function mediaFileRoutes(deps: MediaFileDeps): Router {
  const router = Router();

  const serve = async (viewer: Viewer, mediaId: string, raw: string | string[] | undefined, res: Response) => {
    const medium = await deps.store.media.findById(mediaId);
    if (!medium) throw new Problem('not-found');
    // The one access hook: every byte of every medium passes here.
    const interview = await assertCanViewMedium(deps.store, viewer, medium);
    const target = targetFor(medium, Array.isArray(raw) ? raw : raw ? [raw] : []);
    if (!target) throw new Problem('not-found');
    // restricted passages: the original for staff only, renditions once they are re-made without them
    const deliver = deliverable(viewer, interview, medium, await redactionState(deps.store, medium));
    if (target.isOriginal ? !deliver.original : !deliver.renditions) throw new Problem('not-found');

    res.setHeader('Content-Type', target.contentType);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (target.downloadName) {
      res.attachment(target.downloadName);
      res.setHeader('Content-Type', target.contentType); // attachment() guessed one from the name
    }
    try {
      await sendFile(res, deps.uploadsDir, target.relPath);
    } catch (err) {
      if (res.headersSent) return; // client went away mid-transfer
      throw sendError(err, res);
    }
  };

  // Signed URLs of interviews that are not public: the grant names the viewer; the check runs as that viewer.
  router.get('/g/:grant/:mediaId/*file', async (req, res) => {
    const params = signedParams.safeParse(req.params);
    if (!params.success || !deps.signer || !deps.resolveGrant) throw new Problem('not-found');
    const principal = deps.signer.verify(params.data.grant, params.data.mediaId);
    const viewer = principal ? await deps.resolveGrant(principal) : null;
    if (!viewer) throw new Problem('not-found');
    await serve(viewer, params.data.mediaId, (req.params as { file?: string | string[] }).file, res);
  });

  router.get('/:mediaId/*file', async (req, res) => {
    const params = mediaIdParam.safeParse(req.params);
    if (!params.success) throw new Problem('not-found');
    await serve(req.viewer, params.data.mediaId, (req.params as { file?: string | string[] }).file, res);
  });

  router.all('/:mediaId/*file', () => {
    throw new Problem('method-not-allowed', { headers: { Allow: 'GET, HEAD' } });
  });

  return router;
}
