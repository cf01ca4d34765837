// Consent records through the API: versioned, with a scan of the signed form checked by its bytes, curators only,
// and the publication gate that follows them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, tableCounts, type TestApp } from '../helpers/app.js';

const record = {
  narrator: 'Gerda Weiß',
  scope: ['archive', 'research'],
  givenOn: '2026-03-12',
  method: 'signed_form',
  onWithdrawal: 'keep_archive',
};

describe('consent records', () => {
  let t: TestApp;
  let curator: Awaited<ReturnType<TestApp['loginAs']>>;
  let student: Awaited<ReturnType<TestApp['loginAs']>>;
  let interviewId: string;
  let pdf: string;
  let fakePdf: string;
  let png: string;

  beforeAll(async () => {
    t = await createTestApp();
    curator = await t.loginAs('curator');
    student = await t.loginAs('contributor');
    const created = await student.agent
      .post('/api/interviews')
      .set('X-CSRF-Token', student.csrf)
      .send({ title: 'Gerda Weiß erzählt', visibility: 'registered' })
      .expect(201);
    interviewId = created.body.id;
    pdf = path.join(t.dir, 'einverstaendnis.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    fakePdf = path.join(t.dir, 'falsch.pdf');
    fs.writeFileSync(fakePdf, 'Das ist kein PDF, nur Text mit falscher Endung.');
    png = path.join(t.dir, 'scan.png');
    fs.writeFileSync(
      png,
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]),
    );
  });
  afterAll(() => t?.close());

  const asCurator = (method: 'get' | 'post' | 'put', url: string) =>
    curator.agent[method](url).set('X-CSRF-Token', curator.csrf);

  it('creates a record with a scan (multipart), versions every change, and refuses a stale If-Match', async () => {
    const created = await asCurator('post', `/api/interviews/${interviewId}/consents`)
      .field('record', JSON.stringify(record))
      .attach('file', pdf, 'einverstaendnis.pdf')
      .expect(201);
    expect(created.headers.etag).toBe('W/"v1"');
    expect(created.body).toMatchObject({
      version: 1,
      narrator: 'Gerda Weiß',
      scope: ['archive', 'research'],
      scan: { mime: 'application/pdf', filename: 'einverstaendnis.pdf' },
    });
    const id = created.body.id as string;
    const scanFile = path.join(t.config.uploadsDir, created.body.scan.path);
    expect(fs.statSync(scanFile).mode & 0o777).toBe(0o444);

    // JSON update keeps the scan; the version goes up; the old version stays readable
    const updated = await asCurator('put', `/api/interviews/${interviewId}/consents/${id}`)
      .set('If-Match', 'W/"v1"')
      .send({ ...record, scope: ['archive', 'research', 'public_web'], notes: 'Telefonisch erweitert' })
      .expect(200);
    expect(updated.body).toMatchObject({
      version: 2,
      scope: ['archive', 'research', 'public_web'],
      scan: { sha256: created.body.scan.sha256 },
    });
    const stale = await asCurator('put', `/api/interviews/${interviewId}/consents/${id}`)
      .set('If-Match', 'W/"v1"')
      .send(record)
      .expect(412);
    expect(stale.body).toMatchObject({ type: '/problems/precondition-failed', currentVersion: 2 });
    const versions = (await asCurator('get', `/api/interviews/${interviewId}/consents/${id}/versions`).expect(200)).body
      .items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const scan = await asCurator('get', `/api/interviews/${interviewId}/consents/${id}/scan?version=1`)
      .buffer(true)
      .expect(200);
    expect(scan.headers['content-type']).toBe('application/pdf');
    expect(scan.headers['content-disposition']).toContain('attachment');
    expect(scan.body.toString('latin1')).toContain('%PDF-1.4');

    // a replacement scan (PNG) in the next version
    const third = await asCurator('put', `/api/interviews/${interviewId}/consents/${id}`)
      .field('record', JSON.stringify(record))
      .attach('file', png, 'scan.png')
      .expect(200);
    expect(third.body.scan).toMatchObject({ mime: 'image/png' });

    const audit = await t.store.audit.list({ interviewId, action: 'consent.version' }, { limit: 10, offset: 0 });
    expect(audit.total).toBe(3);
  });

  it('refuses a scan that is not what it claims, a bad record, and leaves nothing behind', async () => {
    const before = tableCounts(t.store);
    const consentDir = path.join(t.config.uploadsDir, 'consent', interviewId);
    const filesBefore = fs.readdirSync(consentDir).length;
    const fake = await asCurator('post', `/api/interviews/${interviewId}/consents`)
      .field('record', JSON.stringify(record))
      .attach('file', fakePdf, 'falsch.pdf')
      .expect(422);
    expect(fake.body).toMatchObject({ type: '/problems/unprocessable', errors: [{ field: 'body.scan' }] });
    const truncated = path.join(t.dir, 'abgeschnitten.pdf');
    fs.writeFileSync(truncated, '%PDF-1.4\n1 0 obj <<>> endobj\n');
    await asCurator('post', `/api/interviews/${interviewId}/consents`)
      .field('record', JSON.stringify(record))
      .attach('file', truncated, 'a.pdf')
      .expect(422);

    const invalid = await asCurator('post', `/api/interviews/${interviewId}/consents`)
      .send({ ...record, scope: [], givenOn: '2099-01-01', method: 'telepathy' })
      .expect(422);
    expect(invalid.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.givenOn',
      'body.method',
      'body.scope',
    ]);
    const badJson = await asCurator('post', `/api/interviews/${interviewId}/consents`)
      .field('record', '{kaputt')
      .attach('file', pdf, 'x.pdf')
      .expect(422);
    expect(badJson.body.errors[0].field).toBe('body.record');

    expect(tableCounts(t.store)).toEqual(before);
    expect(fs.readdirSync(consentDir)).toHaveLength(filesBefore);
    expect(fs.readdirSync(path.join(t.config.uploadsDir, 'tmp', 'uploads'))).toEqual([]);
  });

  it('is for curators: the owner gets 403, others who cannot see the interview 404', async () => {
    await student.agent.get(`/api/interviews/${interviewId}/consents`).expect(403);
    await student.agent
      .post(`/api/interviews/${interviewId}/consents`)
      .set('X-CSRF-Token', student.csrf)
      .send(record)
      .expect(403);
    const other = await t.loginAs('contributor');
    await other.agent.get(`/api/interviews/${interviewId}/consents`).expect(404);
    await t.request.get(`/api/interviews/${interviewId}/consents`).expect(404);
  });

  it('publication needs consent covering the visibility; narrowing the consent takes a published interview back to review', async () => {
    const { body } = await asCurator('post', '/api/interviews')
      .send({ title: 'Öffentlich geplant', visibility: 'public' })
      .expect(201);
    for (const status of ['ready_for_review', 'in_review', 'approved'])
      await asCurator('patch' as 'put', `/api/interviews/${body.id}`)
        .send({ status })
        .expect(200);
    const narrow = await asCurator('post', `/api/interviews/${body.id}/consents`).send(record).expect(201);
    const refused = await asCurator('patch' as 'put', `/api/interviews/${body.id}`)
      .send({ status: 'published' })
      .expect(409);
    expect(refused.body).toMatchObject({ type: '/problems/consent-required', neededScope: 'public_web' });
    expect(refused.body.detail).toContain('Gerda Weiß');
    // registered only needs research, which the consent covers
    await asCurator('patch' as 'put', `/api/interviews/${body.id}`)
      .send({ status: 'published', visibility: 'registered' })
      .expect(200);
    // the narrator later withdraws research use: back to review at once, and out of the public list
    await asCurator('put', `/api/interviews/${body.id}/consents/${narrow.body.id}`)
      .send({ ...record, scope: ['archive'] })
      .expect(200);
    const after = (await asCurator('get', `/api/interviews/${body.id}`).expect(200)).body;
    expect(after.status).toBe('in_review');
    const student2 = await t.loginAs('researcher');
    await student2.agent.get(`/api/interviews/${body.id}`).expect(404);
  });
});
