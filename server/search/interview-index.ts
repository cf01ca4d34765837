// Interview metadata in Meilisearch. Derived data: rebuilt from the store whenever Meilisearch comes (back) up,
// so an outage delays indexing and never loses it. Segment-level transcript search joins in the transcripts issue.
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
    createdBy: i.createdBy,
    updatedAt: i.updatedAt,
    syncGeneration,
  };
}

const quote = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The access scope of server/access/policy.ts as a Meilisearch filter: one rule, two executors. */
export function accessFilter(scope: AccessScope): string | undefined {
  if (scope.kind === 'all') return undefined;
  const published = `(status = "published" AND visibility IN [${scope.publishedVisibilities.map(quote).join(', ')}])`;
  return scope.ownerId ? `(${published} OR createdBy = ${quote(scope.ownerId)})` : published;
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
        searchableAttributes: ['title', 'narrators', 'keywords', 'place', 'summary', 'interviewers'],
        filterableAttributes: ['status', 'visibility', 'createdBy', 'collectionId', 'language', 'recordedYear', 'narrators', 'keywords', 'place', 'syncGeneration'],
        sortableAttributes: ['updatedAt', 'recordedYear', 'title'],
      })
      .waitTask();
  }

  // Changes are sent one after another, each with the interview as the store has it *now*: Meilisearch applies tasks
  // in the order it receives them, so a slow older request can never overwrite a newer state.
  private chain: Promise<void> = Promise.resolve();

  /** Best effort: when Meilisearch is down the next full sync picks the change up. */
  upsert(interview: Interview): Promise<void> {
    return this.refresh(interview.id);
  }

  remove(interviewId: string): Promise<void> {
    return this.refresh(interviewId);
  }

  private refresh(interviewId: string): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (!this.engine.available) return;
      try {
        const current = await this.store.interviews.findById(interviewId);
        if (current) await this.index().addDocuments([toDocument(current, this.generation)], { primaryKey: 'id' });
        else await this.index().deleteDocument(interviewId);
      } catch (err) {
        this.logger.warn({ err, interviewId }, 'interview index not updated; the next sync will');
      }
    });
    return this.chain;
  }

  /** Upserts every interview under a new generation, then drops documents of older generations (deleted meanwhile). */
  async syncAll(): Promise<number> {
    await this.ensureSettings();
    const generation = Date.now();
    const pageSize = 500;
    let offset = 0;
    let count = 0;
    for (;;) {
      const page = await this.store.interviews.list({ access: { kind: 'all' } }, { limit: pageSize, offset }, 'createdAt');
      if (page.items.length > 0) {
        await this.index().addDocuments(page.items.map((i) => toDocument(i, generation)), { primaryKey: 'id' }).waitTask();
      }
      count += page.items.length;
      offset += pageSize;
      if (page.items.length < pageSize) break;
    }
    await this.index().deleteDocuments({ filter: `syncGeneration != ${generation}` }).waitTask();
    this.generation = generation;
    this.logger.info({ count }, 'interview index synchronised');
    return count;
  }
}
