// Media API under /api: multipart upload to an interview, a medium's JSON, deleting it, and job status.
import fs from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { Problem } from '../http/problem.js';
import { parseRequest } from '../http/validate.js';
import { msg } from '../i18n/messages.js';
import { presentJob } from './presenters.js';
import type { MediaService } from './service.js';
import type { StorageMonitor } from './storage.js';
import type { ReceivedFile } from './uploads.js';

export const interviewParams = z.object({ id: z.uuid() });
export const mediumParams = z.object({ mediaId: z.uuid() });
export const jobParams = z.object({ id: z.uuid() });

export type UploadReceiver = (req: Request, res: Response) => Promise<ReceivedFile | undefined>;

// Room for the multipart framing around the file when judging a declared Content-Length.
const FORM_OVERHEAD = 1024 * 1024;
// Refusing a body bigger than this closes the connection rather than reading it all to nowhere.
const DRAIN_LIMIT = 8 * 1024 * 1024;

export function mediaRoutes(
  media: MediaService,
  receive: UploadReceiver,
  maxBytes: number,
  storage?: StorageMonitor,
): Router {
  const router = Router();

  router.post('/interviews/:id/media', async (req, res) => {
    const declared = Number(req.headers['content-length']);
    const { id } = parseRequest(req, 'params', interviewParams);
    try {
      // Before reading a byte of the body: who may add media here, in what form, how much.
      await media.assertCanUpload(req.viewer, id);
      if (!req.is('multipart/form-data')) {
        throw new Problem('unsupported-media-type', { detail: msg('media.sendMultipart') });
      }
      if (declared > maxBytes + FORM_OVERHEAD) {
        throw new Problem('payload-too-large', {
          detail: msg('media.fileTooLarge', { maxBytes }),
          extra: { maxBytes },
        });
      }
      // a declared size that would eat into STORAGE_RESERVE is refused before the body is read (507)
      if (storage && Number.isFinite(declared)) await storage.assertRoomFor(Math.max(0, declared - FORM_OVERHEAD));
    } catch (err) {
      if (!(declared <= DRAIN_LIMIT)) res.setHeader('Connection', 'close');
      throw err;
    }
    const file = await receive(req, res);
    if (!file) {
      throw new Problem('bad-request', {
        detail: msg('media.noFile'),
        errors: [{ field: 'body.file', message: msg('field.fileRequired') }],
      });
    }
    let medium;
    try {
      medium = await media.ingest({
        viewer: req.viewer,
        interviewId: id,
        tmpPath: file.path,
        sha256: file.sha256,
        sizeBytes: file.sizeBytes,
        originalFilename: file.originalFilename,
      });
    } finally {
      // Moved into place on success; a multipart upload is never retried from its temp file.
      await fs.rm(file.path, { force: true });
    }
    res
      .status(202)
      .location(`/api/media/${medium.id}`)
      .json(await media.presentWithJobs(req.viewer, medium));
  });

  router.get('/media/:mediaId', async (req, res) => {
    const { mediaId } = parseRequest(req, 'params', mediumParams);
    res.json(await media.presentWithJobs(req.viewer, await media.get(req.viewer, mediaId)));
  });

  router.delete('/media/:mediaId', async (req, res) => {
    const { mediaId } = parseRequest(req, 'params', mediumParams);
    await media.delete(req.viewer, mediaId);
    res.status(204).end();
  });

  router.get('/jobs/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', jobParams);
    const job = await media.getJob(req.viewer, id);
    res.json({ ...presentJob(job), mediaId: job.mediaId });
  });

  return router;
}
