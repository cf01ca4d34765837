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
import { adminRoutes } from './admin/routes.js';
import { LoginGuard } from './auth/login-guard.js';
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
import { JobQueue, mediumOwner } from './jobs/queue.js';
import { moduleLogger, rootLogger } from './logger.js';
import { mediaRoutes } from './media/routes.js';
import { asrEngineFromConfig } from './asr/engines.js';
import { asrRoutes } from './asr/routes.js';
import { AsrService } from './asr/service.js';
import type { AsrEngine } from './asr/types.js';
import { mediaFileRoutes } from './media/serve.js';
import { MediaService } from './media/service.js';
import { StorageMonitor } from './media/storage.js';
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
import { createOaiProvider, oaiRoutes } from './oai/routes.js';
import { openApiRoutes } from './openapi/routes.js';
import { UserService } from './users/service.js';
import { preservationRoutes } from './preservation/routes.js';
import { registerFixityMetrics } from './preservation/fixity.js';

export interface AppDeps {
  config: Config;
  store: Store;
  search: SearchEngine;
  tools: () => Promise<ToolVersions>;
  /** Built React client (vite build output); when absent only the API is served. */
  clientDir?: string;
  /** The speech-recognition engine; from the configuration (ASR_URL / ASR_MODEL_PATH) when not given. */
  asr?: AsrEngine | null;
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
  asr: AsrService;
  /** The media store's room and writability (uploads, /healthz, admins' warnings). */
  storage: StorageMonitor;
}

export function createApp(deps: AppDeps): { app: Express; services: Services } {
  const { config, store, search } = deps;
  const queue = new JobQueue(store.jobs, moduleLogger('jobs'), mediumOwner(store));
  const signer = MediaUrlSigner.fromConfig(config);
  const storage = new StorageMonitor(config.uploadsDir, config.STORAGE_RESERVE, moduleLogger('storage'));
  const media = new MediaService(store, queue, config.uploadsDir, moduleLogger('media'), signer, {
    maxDurationSec: config.MEDIA_MAX_DURATION,
    maxPixels: config.MEDIA_MAX_PIXELS,
  });
  const publication = new Publication({
    store,
    queue,
    uploadsDir: config.uploadsDir,
    logger: moduleLogger('publication'),
    withdrawalGraceDays: config.WITHDRAWAL_GRACE_DAYS,
  });
  const interviews = new InterviewService(store, moduleLogger('interviews'), publication);
  const transcripts = new TranscriptService(
    store,
    queue,
    moduleLogger('transcripts'),
    publication.audit,
    publication.units.uow,
  );
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
      store,
      queue,
      audit: publication.audit,
      interviews,
      media,
      transcripts,
      logger: moduleLogger('review'),
      invitationDays: config.REVIEW_INVITATION_DAYS,
      units: publication.units.uow,
      derive: (label) => signer.derivedKey(label),
    }),
    consents: new ConsentService(
      store,
      config.uploadsDir,
      publication.audit,
      interviews,
      moduleLogger('consent'),
      publication.units.uow,
    ),
    signer,
    asr: new AsrService(
      store,
      queue,
      deps.asr !== undefined ? deps.asr : asrEngineFromConfig(config),
      moduleLogger('asr'),
    ),
    storage,
    uploads: createTusUploads({ config, media, basePath: '/api/uploads', logger: moduleLogger('uploads'), storage }),
  };
  // an interview's media files go before its row (the row's cascade would leave the files behind)
  services.interviews.onBeforeDelete((id) => services.media.deleteAllForInterview(id));
  // the search index follows through a durable job: an outage delays it, never loses it
  const reindexInterview = (interviewId: string) =>
    void queue
      .enqueue({ name: 'search.interview', payload: { v: 1, interviewId } })
      .catch((err) => moduleLogger('search').error({ err, interviewId }, 'could not queue indexing'));
  services.interviews.on('changed', (i) => reindexInterview(i.id));
  services.interviews.on('deleted', (id) => reindexInterview(id));

  // repeated failed logins: growing delays per account, an audit entry for the admins at each doubling
  const loginGuard = new LoginGuard({
    freeFailures: config.LOGIN_RATE_LIMIT,
    maxDelaySec: config.LOGIN_MAX_DELAY_SECONDS,
    windowMs: config.LOGIN_RATE_WINDOW_MINUTES * 60_000,
    logger: moduleLogger('auth'),
    onRepeatedFailures: (email, report) =>
      void (async () => {
        const user = await store.users.findByEmail(email);
        await services.audit.record(null, {
          interviewId: null,
          action: 'auth.login-failures',
          entity: 'user',
          entityId: user?.id ?? null,
          after: { ...report, knownAccount: Boolean(user) },
        });
      })().catch((err) => moduleLogger('auth').error({ err }, 'login failures not audited')),
  });
  const metrics = createMetrics();
  registerFixityMetrics(metrics.registry, store);
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
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );
  app.use(metrics.middleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // video.js sets inline styles: measured in Chromium (tests/security/csp-styles.test.ts), dropping 'unsafe-inline'
          // breaks the player's <style> elements, and dropping it for style attributes alone breaks the narrator's
          // text selection on the review page (tests/e2e/review-flow.test.ts); text is never HTML, so it stays
          styleSrc: ["'self'", "'unsafe-inline'"],
          // map tiles come from the configured tile server ({s} subdomains become a wildcard)
          imgSrc: ["'self'", 'data:', 'blob:', ...(config.MAP_TILE_URL ? [tileSource(config.MAP_TILE_URL)] : [])],
          mediaSrc: ["'self'", 'blob:'],
          workerSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // hostile markup that got into a page must neither re-base links, submit forms elsewhere nor frame anything
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameSrc: ["'none'"],
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
      // tus bodies are the upload's bytes whatever the client calls them: never parsed here (it left tus a used stream: 500)
      type: (req) =>
        /^application\/(.+\+)?json\b/i.test(String(req.headers['content-type'] ?? '')) &&
        !isTranscriptImport(req) &&
        !(req.url ?? '').startsWith('/api/uploads'),
    }),
  );

  app.use(
    healthRoutes({
      store,
      search,
      tools: deps.tools,
      metrics,
      startedAt: new Date(),
      metricsToken: config.METRICS_TOKEN,
      storage,
    }),
  );
  app.get('/problems/:type', problemDocsRoute);

  const api = express.Router();
  const resolveReview = (raw: string) => services.review.resolveCredential(raw);
  // narrators' links and short codes: failed attempts per address are limited before the credential is looked at
  // the API's description needs no viewer (and a broken credential must not hide it)
  api.use(openApiRoutes());
  // one limiter (one counter per address) for every route that takes a review credential: /api and /media alike
  const reviewLimiter = reviewCredentialLimiter(config.REVIEW_RATE_LIMIT);
  api.use(reviewLimiter);
  api.use(authenticate(services.auth, resolveReview));
  const allowedOrigins = config.PUBLIC_URL ? [new URL(config.PUBLIC_URL).origin] : [];
  api.use(csrfProtection(() => allowedOrigins));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use('/auth', authRoutes(services.auth, config, loginGuard));
  api.use('/admin', adminRoutes({ guard: loginGuard, storage }));
  api.use('/users', userRoutes(services.users));
  api.use('/collections', collectionRoutes(services.collections));
  api.use('/uploads', services.uploads.router);
  api.use(
    mediaRoutes(
      services.media,
      createUploadReceiver({ uploadsDir: config.uploadsDir, maxBytes: config.UPLOAD_MAX_BYTES }),
      config.UPLOAD_MAX_BYTES,
      storage,
    ),
  );
  api.use('/interviews/:id/media/:mediaId', transcriptRoutes(services.transcripts));
  api.use(asrRoutes(services.asr));
  api.use('/review', narratorReviewRoutes(services.review));
  api.use('/interviews', curatorReviewRoutes(services.review, config.PUBLIC_URL));
  api.use(
    '/interviews',
    consentRoutes(services.consents, createUploadReceiver({ uploadsDir: config.uploadsDir, maxBytes: SCAN_MAX_BYTES })),
  );
  api.use('/audit', auditRoutes(services.audit));
  api.use('/groups', groupRoutes(store));
  api.use('/interviews', interviewRoutes(services.interviews, services.media));
  const catalog = new InterviewCatalogSource(store);
  api.use(
    '/search',
    searchRoutes({
      engine: search,
      store,
      interviews: services.search.interviews,
      segments: services.search.segments,
      catalog,
    }),
  );
  api.use('/interviews', interviewSearchRoute({ engine: search, store, segments: services.search.segments, catalog }));
  api.use(
    preservationRoutes({
      store,
      uploadsDir: config.uploadsDir,
      audit: services.audit,
      logger: moduleLogger('preservation'),
      sourceOrganization: config.BAG_SOURCE_ORGANIZATION,
    }),
  );
  api.use(notFoundHandler);
  app.use('/api', api);

  // OAI-PMH 2.0 for harvesters: what anonymous visitors may see, and withdrawn interviews as deleted records
  app.use('/oai', oaiRoutes(createOaiProvider({ config, store, media: services.media, signer }), config.PUBLIC_URL));

  // IIIF Presentation 3 (manifests, collections, their caption files): same viewer and access rule as the API.
  app.use(
    '/iiif',
    authenticate(services.auth, resolveReview),
    iiifRoutes(new IiifService(store, services.media, services.transcripts), config),
    notFoundHandler,
  );
  app.use('/media', publicMediaCors(store));
  // Media files live outside /api (players fetch them directly) but still need the viewer for the access check.
  app.use(
    '/media',
    reviewLimiter,
    authenticate(services.auth, resolveReview),
    mediaFileRoutes({
      store,
      uploadsDir: config.uploadsDir,
      signer,
      resolveGrant: async (principal) => {
        if (principal.kind === 'narrator') {
          const invitation = await store.review.findInvitation(principal.id);
          return invitation && invitationState(invitation) === 'active' ? { kind: 'narrator', invitation } : null;
        }
        const user = await store.users.findById(principal.id);
        if (!user || user.disabled) return null;
        return {
          kind: 'user',
          user,
          principals: principalsOf(user, await store.groups.groupIdsOf(user.id)),
          via: 'token',
          tokenId: 'signed-media-url',
        };
      },
    }),
  );

  if (deps.clientDir && fs.existsSync(path.join(deps.clientDir, 'index.html'))) {
    const indexHtml = clientIndexHtml(path.join(deps.clientDir, 'index.html'), config);
    // hashed assets are immutable; index.html must always be revalidated so a deploy is picked up
    app.use('/assets', express.static(path.join(deps.clientDir, 'assets'), { immutable: true, maxAge: '1y' }));
    // a missing asset is a plain 404 problem (send's own 404 is marked unexposed and would become a 500)
    app.use('/assets', notFoundHandler);
    app.use(express.static(deps.clientDir, { index: false, maxAge: '1h' }));
    // machine paths never get the SPA's index.html, whatever the Accept header says
    app.get(/^\/(?!(?:api|media|iiif|assets|oai)(?:\/|$)|healthz$|metrics$).*/, (req, res, next) => {
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
  if (config.MAP_TILE_URL)
    metas.push(
      `<meta name="schichtbuch-tiles" content="${attr(config.MAP_TILE_URL)}" data-attribution="${attr(config.MAP_TILE_ATTRIBUTION)}">`,
    );
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
