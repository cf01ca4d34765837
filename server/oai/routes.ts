// GET and POST /oai — the OAI-PMH 2.0 endpoint (thin: parameters in, XML out; the protocol lives in protocol.ts).
import express, { Router, type Request } from 'express';
import { anonymous } from '../access/viewer.js';
import type { Config } from '../config.js';
import type { MediaService } from '../media/service.js';
import type { MediaUrlSigner } from '../media/signing.js';
import type { Store } from '../store/repositories.js';
import { OaiProvider, type PublicMediaOf } from './protocol.js';
import { HarvestSource } from './records.js';
import { ResumptionTokens } from './tokens.js';

export interface OaiDeps {
  config: Config;
  store: Store;
  media: MediaService;
  signer: MediaUrlSigner;
}

export function createOaiProvider({ config, store, media, signer }: OaiDeps): OaiProvider {
  const mediaOf: PublicMediaOf = async (item) => {
    // exactly what an anonymous visitor gets on the interview page: no URL for what they may not fetch
    const list = await media.listForInterview(anonymous, item.interview);
    const file =
      list
        .map((m) =>
          m.download
            ? { path: m.download, mime: 'audio/mp4' }
            : m.original && m.originalPlayable
              ? { path: m.original, mime: m.originalMime || null }
              : null,
        )
        .find(Boolean) ?? null;
    return { kinds: list.map((m) => m.kind), shownBy: file };
  };
  return new OaiProvider(
    new HarvestSource(store),
    new ResumptionTokens(signer.derivedKey('oai-resumption-token')),
    {
      repositoryName: config.OAI_REPOSITORY_NAME,
      repositoryIdentifier:
        config.OAI_REPOSITORY_IDENTIFIER ??
        (config.PUBLIC_URL ? hostnameOrDefault(config.PUBLIC_URL) : 'schichtbuch.local'),
      adminEmail: config.OAI_ADMIN_EMAIL ?? config.ADMIN_EMAIL ?? 'admin@schichtbuch.local',
      pageSize: config.OAI_PAGE_SIZE,
      rightsUri: config.OAI_RIGHTS_URI,
    },
    mediaOf,
  );
}

function hostnameOrDefault(url: string): string {
  const host = new URL(url).hostname;
  return /^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/.test(host) ? host : 'schichtbuch.local';
}

export function oaiRoutes(provider: OaiProvider, publicUrl: string | undefined): Router {
  const router = Router();
  const site = (req: Request) =>
    (publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(/\/+$/, '');
  const answer = async (req: Request, res: express.Response, args: Record<string, unknown>) => {
    const xml = await provider.handle(args, { baseUrl: `${site(req)}/oai`, siteUrl: site(req), now: new Date() });
    res.setHeader('Cache-Control', 'no-store');
    res.type('text/xml; charset=utf-8').send(xml);
  };
  router.get('/', (req, res) => answer(req, res, req.query as Record<string, unknown>));
  // OAI-PMH allows POST with application/x-www-form-urlencoded arguments (section 3.1.1.2)
  router.post('/', express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }), (req, res) =>
    answer(req, res, { ...(req.body as Record<string, unknown> | undefined) }),
  );
  return router;
}
