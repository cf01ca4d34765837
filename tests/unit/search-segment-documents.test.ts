// Segment documents index each compound part only where the passage does not say the part itself, and the index
// settings keep what bench/search measured (facet values sorted by the API).
import { describe, expect, it } from 'vitest';
import {
  interviewAccessTags,
  segmentIndexSettings,
  spokenWords,
  toSegmentDocuments,
  type SegmentInterviewMeta,
} from '../../server/search/segment-index.js';

const meta: SegmentInterviewMeta = {
  id: 'int-1',
  title: 'Gespräch',
  collectionId: null,
  narrators: ['Gerda Weiß'],
  place: 'Golpa',
  recordedYear: 1997,
  keywords: [],
  language: 'de',
  status: 'published',
  visibility: 'public',
  grants: [],
  createdBy: null,
  createdAt: '2026-05-01T09:00:00.000Z',
};
const partsOf = (text: string) =>
  (toSegmentDocuments(meta, 'm1', [{ start: 0, end: 5, speaker: null, text }])[0]!.parts ?? '').split(' ').slice(1);

describe('segment documents: compound parts', () => {
  it('reads the words of a passage the way Meilisearch matches them (lower case, no diacritics, ß kept)', () => {
    expect([...spokenWords('Die Förderbrücke an der Straße')]).toEqual(['die', 'forderbrucke', 'an', 'der', 'straße']);
  });

  it('leaves out a part the passage also says as a word of its own, and keeps it where it does not', () => {
    const alone = partsOf('Im Braunkohletagebau war es laut');
    expect(alone).toEqual(expect.arrayContaining(['tagebau', 'kohle']));
    const spoken = partsOf('Im Braunkohletagebau lag die Kohle offen, der Tagebau war groß');
    expect(spoken).not.toContain('kohle');
    expect(spoken).not.toContain('tagebau');
    // the other parts of the same compound stay
    expect(spoken).toEqual(expect.arrayContaining(['braunkohle']));
    expect(spoken.length).toBe(alone.length - 2);
  });

  it('never drops an ss part because of a ß word: Meilisearch keeps ß in text, so "strasse" would not match it there', () => {
    const spoken = spokenWords('Die Straße');
    expect(spoken.has('straße')).toBe(true);
    expect(spoken.has('strasse')).toBe(false);
  });

  it('lets the API sort facet values, so Meilisearch does not rank every value of every facet on each search', () => {
    expect(segmentIndexSettings.faceting).toEqual({ maxValuesPerFacet: 20_000, sortFacetValuesBy: { '*': 'alpha' } });
  });
});

describe('segment documents: access tags', () => {
  const tagsOf = (restricted: boolean, over: Partial<SegmentInterviewMeta> = {}) =>
    toSegmentDocuments({ ...meta, ...over }, 'm1', [
      { start: 0, end: 5, speaker: null, text: 'Schicht', restricted },
    ])[0]!.access;

  it('tags a published interview with its visibility, and with its grants only where it is restricted', () => {
    expect(tagsOf(false)).toEqual(['open:public']);
    expect(tagsOf(false, { visibility: 'registered', grants: ['user:u1'] })).toEqual(['open:registered']);
    expect(tagsOf(false, { visibility: 'restricted', grants: ['user:u1', 'group:g1'] })).toEqual([
      'open:restricted',
      'grant:user:u1',
      'grant:group:g1',
    ]);
  });

  it('opens nothing before publication, marks a withdrawal, and adds the passage’s own restriction', () => {
    for (const status of ['draft', 'in_review', 'approved'] as const) expect(tagsOf(false, { status })).toEqual([]);
    expect(interviewAccessTags({ status: 'withdrawn', visibility: 'public', grants: [] })).toEqual(['withdrawn']);
    expect(tagsOf(true)).toEqual(['open:public', 'restricted']);
    expect(tagsOf(true, { status: 'draft' })).toEqual(['restricted']);
  });

  it('filters by the tags alone: no status, visibility, grants or restricted field is filterable any more', () => {
    expect(segmentIndexSettings.filterableAttributes).toEqual([
      'mediaId',
      'interviewId',
      'access',
      'speaker',
      'interviewSortKey',
    ]);
  });
});
