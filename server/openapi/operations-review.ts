// Route table, part four: consent records and the narrator review.
import { interviewParams as consentInterviewParams } from '../consent/routes.js';
import { consentParams, consentScanQuery } from '../consent/schemas.js';
import { interviewParams as reviewInterviewParams } from '../review/routes.js';
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
} from '../review/schemas.js';
import {
  binary,
  consentBody,
  ifMatch,
  items,
  json,
  none,
  op,
  type Operation,
  record,
  withId,
} from './operation-shapes.js';

export const reviewOperations: Operation[] = [
  // consent and narrator review
  op('get', '/api/interviews/{id}/consents', 'consent', 'staff', 'Consent records (newest versions)', {
    params: consentInterviewParams,
    ok: [json(items)],
  }),
  op('post', '/api/interviews/{id}/consents', 'consent', 'staff', 'Record a consent (JSON, or multipart with a scan)', {
    params: consentInterviewParams,
    body: consentBody,
    ok: [json(withId, 201)],
  }),
  op('put', '/api/interviews/{id}/consents/{consentId}', 'consent', 'staff', 'New version of a consent record', {
    params: consentParams,
    headers: ifMatch,
    body: consentBody,
    ok: [json(withId)],
  }),
  op(
    'get',
    '/api/interviews/{id}/consents/{consentId}/versions',
    'consent',
    'staff',
    'Every version of a consent record',
    { params: consentParams, ok: [json(items)] },
  ),
  op('get', '/api/interviews/{id}/consents/{consentId}/scan', 'consent', 'staff', 'The scanned form', {
    params: consentParams,
    query: consentScanQuery,
    ok: [{ status: 200, content: { 'application/pdf': binary, 'image/jpeg': binary, 'image/png': binary } }],
  }),
  op('get', '/api/interviews/{id}/review', 'review', 'staff', 'Invitations, restrictions, corrections, decisions', {
    params: reviewInterviewParams,
    ok: [json(record)],
  }),
  op('get', '/api/interviews/{id}/review-invitations', 'review', 'staff', 'Review invitations', {
    params: reviewInterviewParams,
    ok: [json(items)],
  }),
  op(
    'post',
    '/api/interviews/{id}/review-invitations',
    'review',
    'staff',
    'Invite the narrator (link, short code, QR code; shown once)',
    { params: reviewInterviewParams, body: createInvitationSchema, ok: [json(record, 201)] },
  ),
  op(
    'post',
    '/api/interviews/{id}/review-invitations/{invitationId}/revoke',
    'review',
    'staff',
    'Revoke an invitation',
    { params: invitationParams, ok: [json(record)] },
  ),
  op('post', '/api/interviews/{id}/restrictions', 'review', 'staff', 'Restrict a passage', {
    params: reviewInterviewParams,
    body: restrictionSchema,
    ok: [json(record, 201)],
  }),
  op('post', '/api/interviews/{id}/restrictions/{restrictionId}/lift', 'review', 'staff', 'Lift a restriction', {
    params: restrictionParams,
    body: liftSchema,
    ok: [json(record)],
  }),
  op(
    'post',
    '/api/interviews/{id}/corrections/{correctionId}/accept',
    'review',
    'staff',
    'Accept a correction (makes a transcript version)',
    { params: correctionParams, body: curatorDecisionSchema, ok: [json(record)] },
  ),
  op('post', '/api/interviews/{id}/corrections/{correctionId}/reject', 'review', 'staff', 'Reject a correction', {
    params: correctionParams,
    body: curatorDecisionSchema,
    ok: [json(record)],
  }),
  op('get', '/api/review', 'review', 'narrator', "The narrator's review page", { ok: [json(record)] }),
  op('post', '/api/review/restrictions', 'review', 'narrator', 'Narrator: do not publish this passage', {
    body: restrictionSchema,
    ok: [json(record, 201)],
  }),
  op('delete', '/api/review/restrictions/{itemId}', 'review', 'narrator', 'Narrator: take back own restriction', {
    params: ownItemParams,
    ok: [none()],
  }),
  op('post', '/api/review/corrections', 'review', 'narrator', 'Narrator: propose a correction', {
    body: correctionSchema,
    ok: [json(record, 201)],
  }),
  op('post', '/api/review/decision', 'review', 'narrator', 'Narrator: approve, ask for changes, or withdraw', {
    body: decisionSchema,
    ok: [json(record, 201)],
  }),
  op('get', '/api/review/receipt', 'review', 'narrator', "Narrator's receipt", { ok: [json(record)] }),
];
