// POST /api/media/:mediaId/transcribe {language} → 202 with the job; …/align; cancel and retry; the feature status.
import { Router } from 'express';
import { z } from 'zod';
import { parseRequest } from '../http/validate.js';
import { presentJob } from '../media/presenters.js';
import type { AsrService } from './service.js';

export const asrMediumParams = z.object({ mediaId: z.uuid() });
export const asrJobParams = z.object({ id: z.uuid() });
const language = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2,3}$/, { error: 'ISO-639-1-Sprachcode wie de oder en (a language code such as de or en)' });
export const transcribeBody = z.strictObject({ language });
export const alignBody = z.strictObject({ language: language.optional() });

export function asrRoutes(asr: AsrService): Router {
  const router = Router();

  router.get('/asr', (_req, res) => {
    res.json(asr.status());
  });

  router.post('/media/:mediaId/transcribe', async (req, res) => {
    const { mediaId } = parseRequest(req, 'params', asrMediumParams);
    const body = parseRequest(req, 'body', transcribeBody);
    const job = await asr.startTranscription(req.viewer, mediaId, body.language);
    res
      .status(202)
      .location(`/api/jobs/${job.id}`)
      .json({ ...presentJob(job), mediaId });
  });

  router.post('/media/:mediaId/align', async (req, res) => {
    const { mediaId } = parseRequest(req, 'params', asrMediumParams);
    const body = parseRequest(req, 'body', alignBody);
    const job = await asr.startAlignment(req.viewer, mediaId, body.language);
    res
      .status(202)
      .location(`/api/jobs/${job.id}`)
      .json({ ...presentJob(job), mediaId });
  });

  router.post('/jobs/:id/cancel', async (req, res) => {
    const { id } = parseRequest(req, 'params', asrJobParams);
    const job = await asr.cancel(req.viewer, id);
    res.json({ ...presentJob(job), mediaId: job.mediaId });
  });

  router.post('/jobs/:id/retry', async (req, res) => {
    const { id } = parseRequest(req, 'params', asrJobParams);
    const job = await asr.retry(req.viewer, id);
    res
      .status(202)
      .location(`/api/jobs/${job.id}`)
      .json({ ...presentJob(job), mediaId: job.mediaId });
  });

  return router;
}
