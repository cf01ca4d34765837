// schemathesis (PyPI) against GET /api/openapi.json: property-based requests generated from the description to every
// operation, bounded (few examples per operation, fixed seed), loopback only, as an admin with an API token so that
// requests reach the services and not only the access check. The app is the real one: real SQLite, the run's
// Meilisearch, real ffprobe for uploaded bytes. Checks: no 5xx, status code, content type and body schema as declared.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, fullConsent, type TestApp } from '../helpers/app.js';
import { makeAudio } from '../helpers/media.js';

const root = path.resolve(import.meta.dirname, '../..');
const schemathesis = path.join(root, '.venv-test/bin/schemathesis');
const hasSchemathesis = (() => {
  try {
    execFileSync(schemathesis, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

export const SCHEMATHESIS_CHECKS =
  'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance';

describe.skipIf(!hasSchemathesis)(
  `schemathesis against /api/openapi.json [needs schemathesis]${hasSchemathesis ? '' : ' — skipped: .venv-test has no schemathesis (scripts/setup.sh --with-test-tools)'}`,
  () => {
    let t: TestApp;
    let server: http.Server;
    let base: string;
    let token: string;
    let configFile: string;

    beforeAll(async () => {
      // ASR configured (an engine nobody calls here: no worker runs), so transcribe/align answer 202 rather than the 503 of a
      // feature that is off
      t = await createTestApp({ LOGIN_RATE_LIMIT: '1000', ASR_URL: 'http://127.0.0.1:9/v1', ASR_MODEL: 'tiny.en' });
      const admin = await t.loginAs('admin');
      token = (await t.services.auth.createApiToken(admin.userId, 'schemathesis')).token;
      // some records, so that list answers are not all empty
      const send = (method: 'post' | 'patch', url: string) => admin.agent[method](url).set('X-CSRF-Token', admin.csrf);
      const collection = (await send('post', '/api/collections').send({ title: 'Golpa-Nord' }).expect(201)).body
        .id as string;
      const interview = (
        await send('post', '/api/interviews')
          .send({
            title: 'Schicht im Tagebau',
            collectionId: collection,
            visibility: 'public',
            people: [{ name: 'Horst Krüger', role: 'narrator' }],
          })
          .expect(201)
      ).body.id as string;
      await send('post', `/api/interviews/${interview}/consents`).send(fullConsent).expect(201);
      // a medium with a transcript, so that the sub-resources are reached with ids that exist
      const audio = await makeAudio(t.dir, { seconds: 3, format: 'm4a' });
      const medium = (
        await send('post', `/api/interviews/${interview}/media`).attach('file', audio, 'band1.m4a').expect(202)
      ).body.id as string;
      await admin.agent
        .put(`/api/interviews/${interview}/media/${medium}/transcript`)
        .set('X-CSRF-Token', admin.csrf)
        .set('Content-Type', 'text/vtt')
        .send('WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nGlück auf!\n\n00:00:01.500 --> 00:00:03.000\nWir fuhren ein.\n')
        .expect(201);
      configFile = path.join(t.dir, 'schemathesis.toml');
      // real ids for the interview's sub-resources (never for DELETE, nor for changing the interview itself, so that
      // the records stay for the whole run); everything else gets generated ids
      fs.writeFileSync(
        configFile,
        [
          '[[operations]]',
          `include-path-regex = '^/(api/interviews/\\{id\\}/|api/media/|media/)'`,
          'exclude-method = "DELETE"',
          `parameters = { "path.id" = "${interview}", "path.mediaId" = "${medium}" }`,
          '',
          '[[operations]]',
          `include-path-regex = '^/api/interviews/\\{id\\}$'`,
          'include-method = "GET"',
          `parameters = { "path.id" = "${interview}" }`,
          '',
        ].join('\n'),
      );
      server = http.createServer(t.app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await t?.close();
    });

    it('no 5xx, and every response matches the status, content type and schema it declares', async () => {
      const reportDir = path.join(t.dir, 'schemathesis-report');
      const args = [
        '--config-file',
        configFile,
        'run',
        `${base}/api/openapi.json`,
        '--checks',
        SCHEMATHESIS_CHECKS,
        '--max-examples',
        process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '8',
        '--seed',
        '14',
        '--workers',
        '1',
        '--phases',
        'examples,coverage,fuzzing',
        '--request-timeout',
        '30',
        '--header',
        `Authorization: Bearer ${token}`,
        '--report',
        'junit',
        '--report-dir',
        reportDir,
        '--no-color',
      ];
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          schemathesis,
          args,
          {
            cwd: t.dir,
            maxBuffer: 64 * 1024 * 1024,
            env: {
              ...process.env,
              NO_COLOR: '1',
              SCHEMATHESIS_TELEMETRY: 'false',
              SCHEMATHESIS_HOOKS: 'schichtbuch_hooks',
              PYTHONPATH: path.join(root, 'tests/fixtures/schemathesis'),
            },
          },
          (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
        );
      });
      const lines = result.stdout.split('\n');
      const summaryStart = lines.findIndex((l) => /SUMMARY|Summary/.test(l));
      console.log(
        `schemathesis ${args
          .filter((a) => !a.startsWith('Authorization'))
          .join(' ')
          .replace(
            token,
            '<token>',
          )}\n${(summaryStart >= 0 ? lines.slice(summaryStart) : lines.slice(-60)).join('\n')}`,
      );
      if (result.code !== 0) console.log(result.stdout.slice(0, 30_000), result.stderr.slice(0, 5_000));
      expect(fs.existsSync(reportDir), 'schemathesis ran and wrote its report').toBe(true);
      const selected = /Selected: (\d+)\/(\d+)/.exec(result.stdout);
      expect(selected, 'schemathesis printed its summary').not.toBeNull();
      expect(Number(selected![1]), 'every operation of the description was tested').toBe(Number(selected![2]));
      expect(Number(selected![1])).toBeGreaterThan(60);
      expect(result.stdout).toMatch(/\d+ generated, \d+ passed/);
      expect(result.stdout).not.toMatch(/FAILURES|ERRORS/);
      expect(result.code, 'schemathesis exit code').toBe(0);
    }, 900_000);
  },
);
