import { Router } from 'express';
import { z } from 'zod';
import { canViewInterview, searchScope } from '../access/policy.js';
import type { Viewer } from '../access/viewer.js';
import { Problem } from '../http/problem.js';
import { parseRequest } from '../http/validate.js';
import type { Store } from '../store/repositories.js';
import type { SearchEngine } from './engine.js';
import { foldGerman, germanVocabulary } from './german.js';
import { visibleHits } from './hit-access.js';
import {
  topValues,
  type InterviewCatalog,
  type InterviewCatalogSource,
  type InterviewFacet,
} from './interview-catalog.js';
import { accessFilter, type InterviewIndex } from './interview-index.js';
import { segmentFacets, segmentFilter, type SegmentHit, type SegmentIndex } from './segment-index.js';

const list = z
  .string()
  .trim()
  .max(500)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );
const numberList = z
  .string()
  .trim()
  .max(200)
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map(Number),
  )
  .pipe(z.array(z.number().int().min(1000).max(2100)));

export const searchQuery = z.strictObject({
  q: z.string().trim().max(200).default(''),
  page: z.coerce.number().int().min(1).max(500).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  collectionId: list.optional(),
  narrator: list.optional(),
  place: list.optional(),
  year: numberList.optional(),
  decade: numberList.optional(),
  keyword: list.optional(),
  speaker: list.optional(),
  language: list.optional(),
  lang: z.enum(['de', 'en']).optional(),
});

/** The API's facet names (also its filter parameters) for the catalog's interview facets. */
const facetNames: Record<InterviewFacet, string> = {
  collectionId: 'collection',
  narrators: 'narrator',
  place: 'place',
  year: 'year',
  decade: 'decade',
  keywords: 'keyword',
  language: 'language',
};

/** Scope of the segment filter for a viewer: the owner clause comes from the catalog (segments carry no owner). */
function viewerSegmentFilter(viewer: Viewer, catalog: InterviewCatalog, choices: Parameters<typeof segmentFilter>[1]) {
  const scope = searchScope(viewer);
  const owned = scope.kind === 'scoped' && scope.ownerId ? catalog.ownedBy(scope.ownerId) : [];
  return segmentFilter(scope, choices, owned);
}

/** A passage hit as the API sends it: with its interview's title (from the catalog). */
export type SearchHit = SegmentHit & { interviewTitle: string };

const titled = (catalog: InterviewCatalog, hits: readonly SegmentHit[]): SearchHit[] =>
  hits.map((hit) => ({ ...hit, interviewTitle: catalog.get(hit.interviewId)?.title ?? '' }));

export const withinParams = z.strictObject({ id: z.uuid() });
export const withinQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  lang: z.enum(['de', 'en']).optional(),
});
export const suggestQuery = z.strictObject({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(20).default(8),
  lang: z.enum(['de', 'en']).optional(),
});

/** Archive search: transcript segments (the second where something is said), grouped per interview, with facets. */
export function searchRoutes(deps: {
  engine: SearchEngine;
  store: Store;
  interviews: InterviewIndex;
  segments: SegmentIndex;
  catalog: InterviewCatalogSource;
}): Router {
  const { engine, segments, catalog: catalogs } = deps;
  const router = Router();

  router.get('/', async (req, res) => {
    const query = parseRequest(req, 'query', searchQuery);
    engine.assertAvailable();
    const catalog = await catalogs.current();
    const interviewIds = catalog.matching({
      collectionId: query.collectionId,
      narrators: query.narrator,
      place: query.place,
      year: query.year,
      decade: query.decade,
      keywords: query.keyword,
      language: query.language,
    });
    const filterFor = (hidden?: { ids: readonly string[]; keys: readonly number[] }) =>
      viewerSegmentFilter(req.viewer, catalog, {
        speaker: query.speaker,
        interviewIds,
        excludeInterviewIds: hidden?.ids,
        excludeInterviewKeys: hidden?.keys,
      });
    const searchAndTally = async (filter: string | undefined) => {
      const result = await segments.search({
        q: query.q,
        filter,
        page: query.page,
        hitsPerPage: query.pageSize,
        facets: segmentFacets,
      });
      const perInterview = result.perInterview ?? { keys: [], counts: [] };
      let tally = catalog.tally(perInterview, req.viewer);
      // keys two interviews share (interview-key.ts): their passages counted per interview id
      if (tally.sharedKeys.length > 0) {
        const split = await segments.perInterviewWithKeys(query.q, filter, tally.sharedKeys);
        tally = catalog.tally(perInterview, req.viewer, undefined, split);
      }
      return { result, tally };
    };
    let { result, tally } = await searchAndTally(filterFor());
    // The index lags behind the store (a withdrawal or narrowed visibility not indexed yet): ask again without those
    // interviews, so pages, total and every facet count (speaker too) are as if the index had caught up.
    if (tally.hiddenIds.length > 0 || tally.hiddenKeys.length > 0) {
      ({ result, tally } = await searchAndTally(filterFor({ ids: tally.hiddenIds, keys: tally.hiddenKeys })));
    }
    const hits = titled(
      catalog,
      (await visibleHits(deps.store, req.viewer, result.hits, (id) => catalog.get(id)?.access ?? null)).hits,
    );
    const groups: { interviewId: string; interviewTitle: string; hitCount: number; hits: typeof hits }[] = [];
    for (const hit of hits) {
      let group = groups.find((g) => g.interviewId === hit.interviewId);
      if (!group) {
        group = {
          interviewId: hit.interviewId,
          interviewTitle: hit.interviewTitle,
          hitCount: tally.hitsIn(hit.interviewId),
          hits: [],
        };
        groups.push(group);
      }
      group.hits.push(hit);
    }
    res.json({
      q: query.q,
      total: Math.max(0, result.total - tally.hidden),
      page: query.page,
      pageSize: query.pageSize,
      hits,
      groups,
      facets: {
        ...Object.fromEntries(
          (Object.entries(facetNames) as [InterviewFacet, string][]).map(([field, name]) => [
            name,
            tally.facets[field],
          ]),
        ),
        // Meilisearch lists speakers alphabetically (segment-settings.ts); shown like the interview facets
        speaker: topValues(Object.entries(result.facets.speaker ?? {})),
      },
      processingTimeMs: result.processingTimeMs,
    });
  });

  router.get('/suggest', async (req, res) => {
    const { q, limit } = parseRequest(req, 'query', suggestQuery);
    const folded = foldGerman(q);
    // the archive's own vocabulary first (it knows the spellings), then interview titles the viewer may see
    const terms = [...germanVocabulary().terms.entries()]
      .filter(([key]) => key.startsWith(folded))
      .map(([, spelling]) => spelling)
      .slice(0, limit);
    let titles: string[] = [];
    if (engine.available) {
      const found = await engine.client.index(deps.interviews.uid).search(q, {
        filter: accessFilter(searchScope(req.viewer)),
        limit,
        attributesToRetrieve: ['title'],
      });
      titles = found.hits.map((h) => String(h.title));
    }
    res.json({ q, suggestions: [...new Set([...terms, ...titles])].slice(0, limit) });
  });

  return router;
}

/** GET /api/interviews/:id/search?q= — every hit inside one interview, in playback order, each with its second. */
export function interviewSearchRoute(deps: {
  engine: SearchEngine;
  store: Store;
  segments: SegmentIndex;
  catalog: InterviewCatalogSource;
}): Router {
  const catalogs = deps.catalog;
  const router = Router();
  router.get('/:id/search', async (req, res) => {
    const { id } = parseRequest(req, 'params', withinParams);
    const { q } = parseRequest(req, 'query', withinQuery);
    const interview = await deps.store.interviews.findById(id);
    if (!interview || !canViewInterview(req.viewer, interview)) throw new Problem('not-found');
    deps.engine.assertAvailable();
    const catalog = await catalogs.current();
    const filter = viewerSegmentFilter(req.viewer, catalog, { interviewIds: [id] });
    const result = await deps.segments.search({ q, filter, page: 1, hitsPerPage: 1000 });
    const parts = new Map((await deps.store.media.listByInterview(id)).map((m) => [m.id, m.part]));
    const hits = titled(catalog, (await visibleHits(deps.store, req.viewer, result.hits)).hits).sort(
      (a, b) => (parts.get(a.mediaId) ?? 0) - (parts.get(b.mediaId) ?? 0) || a.start - b.start,
    );
    res.json({ q, interviewId: id, total: hits.length, hits });
  });
  return router;
}
