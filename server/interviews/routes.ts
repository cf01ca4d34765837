import { Router } from 'express';
import { expectedVersion, setVersionEtag } from '../http/etag.js';
import { pageOf } from '../http/paging.js';
import { parseRequest } from '../http/validate.js';
import { createInterviewSchema, interviewIdParams, listInterviewsQuery, patchInterviewSchema } from './schemas.js';
import type { Viewer } from '../access/viewer.js';
import type { Interview } from '../store/types.js';
import type { InterviewService } from './service.js';
import { idempotencyKeyOf } from '../http/idempotency.js';

/** Media ingest: the interview's media (tape 1, 2 …) embedded in its detail view, as this viewer gets them. */
export interface InterviewMediaLister {
  listForInterview(viewer: Viewer, interview: Interview): Promise<unknown[]>;
}

export function interviewRoutes(interviews: InterviewService, media?: InterviewMediaLister): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseRequest(req, 'query', listInterviewsQuery);
    const result = await interviews.list(req.viewer, query, pageOf(query));
    res.json({ ...result, page: query.page, pageSize: query.pageSize });
  });

  router.post('/', async (req, res) => {
    const created = await interviews.create(
      req.viewer,
      parseRequest(req, 'body', createInterviewSchema),
      idempotencyKeyOf(req),
    );
    setVersionEtag(res, created.version);
    // same shape as GET /:id; a new interview has no media yet
    res
      .status(201)
      .location(`/api/interviews/${created.id}`)
      .json({ ...created, media: [] });
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', interviewIdParams);
    const page = await interviews.getPage(req.viewer, id);
    // a listed embargo shows only that the interview exists and until when it is sealed
    if (page.kind === 'sealed') return void res.json(page.interview);
    const interview = page.interview;
    setVersionEtag(res, interview.version);
    // media are visible exactly when the interview is (already checked by getPage)
    res.json({ ...interview, media: media ? await media.listForInterview(req.viewer, interview) : [] });
  });

  router.patch('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', interviewIdParams);
    const input = parseRequest(req, 'body', patchInterviewSchema);
    const updated = await interviews.update(req.viewer, id, input, expectedVersion(req), idempotencyKeyOf(req));
    setVersionEtag(res, updated.version);
    res.json(updated);
  });

  router.delete('/:id', async (req, res) => {
    const { id } = parseRequest(req, 'params', interviewIdParams);
    await interviews.delete(req.viewer, id);
    res.status(204).end();
  });

  return router;
}
