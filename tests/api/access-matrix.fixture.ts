// The access matrix's fixture: one interview per state with its medium, transcript, index and three invitations
// (valid, expired, revoked), the accounts of every role, and an in-process worker running the real ffmpeg jobs.
// `buildMatrixFixture` sets the live bindings below; the endpoints and the test file read them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { expect } from 'vitest';
import { startWorkers, type Workers } from '../../workers/setup.js';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import {
  send,
  type Login,
  MARKER,
  REFUSED,
  RESTRICTED_WORD,
  type Role,
  STATES,
  STATE_FACTS,
  STUB_KEYS,
  type State,
  VISIBILITY,
  WORD,
} from './access-matrix.table.js';
import { until as untilReached } from '../helpers/until.js';

type UserRole = 'owner' | 'other' | 'researcher' | 'grantee' | 'curator' | 'admin';
interface Invite {
  id: string;
  token: string;
  code: string;
}
interface Fixture {
  id: string;
  mediaId: string;
  valid: Invite;
  expired: Invite;
  revoked: Invite;
}

export let t: TestApp;
export let workers: Workers;
export let tmp: string;
export let users: Record<UserRole, Login>;
export let fx: Record<State, Fixture>;
export let elsewhere: Invite;
/** First HLS media segment (`hls/<name>`), read from a playlist before any withdrawal. */
export let segmentFile = 'hls/seg_00000.m4s';
/** Signed URLs taken from medium JSON before the state changed under them. */
export const signedBefore: Record<string, string> = {};

export function get(role: Role, state: State, url: string): supertest.Test {
  const review = (credential: string) => supertest(t.app).get(url).set('Authorization', `Review ${credential}`);
  switch (role) {
    case 'anonymous':
      return supertest(t.app).get(url);
    case 'narrator-valid':
      return review(fx[state].valid.token);
    case 'narrator-other':
      return review(elsewhere.token);
    // the short code for one of them, the link token for the others: both paths of the credential check
    case 'narrator-expired':
      return review(fx[state].expired.code);
    case 'narrator-revoked':
      return review(fx[state].revoked.token);
    default:
      return users[role].agent.get(url);
  }
}

export const outcome = (res: supertest.Response): string =>
  res.status === 401
    ? (res.body as { type?: string })?.type === '/problems/review-link'
      ? REFUSED
      : '401'
    : String(res.status);

export function bodyText(res: supertest.Response): string {
  if (typeof res.text === 'string' && res.text !== '') return res.text;
  if (Buffer.isBuffer(res.body)) return res.body.toString('utf8');
  return JSON.stringify(res.body);
}

/** Transcript-like bodies: the interview's word must be there; in the passage either the real text or the marker. */
export function textOutcome(res: supertest.Response, state: State): string {
  if (res.status !== 200) return outcome(res);
  const text = bodyText(res);
  if (!text.includes(WORD[state])) return '200:without-w1';
  if (!STATE_FACTS[state].restrictedPassage) return '200:text';
  if (text.includes(RESTRICTED_WORD)) return '200:text';
  return text.includes(MARKER) ? '200:marker' : '200:neither';
}

export function stubOutcome(body: Record<string, unknown>, state: State): 'clean' | 'extra' {
  const extraKeys = Object.keys(body).filter((k) => !STUB_KEYS.includes(k));
  return extraKeys.length === 0 && !JSON.stringify(body).includes(WORD[state]) ? 'clean' : 'extra';
}

export async function searchHits(
  role: Role,
  state: State,
  urlFor: (q: string) => string,
  within: boolean,
): Promise<string> {
  const words: Array<[string, string]> = [
    ['w1', WORD[state]],
    ...(STATE_FACTS[state].restrictedPassage ? [['w2', RESTRICTED_WORD] as [string, string]] : []),
  ];
  const found: string[] = [];
  for (const [label, word] of words) {
    const res = await get(role, state, urlFor(word));
    if (res.status !== 200) return outcome(res);
    const hits = (res.body as { hits: Array<{ interviewId: string }> }).hits;
    if (hits.some((h) => within || h.interviewId === fx[state].id)) found.push(label);
  }
  return `200:hits=${found.join('+') || '-'}`;
}

/** Polls until `check` holds (the shared helper, with this file's patience and wording). */
const until = (check: () => Promise<boolean> | boolean, what: string, timeoutMs = 90_000): Promise<true> =>
  untilReached(async () => (await check()) || undefined, timeoutMs, 100, what);

/** Every job that is due has run (the embargo's publish job a year ahead does not count) and every medium is ready. */
async function settle(): Promise<void> {
  const db = t.store.db;
  let quiet = 0;
  await until(async () => {
    // scheduled jobs wait for their time (the embargo's publish job, the daily fixity audit) and do not count
    const busy = db
      .prepare(
        `SELECT count(*) FROM jobs WHERE status IN ('queued', 'running') AND name NOT IN ('interview.publish', 'preservation.fixity')`,
      )
      .pluck()
      .get() as number;
    const unready = db.prepare(`SELECT count(*) FROM media WHERE status != 'ready'`).pluck().get() as number;
    const behind =
      (await t.store.transcripts.listUnindexed(10)).length + (await t.store.interviews.listSearchDirty(10)).length;
    quiet = busy === 0 && unready === 0 && behind === 0 ? quiet + 1 : 0;
    return quiet >= 3;
  }, 'jobs done, media ready, search current');
  expect(db.prepare(`SELECT name, error FROM jobs WHERE status = 'failed'`).all()).toEqual([]);
}

function vtt(state: State): string {
  const second = state === 'passage' ? `${RESTRICTED_WORD} hat er mir nur im Vertrauen erzählt.` : 'Glück auf, Kumpel.';
  return [
    'WEBVTT',
    '',
    '00:00:00.000 --> 00:00:01.500',
    `<v Horst Krüger>Beginn am Schacht ${WORD[state]} im Frühjahr.`,
    '',
    '00:00:01.800 --> 00:00:03.800',
    `<v Horst Krüger>${second}`,
    '',
  ].join('\n');
}

async function invite(interviewId: string): Promise<Invite> {
  const res = await send(users.curator, 'post', `/api/interviews/${interviewId}/review-invitations`)
    .send({ narrator: 'Horst Krüger' })
    .expect(201);
  return { id: res.body.invitation.id, token: res.body.token, code: res.body.code };
}

/** One interview in its state (withdrawal and the passage's restriction come later, once the media are ready). */
async function build(
  state: State,
  audio: string,
  groupId: string,
): Promise<Omit<Fixture, 'valid' | 'expired' | 'revoked'>> {
  const { owner, curator } = users;
  const created = await send(owner, 'post', '/api/interviews')
    .send({
      title: `Matrix ${state}`,
      visibility: VISIBILITY[state],
      recordedAt: '1987',
      summary: `Zusammenfassung mit ${WORD[state]}`,
      people: [{ name: 'Horst Krüger', role: 'narrator' }],
    })
    .expect(201);
  const id = created.body.id as string;
  const medium = await send(owner, 'post', `/api/interviews/${id}/media`)
    .attach('file', audio, 'band1.mp3')
    .expect(202);
  const mediaId = medium.body.id as string;
  const base = `/api/interviews/${id}/media/${mediaId}`;
  await send(owner, 'put', `${base}/transcript`).set('Content-Type', 'text/vtt').send(vtt(state)).expect(201);
  await send(owner, 'put', `${base}/index`)
    .send({
      points: [
        { start: 0, title: `Beginn ${WORD[state]}` },
        ...(state === 'passage'
          ? [{ start: 2, title: `Kapitel ${RESTRICTED_WORD}`, synopsis: `Über ${RESTRICTED_WORD}` }]
          : []),
      ],
    })
    .expect(200);
  if (state === 'draft') return { id, mediaId };

  await send(owner, 'patch', `/api/interviews/${id}`).send({ status: 'ready_for_review' }).expect(200);
  if (state === 'restricted')
    await send(curator, 'patch', `/api/interviews/${id}`)
      .send({ grants: [`group:${groupId}`] })
      .expect(200);
  await send(curator, 'post', `/api/interviews/${id}/consents`).send(fullConsent).expect(201);
  for (const status of ['in_review', 'approved'])
    await send(curator, 'patch', `/api/interviews/${id}`).send({ status }).expect(200);
  if (state === 'embargoed') {
    const embargoUntil = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const res = await send(curator, 'patch', `/api/interviews/${id}`)
      .send({ embargoUntil, embargoListed: true, status: 'published' })
      .expect(200);
    expect(res.body.status).toBe('approved'); // waits for its date
  } else {
    await send(curator, 'patch', `/api/interviews/${id}`).send({ status: 'published' }).expect(200);
  }
  return { id, mediaId };
}

/** Builds every state, restricts the passage, takes signed URLs, expires/revokes invitations, withdraws one. */
export async function buildMatrixFixture(): Promise<void> {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-matrix-'));
  // every expired/revoked narrator request is a failed credential: lift the per-address limit (10 per 15 min)
  t = await createTestApp({ REVIEW_RATE_LIMIT: '100000' });
  workers = startWorkers(t.config, t.store, t.services.queue, {
    pollMs: 50,
    sweepMs: 1000,
    concurrency: 2,
    search: t.services.search,
  });
  t.services.queue.on('enqueued', () => workers.worker.poke());

  const [admin, curator, owner, other, researcher, grantee] = await Promise.all([
    t.loginAs('admin'),
    t.loginAs('curator'),
    t.loginAs('contributor'),
    t.loginAs('contributor'),
    t.loginAs('researcher'),
    t.loginAs('researcher'),
  ]);
  users = { admin, curator, owner, other, researcher, grantee };
  const group = await send(admin, 'post', '/api/groups').send({ name: 'Matrix-Forschungsgruppe' }).expect(201);
  await send(admin, 'post', `/api/groups/${group.body.id}/members`).send({ userId: grantee.userId }).expect(201);

  const audio = await makeAudio(tmp, { seconds: 4, format: 'mp3' });
  const built = await Promise.all(STATES.map((s) => build(s, audio, group.body.id as string)));
  const withInvites = await Promise.all(
    built.map(async (b) => ({
      ...b,
      valid: await invite(b.id),
      expired: await invite(b.id),
      revoked: await invite(b.id),
    })),
  );
  fx = Object.fromEntries(STATES.map((s, n) => [s, withInvites[n]!])) as Record<State, Fixture>;
  const away = await send(owner, 'post', '/api/interviews')
    .send({ title: 'Matrix anderswo', visibility: 'private' })
    .expect(201);
  elsewhere = await invite(away.body.id);
  await settle();

  // the restricted passage (1.8–3.8 s, the second segment); its renditions are re-made without it
  await send(curator, 'post', `/api/interviews/${fx.passage.id}/restrictions`)
    .send({ mediaId: fx.passage.mediaId, start: 1.8, end: 3.8, reason: 'Zeitzeuge wünscht es' })
    .expect(201);
  await settle();
  await until(async () => {
    const res = await supertest(t.app).get(`/api/media/${fx.passage.mediaId}`);
    return (
      res.status === 200 &&
      res.body.status === 'ready' &&
      res.body.hls !== null &&
      res.body.restrictedRanges.length === 1
    );
  }, 'passage renditions re-made without the restricted range');

  const playlist = await users.curator.agent.get(`/media/${fx.public.mediaId}/hls/index.m3u8`).buffer(true).expect(200);
  const first = bodyText(playlist)
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (first) segmentFile = `hls/${first}`;

  // signed URLs as they were handed out before the state changed under them
  const signedOriginal = async (role: Role, state: State) => {
    const res = await get(role, state, `/api/media/${fx[state].mediaId}`).expect(200);
    expect(res.body.original).toMatch(/^\/media\/g\//);
    return res.body.original as string;
  };
  signedBefore['owner/draft'] = await signedOriginal('owner', 'draft');
  signedBefore['owner/withdrawn'] = await signedOriginal('owner', 'withdrawn');
  signedBefore['researcher/withdrawn'] = await signedOriginal('researcher', 'withdrawn');
  signedBefore['grantee/restricted'] = await signedOriginal('grantee', 'restricted');
  signedBefore['narrator-valid/draft'] = await signedOriginal('narrator-valid', 'draft');
  signedBefore['narrator-expired/draft'] = await signedOriginal('narrator-expired', 'draft');
  signedBefore['narrator-revoked/draft'] = await signedOriginal('narrator-revoked', 'draft');

  // Test fixture shortcut: the invitation's expiry is set into the past directly in SQLite (waiting 1 day for the
  // shortest expiresInDays is not an option); everything else goes through the API.
  const past = new Date(Date.now() - 60_000).toISOString();
  for (const s of STATES) {
    t.store.db.prepare('UPDATE review_invitations SET expires_at = ? WHERE id = ?').run(past, fx[s].expired.id);
    await send(curator, 'post', `/api/interviews/${fx[s].id}/review-invitations/${fx[s].revoked.id}/revoke`)
      .send({})
      .expect(200);
  }

  // the narrator withdraws: renditions and search entries go, the original stays (keep_archive)
  await supertest(t.app)
    .post('/api/review/decision')
    .set('Authorization', `Review ${fx.withdrawn.valid.token}`)
    .send({ decision: 'withdraw', message: 'Ich möchte das doch nicht.' })
    .expect(201);
  await settle();

  // sanity: the fixture is what the table assumes (as curator, whose view the table gives in full)
  for (const s of STATES) {
    const res = await users.curator.agent.get(`/api/interviews/${fx[s].id}`).expect(200);
    const status =
      s === 'draft' ? 'draft' : s === 'embargoed' ? 'approved' : s === 'withdrawn' ? 'withdrawn' : 'published';
    expect({ state: s, status: res.body.status, visibility: res.body.visibility }).toEqual({
      state: s,
      status,
      visibility: VISIBILITY[s],
    });
  }
  await until(
    async () => (await supertest(t.app).get(`/api/search?q=${WORD.public}`)).body.hits?.length === 1,
    'public transcript findable',
  );
}

export async function closeMatrixFixture(): Promise<void> {
  await workers?.stop();
  await t?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
