// The access matrix: every endpoint × every interview state × every role → the expected outcome, from ONE literal
// table (ACCESS below, plus a few literal facts per state and role). The expectations are written by hand from the
// archive's rule; nothing here calls server/access — a test that asked the policy what the policy says would prove
// nothing. Real app, real SQLite, the run's Meilisearch, an in-process worker running the real ffmpeg jobs.
//
// Each it() is one (endpoint × state) and asks all eleven roles; a failure lists endpoint, state, role, expected and
// actual for every cell that differs, and marks leaks (something handed out where the table says no). The summary
// line at the end counts checks, passes, mismatches and leaks.
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_CELLS,
  ROLES,
  type Result,
  STATES,
  type Verdict,
  describeResult,
  results,
  verdict,
} from './access-matrix.table.js';
import { buildMatrixFixture, closeMatrixFixture, fx, outcome, signedBefore, t } from './access-matrix.fixture.js';
import { ENDPOINTS } from './access-matrix.endpoints.js';

// ── the matrix ────────────────────────────────────────────────────────────────────────────────────────────────────

describe('access matrix: every endpoint × state × role against one table', () => {
  beforeAll(buildMatrixFixture, 240_000);

  afterAll(async () => {
    await closeMatrixFixture();
    const matrix = results.filter((r) => !r.endpoint.startsWith('signed URL'));
    const signed = results.filter((r) => r.endpoint.startsWith('signed URL'));
    const count = (rs: Result[], v: Verdict) => rs.filter((r) => r.verdict === v).length;
    const bad = results.filter((r) => r.verdict !== 'ok');
    if (bad.length > 0) console.log(['access matrix mismatches:', ...bad.map(describeResult)].join('\n'));
    console.log(
      `access matrix: ${ROLES.length} roles × ${STATES.length} states × ${ENDPOINTS.length} endpoints = ${matrix.length} checks, ` +
        `${count(matrix, 'ok')} passed, ${matrix.length - count(matrix, 'ok')} mismatches (${count(matrix, 'leak')} leaks, ` +
        `${count(matrix, 'disclosure')} existence disclosures); signed URLs: ${signed.length} checks, ${count(signed, 'ok')} passed, ` +
        `${count(signed, 'leak')} leaks`,
    );
  });

  for (const endpoint of ENDPOINTS) {
    for (const state of STATES) {
      it(`${endpoint.name} — ${state}`, async () => {
        const rows = await Promise.all(
          ROLES.map(async (role): Promise<Result> => {
            const expected = endpoint.expected({ role, state, access: ACCESS_CELLS[state][role] });
            const actual = await endpoint.actual(role, state);
            return { endpoint: endpoint.name, state, role, expected, actual, verdict: verdict(expected, actual) };
          }),
        );
        results.push(...rows);
        expect(rows.filter((r) => r.verdict !== 'ok').map(describeResult)).toEqual([]);
      });
    }
  }

  it('signed media URLs: work without a cookie, bound to medium and grant, dead once access ends', async () => {
    const rows: Result[] = [];
    const check = async (what: string, state: string, url: string, expected: string) => {
      const actual = outcome(await supertest(t.app).get(url)); // no cookie, no header: the grant alone
      rows.push({
        endpoint: `signed URL: ${what}`,
        state,
        role: 'no credentials',
        expected,
        actual,
        verdict: verdict(expected, actual),
      });
    };
    const ownerDraft = signedBefore['owner/draft']!;
    const [, , , grant] = ownerDraft.split('/'); // /media/g/<grant>/<mediaId>/original
    await check("owner's URL for the draft", 'draft', ownerDraft, '200');
    await check(
      "owner's grant, HLS of the same medium",
      'draft',
      `/media/g/${grant}/${fx.draft.mediaId}/hls/master.m3u8`,
      '200',
    );
    const sig = grant!.slice(-1) === 'A' ? 'B' : 'A';
    await check(
      'tampered signature',
      'draft',
      `/media/g/${grant!.slice(0, -1)}${sig}/${fx.draft.mediaId}/original`,
      '404',
    );
    const [exp, ...restOfGrant] = grant!.split('.');
    await check(
      'tampered expiry',
      'draft',
      `/media/g/${Number(exp) + 3600}.${restOfGrant.join('.')}/${fx.draft.mediaId}/original`,
      '404',
    );
    await check(
      "owner's grant for another medium (private, also the owner's)",
      'private',
      `/media/g/${grant}/${fx.private.mediaId}/original`,
      '404',
    );
    await check("grantee's URL for the restricted interview", 'restricted', signedBefore['grantee/restricted']!, '200');
    await check("narrator's URL for the draft", 'draft', signedBefore['narrator-valid/draft']!, '200');
    await check("owner's URL taken before the withdrawal", 'withdrawn', signedBefore['owner/withdrawn']!, '404');
    await check(
      "researcher's URL taken before the withdrawal",
      'withdrawn',
      signedBefore['researcher/withdrawn']!,
      '404',
    );
    await check(
      'narrator URL taken before the invitation expired',
      'draft',
      signedBefore['narrator-expired/draft']!,
      '404',
    );
    await check(
      'narrator URL taken before the invitation was revoked',
      'draft',
      signedBefore['narrator-revoked/draft']!,
      '404',
    );
    results.push(...rows);
    expect(rows.filter((r) => r.verdict !== 'ok').map(describeResult)).toEqual([]);
  });
});
