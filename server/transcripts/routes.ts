import express, { Router, type Request } from 'express';
import { expectedVersion, setVersionEtag } from '../http/etag.js';
import { parseRequest } from '../http/validate.js';
import { Problem } from '../http/problem.js';
import {
  diffQuery,
  exportQuery,
  importQuery,
  putIndexSchema,
  reasonSchema,
  restoreSchema,
  segmentParams,
  segmentPatchSchema,
  splitSchema,
  transcriptParams,
} from './schemas.js';
import type { TranscriptService } from './service.js';
import { msg } from '../i18n/messages.js';

const mimeOf = {
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  txt: 'text/plain',
  json: 'application/json',
  ohms: 'application/xml',
} as const;
const extOf = { vtt: 'vtt', srt: 'srt', txt: 'txt', json: 'json', ohms: 'xml' } as const;

/** Transcript files arrive as the raw request body in any text format; 50 MB is far above a day-long interview. */
const rawTranscript = express.text({ type: () => true, limit: '50mb' });

const tVersion = (req: Request) => expectedVersion(req, 't');

/** Mounted at /api/interviews/:id/media/:mediaId. */
export function transcriptRoutes(transcripts: TranscriptService): Router {
  const router = Router({ mergeParams: true });

  router.put('/transcript', rawTranscript, async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    const query = parseRequest(req, 'query', importQuery);
    if (typeof req.body !== 'string' || req.body.trim() === '') {
      throw new Problem('validation', { errors: [{ field: 'body', message: msg('field.transcriptFileMissing') }] });
    }
    const head = await transcripts.import({
      viewer: req.viewer,
      interviewId: id,
      mediaId,
      text: req.body,
      ...(query.format ? { format: query.format } : {}),
      ...(query.filename ? { filename: query.filename } : {}),
      ...(query.reason ? { reason: query.reason } : {}),
      ...(tVersion(req) !== undefined ? { expectedVersion: tVersion(req) } : {}),
    });
    setVersionEtag(res, head.version, 't');
    res.status(head.version === 1 ? 201 : 200).json({ ...head, segmentCount: head.segments.length });
  });

  router.get('/transcript', async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    const query = parseRequest(req, 'query', exportQuery);
    if (query.format === 'json' && query.download !== 'true') {
      const t = await transcripts.get(req.viewer, id, mediaId, query.version);
      setVersionEtag(res, t.currentVersion, 't');
      res.json(t);
      return;
    }
    const body = await transcripts.export(req.viewer, id, mediaId, query.format, query.version);
    res.type(`${mimeOf[query.format]}; charset=utf-8`);
    if (query.download === 'true') res.attachment(`transkript-${mediaId}.${extOf[query.format]}`);
    res.send(body);
  });

  router.get('/transcript/versions', async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    res.json({ items: await transcripts.versions(req.viewer, id, mediaId) });
  });

  router.get('/transcript/diff', async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    const { from, to } = parseRequest(req, 'query', diffQuery);
    res.json({ from, to, ...(await transcripts.diff(req.viewer, id, mediaId, from, to)) });
  });

  router.post('/transcript/restore', async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    const body = parseRequest(req, 'body', restoreSchema);
    const t = await transcripts.restore(req.viewer, id, mediaId, body.version, body.reason, tVersion(req));
    setVersionEtag(res, t.version, 't');
    res.json(t);
  });

  // an automatic draft (asr:…) read and vouched for: from now on the public and search get it
  router.post('/transcript/review', async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    const body = parseRequest(req, 'body', reasonSchema);
    const t = await transcripts.markReviewed(req.viewer, id, mediaId, body.reason, tVersion(req));
    setVersionEtag(res, t.version, 't');
    res.json(t);
  });

  router.patch('/transcript/segments/:n', async (req, res) => {
    const { id, mediaId, n } = parseRequest(req, 'params', segmentParams);
    const { reason, ...patch } = parseRequest(req, 'body', segmentPatchSchema);
    const t = await transcripts.editSegment(req.viewer, id, mediaId, n, patch, reason, tVersion(req));
    setVersionEtag(res, t.version, 't');
    res.json(t);
  });

  router.post('/transcript/segments/:n/split', async (req, res) => {
    const { id, mediaId, n } = parseRequest(req, 'params', segmentParams);
    const body = parseRequest(req, 'body', splitSchema);
    const t = await transcripts.split(req.viewer, id, mediaId, n, body.at, body.textOffset, body.reason, tVersion(req));
    setVersionEtag(res, t.version, 't');
    res.json(t);
  });

  router.post('/transcript/segments/:n/merge', async (req, res) => {
    const { id, mediaId, n } = parseRequest(req, 'params', segmentParams);
    const body = parseRequest(req, 'body', reasonSchema);
    const t = await transcripts.merge(req.viewer, id, mediaId, n, body.reason, tVersion(req));
    setVersionEtag(res, t.version, 't');
    res.json(t);
  });

  router.get('/index', async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    const index = await transcripts.getIndex(req.viewer, id, mediaId);
    setVersionEtag(res, index.version, 'i');
    res.json(index);
  });

  router.put('/index', async (req, res) => {
    const { id, mediaId } = parseRequest(req, 'params', transcriptParams);
    const { points } = parseRequest(req, 'body', putIndexSchema);
    const index = await transcripts.putIndex(req.viewer, id, mediaId, points, expectedVersion(req, 'i'));
    setVersionEtag(res, index.version, 'i');
    res.json(index);
  });

  return router;
}
