// Review routes. Narrators: /api/review/* with `Authorization: Review <link token or short code>` (no account, no
// cookie, so no CSRF token). Curators: /api/interviews/:id/review* with their session.
import { Router } from 'express';
import { z } from 'zod';
import { parseRequest } from '../http/validate.js';
import {
  correctionParams,
  correctionSchema,
  createInvitationSchema,
  curatorDecisionSchema,
  decisionSchema,
  invitationParams,
  liftSchema,
  ownItemParams,
  restrictionParams,
  restrictionSchema,
} from './schemas.js';
import type { ReviewService } from './service.js';
import { idempotencyKeyOf } from '../http/idempotency.js';

export const interviewParams = z.strictObject({ id: z.uuid() });

/** Where the narrator's link points: PUBLIC_URL, and nothing else (a request's Host header is the sender's choice). */
export function originOf(publicUrl: string | undefined): string | null {
  return publicUrl ? new URL(publicUrl).origin + new URL(publicUrl).pathname.replace(/\/+$/, '') : null;
}

export function narratorReviewRoutes(review: ReviewService): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await review.narratorView(req.viewer));
  });

  router.post('/restrictions', async (req, res) => {
    res
      .status(201)
      .json(
        await review.narratorAddRestriction(
          req.viewer,
          parseRequest(req, 'body', restrictionSchema),
          idempotencyKeyOf(req),
        ),
      );
  });

  router.delete('/restrictions/:itemId', async (req, res) => {
    await review.narratorRemoveRestriction(req.viewer, parseRequest(req, 'params', ownItemParams).itemId);
    res.status(204).end();
  });

  router.post('/corrections', async (req, res) => {
    res.status(201).json(await review.narratorAddCorrection(req.viewer, parseRequest(req, 'body', correctionSchema)));
  });

  router.post('/decision', async (req, res) => {
    res
      .status(201)
      .json(await review.decide(req.viewer, parseRequest(req, 'body', decisionSchema), idempotencyKeyOf(req)));
  });

  router.get('/receipt', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await review.receipt(req.viewer));
  });

  return router;
}

export function curatorReviewRoutes(review: ReviewService, publicUrl: string | undefined): Router {
  const router = Router();

  router.get('/:id/review', async (req, res) => {
    res.json(await review.overview(req.viewer, parseRequest(req, 'params', interviewParams).id));
  });

  router.get('/:id/review-invitations', async (req, res) => {
    res.json({ items: await review.listInvitations(req.viewer, parseRequest(req, 'params', interviewParams).id) });
  });

  router.post('/:id/review-invitations', async (req, res) => {
    const { id } = parseRequest(req, 'params', interviewParams);
    const created = await review.createInvitation(
      req.viewer,
      id,
      parseRequest(req, 'body', createInvitationSchema),
      originOf(publicUrl),
      idempotencyKeyOf(req),
    );
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(created);
  });

  router.post('/:id/review-invitations/:invitationId/revoke', async (req, res) => {
    const { id, invitationId } = parseRequest(req, 'params', invitationParams);
    res.json(await review.revokeInvitation(req.viewer, id, invitationId));
  });

  router.post('/:id/restrictions', async (req, res) => {
    const { id } = parseRequest(req, 'params', interviewParams);
    res
      .status(201)
      .json(
        await review.addRestrictionAsStaff(
          req.viewer,
          id,
          parseRequest(req, 'body', restrictionSchema),
          idempotencyKeyOf(req),
        ),
      );
  });

  router.post('/:id/restrictions/:restrictionId/lift', async (req, res) => {
    const { id, restrictionId } = parseRequest(req, 'params', restrictionParams);
    res.json(await review.liftRestriction(req.viewer, id, restrictionId, parseRequest(req, 'body', liftSchema).reason));
  });

  for (const [verb, accept] of [
    ['accept', true],
    ['reject', false],
  ] as const) {
    router.post(`/:id/corrections/:correctionId/${verb}`, async (req, res) => {
      const { id, correctionId } = parseRequest(req, 'params', correctionParams);
      const { note } = parseRequest(req, 'body', curatorDecisionSchema);
      res.json(await review.decideCorrection(req.viewer, id, correctionId, accept, note ?? null));
    });
  }

  return router;
}
