// Interview metadata in Meilisearch: one document per interview, for title/metadata hits, facets and suggestions.
// Derived data, written by the `search.interview` job (see server/search/indexer.ts); `syncAll` rebuilds it.
import type { Logger } from '../logger.js';
import type { AccessScope, Store } from '../store/repositories.js';
import type { Interview } from '../store/types.js';
import type { SearchEngine } from './engine.js';

export interface InterviewDocument {
  id: string;
  title: string;
  summary: string | null;
  keywords: string[];
  narrators: string[];
  interviewers: string[];
  place: string | null;
  collectionId: string | null;
  language: string;
  recordedYear: number | null;
  visibility: Interview['visibility'];
  status: Interview['status'];
  /** Principals of a `restricted` interview (access filter only, never displayed). */
  grants: string[];
  createdBy: string | null;
  updatedAt: string;
  syncGeneration: number;
}

export function toDocument(i: Interview, syncGeneration = 0): InterviewDocument {
  return {
    id: i.id,
    title: i.title,
    summary: i.summary,
    keywords: i.keywords,
    narrators: i.people.filter((p) => p.role === 'narrator').map((p) => p.name),
    interviewers: i.people.filter((p) => p.role === 'interviewer').map((p) => p.name),
    place: i.place?.name ?? null,
    collectionId: i.collectionId,
    language: i.language,
    recordedYear: i.recordedAt ? Number(i.recordedAt.slice(0, 4)) : null,
    visibility: i.visibility,
    status: i.status,
    grants: i.grants,
    createdBy: i.createdBy,
    updatedAt: i.updatedAt,
    syncGeneration,
  };
}

export const quote = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The access scope of server/access/policy.ts (searchScope) as a Meilisearch filter: one rule, three executors
 * (policy, SQL, this). Embargoed interviews are never `published` (the interview service keeps them `approved`
 * until the publish job runs), and withdrawn ones are removed from the indexes altogether.
 */
export function accessFilter(scope: AccessScope, idField: 'id' | 'interviewId' = 'id'): string | undefined {
  if (scope.kind === 'all') return undefined;
  const open = [`visibility IN [${scope.publishedVisibilities.map(quote).join(', ')}]`];
  if (scope.principals && scope.principals.length > 0) {
    open.push(`(visibility = "restricted" AND grants IN [${scope.principals.map(quote).join(', ')}])`);
  }
  const alternatives = [`(status = "published" AND (${open.join(' OR ')}))`];
  if (scope.ownerId) alternatives.push(`(createdBy = ${quote(scope.ownerId)} AND status != "withdrawn")`);
  if (scope.interviewIds && scope.interviewIds.length > 0) {
    alternatives.push(`(${idField} IN [${scope.interviewIds.map(quote).join(', ')}] AND status != "withdrawn")`);
  }
  return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`;
}

export class InterviewIndex {
  private generation = Date.now();

  constructor(
    private readonly engine: SearchEngine,
    private readonly store: Store,
    private readonly logger: Logger,
  ) {}

  get uid(): string {
    return this.engine.indexName('interviews');
  }

  private index() {
    return this.engine.client.index<InterviewDocument>(this.uid);
  }

  async ensureSettings(): Promise<void> {
    await this.index()
      .updateSettings({
        displayedAttributes: [
          'id',
          'title',
          'summary',
          'keywords',
          'narrators',
          'interviewers',
          'place',
          'collectionId',
          'language',
          'recordedYear',
          'visibility',
          'status',
          'createdBy',
          'updatedAt',
        ],
        searchableAttributes: ['title', 'narrators', 'keywords', 'place', 'summary', 'interviewers'],
        filterableAttributes: [
          'status',
          'visibility',
          'grants',
          'createdBy',
          'collectionId',
          'language',
          'recordedYear',
          'narrators',
          'keywords',
          'place',
          'syncGeneration',
        ],
        sortableAttributes: ['updatedAt', 'recordedYear', 'title'],
      })
      .waitTask();
  }

  /** Indexes the interview as it is now and waits until Meilisearch has applied it (a job's success means it is in). */
  async put(interview: Interview): Promise<void> {
    await this.index()
      .addDocuments([toDocument(interview, this.generation)], { primaryKey: 'id' })
      .waitTask({ timeout: 60_000 });
  }

  async remove(interviewId: string): Promise<void> {
    await this.index().deleteDocument(interviewId).waitTask({ timeout: 60_000 });
  }

  /** Upserts every interview under a new generation, then drops documents of older generations (deleted meanwhile). */
  async syncAll(): Promise<number> {
    await this.ensureSettings();
    const generation = Date.now();
    const pageSize = 500;
    let offset = 0;
    let count = 0;
    for (;;) {
      const page = await this.store.interviews.list(
        { access: { kind: 'all' } },
        { limit: pageSize, offset },
        'createdAt',
      );
      if (page.items.length > 0) {
        await this.index()
          .addDocuments(
            page.items.map((i) => toDocument(i, generation)),
            { primaryKey: 'id' },
          )
          .waitTask();
      }
      count += page.items.length;
      offset += pageSize;
      if (page.items.length < pageSize) break;
    }
    await this.index()
      .deleteDocuments({ filter: `syncGeneration != ${generation}` })
      .waitTask();
    this.generation = generation;
    this.logger.info({ count }, 'interview index synchronised');
    return count;
  }
}
