// The access matrix, part 2: role × ownership × edit endpoint (the table of part 1 is in access-matrix.table.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';
import { type Login, type Result, describeResult, send } from './access-matrix.table.js';

// ── role × ownership × edit endpoint (issue 11, finding 3) ─────────────────────────────────────────────────────────
// Who may change an interview: the role decides first, then ownership and state. `demoted` created the interview as
// a contributor and was then made a researcher (researchers read, never edit). Written by hand from the rule:
// contributors edit their own until review starts; curators and admins always; nobody else. Those who cannot see the
// interview (private; anonymous visitors too) get 404, those who see it but may not edit 403. A transcript import
// over an existing one answers 200 (a new version).

const EDIT_ROLES = ['anonymous', 'owner', 'demoted', 'other', 'researcher', 'curator'] as const;
type EditRole = (typeof EDIT_ROLES)[number];
const EDIT_STATES = ['draft', 'in_review'] as const;
type EditState = (typeof EDIT_STATES)[number];
const EDIT_ENDPOINTS = [
  'PATCH metadata',
  'PUT transcript',
  'PUT index',
  'POST media',
  'PATCH status',
  'DELETE medium',
  'DELETE interview',
] as const;
type EditEndpoint = (typeof EDIT_ENDPOINTS)[number];

const EDITS: Record<EditState, Record<EditEndpoint, string>> = {
  //                       anon  owner demoted other resea curat
  draft: {
    'PATCH metadata': '404   200   403     404   404   200',
    'PUT transcript': '404   200   403     404   404   200',
    'PUT index': '404   200   403     404   404   200',
    'POST media': '404   202   403     404   404   202',
    'PATCH status': '404   200   403     404   404   200',
    'DELETE medium': '404   204   403     404   404   204',
    'DELETE interview': '404   204   403     404   404   204',
  },
  in_review: {
    'PATCH metadata': '404   403   403     404   404   200',
    'PUT transcript': '404   403   403     404   404   200',
    'PUT index': '404   403   403     404   404   200',
    'POST media': '404   403   403     404   404   202',
    'PATCH status': '404   403   403     404   404   200',
    'DELETE medium': '404   403   403     404   404   204',
    'DELETE interview': '404   403   403     404   404   204',
  },
};

describe('access matrix: role × ownership × edit endpoint', () => {
  let e: TestApp;
  let dir: string;
  let sample: string;
  let people: Record<Exclude<EditRole, 'anonymous'>, Login>;
  const rows: Result[] = [];
  const editVtt = 'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\n<v Horst Krüger>Glück auf.\n';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-matrix-edit-'));
    e = await createTestApp();
    sample = await makeAudio(dir, { seconds: 3, format: 'mp3' });
    const [owner, demoted, other, researcher, curator] = await Promise.all([
      e.loginAs('contributor'),
      e.loginAs('contributor'),
      e.loginAs('contributor'),
      e.loginAs('researcher'),
      e.loginAs('curator'),
    ]);
    people = { owner, demoted, other, researcher, curator };
  }, 60_000);

  afterAll(async () => {
    await e?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    const ok = rows.filter((r) => r.verdict === 'ok').length;
    console.log(
      `access matrix (edit): ${EDIT_ROLES.length} roles × ${EDIT_STATES.length} states × ${EDIT_ENDPOINTS.length} endpoints = ${rows.length} checks, ${ok} passed, ${rows.length - ok} mismatches`,
    );
  });

  /** One private interview of `creator` in `state`, with one medium and a transcript; two of them (status / the rest). */
  async function fixture(creator: Login, state: EditState): Promise<{ id: string; mediaId: string; statusId: string }> {
    const make = async () => {
      const id = (
        await send(creator, 'post', '/api/interviews')
          .send({ title: 'Bearbeiten', visibility: 'private', people: [{ name: 'Horst Krüger', role: 'narrator' }] })
          .expect(201)
      ).body.id as string;
      const mediaId = (
        await send(creator, 'post', `/api/interviews/${id}/media`).attach('file', sample, 'band1.mp3').expect(202)
      ).body.id as string;
      await send(creator, 'put', `/api/interviews/${id}/media/${mediaId}/transcript`)
        .set('Content-Type', 'text/vtt')
        .send(editVtt)
        .expect(201);
      if (state === 'in_review') {
        await send(creator, 'patch', `/api/interviews/${id}`).send({ status: 'ready_for_review' }).expect(200);
        await send(people.curator, 'patch', `/api/interviews/${id}`).send({ status: 'in_review' }).expect(200);
      }
      return { id, mediaId };
    };
    const main = await make();
    const status = await make();
    return { ...main, statusId: status.id };
  }

  it('every cell as the table says', async () => {
    // build every fixture first (the demoted owner still a contributor), then demote, then try
    const fixtures = new Map<string, { id: string; mediaId: string; statusId: string }>();
    for (const state of EDIT_STATES) {
      for (const role of EDIT_ROLES)
        fixtures.set(`${state}/${role}`, await fixture(role === 'demoted' ? people.demoted : people.owner, state));
    }
    const admin = await e.loginAs('admin');
    await send(admin, 'patch', `/api/users/${people.demoted.userId}`).send({ role: 'researcher' }).expect(200);

    for (const state of EDIT_STATES) {
      for (const role of EDIT_ROLES) {
        const fx = fixtures.get(`${state}/${role}`)!;
        const who = role === 'anonymous' ? null : people[role];
        const call = (method: 'post' | 'patch' | 'put' | 'delete', url: string) =>
          who ? send(who, method, url) : supertest(e.app)[method](url);
        const nextStatus = state === 'draft' ? 'ready_for_review' : 'changes_requested';
        const tries: Record<EditEndpoint, () => Promise<supertest.Response>> = {
          'PATCH metadata': async () => call('patch', `/api/interviews/${fx.id}`).send({ title: 'Neuer Titel' }),
          'PUT transcript': async () =>
            call('put', `/api/interviews/${fx.id}/media/${fx.mediaId}/transcript`)
              .set('Content-Type', 'text/vtt')
              .send(editVtt.replace('Glück auf.', 'Glück auf, Kumpel.')),
          'PUT index': async () =>
            call('put', `/api/interviews/${fx.id}/media/${fx.mediaId}/index`).send({
              points: [{ start: 0, title: 'Beginn' }],
            }),
          'POST media': async () => call('post', `/api/interviews/${fx.id}/media`).attach('file', sample, 'band2.mp3'),
          'PATCH status': async () => call('patch', `/api/interviews/${fx.statusId}`).send({ status: nextStatus }),
          'DELETE medium': async () => call('delete', `/api/media/${fx.mediaId}`),
          'DELETE interview': async () => call('delete', `/api/interviews/${fx.id}`),
        };
        for (const endpoint of EDIT_ENDPOINTS) {
          const expected = EDITS[state][endpoint].trim().split(/\s+/)[EDIT_ROLES.indexOf(role)]!;
          const actual = String((await tries[endpoint]()).status);
          const leak = !['401', '403', '404'].includes(actual) && ['401', '403', '404'].includes(expected);
          rows.push({
            endpoint,
            state,
            role,
            expected,
            actual,
            verdict: expected === actual ? 'ok' : leak ? 'leak' : 'mismatch',
          });
        }
      }
    }
    expect(rows.filter((r) => r.verdict !== 'ok').map(describeResult)).toEqual([]);
  }, 180_000);
});
