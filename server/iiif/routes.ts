// IIIF Presentation 3 at /iiif: an interview's Manifest, a collection's Collection, and the caption files they name.
// Cross-origin: documents anonymous visitors get are sent with `Access-Control-Allow-Origin: *` (a browser never
// sends credentials to such a response, so a foreign viewer always reads the anonymous version). Documents made for a
// signed-in viewer hold signed media URLs (bearer grants for that viewer): they stay same-origin and uncacheable.
import { Router, type Request, type Response } from 'express';
import type { Config } from '../config.js';
import { parseRequest } from '../http/validate.js';
import { IIIF_MEDIA_TYPE } from './manifest.js';
import { iiifCaptionParams, iiifCollectionParams, iiifManifestParams } from './schemas.js';
import type { IiifService } from './service.js';

export { iiifCaptionParams, iiifCollectionParams, iiifManifestParams } from './schemas.js';

/** The origin ids are built on: PUBLIC_URL when configured (behind a proxy), else the request's own. */
export function baseUrlOf(req: Request, config: Pick<Config, 'PUBLIC_URL'>): string {
  if (config.PUBLIC_URL) return config.PUBLIC_URL.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

function cacheAndCors(res: Response, isPublic: boolean): void {
  res.vary('Cookie').vary('Authorization');
  if (isPublic) {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    // revalidated on every use: a withdrawal or a new restriction must take effect at once
    res.setHeader('Cache-Control', 'public, no-cache');
  } else {
    res.setHeader('Cache-Control', 'private, no-store');
  }
}

/** Mounted at /iiif, after `authenticate` (the viewer decides what the documents hold). */
export function iiifRoutes(iiif: IiifService, config: Pick<Config, 'PUBLIC_URL'>): Router {
  const router = Router();

  router.options(/.*/, (_req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
    res.setHeader('Access-Control-Max-Age', '86400');
    res.status(204).end();
  });

  const sendJsonLd = (req: Request, res: Response, doc: Record<string, unknown>) => {
    // viewers ask for application/ld+json or application/json; both get the same bytes
    res.type(
      req.accepts(['application/ld+json', 'application/json']) === 'application/json'
        ? 'application/json'
        : IIIF_MEDIA_TYPE,
    );
    res.send(JSON.stringify(doc));
  };

  router.get('/interviews/:id/manifest', async (req, res) => {
    const { id } = parseRequest(req, 'params', iiifManifestParams);
    const { doc, isPublic } = await iiif.manifest(req.viewer, id, baseUrlOf(req, config));
    cacheAndCors(res, isPublic);
    sendJsonLd(req, res, doc);
  });

  router.get('/collections/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', iiifCollectionParams);
    const { doc, isPublic } = await iiif.collection(req.viewer, id, baseUrlOf(req, config));
    cacheAndCors(res, isPublic);
    sendJsonLd(req, res, doc);
  });

  router.get('/interviews/:id/media/:mediaId/captions.:lang.vtt', async (req, res) => {
    const { id, mediaId, lang } = parseRequest(req, 'params', iiifCaptionParams);
    const { vtt, isPublic } = await iiif.captions(req.viewer, id, mediaId, lang);
    cacheAndCors(res, isPublic);
    res.type('text/vtt; charset=utf-8').send(vtt);
  });

  return router;
}
