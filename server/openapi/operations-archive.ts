// Route table, part two: collections, interviews and media (uploads, tus, media files).
import { z } from 'zod';
import {
  collectionAnswer,
  collectionIdParams,
  createCollectionSchema,
  updateCollectionSchema,
} from '../collections/schemas.js';
import { pageQuery } from '../http/paging.js';
import {
  createInterviewSchema,
  interviewIdParams,
  listInterviewsQuery,
  patchInterviewSchema,
} from '../interviews/schemas.js';
import { interviewParams as mediaInterviewParams, jobParams, mediumParams } from '../media/routes.js';
import {
  binary,
  grantFileParams,
  ifMatch,
  json,
  mediaFileParams,
  none,
  op,
  type Operation,
  page,
  record,
  tusHeaders,
  uploadParams,
  withId,
} from './operation-shapes.js';

export const archiveOperations: Operation[] = [
  // collections and interviews
  op('get', '/api/collections', 'collections', 'anyone', 'Collections', { query: pageQuery, ok: [json(page)] }),
  op('post', '/api/collections', 'collections', 'staff', 'Create a collection', {
    body: createCollectionSchema,
    ok: [json(collectionAnswer, 201)],
  }),
  op('get', '/api/collections/{id}', 'collections', 'anyone', 'One collection', {
    params: collectionIdParams,
    ok: [json(collectionAnswer)],
  }),
  op('patch', '/api/collections/{id}', 'collections', 'staff', 'Change a collection', {
    params: collectionIdParams,
    headers: ifMatch,
    body: updateCollectionSchema,
    ok: [json(collectionAnswer)],
  }),
  op('delete', '/api/collections/{id}', 'collections', 'staff', 'Delete an empty collection', {
    params: collectionIdParams,
    ok: [none()],
  }),
  op('get', '/api/interviews', 'interviews', 'anyone', 'Interviews the viewer may see', {
    query: listInterviewsQuery,
    ok: [json(page)],
  }),
  op('post', '/api/interviews', 'interviews', 'editor', 'Create an interview', {
    body: createInterviewSchema,
    ok: [json(withId, 201)],
  }),
  op(
    'get',
    '/api/interviews/{id}',
    'interviews',
    'anyone',
    'One interview with its media (or the sealed stub of a listed embargo)',
    { params: interviewIdParams, ok: [json(withId)] },
  ),
  op('patch', '/api/interviews/{id}', 'interviews', 'editor', 'Change metadata, visibility or workflow state', {
    params: interviewIdParams,
    headers: ifMatch,
    body: patchInterviewSchema,
    ok: [json(withId)],
  }),
  op('delete', '/api/interviews/{id}', 'interviews', 'editor', 'Delete an interview', {
    params: interviewIdParams,
    ok: [none()],
  }),

  // media
  op('post', '/api/interviews/{id}/media', 'media', 'editor', 'Upload a medium (multipart, field `file`)', {
    params: mediaInterviewParams,
    body: { content: { 'multipart/form-data': z.object({ file: binary }) }, required: true },
    ok: [json(withId, 202)],
  }),
  op('get', '/api/media/{mediaId}', 'media', 'anyone', 'One medium with its jobs', {
    params: mediumParams,
    ok: [json(withId)],
  }),
  op('delete', '/api/media/{mediaId}', 'media', 'editor', 'Delete a medium', { params: mediumParams, ok: [none()] }),
  op('get', '/api/jobs/{id}', 'media', 'anyone', 'One job', { params: jobParams, ok: [json(withId)] }),
  op('post', '/api/uploads', 'media', 'editor', 'tus 1.0: create an upload', { headers: tusHeaders, ok: [none(201)] }),
  op('options', '/api/uploads', 'media', 'anyone', 'tus 1.0: capabilities', { ok: [none(204)] }),
  op('head', '/api/uploads/{uploadId}', 'media', 'editor', 'tus 1.0: offset of an upload', {
    params: uploadParams,
    headers: tusHeaders,
    ok: [none(200)],
  }),
  op('patch', '/api/uploads/{uploadId}', 'media', 'editor', 'tus 1.0: append bytes (application/offset+octet-stream)', {
    params: uploadParams,
    headers: tusHeaders,
    body: { content: { 'application/offset+octet-stream': binary } },
    ok: [none(204), json(record, 202, 'upload complete: the medium')],
  }),
  op('delete', '/api/uploads/{uploadId}', 'media', 'editor', 'tus 1.0: abandon an upload', {
    params: uploadParams,
    headers: tusHeaders,
    ok: [none(204)],
  }),
  op('options', '/api/uploads/{uploadId}', 'media', 'anyone', 'tus 1.0: capabilities', {
    params: uploadParams,
    ok: [none(204)],
  }),
  op('get', '/media/{mediaId}/{file}', 'media', 'anyone', 'A media file (Range, ETag)', {
    params: mediaFileParams,
    ok: [{ status: 200, content: { '*/*': binary } }, { status: 206, content: { '*/*': binary } }, none(304)],
  }),
  op('get', '/media/g/{grant}/{mediaId}/{file}', 'media', 'anyone', 'A media file through a signed, expiring grant', {
    params: grantFileParams,
    ok: [{ status: 200, content: { '*/*': binary } }, { status: 206, content: { '*/*': binary } }, none(304)],
  }),
];
