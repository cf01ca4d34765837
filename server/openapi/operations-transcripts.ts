// Route table, part three: transcripts, the index and search.
import { searchQuery, suggestQuery, withinParams, withinQuery } from '../search/routes.js';
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
} from '../transcripts/schemas.js';
import { ifMatch, items, json, op, type Operation, record, text, transcriptBody } from './operation-shapes.js';

export const transcriptOperations: Operation[] = [
  // transcripts and index
  op(
    'put',
    '/api/interviews/{id}/media/{mediaId}/transcript',
    'transcripts',
    'editor',
    'Import a transcript (WebVTT, SRT, OHMS XML, text, JSON)',
    { params: transcriptParams, query: importQuery, body: transcriptBody, ok: [json(record, 201)] },
  ),
  op(
    'get',
    '/api/interviews/{id}/media/{mediaId}/transcript',
    'transcripts',
    'anyone',
    'The transcript (JSON or an export format)',
    {
      params: transcriptParams,
      query: exportQuery,
      ok: [
        {
          status: 200,
          content: {
            'application/json': record,
            'text/vtt': text,
            'application/x-subrip': text,
            'text/plain': text,
            'application/xml': text,
          },
        },
      ],
    },
  ),
  op(
    'get',
    '/api/interviews/{id}/media/{mediaId}/transcript/versions',
    'transcripts',
    'anyone',
    'Versions, newest first',
    { params: transcriptParams, ok: [json(items)] },
  ),
  op(
    'get',
    '/api/interviews/{id}/media/{mediaId}/transcript/diff',
    'transcripts',
    'anyone',
    'Two versions compared segment by segment',
    { params: transcriptParams, query: diffQuery, ok: [json(record)] },
  ),
  op(
    'post',
    '/api/interviews/{id}/media/{mediaId}/transcript/restore',
    'transcripts',
    'editor',
    'Restore an earlier version',
    { params: transcriptParams, body: restoreSchema, ok: [json(record)] },
  ),
  op(
    'patch',
    '/api/interviews/{id}/media/{mediaId}/transcript/segments/{n}',
    'transcripts',
    'editor',
    'Edit one segment',
    { params: segmentParams, body: segmentPatchSchema, ok: [json(record)] },
  ),
  op(
    'post',
    '/api/interviews/{id}/media/{mediaId}/transcript/segments/{n}/split',
    'transcripts',
    'editor',
    'Split a segment',
    { params: segmentParams, body: splitSchema, ok: [json(record)] },
  ),
  op(
    'post',
    '/api/interviews/{id}/media/{mediaId}/transcript/segments/{n}/merge',
    'transcripts',
    'editor',
    'Merge a segment with the next',
    { params: segmentParams, body: reasonSchema, ok: [json(record)] },
  ),
  op('get', '/api/interviews/{id}/media/{mediaId}/index', 'transcripts', 'anyone', 'The index (chapters)', {
    params: transcriptParams,
    ok: [json(record)],
  }),
  op('put', '/api/interviews/{id}/media/{mediaId}/index', 'transcripts', 'editor', 'Replace the index', {
    params: transcriptParams,
    headers: ifMatch,
    body: putIndexSchema,
    ok: [json(record)],
  }),

  // search
  op('get', '/api/search', 'search', 'anyone', 'Transcript hits with groups and facets', {
    query: searchQuery,
    ok: [json(record)],
  }),
  op('get', '/api/search/suggest', 'search', 'anyone', 'Suggestions for the search box', {
    query: suggestQuery,
    ok: [json(record)],
  }),
  op('get', '/api/interviews/{id}/search', 'search', 'anyone', 'Every hit inside one interview', {
    params: withinParams,
    query: withinQuery,
    ok: [json(record)],
  }),
];
