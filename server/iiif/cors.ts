// IIIF viewers on other sites fetch an interview's media themselves (hls.js uses XHR for playlists and segments):
// unsigned media URLs of interviews anonymous visitors may see are readable cross-origin. Signed URLs (grants for
// one viewer) and everything else keep the default same-origin policy; the file route still decides access.
import type { RequestHandler } from 'express';
import { isPubliclyVisible } from '../access/policy.js';
import type { Store } from '../store/repositories.js';

const unsignedMediaPath = /^\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\//i;

/** Mounted at /media before the file routes. */
export function publicMediaCors(store: Store): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS') return next();
    const m = unsignedMediaPath.exec(req.path);
    if (!m) return next();
    void (async () => {
      const medium = await store.media.findById(m[1]!);
      const interview = medium ? await store.interviews.findById(medium.interviewId) : null;
      if (interview && isPubliclyVisible(interview)) {
        res.setHeader('Access-Control-Allow-Origin', '*');
        res.setHeader('Access-Control-Expose-Headers', 'Content-Length, Content-Range, Accept-Ranges, ETag');
        res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
        if (req.method === 'OPTIONS') {
          res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
          res.setHeader('Access-Control-Allow-Headers', 'Range');
          res.setHeader('Access-Control-Max-Age', '86400');
          res.status(204).end();
          return;
        }
      }
      next();
    })().catch(next);
  };
}
