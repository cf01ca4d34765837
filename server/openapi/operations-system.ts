// Route table, part one: health, problems, this description, harvesting (IIIF, OAI-PMH), preservation, ASR, accounts and audit.
import { z } from 'zod';
import { alignBody, asrJobParams, asrMediumParams, transcribeBody } from '../asr/routes.js';
import { auditQuery } from '../audit/routes.js';
import { createTokenSchema, loginSchema, tokenIdParams } from '../auth/schemas.js';
import { pageQuery } from '../http/paging.js';
import { iiifCaptionParams, iiifCollectionParams, iiifDocumentSchema, iiifManifestParams } from '../iiif/schemas.js';
import { bagParams, bagQuery } from '../preservation/routes.js';
import { reasonSchema, transcriptParams } from '../transcripts/schemas.js';
import { addMemberSchema, createGroupSchema, groupParams, memberParams } from '../users/groups.js';
import { createUserSchema, updateUserSchema, userIdParams } from '../users/schemas.js';
import {
  binary,
  items,
  json,
  none,
  oaiQuery,
  op,
  type Operation,
  page,
  record,
  text,
  withId,
} from './operation-shapes.js';

export const systemOperations: Operation[] = [
  // health, problems, description, harvesting
  op('get', '/healthz', 'system', 'anyone', 'Store, Meilisearch, ffmpeg: 503 when degraded', {
    ok: [json(record), json(record, 503, 'degraded')],
  }),
  op('get', '/metrics', 'system', 'anyone', 'Prometheus metrics', {
    ok: [{ status: 200, content: { 'text/plain': text } }],
  }),
  op('get', '/problems/{type}', 'system', 'anyone', 'What a problem type means', {
    params: z.object({ type: z.string() }),
    ok: [json(record)],
  }),
  op('get', '/api/openapi.json', 'system', 'anyone', 'This description (OpenAPI 3.1)', { ok: [json(record)] }),
  op(
    'get',
    '/iiif/interviews/{id}/manifest',
    'harvesting',
    'anyone',
    'IIIF Presentation 3 manifest of an interview (what this viewer may see)',
    { params: iiifManifestParams, ok: [{ status: 200, content: { 'application/ld+json': iiifDocumentSchema } }] },
  ),
  op('get', '/iiif/collections/{id}', 'harvesting', 'anyone', 'IIIF Presentation 3 Collection of a collection', {
    params: iiifCollectionParams,
    ok: [{ status: 200, content: { 'application/ld+json': iiifDocumentSchema } }],
  }),
  op(
    'get',
    '/iiif/interviews/{id}/media/{mediaId}/captions.{lang}.vtt',
    'harvesting',
    'anyone',
    'WebVTT captions a IIIF manifest points to (restricted passages blanked)',
    { params: iiifCaptionParams, ok: [{ status: 200, content: { 'text/vtt': text } }] },
  ),
  op(
    'get',
    '/api/admin/warnings',
    'system',
    'admin',
    'Warnings for admins (repeated failed logins, media store full or read-only)',
    { ok: [json(record)] },
  ),
  op(
    'get',
    '/api/asr',
    'transcripts',
    'user',
    'Whether automatic transcription is configured, and with which engine and model',
    { ok: [json(record)] },
  ),
  op(
    'post',
    '/api/media/{mediaId}/transcribe',
    'transcripts',
    'editor',
    'Transcribe a medium automatically (a draft version)',
    { params: asrMediumParams, body: transcribeBody, ok: [json(withId, 202)] },
  ),
  op(
    'post',
    '/api/media/{mediaId}/align',
    'transcripts',
    'editor',
    'Align the current transcript text to the recording (times only)',
    { params: asrMediumParams, body: alignBody, ok: [json(withId, 202)] },
  ),
  op('post', '/api/jobs/{id}/cancel', 'media', 'editor', 'Cancel a queued or running transcription/alignment job', {
    params: asrJobParams,
    ok: [json(withId)],
  }),
  op('post', '/api/jobs/{id}/retry', 'media', 'editor', 'Retry a failed or cancelled transcription/alignment job', {
    params: asrJobParams,
    ok: [json(withId, 202)],
  }),
  op(
    'post',
    '/api/interviews/{id}/media/{mediaId}/transcript/review',
    'transcripts',
    'editor',
    'Mark an automatic draft as reviewed (visible to the public from then on)',
    { params: transcriptParams, body: reasonSchema, ok: [json(record, 201)] },
  ),
  op(
    'get',
    '/api/interviews/{id}/bag.zip',
    'preservation',
    'admin',
    'The interview as a BagIt bag (ZIP), the unredacted preservation copy',
    { params: bagParams, query: bagQuery, ok: [{ status: 200, content: { 'application/zip': binary } }] },
  ),
  op('get', '/api/preservation/fixity', 'preservation', 'admin', 'Open fixity problems and the latest checks', {
    ok: [json(record)],
  }),
  op('get', '/oai', 'harvesting', 'anyone', 'OAI-PMH 2.0 (protocol errors are <error> elements in a 200 answer)', {
    query: oaiQuery,
    ok: [{ status: 200, content: { 'text/xml': text } }],
  }),
  op('post', '/oai', 'harvesting', 'anyone', 'OAI-PMH 2.0 with form arguments', {
    body: { content: { 'application/x-www-form-urlencoded': oaiQuery } },
    ok: [{ status: 200, content: { 'text/xml': text } }],
  }),

  // accounts
  op('post', '/api/auth/login', 'auth', 'anyone', 'Log in: session cookie and CSRF token', {
    body: loginSchema,
    ok: [json(record)],
  }),
  op('post', '/api/auth/logout', 'auth', 'user', 'Log out', { ok: [none()] }),
  op('get', '/api/auth/me', 'auth', 'user', 'Who is logged in', { ok: [json(record)] }),
  op('get', '/api/auth/tokens', 'auth', 'user', 'My API tokens', { ok: [json(items)] }),
  op('post', '/api/auth/tokens', 'auth', 'user', 'Create an API token (shown once)', {
    body: createTokenSchema,
    ok: [json(record, 201)],
  }),
  op('delete', '/api/auth/tokens/{id}', 'auth', 'user', 'Revoke an API token', { params: tokenIdParams, ok: [none()] }),
  op('get', '/api/users', 'users', 'admin', 'Users', { query: pageQuery, ok: [json(page)] }),
  op('post', '/api/users', 'users', 'admin', 'Create a user', { body: createUserSchema, ok: [json(withId, 201)] }),
  op('get', '/api/users/{id}', 'users', 'admin', 'One user', { params: userIdParams, ok: [json(withId)] }),
  op('patch', '/api/users/{id}', 'users', 'admin', 'Change a user', {
    params: userIdParams,
    body: updateUserSchema,
    ok: [json(withId)],
  }),
  op('get', '/api/groups', 'users', 'admin', 'Groups with members', { ok: [json(items)] }),
  op('post', '/api/groups', 'users', 'admin', 'Create a group', { body: createGroupSchema, ok: [json(withId, 201)] }),
  op('delete', '/api/groups/{id}', 'users', 'admin', 'Delete a group', { params: groupParams, ok: [none()] }),
  op('post', '/api/groups/{id}/members', 'users', 'admin', 'Add a member', {
    params: groupParams,
    body: addMemberSchema,
    ok: [json(record, 201)],
  }),
  op('delete', '/api/groups/{id}/members/{userId}', 'users', 'admin', 'Remove a member', {
    params: memberParams,
    ok: [none()],
  }),
  op('get', '/api/audit', 'audit', 'admin', 'Audit log', { query: auditQuery, ok: [json(page)] }),
];
