// /api/interviews/:id/consents — JSON, or multipart/form-data with the record as JSON in the field `record` and the
// scan of the signed form in the field `file`.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { expectedVersion, setVersionEtag } from '../http/etag.js';
import { Problem } from '../http/problem.js';
import { fieldErrors, parseRequest } from '../http/validate.js';
import type { ReceivedFile } from '../media/uploads.js';
import { consentInputSchema, consentParams, consentScanQuery, type ConsentInput } from './schemas.js';
import { scanFilename, type ConsentService } from './service.js';
import { idempotencyKeyOf } from '../http/idempotency.js';
import { msg } from '../i18n/messages.js';

export const interviewParams = z.strictObject({ id: z.uuid() });
type Receive = (req: Request, res: Response) => Promise<ReceivedFile | undefined>;

async function readInput(
  req: Request,
  res: Response,
  receive: Receive,
): Promise<{ input: ConsentInput; scan?: ReceivedFile }> {
  if (!req.is('multipart/form-data')) return { input: parseRequest(req, 'body', consentInputSchema) };
  const scan = await receive(req, res);
  try {
    let raw: unknown;
    try {
      raw = JSON.parse(String((req.body as { record?: unknown })?.record ?? ''));
    } catch {
      throw new Problem('validation', { errors: [{ field: 'body.record', message: msg('field.recordJson') }] });
    }
    const parsed = consentInputSchema.safeParse(raw);
    if (!parsed.success) throw new Problem('validation', { errors: fieldErrors(parsed.error, 'body.record') });
    return { input: parsed.data, ...(scan ? { scan } : {}) };
  } catch (err) {
    if (scan) await import('node:fs/promises').then((fs) => fs.rm(scan.path, { force: true }));
    throw err;
  }
}

export function consentRoutes(consents: ConsentService, receive: Receive): Router {
  const router = Router();

  router.get('/:id/consents', async (req, res) => {
    res.json({ items: await consents.list(req.viewer, parseRequest(req, 'params', interviewParams).id) });
  });

  router.post('/:id/consents', async (req, res) => {
    const { id } = parseRequest(req, 'params', interviewParams);
    await consents.list(req.viewer, id); // permission before reading a byte of the body
    const { input, scan } = await readInput(req, res, receive);
    const record = await consents.save(req.viewer, id, undefined, input, scan, undefined, idempotencyKeyOf(req));
    setVersionEtag(res, record.version);
    res.status(201).location(`/api/interviews/${id}/consents/${record.id}`).json(record);
  });

  router.put('/:id/consents/:consentId', async (req, res) => {
    const { id, consentId } = parseRequest(req, 'params', consentParams);
    await consents.history(req.viewer, id, consentId);
    const { input, scan } = await readInput(req, res, receive);
    const record = await consents.save(
      req.viewer,
      id,
      consentId,
      input,
      scan,
      expectedVersion(req),
      idempotencyKeyOf(req),
    );
    setVersionEtag(res, record.version);
    res.json(record);
  });

  router.get('/:id/consents/:consentId/versions', async (req, res) => {
    const { id, consentId } = parseRequest(req, 'params', consentParams);
    res.json({ items: await consents.history(req.viewer, id, consentId) });
  });

  router.get('/:id/consents/:consentId/scan', async (req, res) => {
    const { id, consentId } = parseRequest(req, 'params', consentParams);
    const { version } = parseRequest(req, 'query', consentScanQuery);
    const { absPath, scan } = await consents.scanFile(req.viewer, id, consentId, version);
    res.setHeader('Content-Type', scan.mime);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // records stored before names were sanitized are cleaned on the way out too
    res.attachment(scanFilename(scan.filename || 'einverstaendnis', scan.mime));
    res.setHeader('Content-Type', scan.mime);
    await new Promise<void>((resolve, reject) =>
      res.sendFile(absPath, { dotfiles: 'deny' }, (err) => (err ? reject(err) : resolve())),
    );
  });

  return router;
}
