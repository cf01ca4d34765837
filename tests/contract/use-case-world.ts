// The world a use case runs in (users, an interview with media, consent, services on one store) and the two tools
// of the units-of-work contract: a store that crashes after its n-th write, and a snapshot of everything stored.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Viewer } from '../../server/access/viewer.js';
import { ConsentService } from '../../server/consent/service.js';
import { Publication } from '../../server/interviews/publication.js';
import { InterviewService } from '../../server/interviews/service.js';
import { JobQueue } from '../../server/jobs/queue.js';
import { MediaService } from '../../server/media/service.js';
import { ReviewService } from '../../server/review/service.js';
import { StoreUnavailableError } from '../../server/store/errors.js';
import type { Store } from '../../server/store/repositories.js';
import type {
  ConsentRecord,
  Interview,
  Medium,
  ReviewInvitation,
  User,
  WorkflowStatus,
} from '../../server/store/types.js';
import { TranscriptService } from '../../server/transcripts/service.js';

export const logger = pino({ level: 'silent' });
export const uuid = () => crypto.randomUUID();

/** Read methods pass; every other repository call is a write and counts towards the crash. */
const READ = /^(find|list|get|head|current|count|has|history|members|groupIds|changeStamp|nextPart|ping|close)/;

export interface Crash {
  /** Writes allowed before the engine "goes away"; null = never. */
  after: number | null;
  writes: number;
}

/** The store as the services see it: every write counted, and from `crash.after` writes on each one fails. */
export function crashingStore(store: Store, crash: Crash): Store {
  const wrap = <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string' || READ.test(prop))
          return typeof value === 'function' ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          if (crash.after !== null && crash.writes >= crash.after)
            throw new StoreUnavailableError(`injected: engine gone before write ${crash.writes + 1} (${prop})`);
          crash.writes++;
          return value.apply(target, args);
        };
      },
    });
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(store)) out[k] = v && typeof v === 'object' ? wrap(v as object) : v;
  return Object.assign(Object.create(Object.getPrototypeOf(store)), store, out) as Store;
}

export interface World {
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

export const userViewer = (user: User): Viewer => ({
  kind: 'user',
  user,
  principals: [`user:${user.id}`],
  via: 'session',
  sessionId: 's',
  csrfToken: 'c',
});

export async function makeWorld(
  raw: Store,
  opts: {
    status?: WorkflowStatus;
    visibility?: Interview['visibility'];
    consent?: Partial<ConsentRecord> | null;
    withRenditions?: boolean;
  } = {},
): Promise<World> {
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
    store,
    queue,
    audit: publication.audit,
    interviews,
    media,
    transcripts,
    logger,
    invitationDays: 30,
    units,
    derive: (label) => crypto.createHmac('sha256', secret).update(label).digest(),
  });
  const consents = new ConsentService(store, uploadsDir, publication.audit, interviews, logger, units);
  const now = new Date().toISOString();
  const user: User = {
    id: uuid(),
    email: `kuratorin-${uuid().slice(0, 8)}@example.org`,
    displayName: 'Kuratorin',
    role: 'curator',
    passwordHash: 'x',
    disabled: false,
    createdAt: now,
    updatedAt: now,
  };
  await raw.users.create(user);
  const interview = await raw.interviews.create({
    id: uuid(),
    collectionId: null,
    title: 'Schichtbetrieb im Tagebau',
    people: [{ name: 'Horst Krüger', role: 'narrator' }],
    recordedAt: '2019-05-17',
    place: null,
    language: 'de',
    summary: null,
    keywords: [],
    visibility: opts.visibility ?? 'private',
    status: opts.status ?? 'ready_for_review',
    grants: [],
    embargoUntil: null,
    embargoListed: false,
    createdBy: user.id,
    createdAt: now,
    updatedAt: now,
    version: 1,
  });
  const mediumId = uuid();
  const medium = await raw.media.create({
    id: mediumId,
    interviewId: interview.id,
    part: 1,
    kind: 'audio',
    status: 'ready',
    progress: 100,
    originalFilename: 'band1.m4a',
    originalPath: `originals/${interview.id}/${mediumId}/original.m4a`,
    sha256: '0'.repeat(64),
    sizeBytes: 1,
    technical: {
      container: 'mov,mp4',
      durationSec: 60,
      bitRate: null,
      audio: { codec: 'aac', channels: 1, sampleRate: 48000 },
      video: null,
      playableMime: 'audio/mp4',
    },
    derivatives: opts.withRenditions
      ? { hls: `renditions/${mediumId}/hls/master.m3u8`, download: `renditions/${mediumId}/download.m4a` }
      : {},
    error: null,
    renditionRedaction: '',
    createdBy: user.id,
    createdAt: now,
    updatedAt: now,
  });
  await raw.transcripts.append(
    {
      mediaId: medium.id,
      authorId: user.id,
      reason: 'Import',
      source: 'import:vtt',
      createdAt: now,
      segments: [
        { start: 0, end: 5, speaker: 'HK', text: 'Ich war Baggerfahrer.' },
        { start: 5, end: 10, speaker: 'HK', text: 'Nach der Wende kam die Sanierung.' },
        { start: 10, end: 15, speaker: 'HK', text: 'Das war eine schwere Zeit.' },
      ],
    },
    null,
  );
  if (opts.consent !== null) {
    await raw.consents.append(
      {
        id: uuid(),
        interviewId: interview.id,
        narrator: 'Horst Krüger',
        scope: ['archive', 'research', 'education', 'public_web'],
        givenOn: '2019-05-17',
        method: 'signed_form',
        scan: null,
        embargoUntil: null,
        onWithdrawal: 'keep_archive',
        notes: null,
        authorId: user.id,
        createdAt: now,
        ...opts.consent,
      },
      null,
    );
  }
  const invitation = await raw.review.createInvitation({
    id: uuid(),
    interviewId: interview.id,
    narrator: 'Horst Krüger',
    tokenHash: crypto.randomBytes(32).toString('hex'),
    codeHash: crypto.randomBytes(32).toString('hex'),
    createdBy: user.id,
    createdAt: now,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    revokedAt: null,
    lastUsedAt: null,
  });
  return {
    store,
    raw,
    crash,
    uploadsDir,
    publication,
    interviews,
    review,
    consents,
    transcripts,
    curator: userViewer(user),
    narrator: { kind: 'narrator', invitation },
    interview,
    medium,
    invitation,
  };
}

/** Everything a use case can leave behind, without ids and instants (two worlds are compared). */
export async function snapshot(w: World) {
  const s = w.raw;
  const id = w.interview.id;
  const interview = await s.interviews.findById(id);
  const audit = (await s.audit.list({ interviewId: id }, { limit: 1000, offset: 0 })).items.map((e) => e.action).sort();
  const consents = (await s.consents.currentForInterview(id)).map((c) => ({
    version: c.version,
    scope: c.scope,
    method: c.method,
    notes: c.notes,
  }));
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
    interview: interview
      ? { status: interview.status, visibility: interview.visibility, title: interview.title }
      : null,
    decisions: (await s.review.listDecisions(id)).map((d) => ({
      decision: d.decision,
      visibility: d.visibility,
      message: d.message,
    })),
    audit,
    consents,
    consentVersions: (
      await Promise.all((await s.consents.currentForInterview(id)).map((c) => s.consents.history(c.id)))
    ).map((h) => h.length),
    medium: medium
      ? {
          status: medium.status,
          derivatives: Object.keys(medium.derivatives).sort(),
          renditionRedaction: medium.renditionRedaction,
        }
      : null,
    transcript: transcript
      ? { version: transcript.version, texts: transcript.segments.map((x) => x.text), source: transcript.source }
      : null,
    index: index ? index.points.map((p) => p.title) : null,
    corrections: (await s.review.listCorrections(id)).map((c) => ({
      status: c.status,
      transcriptVersion: c.transcriptVersion,
    })),
    restrictions: (await s.review.listRestrictions({ interviewId: id, includeLifted: true })).map((r) => ({
      start: r.start,
      end: r.end,
      status: r.status,
      by: r.createdByKind,
    })),
    invitations: (await s.review.listInvitations(id)).length,
    jobs,
    keyed,
    pending: (await s.operations.listUnfinished(new Date(Date.now() + 3_600_000).toISOString(), 100)).length,
  };
}
