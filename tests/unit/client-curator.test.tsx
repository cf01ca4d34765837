// The curators' side of consent (client/src/contributor/curation, lib/*): the workflow steps, consent form → API
// JSON with its checks, where API errors belong, and the multipart sender with a stubbed fetch. Review overview
// helpers, the letter, the audit diff and publication settings are in client-curator-review.test.tsx.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken, problemSlug, request, ApiProblem } from '../../client/src/lib/http.js';
import '../../client/src/contributor/i18n/index.js';
import {
  buildConsentPayload,
  checkScan,
  consentFieldKey,
  consentFormData,
  emptyConsentForm,
  formFromConsent,
  SCAN_MAX_BYTES,
  toggleScope,
  type ConsentFormState,
} from '../../client/src/contributor/lib/consentForm.js';
import { FORM_LEVEL } from '../../client/src/contributor/lib/fieldErrors.js';
import { nextStatuses } from '../../client/src/contributor/lib/publication.js';
import { transitions } from '../../server/interviews/workflow.js';
import type { ConsentRecord } from '../../client/src/contributor/types.js';

const today = new Date('2026-06-15T12:00:00Z');

const filled = (over: Partial<ConsentFormState> = {}): ConsentFormState => ({
  ...emptyConsentForm(),
  narrator: '  Horst Krüger ',
  scope: ['public_web', 'archive', 'research'],
  givenOn: '2019-05-17',
  method: 'signed_form',
  ...over,
});

describe('workflow steps offered by the client', () => {
  it("are the server's workflow table, state for state (the client imports only types from the server)", () => {
    expect(nextStatuses).toEqual(transitions);
  });
});

describe('consent form → API JSON', () => {
  it('trims, orders the scopes as the form shows them, nulls empty optionals and leaves keepScan to updates', () => {
    const { payload, problems } = buildConsentPayload(filled({ notes: '  ', embargoUntil: '' }), { today });
    expect(problems).toEqual({});
    expect(payload).toEqual({
      narrator: 'Horst Krüger',
      scope: ['archive', 'research', 'public_web'],
      givenOn: '2019-05-17',
      method: 'signed_form',
      embargoUntil: null,
      onWithdrawal: 'keep_archive',
      notes: null,
    });
    const update = buildConsentPayload(
      filled({
        keepScan: false,
        embargoUntil: '2030-01-01',
        notes: 'Tochter war dabei',
        onWithdrawal: 'delete_original',
      }),
      { update: true, today },
    );
    expect(update.payload).toMatchObject({
      embargoUntil: '2030-01-01',
      notes: 'Tochter war dabei',
      onWithdrawal: 'delete_original',
      keepScan: false,
    });
  });

  it('says what is missing or wrong, per field', () => {
    const { problems } = buildConsentPayload({ ...emptyConsentForm(), embargoUntil: '2030-02-30' }, { today });
    expect(problems).toEqual({
      narrator: 'narratorRequired',
      scope: 'scopeRequired',
      givenOn: 'dateRequired',
      method: 'methodRequired',
      embargoUntil: 'embargoFormat',
    });
    expect(buildConsentPayload(filled({ givenOn: '17.05.2019' }), { today }).problems.givenOn).toBe('dateFormat');
    expect(buildConsentPayload(filled({ givenOn: '2019-02-29' }), { today }).problems.givenOn).toBe('dateFormat');
    // one day of slack for time zones, as the server allows
    expect(buildConsentPayload(filled({ givenOn: '2026-06-16' }), { today }).problems.givenOn).toBeUndefined();
    expect(buildConsentPayload(filled({ givenOn: '2026-06-17' }), { today }).problems.givenOn).toBe('dateFuture');
  });

  it('checks the scan by type and size before uploading', () => {
    expect(checkScan(null)).toBeNull();
    expect(checkScan({ name: 'Formular.pdf', type: 'application/pdf', size: 1000 })).toBeNull();
    expect(checkScan({ name: 'scan.JPG', type: '', size: 1000 })).toBeNull();
    expect(checkScan({ name: 'scan.heic', type: 'image/heic', size: 1000 })).toBe('scanType');
    expect(checkScan({ name: 'scan.png', type: 'image/png', size: SCAN_MAX_BYTES + 1 })).toBe('scanSize');
    expect(
      buildConsentPayload(filled(), { today, scan: { name: 'x.docx', type: 'application/msword', size: 5 } }).problems
        .scan,
    ).toBe('scanType');
  });

  it('toggles scopes and round-trips a record from the API', () => {
    expect(toggleScope(['research'], 'archive', true)).toEqual(['archive', 'research']);
    expect(toggleScope(['archive', 'research'], 'archive', false)).toEqual(['research']);
    const record: ConsentRecord = {
      id: 'c1',
      version: 3,
      interviewId: 'i1',
      narrator: 'Erika Lehmann',
      scope: ['exhibition', 'archive'],
      givenOn: '2020-03-01',
      method: 'spoken',
      scan: null,
      embargoUntil: '2031-01-01T00:00:00.000Z',
      onWithdrawal: 'delete_original',
      notes: null,
      authorId: null,
      createdAt: '2026-01-01T00:00:00Z',
    };
    const form = formFromConsent(record);
    expect(form).toMatchObject({
      scope: ['archive', 'exhibition'],
      embargoUntil: '2031-01-01',
      notes: '',
      keepScan: true,
    });
    expect(buildConsentPayload(form, { today, update: true }).payload).toEqual({
      narrator: 'Erika Lehmann',
      scope: ['archive', 'exhibition'],
      givenOn: '2020-03-01',
      method: 'spoken',
      embargoUntil: '2031-01-01',
      onWithdrawal: 'delete_original',
      notes: null,
      keepScan: true,
    });
  });

  it('puts API errors next to their fields, from JSON and from the multipart `record`', () => {
    expect(consentFieldKey('body.scope')).toBe('scope');
    expect(consentFieldKey('body.scope.0')).toBe('scope');
    expect(consentFieldKey('body.record.givenOn')).toBe('givenOn');
    expect(consentFieldKey('body.record.method')).toBe('method');
    expect(consentFieldKey('body.scan')).toBe('scan');
    expect(consentFieldKey('body.file')).toBe('scan');
    expect(consentFieldKey('body.record')).toBe(FORM_LEVEL);
    expect(consentFieldKey('body')).toBe(FORM_LEVEL);
    expect(consentFieldKey('body.keepScan')).toBe(FORM_LEVEL);
  });

  it('builds the multipart body: record as JSON, then the file', async () => {
    const payload = buildConsentPayload(filled(), { today }).payload;
    const data = consentFormData(
      payload,
      new Blob(['%PDF-1.4\n%%EOF'], { type: 'application/pdf' }),
      'Formular Krüger.pdf',
    );
    expect([...data.keys()]).toEqual(['record', 'file']);
    expect(JSON.parse(String(data.get('record')))).toEqual(payload);
    const file = data.get('file') as File;
    expect(file.name).toBe('Formular Krüger.pdf');
    expect(await file.text()).toContain('%PDF');
  });
});

describe('multipart sender', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('sends the CSRF token and If-Match, lets the browser set the boundary, and reads 412 as a problem', async () => {
    const fetchMock = vi.fn<typeof fetch>(
      async () =>
        new Response(
          JSON.stringify({ type: '/problems/precondition-failed', title: 'Geändert', status: 412, currentVersion: 4 }),
          {
            status: 412,
            headers: { 'Content-Type': 'application/problem+json' },
          },
        ),
    );
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('tok-9');
    const form = new FormData();
    form.append('record', '{}');
    const err = await request('PUT', '/api/interviews/i/consents/c', { form, ifMatch: 'W/"v3"' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApiProblem);
    expect((err as ApiProblem).status).toBe(412);
    expect((err as ApiProblem).problem.currentVersion).toBe(4);
    expect(problemSlug(err as ApiProblem)).toBe('precondition-failed');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/interviews/i/consents/c');
    expect(init?.method).toBe('PUT');
    expect(init?.body).toBe(form);
    expect(init?.credentials).toBe('same-origin');
    const headers = new Headers(init?.headers);
    expect(headers.get('X-CSRF-Token')).toBe('tok-9');
    expect(headers.get('If-Match')).toBe('W/"v3"');
    expect(headers.get('Content-Type')).toBeNull();
  });

  it('returns the record and its ETag', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn<typeof fetch>(async () =>
        Response.json({ id: 'c', version: 1 }, { status: 201, headers: { ETag: 'W/"v1"' } }),
      ),
    );
    await expect(request('POST', '/api/interviews/i/consents', { form: new FormData() })).resolves.toEqual({
      data: { id: 'c', version: 1 },
      etag: 'W/"v1"',
      status: 201,
    });
  });
});
