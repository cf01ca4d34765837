// Units of work, against every Store adapter: each multi-step use case is crashed after every single store write
// (the engine "goes away" mid-request: a StoreUnavailableError from the n-th write on) and must then show nothing
// half-written — either nothing at all, or, once the sweep (or a retry with the same Idempotency-Key) has run, exactly
// what an uninterrupted run leaves — and a retry afterwards records nothing twice. Only the Store interface is used:
// the services run unchanged on top of whichever adapter `openStore` gives.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Viewer } from '../../server/access/viewer.js';
import { ConsentService } from '../../server/consent/service.js';
import { Publication } from '../../server/interviews/publication.js';
import { InterviewService } from '../../server/interviews/service.js';
import { JobQueue } from '../../server/jobs/queue.js';
import { MediaService } from '../../server/media/service.js';
import { ReviewService } from '../../server/review/service.js';
import { StoreUnavailableError } from '../../server/store/errors.js';
import type { Store } from '../../server/store/repositories.js';
import type { ConsentRecord, Interview, Medium, ReviewInvitation, User, WorkflowStatus } from '../../server/store/types.js';
import { InjectedFailure } from '../../server/store/unit-of-work.js';
import { TranscriptService } from '../../server/transcripts/service.js';

const logger = pino({ level: 'silent' });
const uuid = () => crypto.randomUUID();

/** Read methods pass; every other repository call is a write and counts towards the crash. */
const READ = /^(find|list|get|head|current|count|has|history|members|groupIds|changeStamp|nextPart|ping|close)/;

interface Crash {
  /** Writes allowed before the engine "goes away"; null = never. */
  after: number | null;
  writes: number;
}

/** The store as the services see it: every write counted, and from `crash.after` writes on each one fails. */
function crashingStore(store: Store, crash: Crash): Store {
  const wrap = <T extends object>(repo: T): T => new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || READ.test(prop)) return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        if (crash.after !== null && crash.writes >= crash.after) throw new StoreUnavailableError(`injected: engine gone before write ${crash.writes + 1} (${prop})`);
        crash.writes++;
        return value.apply(target, args);
      };
    },
  });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(store)) out[k] = v && typeof v === 'object' ? wrap(v as object) : v;
  return Object.assign(Object.create(Object.getPrototypeOf(store)), store, out) as Store;
}

interface World {
  store: Store;
  raw: Store;
  crash: Crash;
  uploadsDir: string;
  publication: Publication;
  interviews: InterviewService;
  review: ReviewService;
  consents: ConsentService;
  transcripts: TranscriptService;
  curator: Viewer;
  narrator: Viewer;
  interview: Interview;
  medium: Medium;
  invitation: ReviewInvitation;
}

const userViewer = (user: User): Viewer => ({ kind: 'user', user, principals: [`user:${user.id}`], via: 'session', sessionId: 's', csrfToken: 'c' });

async function makeWorld(raw: Store, opts: { status?: WorkflowStatus; visibility?: Interview['visibility']; consent?: Partial<ConsentRecord> | null; withRenditions?: boolean } = {}): Promise<World> {
  const crash: Crash = { after: null, writes: 0 };
  const store = crashingStore(raw, crash);
  const uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-uow-'));
  const queue = new JobQueue(store.jobs, logger);
  const publication = new Publication({ store, queue, uploadsDir, logger, withdrawalGraceDays: 30 });
  const units = publication.units.uow;
  const interviews = new InterviewService(store, logger, publication);
  const media = new MediaService(store, queue, uploadsDir, logger);
  const transcripts = new TranscriptService(store, queue, logger, publication.audit, units);
  const secret = crypto.randomBytes(32);
  const review = new ReviewService({
    store, queue, audit: publication.audit, interviews, media, transcripts, logger, invitationDays: 30, units,
    derive: (label) => crypto.createHmac('sha256', secret).update(label).digest(),
  });
  const consents = new ConsentService(store, uploadsDir, publication.audit, interviews, logger, units);
  const now = new Date().toISOString();
  const user: User = {
    id: uuid(), email: `kuratorin-${uuid().slice(0, 8)}@example.org`, displayName: 'Kuratorin', role: 'curator', passwordHash: 'x',
    disabled: false, createdAt: now, updatedAt: now,
  };
  await raw.users.create(user);
  const interview = await raw.interviews.create({
    id: uuid(), collectionId: null, title: 'Schichtbetrieb im Tagebau', people: [{ name: 'Horst Krüger', role: 'narrator' }], recordedAt: '2019-05-17',
    place: null, language: 'de', summary: null, keywords: [], visibility: opts.visibility ?? 'private', status: opts.status ?? 'ready_for_review',
    grants: [], embargoUntil: null, embargoListed: false, createdBy: user.id, createdAt: now, updatedAt: now, version: 1,
  });
  const mediumId = uuid();
  const medium = await raw.media.create({
    id: mediumId, interviewId: interview.id, part: 1, kind: 'audio', status: 'ready', progress: 100, originalFilename: 'band1.m4a',
    originalPath: `originals/${interview.id}/${mediumId}/original.m4a`, sha256: '0'.repeat(64), sizeBytes: 1,
    technical: { container: 'mov,mp4', durationSec: 60, bitRate: null, audio: { codec: 'aac', channels: 1, sampleRate: 48000 }, video: null, playableMime: 'audio/mp4' },
    derivatives: opts.withRenditions ? { hls: `renditions/${mediumId}/hls/master.m3u8`, download: `renditions/${mediumId}/download.m4a` } : {},
    error: null, renditionRedaction: '', createdBy: user.id, createdAt: now, updatedAt: now,
  });
  await raw.transcripts.append({
    mediaId: medium.id, authorId: user.id, reason: 'Import', source: 'import:vtt', createdAt: now,
    segments: [
      { start: 0, end: 5, speaker: 'HK', text: 'Ich war Baggerfahrer.' },
      { start: 5, end: 10, speaker: 'HK', text: 'Nach der Wende kam die Sanierung.' },
      { start: 10, end: 15, speaker: 'HK', text: 'Das war eine schwere Zeit.' },
    ],
  }, null);
  if (opts.consent !== null) {
    await raw.consents.append({
      id: uuid(), interviewId: interview.id, narrator: 'Horst Krüger', scope: ['archive', 'research', 'education', 'public_web'], givenOn: '2019-05-17',
      method: 'signed_form', scan: null, embargoUntil: null, onWithdrawal: 'keep_archive', notes: null, authorId: user.id, createdAt: now, ...opts.consent,
    }, null);
  }
  const invitation = await raw.review.createInvitation({
    id: uuid(), interviewId: interview.id, narrator: 'Horst Krüger', tokenHash: crypto.randomBytes(32).toString('hex'), codeHash: crypto.randomBytes(32).toString('hex'),
    createdBy: user.id, createdAt: now, expiresAt: new Date(Date.now() + 86_400_000).toISOString(), revokedAt: null, lastUsedAt: null,
  });
  return {
    store, raw, crash, uploadsDir, publication, interviews, review, consents, transcripts,
    curator: userViewer(user), narrator: { kind: 'narrator', invitation }, interview, medium, invitation,
  };
}

/** Everything a use case can leave behind, without ids and instants (two worlds are compared). */
async function snapshot(w: World) {
  const s = w.raw;
  const id = w.interview.id;
  const interview = await s.interviews.findById(id);
  const audit = (await s.audit.list({ interviewId: id }, { limit: 1000, offset: 0 })).items.map((e) => e.action).sort();
  const consents = (await s.consents.currentForInterview(id)).map((c) => ({ version: c.version, scope: c.scope, method: c.method, notes: c.notes }));
  const medium = await s.media.findById(w.medium.id);
  const transcript = await s.transcripts.current(w.medium.id);
  const index = await s.transcripts.getIndex(w.medium.id);
  const jobs = (await s.jobs.listByMedia(w.medium.id)).map((j) => `${j.name}:${j.status}`).sort();
  const keyed = [];
  for (const key of [`search.interview:${id}`, `interview.purge:${id}`, `interview.publish:${id}`]) {
    const job = await s.jobs.findActiveByKey(key);
    if (job) keyed.push(`${job.name}:${job.status}`);
  }
  return {
    interview: interview ? { status: interview.status, visibility: interview.visibility, title: interview.title } : null,
    decisions: (await s.review.listDecisions(id)).map((d) => ({ decision: d.decision, visibility: d.visibility, message: d.message })),
    audit,
    consents,
    consentVersions: (await Promise.all((await s.consents.currentForInterview(id)).map((c) => s.consents.history(c.id)))).map((h) => h.length),
    medium: medium ? { status: medium.status, derivatives: Object.keys(medium.derivatives).sort(), renditionRedaction: medium.renditionRedaction } : null,
    transcript: transcript ? { version: transcript.version, texts: transcript.segments.map((x) => x.text), source: transcript.source } : null,
    index: index ? index.points.map((p) => p.title) : null,
    corrections: (await s.review.listCorrections(id)).map((c) => ({ status: c.status, transcriptVersion: c.transcriptVersion })),
    restrictions: (await s.review.listRestrictions({ interviewId: id, includeLifted: true })).map((r) => ({ start: r.start, end: r.end, status: r.status, by: r.createdByKind })),
    invitations: (await s.review.listInvitations(id)).length,
    jobs,
    keyed,
    pending: (await s.operations.listUnfinished(new Date(Date.now() + 3_600_000).toISOString(), 100)).length,
  };
}

interface UseCase {
  name: string;
  world?: Parameters<typeof makeWorld>[1];
  /** Runs before the crash is armed (writes of the set-up do not count); what it returns is handed to `act`. */
  prepare?: (w: World) => Promise<unknown>;
  /** The request; called again as its retry (same key, same arguments). */
  act: (w: World, key: string, prepared: any) => Promise<unknown>;
}

const useCases: UseCase[] = [
  {
    name: "the narrator's approval: decision + receipt, audit, in_review → approved, digital consent",
    act: (w, key) => w.review.decide(w.narrator, { decision: 'approve', visibility: 'public', message: 'Alles gut so.' }, key),
  },
  {
    name: "the narrator's request for changes: decision, audit, in_review → changes_requested",
    world: { status: 'in_review' },
    act: (w, key) => w.review.decide(w.narrator, { decision: 'request_changes', message: 'Bitte Namen prüfen.' }, key),
  },
  {
    name: "the narrator's withdrawal: decision, audit, withdrawn, renditions removed, search job, purge scheduled",
    world: { status: 'published', visibility: 'public', withRenditions: true, consent: { onWithdrawal: 'delete_original' } },
    act: (w, key) => w.review.decide(w.narrator, { decision: 'withdraw', message: null }, key),
  },
  {
    name: 'accepting a correction: transcript version, search job, audit, correction decided',
    prepare: async (w) => void (await w.review.narratorAddCorrection(w.narrator, { mediaId: w.medium.id, segmentNo: 1, proposed: 'Nach der Wende 1990 kam die Sanierung.', note: null })),
    act: async (w) => {
      const [c] = await w.raw.review.listCorrections(w.interview.id);
      return w.review.decideCorrection(w.curator, w.interview.id, c!.id, true, 'danke');
    },
  },
  {
    name: 'a restriction by the narrator: restriction, audit, renditions re-made',
    act: (w, key) => w.review.narratorAddRestriction(w.narrator, { mediaId: w.medium.id, start: 5, end: 10, reason: 'Kollegen', quote: null }, key),
  },
  {
    name: 'lifting a restriction: lifted, audit, renditions re-made',
    prepare: (w) => w.review.addRestrictionAsStaff(w.curator, w.interview.id, { mediaId: w.medium.id, start: 5, end: 10, reason: null, quote: null }, 'prep'),
    act: (w, _key, r) => w.review.liftRestriction(w.curator, w.interview.id, r.id, 'Zeitzeuge einverstanden'),
  },
  {
    name: 'a review invitation: invitation, audit (the same letter again on retry)',
    act: (w, key) => w.review.createInvitation(w.curator, w.interview.id, { narrator: 'Horst Krüger', expiresInDays: 14 }, 'http://archiv.example', key),
  },
  {
    name: 'a consent version that no longer covers a published interview: version, audit, back to review',
    world: { status: 'published', visibility: 'public' },
    prepare: async (w) => (await w.raw.consents.currentForInterview(w.interview.id))[0],
    act: (w, _key, c) => w.consents.save(w.curator, w.interview.id, c.id, {
      narrator: 'Horst Krüger', scope: ['archive'], givenOn: '2019-05-17', method: 'signed_form', embargoUntil: null, onWithdrawal: 'keep_archive', notes: 'eingeschränkt', keepScan: false,
    }, undefined, c.version),
  },
  {
    name: "a curator's withdrawal by PATCH: status, audit, renditions removed, search job",
    world: { status: 'published', visibility: 'public', withRenditions: true },
    act: (w, key) => w.interviews.update(w.curator, w.interview.id, { status: 'withdrawn', reason: 'Zeitzeuge hat angerufen' }, w.interview.version, key),
  },
  {
    name: 'a transcript import with index points: version, search job, audit, index',
    act: (w) => w.transcripts.import({
      viewer: w.curator, interviewId: w.interview.id, mediaId: w.medium.id, expectedVersion: 1, filename: 'band1.xml',
      text: fs.readFileSync(new URL('../fixtures/transcripts/ohms-vtt.xml', import.meta.url), 'utf8'),
    }),
  },
  {
    name: 'an embargo ends: published, audit, search job',
    world: { status: 'approved', visibility: 'public' },
    act: async (w) => {
      // run again (the job retried after a crash), it completes what was begun, or finds it published: 'skipped'
      const outcome = await w.publication.publishWhenDue(w.interview.id);
      if (outcome !== 'published' && outcome !== 'skipped') throw new Error(`publishWhenDue: ${outcome}`);
    },
  },
];

export function describeUseCaseContract(adapterName: string, openStore: () => Promise<Store>): void {
  describe(`units of work: ${adapterName}`, () => {
    let stores: Store[] = [];
    let dirs: string[] = [];
    const open = async (opts?: Parameters<typeof makeWorld>[1]) => {
      const raw = await openStore();
      stores.push(raw);
      const w = await makeWorld(raw, opts);
      dirs.push(w.uploadsDir);
      return w;
    };
    beforeEach(() => {
      stores = [];
      dirs = [];
    });
    afterEach(async () => {
      for (const s of stores) await s.close();
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    });

    for (const useCase of useCases) {
      it(`${useCase.name} — crashed after every write, then swept or retried: complete once, never half`, async () => {
        const reference = await open(useCase.world);
        const prepared = await useCase.prepare?.(reference);
        const before = await snapshot(reference);
        reference.crash.writes = 0;
        await useCase.act(reference, 'key-1', prepared);
        const writes = reference.crash.writes;
        const expected = await snapshot(reference);
        expect(expected).not.toEqual(before);
        expect(expected.pending).toBe(0);
        // the same request again with the same key changes nothing
        await useCase.act(reference, 'key-1', prepared);
        expect(await snapshot(reference)).toEqual(expected);
        expect(writes).toBeGreaterThan(1);
        console.info(`units of work (${adapterName}): ${useCase.name.split(':')[0]} — crashed after each of its ${writes} writes`);

        for (let n = 0; n < writes; n++) {
          const w = await open(useCase.world);
          const mine = await useCase.prepare?.(w);
          w.crash.writes = 0;
          w.crash.after = n;
          await expect(useCase.act(w, 'key-1', mine), `crash after ${n} of ${writes} writes`).rejects.toThrow(StoreUnavailableError);
          w.crash.after = null;
          const crashed = await snapshot(w);
          if (n % 2 === 0) {
            // the sweep completes what was begun (operations younger than its grace period are left to their request)
            await w.publication.units.uow.completeUnfinished(0, new Date(Date.now() + 1000));
            const swept = await snapshot(w);
            if (crashed.pending === 0) expect(swept, `nothing begun after ${n} writes: nothing written`).toEqual(before);
            else expect(swept, `swept after a crash after ${n} writes`).toEqual(expected);
            if (crashed.pending === 0) await useCase.act(w, 'key-1', mine);
          } else {
            // or the client sends it again (same Idempotency-Key)
            await useCase.act(w, 'key-1', mine);
          }
          expect(await snapshot(w), `after a crash after ${n} writes`).toEqual(expected);
          await useCase.act(w, 'key-1', mine);
          expect(await snapshot(w), `retried once more after a crash after ${n} writes`).toEqual(expected);
          await w.raw.close();
          stores = stores.filter((s) => s !== w.raw);
        }
      }, 60_000);
    }

    it('a rejected decision (409 before any write) leaves nothing behind; no operation stays pending', async () => {
      const w = await open({ status: 'approved', visibility: 'public' });
      const before = await snapshot(w);
      await expect(w.review.decide(w.narrator, { decision: 'request_changes', message: null }, 'k')).rejects.toMatchObject({ status: 409 });
      expect(await snapshot(w)).toEqual(before);
    });

    it('a decision retried without Idempotency-Key is recorded once', async () => {
      const w = await open();
      const first = await w.review.decide(w.narrator, { decision: 'approve', visibility: 'registered', message: null });
      const again = await w.review.decide(w.narrator, { decision: 'approve', visibility: 'registered', message: null });
      expect(again.decision).toEqual(first.decision);
      expect(await w.raw.review.listDecisions(w.interview.id)).toHaveLength(1);
    });

    it('a correction accepted while its segment changed (409) writes no transcript version and stays open', async () => {
      const w = await open();
      const c = await w.review.narratorAddCorrection(w.narrator, { mediaId: w.medium.id, segmentNo: 2, proposed: 'Das war eine sehr schwere Zeit.', note: null });
      await w.transcripts.editSegment(w.curator, w.interview.id, w.medium.id, 2, { text: 'Anders.' });
      const before = await snapshot(w);
      await expect(w.review.decideCorrection(w.curator, w.interview.id, c.id, true, null)).rejects.toMatchObject({ status: 409 });
      expect(await snapshot(w)).toEqual(before);
    });

    it('the runner hook failAfterStep stops a unit between its steps; the sweep completes it', async () => {
      const w = await open();
      const uow = w.publication.units.uow;
      uow.failAfterStep = 2;
      await expect(w.review.decide(w.narrator, { decision: 'approve', visibility: 'public', message: null }, 'k')).rejects.toThrow(InjectedFailure);
      uow.failAfterStep = null;
      const half = await snapshot(w);
      expect(half.pending).toBe(1);
      expect(half.decisions).toHaveLength(1);
      expect(half.interview?.status).toBe('ready_for_review');
      expect(await uow.completeUnfinished(0, new Date(Date.now() + 1000))).toEqual({ completed: 1, failed: 0, pending: 0 });
      const done = await snapshot(w);
      expect(done.pending).toBe(0);
      expect(done.interview?.status).toBe('approved');
      expect(done.audit.filter((a) => a === 'review.approve')).toHaveLength(1);
    });
  });
}
