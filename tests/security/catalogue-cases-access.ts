// The catalogue's access cases: role × ownership × endpoint, signed-URL tampering, CSRF variants, query injection.
import crypto from 'node:crypto';
import type supertest from 'supertest';
import { fullConsent } from '../helpers/app.js';
import { send, type Login } from './helpers.js';
import {
  admin,
  curator,
  demoted,
  demotedDraft,
  other,
  owner,
  ownDraft,
  ownMedium,
  researcher,
  SECRET,
  t,
} from './catalogue-fixture.js';
import { anon, type ApiCase } from './catalogue-api-cases.js';

export const ROLE_CASES: ApiCase[] = [
  {
    id: "role: researcher edits someone's draft",
    status: 404,
    type: '/problems/not-found',
    request: () => send(researcher, 'patch', `/api/interviews/${ownDraft}`).send({ title: 'x' }),
  },
  {
    id: 'role: researcher edits the interview they created as contributor',
    status: 403,
    type: '/problems/forbidden',
    request: () => send(demoted, 'patch', `/api/interviews/${demotedDraft}`).send({ title: 'x' }),
  },
  {
    id: 'role: researcher deletes the interview they created',
    status: 403,
    type: '/problems/forbidden',
    request: () => send(demoted, 'delete', `/api/interviews/${demotedDraft}`),
  },
  {
    id: 'role: researcher creates an interview',
    status: 403,
    type: '/problems/forbidden',
    request: () => send(researcher, 'post', '/api/interviews').send({ title: 'Forschung' }),
  },
  {
    id: "role: contributor edits another's draft",
    status: 404,
    type: '/problems/not-found',
    request: () => send(other, 'patch', `/api/interviews/${ownDraft}`).send({ title: 'x' }),
  },
  {
    id: 'role: contributor adds a consent record to their own draft',
    status: 403,
    type: '/problems/forbidden',
    request: () => send(owner, 'post', `/api/interviews/${ownDraft}/consents`).send(fullConsent),
  },
  {
    id: 'role: contributor invites a narrator',
    status: 403,
    type: '/problems/forbidden',
    request: () =>
      send(owner, 'post', `/api/interviews/${ownDraft}/review-invitations`).send({ narrator: 'Horst Krüger' }),
  },
  {
    id: 'role: contributor creates a collection',
    status: 403,
    type: '/problems/forbidden',
    request: () => send(owner, 'post', '/api/collections').send({ title: 'Meine' }),
  },
  {
    id: 'role: curator makes themselves admin',
    status: 403,
    type: '/problems/forbidden',
    request: () => send(curator, 'patch', `/api/users/${curator.userId}`).send({ role: 'admin' }),
  },
  {
    id: 'role: contributor creates a group',
    status: 403,
    type: '/problems/forbidden',
    request: () => send(owner, 'post', '/api/groups').send({ name: 'G' }),
  },
  {
    id: 'role: anonymous reads the audit log',
    status: 401,
    type: '/problems/unauthenticated',
    request: () => anon().get('/api/audit'),
  },
  {
    id: 'role: contributor reads the admin warnings',
    status: 403,
    type: '/problems/forbidden',
    request: () => owner.agent.get('/api/admin/warnings'),
  },
  {
    id: "role: contributor deletes another's medium",
    status: 404,
    type: '/problems/not-found',
    request: () => send(other, 'delete', `/api/media/${ownMedium}`),
  },
];

let grant = '';
const signedCase = (id: string, url: () => string, status = 404): ApiCase => ({
  id: `signed URL: ${id}`,
  status,
  type: status === 404 ? '/problems/not-found' : null,
  request: () => anon().get(url()),
});
const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
export const SIGNED_CASES: ApiCase[] = [
  signedCase('untouched (control: it works without a cookie)', () => `/media/g/${grant}/${ownMedium}/original`, 200),
  signedCase('signature changed', () => `/media/g/${flip(grant)}/${ownMedium}/original`),
  signedCase(
    'expiry pushed later',
    () =>
      `/media/g/${String(Number(grant.split('.')[0]) + 3600)}.${grant.split('.').slice(1).join('.')}/${ownMedium}/original`,
  ),
  signedCase(
    'principal swapped to another user',
    () => `/media/g/${grant.replace(/u~[0-9a-f-]{36}/, `u~${other.userId}`)}/${ownMedium}/original`,
  ),
  signedCase(
    'principal kind swapped to narrator',
    () => `/media/g/${grant.replace('.u~', '.n~')}/${ownMedium}/original`,
  ),
  signedCase('grant for another medium', () => `/media/g/${grant}/${crypto.randomUUID()}/original`),
  signedCase('malformed grant', () => `/media/g/${encodeURIComponent("1' OR '1'='1")}/${ownMedium}/original`),
  signedCase(
    'expired grant',
    () =>
      `/media/g/${t.services.signer.grantFor({ kind: 'user', user: { id: owner.userId } } as never, ownMedium, 0, Date.now() - 7 * 86_400_000)}/${ownMedium}/original`,
  ),
  signedCase(
    'path traversal after the grant',
    () => `/media/g/${grant}/${ownMedium}/..%2F..%2F..%2Fdata%2Farchive.sqlite`,
  ),
];

const csrfPatch = (who: Login) => who.agent.patch(`/api/interviews/${ownDraft}`);
export const CSRF_CASES: ApiCase[] = [
  { id: 'csrf: no token', status: 403, type: '/problems/csrf', request: () => csrfPatch(owner).send({ title: 'x' }) },
  {
    id: 'csrf: wrong token',
    status: 403,
    type: '/problems/csrf',
    request: () => csrfPatch(owner).set('X-CSRF-Token', 'x'.repeat(43)).send({ title: 'x' }),
  },
  {
    id: "csrf: another session's token",
    status: 403,
    type: '/problems/csrf',
    request: () => csrfPatch(owner).set('X-CSRF-Token', other.csrf).send({ title: 'x' }),
  },
  {
    id: 'csrf: right token, foreign Origin',
    status: 403,
    type: '/problems/csrf',
    request: () =>
      csrfPatch(owner).set('X-CSRF-Token', owner.csrf).set('Origin', 'https://evil.example').send({ title: 'x' }),
  },
  {
    id: 'csrf: token in the query string',
    status: 403,
    type: '/problems/csrf',
    request: () => owner.agent.patch(`/api/interviews/${ownDraft}?csrfToken=${owner.csrf}`).send({ title: 'x' }),
  },
  {
    id: 'csrf: simple text/plain form post',
    status: 403,
    type: '/problems/csrf',
    request: () => owner.agent.post('/api/interviews').set('Content-Type', 'text/plain').send('{"title":"x"}'),
  },
  {
    id: 'csrf: delete without token',
    status: 403,
    type: '/problems/csrf',
    request: () => owner.agent.delete(`/api/interviews/${ownDraft}`),
  },
  {
    id: 'csrf: logout-style post from a foreign origin',
    status: 403,
    type: '/problems/csrf',
    request: () =>
      owner.agent
        .post('/api/auth/tokens')
        .set('Origin', 'https://evil.example')
        .set('X-CSRF-Token', owner.csrf)
        .send({ name: 'x' }),
  },
];

const INJECTION = "' OR 1=1 --";
// the query itself may be echoed; the private draft's id (any hit, listing or facet of it) must not appear
const leakFree = (res: supertest.Response) =>
  JSON.stringify(res.body).includes(ownDraft) || JSON.stringify(res.body).includes(`Entwurf ${SECRET}`)
    ? 'the private draft leaked'
    : null;
const q = (param: string, value = INJECTION) => `${param}=${encodeURIComponent(value)}`;
const injection = (url: string, status: number, type: string | null): ApiCase => ({
  id: `injection: GET ${decodeURIComponent(url)}`,
  status,
  type,
  request: () => anon().get(url),
  check: leakFree,
});
export const INJECTION_CASES: ApiCase[] = [
  ...[
    'collectionId',
    'status',
    'visibility',
    'recordedFrom',
    'recordedTo',
    'mine',
    'sort',
    'page',
    'pageSize',
    'language',
  ].map((p) => injection(`/api/interviews?${q(p)}`, 400, '/problems/bad-request')),
  ...['q', 'keyword', 'person'].map((p) => injection(`/api/interviews?${q(p)}`, 200, null)),
  injection(`/api/interviews?${q('q', `${SECRET}" OR "1"="1`)}`, 200, null),
  injection(`/api/interviews?${q('status', 'draft')}&${q('visibility', 'private')}`, 200, null),
  // free text is text (200, nothing more found); typed filters refuse what they cannot be (400)
  ...['q', 'collection', 'narrator', 'place', 'year', 'decade', 'keyword', 'language', 'speaker'].map((p) => {
    const typed = ['collection', 'year', 'decade'].includes(p);
    return injection(
      `/api/search?${q(p, `x" OR interviewId EXISTS OR "a"="a`)}`,
      typed ? 400 : 200,
      typed ? '/problems/bad-request' : null,
    );
  }),
  injection(`/api/search?${q('q', SECRET)}`, 200, null),
  injection(`/api/search?${q('page')}`, 400, '/problems/bad-request'),
  injection(`/api/search/suggest?${q('q')}`, 200, null),
  injection(`/api/interviews/${encodeURIComponent(INJECTION)}`, 404, '/problems/not-found'),
  injection(`/api/audit?${q('action')}`, 401, '/problems/unauthenticated'),
  {
    id: 'injection: transcript ?format=',
    status: 400,
    type: '/problems/bad-request',
    request: () => owner.agent.get(`/api/interviews/${ownDraft}/media/${ownMedium}/transcript?${q('format')}`),
  },
  {
    id: 'injection: transcript ?version=',
    status: 400,
    type: '/problems/bad-request',
    request: () => owner.agent.get(`/api/interviews/${ownDraft}/media/${ownMedium}/transcript?${q('version')}`),
  },
  {
    id: 'injection: in-interview search ?q= (as owner)',
    status: 200,
    type: null,
    request: () => owner.agent.get(`/api/interviews/${ownDraft}/search?${q('q')}`),
  },
  {
    id: 'injection: admin audit ?actorId= (as admin)',
    status: 200,
    type: null,
    request: () => admin.agent.get(`/api/audit?${q('actorId')}`),
    check: (res) => (res.body.total === 0 ? null : `audit rows matched an injected actor id: ${res.body.total}`),
  },
];

/** For the signed-URL cases: a grant the owner's medium JSON hands out (the draft is not public). */
export async function prepareSignedGrant(): Promise<void> {
  const medium = await owner.agent.get(`/api/media/${ownMedium}`).expect(200);
  grant = String(medium.body.original).split('/')[3]!;
}
