import { z } from 'zod';
import { zodMessage } from '../i18n/messages.js';

const seconds = z
  .number()
  .finite()
  .min(0)
  .max(86_400 * 2);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();

export const createInvitationSchema = z.strictObject({
  narrator: z.string().trim().min(1).max(200),
  /** Days until the link stops working; default REVIEW_INVITATION_DAYS. */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});

export const redeemSchema = z.strictObject({
  code: z.string().trim().min(6).max(40),
});

export const restrictionSchema = z
  .strictObject({
    mediaId: z.uuid(),
    start: seconds,
    end: seconds,
    reason: optionalText(2000),
    /** The transcript text the narrator selected. */
    quote: optionalText(5000),
  })
  .refine((r) => r.end > r.start, { message: zodMessage('field.endAfterStart'), path: ['end'] });

export const correctionSchema = z.strictObject({
  mediaId: z.uuid(),
  segmentNo: z.number().int().min(0).max(1_000_000),
  proposed: z.string().trim().min(1).max(5000),
  note: optionalText(2000),
});

export const decisionSchema = z
  .strictObject({
    decision: z.enum(['approve', 'request_changes', 'withdraw']),
    /** What an approval releases: public web, registered users only, or the archive only. */
    visibility: z.enum(['public', 'registered', 'private']).optional(),
    message: optionalText(5000),
  })
  .refine((d) => d.decision !== 'approve' || d.visibility !== undefined, {
    message: zodMessage('field.approvalVisibility'),
    path: ['visibility'],
  });

export const curatorDecisionSchema = z.strictObject({ note: optionalText(2000) });
export const liftSchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });

export const invitationParams = z.strictObject({ id: z.uuid(), invitationId: z.uuid() });
export const correctionParams = z.strictObject({ id: z.uuid(), correctionId: z.uuid() });
export const restrictionParams = z.strictObject({ id: z.uuid(), restrictionId: z.uuid() });
export const ownItemParams = z.strictObject({ itemId: z.uuid() });
