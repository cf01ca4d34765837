// Builds the Express app from its parts. No I/O here beyond what requests do: main.ts owns start-up and shutdown.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { authenticate, csrfProtection } from './auth/middleware.js';
import { Publication } from './interviews/publication.js';
import { principalsOf } from './access/viewer.js';
import { auditRoutes } from './audit/routes.js';
import type { AuditLog } from './audit/service.js';
import { consentRoutes } from './consent/routes.js';
import { ConsentService, SCAN_MAX_BYTES } from './consent/service.js';
import { MediaUrlSigner } from './media/signing.js';
import { reviewCredentialLimiter } from './review/limits.js';
import { curatorReviewRoutes, narratorReviewRoutes } from './review/routes.js';
import { invitationState, ReviewService } from './review/service.js';
import { groupRoutes } from './users/groups.js';
import { authRoutes } from './auth/routes.js';
import { AuthService } from './auth/service.js';
import { collectionRoutes } from './collections/routes.js';
import { CollectionService } from './collections/service.js';
import type { Config } from './config.js';
import { healthRoutes, type ToolVersions } from './health/routes.js';
import { createMetrics } from './http/metrics.js';
import { notFoundHandler, problemDocsRoute, problemErrorHandler } from './http/problem.js';
import { interviewRoutes } from './interviews/routes.js';
import { InterviewService } from './interviews/service.js';
import { JobQueue } from './jobs/queue.js';
import { moduleLogger, rootLogger } from './logger.js';
import { mediaRoutes } from './media/routes.js';
import { mediaFileRoutes } from './media/serve.js';
import { MediaService } from './media/service.js';
import { createTusUploads, type TusUploads } from './media/tus.js';
import { createUploadReceiver } from './media/uploads.js';
import { transcriptRoutes } from './transcripts/routes.js';
import { publicMediaCors } from './iiif/cors.js';
import { iiifRoutes } from './iiif/routes.js';
import { IiifService } from './iiif/service.js';
import { TranscriptService } from './transcripts/service.js';
import type { SearchEngine } from './search/engine.js';
import { searchIndexes, type SearchIndexes } from './search/indexer.js';
import { interviewSearchRoute, searchRoutes } from './search/routes.js';
import { InterviewCatalogSource } from './search/interview-catalog.js';
import type { Store } from './store/repositories.js';
import { userRoutes } from './users/routes.js';
import { UserService } from './users/service.js';

export interface AppDeps {
  config: Config;
  store: Store;
  search: SearchEngine;
  tools: () => Promise<ToolVersions>;
  /** Built React client (vite build output); when absent only the API is served. */
  clientDir?: string;
}

export interface Services {
  auth: AuthService;
  users: UserService;
  collections: CollectionService;
  interviews: InterviewService;
  search: SearchIndexes;
  queue: JobQueue;
  media: MediaService;
  /** tus uploads; runtime starts/stops its expiry cleanup (startCleanup/stop). */
  uploads: TusUploads;
  transcripts: TranscriptService;
  publication: Publication;
  audit: AuditLog;
  review: ReviewService;
  consents: ConsentService;
  signer: MediaUrlSigner;
}

export function createApp(deps: AppDeps): { app: Express; services: Services } {
  const { config, store, search } = deps;
  const queue = new JobQueue(store.jobs, moduleLogger('jobs'));
  const signer = MediaUrlSigner.fromConfig(config);
  const media = new MediaService(store, queue, config.uploadsDir, moduleLogger('media'), signer);
  const publication = new Publication({ store, queue, uploadsDir: config.uploadsDir, logger: moduleLogger('publication'), withdrawalGraceDays: config.WITHDRAWAL_GRACE_DAYS });
  const interviews = new InterviewService(store, moduleLogger('interviews'), publication);
  const transcripts = new TranscriptService(store, queue, moduleLogger('transcripts'), publication.audit);
  const services: Services = {
    auth: new AuthService(store, { sessionTtlHours: config.SESSION_TTL_HOURS, logger: moduleLogger('auth') }),
    users: new UserService(store, moduleLogger('users')),
    collections: new CollectionService(store, moduleLogger('collections')),
    interviews,
    search: searchIndexes(search, store, moduleLogger('search')),
    queue,
    media,
    transcripts,
    publication,
    audit: publication.audit,
    review: new ReviewService({
      store, queue, audit: publication.audit, interviews, media, transcripts, logger: moduleLogger('review'), invitationDays: config.REVIEW_INVITATION_DAYS,
    }),
    consents: new ConsentService(store, config.uploadsDir, publication.audit, interviews, moduleLogger('consent')),
    signer,
    uploads: createTusUploads({ config, media, basePath: '/api/uploads', logger: moduleLogger('uploads') }),
  };
  // an interview's media files go before its row (the row's cascade would leave the files behind)
  services.interviews.onBeforeDelete((id) => services.media.deleteAllForInterview(id));
  // the search index follows through a durable job: an outage delays it, never loses it
  const reindexInterview = (interviewId: string) =>
    void queue.enqueue({ name: 'search.interview', payload: { v: 1, interviewId } }).catch((err) => moduleLogger('search').error({ err, interviewId }, 'could not queue indexing'));
  services.interviews.on('changed', (i) => reindexInterview(i.id));
  services.interviews.on('deleted', (id) => reindexInterview(id));

  const metrics = createMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', parseTrustProxy(config.TRUST_PROXY));
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: rootLogger().child({ module: 'http' }),
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    }),
  );
  app.use(metrics.middleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // video.js sets inline styles on its controls
          styleSrc: ["'self'", "'unsafe-inline'"],
          // map tiles come from the configured tile server ({s} subdomains become a wildcard)
          imgSrc: ["'self'", 'data:', 'blob:', ...(config.MAP_TILE_URL ? [tileSource(config.MAP_TILE_URL)] : [])],
          mediaSrc: ["'self'", 'blob:'],
          workerSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.cookieSecure ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: config.cookieSecure,
    }),
  );
  app.use(cookieParser());
  app.use(
    express.json({
      limit: config.JSON_BODY_LIMIT,
      // a transcript import is a file in its own format (JSON included) with its own size limit: its route reads it raw
      type: (req) => /^application\/(.+\+)?json\b/i.test(String(req.headers['content-type'] ?? '')) && !isTranscriptImport(req),
    }),
  );

  app.use(healthRoutes({ store, search, tools: deps.tools, metrics, startedAt: new Date() }));
  app.get('/problems/:type', problemDocsRoute);

  const api = express.Router();
  const resolveReview = (raw: string) => services.review.resolveCredential(raw);
  // narrators' links and short codes: failed attempts per address are limited before the credential is looked at
  api.use(reviewCredentialLimiter(config.REVIEW_RATE_LIMIT));
  api.use(authenticate(services.auth, resolveReview));
  const allowedOrigins = config.PUBLIC_URL ? [new URL(config.PUBLIC_URL).origin] : [];
  api.use(csrfProtection(() => allowedOrigins));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use('/auth', authRoutes(services.auth, config));
  api.use('/users', userRoutes(services.users));
  api.use('/collections', collectionRoutes(services.collections));
  api.use('/uploads', services.uploads.router);
  api.use(mediaRoutes(services.media, createUploadReceiver({ uploadsDir: config.uploadsDir, maxBytes: config.UPLOAD_MAX_BYTES }), config.UPLOAD_MAX_BYTES));
  api.use('/interviews/:id/media/:mediaId', transcriptRoutes(services.transcripts));
  api.use('/review', narratorReviewRoutes(services.review));
  api.use('/interviews', curatorReviewRoutes(services.review, config.PUBLIC_URL));
  api.use('/interviews', consentRoutes(services.consents, createUploadReceiver({ uploadsDir: config.uploadsDir, maxBytes: SCAN_MAX_BYTES })));
  api.use('/audit', auditRoutes(services.audit));
  api.use('/groups', groupRoutes(store));
  api.use('/interviews', interviewRoutes(services.interviews, services.media));
  const catalog = new InterviewCatalogSource(store);
  api.use('/search', searchRoutes({ engine: search, store, interviews: services.search.interviews, segments: services.search.segments, catalog }));
  api.use('/interviews', interviewSearchRoute({ engine: search, store, segments: services.search.segments, catalog }));
  api.use(notFoundHandler);
  app.use('/api', api);

  // IIIF Presentation 3 (manifests, collections, their caption files): same viewer and access rule as the API.
  app.use('/iiif', authenticate(services.auth, resolveReview), iiifRoutes(new IiifService(store, services.media, services.transcripts), config), notFoundHandler);
  app.use('/media', publicMediaCors(store));
  // Media files live outside /api (players fetch them directly) but still need the viewer for the access check.
  app.use('/media', authenticate(services.auth, resolveReview), mediaFileRoutes({
    store, uploadsDir: config.uploadsDir, signer,
    resolveGrant: async (principal) => {
      if (principal.kind === 'narrator') {
        const invitation = await store.review.findInvitation(principal.id);
        return invitation && invitationState(invitation) === 'active' ? { kind: 'narrator', invitation } : null;
      }
      const user = await store.users.findById(principal.id);
      if (!user || user.disabled) return null;
      return { kind: 'user', user, principals: principalsOf(user, await store.groups.groupIdsOf(user.id)), via: 'token', tokenId: 'signed-media-url' };
    },
  }));

  if (deps.clientDir && fs.existsSync(path.join(deps.clientDir, 'index.html'))) {
    const indexHtml = clientIndexHtml(path.join(deps.clientDir, 'index.html'), config);
    // hashed assets are immutable; index.html must always be revalidated so a deploy is picked up
    app.use('/assets', express.static(path.join(deps.clientDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
    app.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!api\/|media\/|iiif\/|healthz$|metrics$).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(indexHtml);
    });
  }

  app.use(notFoundHandler);
  app.use(problemErrorHandler);
  return { app, services };
}

/** The client's index.html, with the map tile configuration the places page reads from a meta tag. */
function clientIndexHtml(file: string, config: Config): string {
  const html = fs.readFileSync(file, 'utf8');
  const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const metas: string[] = [];
  if (config.MAP_TILE_URL) metas.push(`<meta name="schichtbuch-tiles" content="${attr(config.MAP_TILE_URL)}" data-attribution="${attr(config.MAP_TILE_ATTRIBUTION)}">`);
  // the narrators' way to reach the archive, also on pages that have no API answer (an expired link)
  if (config.ARCHIVE_CONTACT) metas.push(`<meta name="schichtbuch-contact" content="${attr(config.ARCHIVE_CONTACT)}">`);
  return metas.length === 0 ? html : html.replace('</head>', `  ${metas.join('\n  ')}\n  </head>`);
}

function tileSource(url: string): string {
  const u = new URL(url.replace(/\{[a-z]\}/g, 'x'));
  const host = url.includes('{s}.') ? `*.${u.host.split('.').slice(1).join('.')}` : u.host;
  return `${u.protocol}//${host}`;
}

function isTranscriptImport(req: import('node:http').IncomingMessage): boolean {
  return req.method === 'PUT' && /^\/api\/interviews\/[^/]+\/media\/[^/]+\/transcript(\?|$)/.test(req.url ?? '');
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
