import { Router } from 'express';
import { z } from 'zod';
import { interviewListScope } from '../access/policy.js';
import { parseRequest } from '../http/validate.js';
import type { SearchEngine } from './engine.js';
import { accessFilter, type InterviewIndex } from './interview-index.js';

const searchQuery = z.strictObject({
  q: z.string().trim().max(200).default(''),
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  lang: z.enum(['de', 'en']).optional(),
});

/** Archive search. Until transcripts are indexed, hits are interviews (mediaId/start/end are null). */
export function searchRoutes(engine: SearchEngine, index: InterviewIndex): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseRequest(req, 'query', searchQuery);
    engine.assertAvailable();
    const result = await engine.client.index(index.uid).search(query.q, {
      filter: accessFilter(interviewListScope(req.viewer)),
      hitsPerPage: query.pageSize,
      page: query.page,
      attributesToCrop: ['summary'],
      cropLength: 30,
      attributesToHighlight: ['title', 'summary'],
      // Meilisearch escapes nothing: mark matches with control characters, escape the text, then turn them into <mark>.
      highlightPreTag: '\u0001',
      highlightPostTag: '\u0002',
    });
    res.json({
      q: query.q,
      total: result.totalHits ?? 0,
      page: query.page,
      pageSize: query.pageSize,
      hits: result.hits.map((hit) => {
        const formatted = (hit._formatted ?? {}) as Record<string, unknown>;
        return {
          interviewId: hit.id,
          interviewTitle: hit.title,
          mediaId: null,
          start: null,
          end: null,
          speaker: null,
          snippet: safeHighlight(String(formatted.summary ?? formatted.title ?? '')),
        };
      }),
      facets: {},
      processingTimeMs: result.processingTimeMs,
    });
  });

  return router;
}

/** HTML-escapes user text and keeps only the highlight marks, so snippets are safe to render as HTML. */
export function safeHighlight(text: string): string {
  return text
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
    .replace(/\u0001/g, '<mark>').replace(/\u0002/g, '</mark>');
}
