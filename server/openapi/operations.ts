// Every route of the app, described once: the request parts come from the very zod schemas the routes validate
// with (imported from each domain), so the description cannot drift from what the server accepts.
//
// Adding a route: add one `op(...)` line below (method, path in OpenAPI form, summary, and what it reads and
// answers). tests/api/openapi.test.ts walks the Express app and fails, naming the route, when one is missing here.
import { z } from 'zod';
import { alignBody, asrJobParams, asrMediumParams, transcribeBody } from '../asr/routes.js';
import { auditQuery } from '../audit/routes.js';
import { createTokenSchema, loginSchema, tokenIdParams } from '../auth/schemas.js';
import { collectionAnswer, collectionIdParams, createCollectionSchema, updateCollectionSchema } from '../collections/schemas.js';
import { interviewParams as consentInterviewParams } from '../consent/routes.js';
import { consentInputSchema, consentParams, consentScanQuery } from '../consent/schemas.js';
import { pageQuery } from '../http/paging.js';
import { iiifCaptionParams, iiifCollectionParams, iiifDocumentSchema, iiifManifestParams } from '../iiif/schemas.js';
import { bagParams, bagQuery } from '../preservation/routes.js';
import { createInterviewSchema, interviewIdParams, listInterviewsQuery, patchInterviewSchema } from '../interviews/schemas.js';
import { interviewParams as mediaInterviewParams, jobParams, mediumParams } from '../media/routes.js';
import { interviewParams as reviewInterviewParams } from '../review/routes.js';
import {
  correctionParams, correctionSchema, createInvitationSchema, curatorDecisionSchema, decisionSchema, invitationParams,
  liftSchema, ownItemParams, restrictionParams, restrictionSchema,
} from '../review/schemas.js';
import { searchQuery, suggestQuery, withinParams, withinQuery } from '../search/routes.js';
import {
  diffQuery, exportQuery, importQuery, putIndexSchema, reasonSchema, restoreSchema, segmentParams, segmentPatchSchema,
  splitSchema, transcriptParams,
} from '../transcripts/schemas.js';
import { addMemberSchema, createGroupSchema, groupParams, memberParams } from '../users/groups.js';
import { createUserSchema, updateUserSchema, userIdParams } from '../users/schemas.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
export type Access = 'anyone' | 'user' | 'staff' | 'admin' | 'narrator' | 'editor';

/** What a successful answer carries. */
export type Answer =
  | { status: number; json: z.ZodType; description?: string }
  | { status: number; none: true; description?: string }
  | { status: number; content: Record<string, z.ZodType>; description?: string };

export interface Operation {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** JSON body, or several content types. */
  body?: z.ZodType | { content: Record<string, z.ZodType>; required?: boolean };
  ok: Answer[];
}

// Answers are described by shape (a record, a page of records); their fields are the domain's and may grow.
const record = z.looseObject({}).meta({ id: 'Record', description: 'A JSON object (the record as the API presents it).' });
const withId = z.looseObject({ id: z.string() }).meta({ id: 'RecordWithId' });
const page = z.looseObject({ items: z.array(z.looseObject({})), total: z.number().int().min(0), page: z.number().int().min(1), pageSize: z.number().int().min(1) }).meta({ id: 'Page' });
const items = z.looseObject({ items: z.array(z.looseObject({})) }).meta({ id: 'Items' });
const binary = z.string().meta({ format: 'binary' });
const text = z.string();

const json = (schema: z.ZodType, status = 200, description?: string): Answer => ({ status, json: schema, ...(description ? { description } : {}) });
const none = (status = 204, description?: string): Answer => ({ status, none: true, ...(description ? { description } : {}) });
const ifMatch = z.object({ 'if-match': z.string().optional().meta({ description: 'ETag of the version the change is based on (W/"v3"); 412 when it is not current.' }) });

const tusHeaders = z.object({
  'tus-resumable': z.string().optional().meta({ description: 'tus protocol version (1.0.0)' }),
  'upload-length': z.string().optional(),
  'upload-offset': z.string().optional(),
  'upload-metadata': z.string().optional().meta({ description: 'tus metadata: interviewId, filename (base64)' }),
});
const uploadParams = z.object({ uploadId: z.string().max(200) });
const mediaFileParams = z.object({ mediaId: z.string(), file: z.string().meta({ description: 'original, hls/master.m3u8, hls/<segment>, download.m4a, poster.jpg, storyboard.vtt, storyboard.jpg, waveform.json' }) });
const grantFileParams = mediaFileParams.extend({ grant: z.string() });
const oaiQuery = z.object({
  verb: z.string().optional().meta({ description: 'Identify, ListMetadataFormats, ListSets, GetRecord, ListIdentifiers, ListRecords' }),
  identifier: z.string().optional(),
  metadataPrefix: z.string().optional().meta({ description: 'oai_dc or edm' }),
  from: z.string().optional(),
  until: z.string().optional(),
  set: z.string().optional(),
  resumptionToken: z.string().optional(),
});
const transcriptBody = { content: Object.fromEntries(['text/vtt', 'application/x-subrip', 'text/plain', 'application/xml', 'application/json'].map((t) => [t, text])), required: true };
const consentBody = { content: { 'application/json': consentInputSchema, 'multipart/form-data': z.object({ record: z.string().meta({ description: 'the consent record as JSON' }), file: binary.optional() }) }, required: true };

const op = (method: Method, path: string, tag: string, access: Access, summary: string, rest: Partial<Operation> & { ok: Answer[] }): Operation => ({ method, path, tag, access, summary, ...rest });

export const operations: Operation[] = [
  // health, problems, description, harvesting
  op('get', '/healthz', 'system', 'anyone', 'Store, Meilisearch, ffmpeg: 503 when degraded', { ok: [json(record), json(record, 503, 'degraded')] }),
  op('get', '/metrics', 'system', 'anyone', 'Prometheus metrics', { ok: [{ status: 200, content: { 'text/plain': text } }] }),
  op('get', '/problems/{type}', 'system', 'anyone', 'What a problem type means', { params: z.object({ type: z.string() }), ok: [json(record)] }),
  op('get', '/api/openapi.json', 'system', 'anyone', 'This description (OpenAPI 3.1)', { ok: [json(record)] }),
  op('get', '/iiif/interviews/{id}/manifest', 'harvesting', 'anyone', 'IIIF Presentation 3 manifest of an interview (what this viewer may see)', { params: iiifManifestParams, ok: [{ status: 200, content: { 'application/ld+json': iiifDocumentSchema } }] }),
  op('get', '/iiif/collections/{id}', 'harvesting', 'anyone', 'IIIF Presentation 3 Collection of a collection', { params: iiifCollectionParams, ok: [{ status: 200, content: { 'application/ld+json': iiifDocumentSchema } }] }),
  op('get', '/iiif/interviews/{id}/media/{mediaId}/captions.{lang}.vtt', 'harvesting', 'anyone', 'WebVTT captions a IIIF manifest points to (restricted passages blanked)', { params: iiifCaptionParams, ok: [{ status: 200, content: { 'text/vtt': text } }] }),
  op('get', '/api/admin/warnings', 'system', 'admin', 'Warnings for admins (repeated failed logins, media store full or read-only)', { ok: [json(record)] }),
  op('get', '/api/asr', 'transcripts', 'user', 'Whether automatic transcription is configured, and with which engine and model', { ok: [json(record)] }),
  op('post', '/api/media/{mediaId}/transcribe', 'transcripts', 'editor', 'Transcribe a medium automatically (a draft version)', { params: asrMediumParams, body: transcribeBody, ok: [json(withId, 202)] }),
  op('post', '/api/media/{mediaId}/align', 'transcripts', 'editor', 'Align the current transcript text to the recording (times only)', { params: asrMediumParams, body: alignBody, ok: [json(withId, 202)] }),
  op('post', '/api/jobs/{id}/cancel', 'media', 'editor', 'Cancel a queued or running transcription/alignment job', { params: asrJobParams, ok: [json(withId)] }),
  op('post', '/api/jobs/{id}/retry', 'media', 'editor', 'Retry a failed or cancelled transcription/alignment job', { params: asrJobParams, ok: [json(withId, 202)] }),
  op('post', '/api/interviews/{id}/media/{mediaId}/transcript/review', 'transcripts', 'editor', 'Mark an automatic draft as reviewed (visible to the public from then on)', { params: transcriptParams, body: reasonSchema, ok: [json(record, 201)] }),
  op('get', '/api/interviews/{id}/bag.zip', 'preservation', 'admin', 'The interview as a BagIt bag (ZIP), the unredacted preservation copy', { params: bagParams, query: bagQuery, ok: [{ status: 200, content: { 'application/zip': binary } }] }),
  op('get', '/api/preservation/fixity', 'preservation', 'admin', 'Open fixity problems and the latest checks', { ok: [json(record)] }),
  op('get', '/oai', 'harvesting', 'anyone', 'OAI-PMH 2.0 (protocol errors are <error> elements in a 200 answer)', { query: oaiQuery, ok: [{ status: 200, content: { 'text/xml': text } }] }),
  op('post', '/oai', 'harvesting', 'anyone', 'OAI-PMH 2.0 with form arguments', { body: { content: { 'application/x-www-form-urlencoded': oaiQuery } }, ok: [{ status: 200, content: { 'text/xml': text } }] }),

  // accounts
  op('post', '/api/auth/login', 'auth', 'anyone', 'Log in: session cookie and CSRF token', { body: loginSchema, ok: [json(record)] }),
  op('post', '/api/auth/logout', 'auth', 'user', 'Log out', { ok: [none()] }),
  op('get', '/api/auth/me', 'auth', 'user', 'Who is logged in', { ok: [json(record)] }),
  op('get', '/api/auth/tokens', 'auth', 'user', 'My API tokens', { ok: [json(items)] }),
  op('post', '/api/auth/tokens', 'auth', 'user', 'Create an API token (shown once)', { body: createTokenSchema, ok: [json(record, 201)] }),
  op('delete', '/api/auth/tokens/{id}', 'auth', 'user', 'Revoke an API token', { params: tokenIdParams, ok: [none()] }),
  op('get', '/api/users', 'users', 'admin', 'Users', { query: pageQuery, ok: [json(page)] }),
  op('post', '/api/users', 'users', 'admin', 'Create a user', { body: createUserSchema, ok: [json(withId, 201)] }),
  op('get', '/api/users/{id}', 'users', 'admin', 'One user', { params: userIdParams, ok: [json(withId)] }),
  op('patch', '/api/users/{id}', 'users', 'admin', 'Change a user', { params: userIdParams, body: updateUserSchema, ok: [json(withId)] }),
  op('get', '/api/groups', 'users', 'admin', 'Groups with members', { ok: [json(items)] }),
  op('post', '/api/groups', 'users', 'admin', 'Create a group', { body: createGroupSchema, ok: [json(withId, 201)] }),
  op('delete', '/api/groups/{id}', 'users', 'admin', 'Delete a group', { params: groupParams, ok: [none()] }),
  op('post', '/api/groups/{id}/members', 'users', 'admin', 'Add a member', { params: groupParams, body: addMemberSchema, ok: [json(record, 201)] }),
  op('delete', '/api/groups/{id}/members/{userId}', 'users', 'admin', 'Remove a member', { params: memberParams, ok: [none()] }),
  op('get', '/api/audit', 'audit', 'admin', 'Audit log', { query: auditQuery, ok: [json(page)] }),

  // collections and interviews
  op('get', '/api/collections', 'collections', 'anyone', 'Collections', { query: pageQuery, ok: [json(page)] }),
  op('post', '/api/collections', 'collections', 'staff', 'Create a collection', { body: createCollectionSchema, ok: [json(collectionAnswer, 201)] }),
  op('get', '/api/collections/{id}', 'collections', 'anyone', 'One collection', { params: collectionIdParams, ok: [json(collectionAnswer)] }),
  op('patch', '/api/collections/{id}', 'collections', 'staff', 'Change a collection', { params: collectionIdParams, headers: ifMatch, body: updateCollectionSchema, ok: [json(collectionAnswer)] }),
  op('delete', '/api/collections/{id}', 'collections', 'staff', 'Delete an empty collection', { params: collectionIdParams, ok: [none()] }),
  op('get', '/api/interviews', 'interviews', 'anyone', 'Interviews the viewer may see', { query: listInterviewsQuery, ok: [json(page)] }),
  op('post', '/api/interviews', 'interviews', 'editor', 'Create an interview', { body: createInterviewSchema, ok: [json(withId, 201)] }),
  op('get', '/api/interviews/{id}', 'interviews', 'anyone', 'One interview with its media (or the sealed stub of a listed embargo)', { params: interviewIdParams, ok: [json(withId)] }),
  op('patch', '/api/interviews/{id}', 'interviews', 'editor', 'Change metadata, visibility or workflow state', { params: interviewIdParams, headers: ifMatch, body: patchInterviewSchema, ok: [json(withId)] }),
  op('delete', '/api/interviews/{id}', 'interviews', 'editor', 'Delete an interview', { params: interviewIdParams, ok: [none()] }),

  // media
  op('post', '/api/interviews/{id}/media', 'media', 'editor', 'Upload a medium (multipart, field `file`)', {
    params: mediaInterviewParams, body: { content: { 'multipart/form-data': z.object({ file: binary }) }, required: true }, ok: [json(withId, 202)],
  }),
  op('get', '/api/media/{mediaId}', 'media', 'anyone', 'One medium with its jobs', { params: mediumParams, ok: [json(withId)] }),
  op('delete', '/api/media/{mediaId}', 'media', 'editor', 'Delete a medium', { params: mediumParams, ok: [none()] }),
  op('get', '/api/jobs/{id}', 'media', 'anyone', 'One job', { params: jobParams, ok: [json(withId)] }),
  op('post', '/api/uploads', 'media', 'editor', 'tus 1.0: create an upload', { headers: tusHeaders, ok: [none(201)] }),
  op('options', '/api/uploads', 'media', 'anyone', 'tus 1.0: capabilities', { ok: [none(204)] }),
  op('head', '/api/uploads/{uploadId}', 'media', 'editor', 'tus 1.0: offset of an upload', { params: uploadParams, headers: tusHeaders, ok: [none(200)] }),
  op('patch', '/api/uploads/{uploadId}', 'media', 'editor', 'tus 1.0: append bytes (application/offset+octet-stream)', {
    params: uploadParams, headers: tusHeaders, body: { content: { 'application/offset+octet-stream': binary } }, ok: [none(204), json(record, 202, 'upload complete: the medium')],
  }),
  op('delete', '/api/uploads/{uploadId}', 'media', 'editor', 'tus 1.0: abandon an upload', { params: uploadParams, headers: tusHeaders, ok: [none(204)] }),
  op('options', '/api/uploads/{uploadId}', 'media', 'anyone', 'tus 1.0: capabilities', { params: uploadParams, ok: [none(204)] }),
  op('get', '/media/{mediaId}/{file}', 'media', 'anyone', 'A media file (Range, ETag)', { params: mediaFileParams, ok: [{ status: 200, content: { '*/*': binary } }, { status: 206, content: { '*/*': binary } }, none(304)] }),
  op('get', '/media/g/{grant}/{mediaId}/{file}', 'media', 'anyone', 'A media file through a signed, expiring grant', { params: grantFileParams, ok: [{ status: 200, content: { '*/*': binary } }, { status: 206, content: { '*/*': binary } }, none(304)] }),

  // transcripts and index
  op('put', '/api/interviews/{id}/media/{mediaId}/transcript', 'transcripts', 'editor', 'Import a transcript (WebVTT, SRT, OHMS XML, text, JSON)', { params: transcriptParams, query: importQuery, body: transcriptBody, ok: [json(record, 201)] }),
  op('get', '/api/interviews/{id}/media/{mediaId}/transcript', 'transcripts', 'anyone', 'The transcript (JSON or an export format)', {
    params: transcriptParams, query: exportQuery, ok: [{ status: 200, content: { 'application/json': record, 'text/vtt': text, 'application/x-subrip': text, 'text/plain': text, 'application/xml': text } }],
  }),
  op('get', '/api/interviews/{id}/media/{mediaId}/transcript/versions', 'transcripts', 'anyone', 'Versions, newest first', { params: transcriptParams, ok: [json(items)] }),
  op('get', '/api/interviews/{id}/media/{mediaId}/transcript/diff', 'transcripts', 'anyone', 'Two versions compared segment by segment', { params: transcriptParams, query: diffQuery, ok: [json(record)] }),
  op('post', '/api/interviews/{id}/media/{mediaId}/transcript/restore', 'transcripts', 'editor', 'Restore an earlier version', { params: transcriptParams, body: restoreSchema, ok: [json(record)] }),
  op('patch', '/api/interviews/{id}/media/{mediaId}/transcript/segments/{n}', 'transcripts', 'editor', 'Edit one segment', { params: segmentParams, body: segmentPatchSchema, ok: [json(record)] }),
  op('post', '/api/interviews/{id}/media/{mediaId}/transcript/segments/{n}/split', 'transcripts', 'editor', 'Split a segment', { params: segmentParams, body: splitSchema, ok: [json(record)] }),
  op('post', '/api/interviews/{id}/media/{mediaId}/transcript/segments/{n}/merge', 'transcripts', 'editor', 'Merge a segment with the next', { params: segmentParams, body: reasonSchema, ok: [json(record)] }),
  op('get', '/api/interviews/{id}/media/{mediaId}/index', 'transcripts', 'anyone', 'The index (chapters)', { params: transcriptParams, ok: [json(record)] }),
  op('put', '/api/interviews/{id}/media/{mediaId}/index', 'transcripts', 'editor', 'Replace the index', { params: transcriptParams, headers: ifMatch, body: putIndexSchema, ok: [json(record)] }),

  // search
  op('get', '/api/search', 'search', 'anyone', 'Transcript hits with groups and facets', { query: searchQuery, ok: [json(record)] }),
  op('get', '/api/search/suggest', 'search', 'anyone', 'Suggestions for the search box', { query: suggestQuery, ok: [json(record)] }),
  op('get', '/api/interviews/{id}/search', 'search', 'anyone', 'Every hit inside one interview', { params: withinParams, query: withinQuery, ok: [json(record)] }),

  // consent and narrator review
  op('get', '/api/interviews/{id}/consents', 'consent', 'staff', 'Consent records (newest versions)', { params: consentInterviewParams, ok: [json(items)] }),
  op('post', '/api/interviews/{id}/consents', 'consent', 'staff', 'Record a consent (JSON, or multipart with a scan)', { params: consentInterviewParams, body: consentBody, ok: [json(withId, 201)] }),
  op('put', '/api/interviews/{id}/consents/{consentId}', 'consent', 'staff', 'New version of a consent record', { params: consentParams, headers: ifMatch, body: consentBody, ok: [json(withId)] }),
  op('get', '/api/interviews/{id}/consents/{consentId}/versions', 'consent', 'staff', 'Every version of a consent record', { params: consentParams, ok: [json(items)] }),
  op('get', '/api/interviews/{id}/consents/{consentId}/scan', 'consent', 'staff', 'The scanned form', { params: consentParams, query: consentScanQuery, ok: [{ status: 200, content: { 'application/pdf': binary, 'image/jpeg': binary, 'image/png': binary } }] }),
  op('get', '/api/interviews/{id}/review', 'review', 'staff', 'Invitations, restrictions, corrections, decisions', { params: reviewInterviewParams, ok: [json(record)] }),
  op('get', '/api/interviews/{id}/review-invitations', 'review', 'staff', 'Review invitations', { params: reviewInterviewParams, ok: [json(items)] }),
  op('post', '/api/interviews/{id}/review-invitations', 'review', 'staff', 'Invite the narrator (link, short code, QR code; shown once)', { params: reviewInterviewParams, body: createInvitationSchema, ok: [json(record, 201)] }),
  op('post', '/api/interviews/{id}/review-invitations/{invitationId}/revoke', 'review', 'staff', 'Revoke an invitation', { params: invitationParams, ok: [json(record)] }),
  op('post', '/api/interviews/{id}/restrictions', 'review', 'staff', 'Restrict a passage', { params: reviewInterviewParams, body: restrictionSchema, ok: [json(record, 201)] }),
  op('post', '/api/interviews/{id}/restrictions/{restrictionId}/lift', 'review', 'staff', 'Lift a restriction', { params: restrictionParams, body: liftSchema, ok: [json(record)] }),
  op('post', '/api/interviews/{id}/corrections/{correctionId}/accept', 'review', 'staff', 'Accept a correction (makes a transcript version)', { params: correctionParams, body: curatorDecisionSchema, ok: [json(record)] }),
  op('post', '/api/interviews/{id}/corrections/{correctionId}/reject', 'review', 'staff', 'Reject a correction', { params: correctionParams, body: curatorDecisionSchema, ok: [json(record)] }),
  op('get', '/api/review', 'review', 'narrator', "The narrator's review page", { ok: [json(record)] }),
  op('post', '/api/review/restrictions', 'review', 'narrator', 'Narrator: do not publish this passage', { body: restrictionSchema, ok: [json(record, 201)] }),
  op('delete', '/api/review/restrictions/{itemId}', 'review', 'narrator', 'Narrator: take back own restriction', { params: ownItemParams, ok: [none()] }),
  op('post', '/api/review/corrections', 'review', 'narrator', 'Narrator: propose a correction', { body: correctionSchema, ok: [json(record, 201)] }),
  op('post', '/api/review/decision', 'review', 'narrator', 'Narrator: approve, ask for changes, or withdraw', { body: decisionSchema, ok: [json(record, 201)] }),
  op('get', '/api/review/receipt', 'review', 'narrator', "Narrator's receipt", { ok: [json(record)] }),
];
