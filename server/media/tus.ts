// Resumable uploads (tus 1.0) at /api/uploads with @tus/server and a FileStore in UPLOADS_DIR/tmp/tus, which survives
// restarts: a client HEADs its upload URL and continues from Upload-Offset. Runs inside the /api router, so the
// viewer is known and CSRF applies; every hook decides with the same access rule as the multipart route.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileStore } from '@tus/file-store';
import { Server, Upload } from '@tus/server';
import express, { type Request as ExpressRequest, type Response as ExpressResponse, type Router } from 'express';
import type { Config } from '../config.js';
import { Problem, problemTypes, sendProblem, storageProblemOf, type ProblemType } from '../http/problem.js';
import { msg } from '../i18n/messages.js';
import type { Logger } from '../logger.js';
import { tmpDirs } from './paths.js';
import type { MediaService, PublicMedium } from './service.js';
import type { StorageMonitor } from './storage.js';

export interface TusUploads {
  router: Router;
  /** Removes unfinished uploads older than UPLOAD_EXPIRY_HOURS and stray temp files; returns how many went. */
  cleanUpExpiredUploads(): Promise<number>;
  /** Runs cleanUpExpiredUploads periodically (unref'd timer). */
  startCleanup(intervalMs?: number): void;
  stop(): void;
}

export interface TusDeps {
  config: Pick<Config, 'uploadsDir' | 'UPLOAD_MAX_BYTES' | 'UPLOAD_EXPIRY_HOURS'>;
  media: MediaService;
  /** Public path the router is mounted at, e.g. `/api/uploads`. */
  basePath: string;
  logger: Logger;
  /** Free space above STORAGE_RESERVE: a creation whose Upload-Length does not fit is refused (507). */
  storage?: StorageMonitor;
}

/**
 * A finished upload's bytes have become the original, and its tus record is gone. For a while its receipt stays in
 * memory: a client whose final response got lost HEADs its upload URL and sees Upload-Offset = Upload-Length plus
 * the medium id (a PATCH gets the medium JSON again) instead of starting over.
 */
class ArchiveFileStore extends FileStore {
  readonly receipts = new Map<string, { upload: Upload; at: number }>();

  override async getUpload(id: string): Promise<Upload> {
    return this.receipts.get(id)?.upload ?? super.getUpload(id);
  }

  override async remove(id: string): Promise<void> {
    if (this.receipts.delete(id)) return;
    return super.remove(id);
  }

  async markCompleted(upload: Upload, mediumId: string): Promise<void> {
    const { interviewId = null, uploaderId = null } = upload.metadata ?? {};
    this.receipts.set(upload.id, {
      upload: new Upload({
        id: upload.id,
        size: upload.size,
        offset: upload.size ?? upload.offset,
        creation_date: upload.creation_date,
        metadata: { interviewId, uploaderId, mediumId },
      }),
      at: Date.now(),
    });
    await fs.promises.rm(path.join(this.directory, upload.id), { force: true });
    await fs.promises.rm(path.join(this.directory, `${upload.id}.json`), { force: true });
  }
}

/** What tus needs from a thrown hook error; the Problem itself is kept aside to be rendered as problem+json. */
interface TusHookError {
  status_code: number;
  body: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function sha256Of(file: string): Promise<{ sha256: string; size: number }> {
  const hash = crypto.createHash('sha256');
  let size = 0;
  await pipeline(fs.createReadStream(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
    }
  });
  return { sha256: hash.digest('hex'), size };
}

export function createTusUploads(deps: TusDeps): TusUploads {
  const { config, media, logger } = deps;
  const dir = path.join(config.uploadsDir, tmpDirs.tus);
  const multipartTmp = path.join(config.uploadsDir, tmpDirs.uploads);
  // Synchronously, so a missing or unwritable UPLOADS_DIR fails at start-up instead of in FileStore's async mkdir.
  fs.mkdirSync(dir, { recursive: true });
  const expiryMs = config.UPLOAD_EXPIRY_HOURS * 3600_000;
  const datastore = new ArchiveFileStore({ directory: dir, expirationPeriodInMilliseconds: expiryMs });

  // tus hands its hooks a web Request; these maps lead back to the Express request (viewer, locale) and the Problem.
  const origins = new WeakMap<object, ExpressRequest>();
  const problems = new WeakMap<object, Problem>();
  // Final requests being processed per upload: a retried final PATCH joins the running ingest instead of starting a second one.
  const finishing = new Map<string, Promise<PublicMedium>>();

  const fail = (req: object, problem: Problem): TusHookError => {
    problems.set(req, problem);
    return { status_code: problem.status, body: problem.message };
  };
  const viewerOf = (req: object) => {
    const origin = origins.get(req);
    if (!origin) throw new Error('tus request without its Express request');
    return origin.viewer;
  };

  const forget = async (id: string) => {
    await fs.promises.rm(path.join(dir, id), { force: true });
    await fs.promises.rm(path.join(dir, `${id}.json`), { force: true });
  };

  const finish = async (req: object, upload: Upload): Promise<PublicMedium> => {
    const meta = upload.metadata ?? {};
    const file = path.join(dir, upload.id);
    const { sha256, size } = await sha256Of(file);
    try {
      const medium = await media.ingest({
        viewer: viewerOf(req),
        interviewId: meta.interviewId ?? '',
        tmpPath: file,
        sha256,
        sizeBytes: size,
        originalFilename: meta.filename ?? '',
      });
      await datastore.markCompleted(upload, medium.id);
      return await media.presentWithJobs(viewerOf(req), medium);
    } catch (err) {
      // Rejected files are gone (ingest deleted them); other errors keep the upload, so the client can finish again.
      if (err instanceof Problem) await forget(upload.id);
      throw err;
    }
  };

  const tus = new Server({
    path: deps.basePath,
    datastore,
    maxSize: config.UPLOAD_MAX_BYTES,
    relativeLocation: true,
    // Same-origin only: no CORS headers (the default would be `Access-Control-Allow-Origin: *`).
    allowedOrigins: () => false,
    exposedHeaders: ['Upload-Medium-Id', 'Content-Location'],
    namingFunction: () => crypto.randomUUID(),

    async onUploadCreate(req, upload) {
      const viewer = viewerOf(req);
      const meta = upload.metadata ?? {};
      const interviewId = meta.interviewId ?? '';
      const filename = meta.filename ?? '';
      const errors = [
        ...(uuid.test(interviewId)
          ? []
          : [{ field: 'Upload-Metadata.interviewId', message: msg('field.interviewUuidRequired') }]),
        ...(filename.trim() !== ''
          ? []
          : [{ field: 'Upload-Metadata.filename', message: msg('field.fileNameRequired') }]),
      ];
      if (errors.length > 0) throw fail(req, new Problem('bad-request', { errors }));
      try {
        await media.assertCanUpload(viewer, interviewId);
        if (deps.storage && upload.size !== undefined) await deps.storage.assertRoomFor(upload.size);
      } catch (err) {
        if (err instanceof Problem) throw fail(req, err);
        throw err;
      }
      // Only what ingest needs; the uploader's id binds the upload URL to this user.
      return { metadata: { interviewId, filename, uploaderId: viewer.kind === 'user' ? viewer.user.id : '' } };
    },

    async onIncomingRequest(req, id) {
      const viewer = viewerOf(req);
      let upload: Upload;
      try {
        upload = await datastore.getUpload(id);
      } catch {
        return; // tus answers 404/410 itself
      }
      if (viewer.kind !== 'user' || upload.metadata?.uploaderId !== viewer.user.id)
        throw fail(req, new Problem('not-found'));
      if (req.method === 'DELETE' && finishing.has(id)) {
        throw fail(req, new Problem('conflict', { detail: msg('media.uploadFinishing') }));
      }
      if (req.method === 'PATCH') {
        // The interview may have been locked or deleted since the upload began: stop taking bytes for it.
        try {
          await media.assertCanUpload(viewer, upload.metadata?.interviewId ?? '');
        } catch (err) {
          if (err instanceof Problem) throw fail(req, err);
          throw err;
        }
      }
    },

    // A full or read-only store: 507, and the partial bytes go at once (they would keep the disk full).
    async onResponseError(req, err) {
      const problem = storageProblemOf(err);
      if (!problem) return undefined;
      const id = /\/([0-9a-f-]{36})$/i.exec(new URL(req.url).pathname)?.[1];
      if (id && !finishing.has(id))
        await forget(id).catch((e) => logger.error({ err: e, uploadId: id }, 'partial upload not removed'));
      logger.error({ err, uploadId: id }, 'tus upload failed on the media store');
      return fail(req, problem);
    },

    async onUploadFinish(req, upload) {
      let pending = finishing.get(upload.id);
      if (!pending) {
        pending = finish(req, upload).finally(() => finishing.delete(upload.id));
        finishing.set(upload.id, pending);
      }
      let medium: PublicMedium;
      try {
        medium = await pending;
      } catch (err) {
        if (err instanceof Problem) throw fail(req, err);
        logger.error({ err, uploadId: upload.id }, 'finishing a tus upload failed');
        throw fail(req, new Problem('internal'));
      }
      // tus 1.0: a PATCH answers 204 No Content (strict clients fail on anything else), so the medium is named by
      // headers: Upload-Medium-Id and Content-Location (GET it there). POST (creation-with-upload) stays 201 + Location.
      return req.method === 'PATCH'
        ? { status_code: 204, headers: finishedHeaders(medium.id), body: '' }
        : {
            headers: {
              'Content-Type': 'application/json',
              'Upload-Medium-Id': medium.id,
              'Content-Location': `/api/media/${medium.id}`,
            },
            body: JSON.stringify(medium),
          };
    },
  });

  /** A PATCH to an upload that is already a medium (the client missed the answer): the same answer again. */
  const answerFinished = async (req: ExpressRequest, res: ExpressResponse, id: string): Promise<boolean> => {
    const record = datastore.receipts.get(id)?.upload;
    const mediumId = record?.metadata?.mediumId;
    if (!record || !mediumId) return false;
    if (req.viewer.kind !== 'user' || record.metadata?.uploaderId !== req.viewer.user.id)
      throw new Problem('not-found');
    const medium = await media.get(req.viewer, mediumId);
    res.setHeader('Tus-Resumable', '1.0.0');
    res.setHeader('Upload-Offset', String(record.size ?? 0));
    for (const [name, value] of Object.entries(finishedHeaders(medium.id))) res.setHeader(name, value);
    res.status(204).end();
    return true;
  };

  const router = express.Router();
  const tusMethods = ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'];
  router.use((req, _res, next) => {
    // OPTIONS is capability discovery (and CORS preflights never carry credentials).
    if (req.method !== 'OPTIONS' && req.viewer.kind !== 'user') return next(new Problem('unauthenticated'));
    next();
  });
  router.all(['/', '/:uploadId'], async (req, res) => {
    // GET: finished uploads become media (served at /media/…); unfinished bytes are never served. Methods tus does
    // not know (TRACE, PUT …) are refused here too: the tus server answered them with a 500 (found by schemathesis).
    if (!tusMethods.includes(req.method)) {
      throw new Problem('method-not-allowed', { headers: { Allow: tusMethods.join(', ') } });
    }
    const uploadId = req.params.uploadId;
    if (req.method === 'PATCH' && typeof uploadId === 'string' && (await answerFinished(req, res, uploadId))) {
      releaseBody(req, res);
      return;
    }
    const webReq = toWebRequest(req);
    origins.set(webReq, req);
    const response = await tus.handleWeb(webReq);
    releaseBody(req, res);
    await writeResponse(req, res, response, problems.get(webReq), logger);
  });

  const cleanUpExpiredUploads = async (): Promise<number> => {
    const now = Date.now();
    let removed = 0;
    for (const [id, receipt] of datastore.receipts) if (now - receipt.at > expiryMs) datastore.receipts.delete(id);
    const old = async (file: string) => {
      const stat = await fs.promises.stat(file).catch(() => null);
      return stat !== null && now - stat.mtimeMs > expiryMs;
    };
    const entries = await fs.promises.readdir(dir).catch(() => [] as string[]);
    const names = new Set(entries);
    for (const entry of entries) {
      const id = entry.endsWith('.json') ? entry.slice(0, -5) : entry;
      if (finishing.has(id)) continue;
      if (entry.endsWith('.json')) {
        const info = await datastore.configstore.get(id);
        const created = info?.creation_date ? Date.parse(info.creation_date) : Number.NaN;
        const expired = Number.isFinite(created) ? now - created > expiryMs : await old(path.join(dir, entry)); // unreadable or half-written record: only by age
        const orphan = !names.has(id) && (await old(path.join(dir, entry)));
        if (expired || orphan) {
          await forget(id);
          removed++;
        }
      } else if (!names.has(`${id}.json`) && (await old(path.join(dir, entry)))) {
        await fs.promises.rm(path.join(dir, entry), { force: true, recursive: true });
        removed++;
      }
    }
    // Multipart temp files are removed by the request that wrote them; these are left over from a crash.
    for (const entry of await fs.promises.readdir(multipartTmp).catch(() => [] as string[])) {
      if (await old(path.join(multipartTmp, entry))) {
        await fs.promises.rm(path.join(multipartTmp, entry), { force: true, recursive: true });
        removed++;
      }
    }
    if (removed > 0) logger.info({ removed }, 'expired uploads removed');
    return removed;
  };

  let timer: NodeJS.Timeout | undefined;
  return {
    router,
    cleanUpExpiredUploads,
    startCleanup(intervalMs = 15 * 60_000) {
      if (timer) return;
      const run = () => void cleanUpExpiredUploads().catch((err) => logger.warn({ err }, 'upload cleanup failed'));
      // once now (leftovers of a crash), then periodically
      run();
      timer = setInterval(run, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

/** How a finished upload names its medium (README, API table); exposed to cross-origin tus clients too. */
function finishedHeaders(mediumId: string): Record<string, string> {
  return { 'Upload-Medium-Id': mediumId, 'Content-Location': `/api/media/${mediumId}` };
}

const DRAIN_LIMIT = 8 * 1024 * 1024;

/**
 * A request refused before its body was read (no permission, too large…): a small rest is read and dropped, so the
 * client finishes sending and sees the answer; a large one is not worth receiving, the connection closes instead.
 */
function releaseBody(req: ExpressRequest, res: ExpressResponse): void {
  if (req.complete || req.destroyed) return;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared <= DRAIN_LIMIT) {
    req.removeAllListeners('data');
    req.resume();
  } else {
    res.setHeader('Connection', 'close');
  }
}

function toWebRequest(req: ExpressRequest): Request {
  const url = new URL(req.originalUrl.split('?')[0] ?? '/', `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const hasBody = req.method === 'POST' || req.method === 'PATCH';
  // The body stays a stream end to end: tus writes it to the FileStore as it arrives.
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
  if (hasBody) {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(url, init);
}

async function writeResponse(
  req: ExpressRequest,
  res: ExpressResponse,
  response: Response,
  problem: Problem | undefined,
  logger: Logger,
): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  if (res.writableEnded || res.destroyed) return;
  const isError = response.status >= 400;
  response.headers.forEach((value, name) => {
    if (name === 'content-length' || (isError && name === 'content-type')) return;
    res.setHeader(name, value);
  });
  if (isError) {
    sendProblem(req, res, problem ?? tusProblem(response.status, body.toString('utf8'), logger));
    return;
  }
  if (req.method === 'HEAD' && mediumIdOf(response)) res.setHeader('Upload-Medium-Id', mediumIdOf(response) as string);
  res.status(response.status).end(req.method === 'HEAD' ? undefined : body);
}

/** The medium id of a finished upload, from the Upload-Metadata tus echoes on HEAD. */
function mediumIdOf(response: Response): string | null {
  const header = response.headers.get('upload-metadata');
  const pair = header
    ?.split(',')
    .map((p) => p.trim().split(' '))
    .find(([key]) => key === 'mediumId');
  return pair?.[1] ? Buffer.from(pair[1], 'base64').toString('utf8') : null;
}

/** tus's own errors are short English texts; they become problems of the matching type. */
function tusProblem(status: number, text: string, logger: Logger): Problem {
  if (status >= 500) {
    logger.warn({ status, text }, 'tus error');
    return status === 501 ? new Problem('bad-request', { status, detail: text.trim() }) : new Problem('internal');
  }
  // tus uses 403 for missing protocol headers: a malformed request, not a permission matter.
  if (status === 409) return new Problem('upload-offset-mismatch', { status, detail: text.trim() });
  const type =
    status === 403
      ? 'bad-request'
      : ((Object.entries(problemTypes).find(([, t]) => t.status === status)?.[0] ?? 'bad-request') as ProblemType);
  return new Problem(type, { status, detail: text.trim() });
}
