// The OAI-PMH tests' fixture: the app on a port with one interview per access case, the harvesters and validators
// found on this machine, and the request helpers (every answer is kept for xmllint).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from 'vitest';
import { createTestApp, fullConsent, type TestApp } from '../../helpers/app.js';
import { makeAudio } from '../../helpers/media.js';

export const run = promisify(execFile);
export const root = path.resolve(import.meta.dirname, '../../..');
export const schema = path.join(root, 'tests/fixtures/oai/harvest.xsd');
export const python = path.join(root, '.venv-test/bin/python');

export const has = (cmd: string, args: string[]) => {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
export const hasXmllint = has('xmllint', ['--version']);
export const hasSickle = fs.existsSync(python) && has(python, ['-c', 'import sickle']);
export const hasPerlOai = has('perl', ['-MHTTP::OAI', '-e', '1']) && fs.existsSync('/usr/bin/oai_pmh');

export const REPO_ID = 'archiv.schichtbuch.test';
export const oaiId = (id: string) => `oai:${REPO_ID}:${id}`;

export let t: TestApp;
export let server: http.Server;
export let base: string;
/** Every answer received in this file, validated by xmllint at the end. */
export const answers: { label: string; xml: string }[] = [];
/** Requests the harvesters made (query strings), per harvester run. */
export const requestLog: string[] = [];

export const fx = {
  collectionA: '',
  collectionB: '',
  /** published, public: harvested */
  visible: [] as string[],
  /** published public, then withdrawn: a deleted record */
  withdrawn: '',
  /** published public, then narrowed to `registered` / deleted by a curator: deleted records too */
  narrowed: '',
  removed: '',
  /** published `registered` (never public), then withdrawn: never harvested, not even as deleted */
  withdrawnRegistered: '',
  /** never harvested */
  registered: '',
  draft: '',
  withdrawnDraft: '',
  embargoed: '',
  tricky: '',
  withMedia: '',
};

export async function oai(query: string, label = query): Promise<string> {
  const res = await fetch(`${base}/oai?${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/xml; charset=utf-8/);
  const xml = await res.text();
  answers.push({ label, xml });
  return xml;
}

export const errorCode = (xml: string) => /<error code="([^"]+)"/.exec(xml)?.[1] ?? null;
export const all = (xml: string, re: RegExp) => [...xml.matchAll(re)].map((m) => m[1]!);
export const tokenOf = (xml: string) =>
  /<resumptionToken([^>]*)>([^<]*)<\/resumptionToken>|<resumptionToken([^>]*)\/>/.exec(xml);

export let lintCount = 0;
export async function xmllint(xml: string): Promise<{ ok: boolean; output: string }> {
  lintCount += 1;
  const file = path.join(t.dir, `answer-${lintCount}.xml`);
  fs.writeFileSync(file, xml);
  try {
    const { stderr } = await run('xmllint', ['--nonet', '--noout', '--schema', schema, file]);
    return { ok: true, output: stderr.trim() };
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: string }).stderr ?? err) };
  }
}

/** Registers this file's beforeAll/afterAll in the calling test file. */
export function useOaiFixture(): void {
  beforeAll(async () => {
    // no PUBLIC_URL (the test helper's default is empty here): the base URL is the one the harvesters call
    t = await createTestApp({
      OAI_PAGE_SIZE: '2',
      OAI_REPOSITORY_IDENTIFIER: REPO_ID,
      OAI_ADMIN_EMAIL: 'archiv@schichtbuch.test',
      PUBLIC_URL: '',
    });
    const curator = await t.loginAs('curator');
    const send = (method: 'post' | 'patch', url: string) =>
      curator.agent[method](url).set('X-CSRF-Token', curator.csrf);
    fx.collectionA = (
      await send('post', '/api/collections')
        .send({ title: 'Spring School Ferropolis 2019', description: 'Bergleute <erzählen> & "Kumpel"' })
        .expect(201)
    ).body.id;
    fx.collectionB = (await send('post', '/api/collections').send({ title: 'Golpa-Nord' }).expect(201)).body.id;

    const audio = await makeAudio(t.dir, { seconds: 2, format: 'm4a' });
    let n = 0;
    const make = async (opts: {
      title?: string;
      visibility?: string;
      collectionId?: string;
      publish?: boolean;
      media?: boolean;
      summary?: string;
      embargo?: boolean;
    }) => {
      n += 1;
      const created = await send('post', '/api/interviews')
        .send({
          title: opts.title ?? `Schichtbetrieb im Tagebau ${n}`,
          visibility: opts.visibility ?? 'public',
          recordedAt: `19${80 + n}`,
          collectionId: opts.collectionId ?? fx.collectionA,
          language: 'de',
          keywords: ['Tagebau', 'Schicht'],
          summary: opts.summary ?? `Erinnerungen Nummer ${n}`,
          place: { name: 'Gräfenhainichen', lat: 51.73, lon: 12.45 },
          people: [
            { name: 'Horst Krüger', role: 'narrator' },
            { name: 'Lena Schmidt', role: 'interviewer' },
          ],
        })
        .expect(201);
      const id = created.body.id as string;
      if (opts.media) await send('post', `/api/interviews/${id}/media`).attach('file', audio, 'band1.m4a').expect(202);
      if (opts.publish === false) return id;
      await send('post', `/api/interviews/${id}/consents`).send(fullConsent).expect(201);
      for (const status of ['ready_for_review', 'in_review', 'approved'])
        await send('patch', `/api/interviews/${id}`).send({ status }).expect(200);
      const embargo = opts.embargo
        ? { embargoUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(), embargoListed: true }
        : {};
      await send('patch', `/api/interviews/${id}`)
        .send({ status: 'published', ...embargo })
        .expect(200);
      return id;
    };
    fx.tricky = await make({
      title: 'Kohle & <b>Kumpel</b> "unter" Tage\u0001',
      summary: '<script>alert(1)</script> ]]> &amp;',
    });
    fx.visible.push(fx.tricky);
    fx.withMedia = await make({ media: true, collectionId: fx.collectionB });
    fx.visible.push(fx.withMedia);
    for (let i = 0; i < 3; i++) fx.visible.push(await make({}));
    fx.withdrawn = await make({});
    await send('patch', `/api/interviews/${fx.withdrawn}`).send({ status: 'withdrawn' }).expect(200);
    fx.narrowed = await make({});
    await send('patch', `/api/interviews/${fx.narrowed}`).send({ visibility: 'registered' }).expect(200);
    fx.removed = await make({ collectionId: fx.collectionB });
    await curator.agent.delete(`/api/interviews/${fx.removed}`).set('X-CSRF-Token', curator.csrf).expect(204);
    fx.withdrawnRegistered = await make({ visibility: 'registered' });
    await send('patch', `/api/interviews/${fx.withdrawnRegistered}`).send({ status: 'withdrawn' }).expect(200);
    fx.registered = await make({ visibility: 'registered' });
    fx.draft = await make({ publish: false });
    fx.withdrawnDraft = await make({ publish: false });
    await send('patch', `/api/interviews/${fx.withdrawnDraft}`).send({ status: 'withdrawn' }).expect(200);
    fx.embargoed = await make({ embargo: true });

    server = http.createServer((req, res) => {
      if (req.url?.startsWith('/oai')) requestLog.push(`${req.method} ${decodeURIComponent(req.url)}`);
      t.app(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await t?.close();
  });
}
