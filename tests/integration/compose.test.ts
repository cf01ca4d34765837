// docker-compose.yml for the scale tier, checked offline with Debian's `docker-compose config` (no Docker engine runs
// on our machines): the file resolves, every service has a health check, app and workers share the media volume and
// reach the same MongoDB and Meilisearch, and every variable handed to the app is one server/config.ts knows.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../server/config.js';

const root = path.resolve(import.meta.dirname, '../..');
const composeFile = path.join(root, 'docker-compose.yml');
const hasCompose = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
// Debian's docker-compose depends on python3-yaml; its python reads the resolved YAML for us
const debianPython = '/usr/bin/python3';

const requiredEnv = { MEILI_MASTER_KEY: 'k'.repeat(24), MEDIA_URL_SECRET: 's'.repeat(40) };

function composeConfig(env: Record<string, string>): { status: number; stdout: string; stderr: string } {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(MEILI_|MEDIA_URL_|MONGODB_|WORKER_|PORT$)/.test(k)),
  );
  const r = spawnSync('docker-compose', ['-f', composeFile, '--project-directory', root, 'config'], {
    env: { ...clean, ...env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
  });
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

type Service = {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  /** compose 1.x prints short syntax: `source:target:mode` */
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
};

type Services = Record<'mongo' | 'meilisearch' | 'app' | 'worker', Service>;

function resolved(env: Record<string, string>): { services: Services; volumes: Record<string, unknown> } {
  const r = composeConfig(env);
  expect(r.status, r.stderr).toBe(0);
  const json = execFileSync(
    debianPython,
    ['-c', 'import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))'],
    {
      input: r.stdout,
      encoding: 'utf8',
    },
  );
  return JSON.parse(json);
}

describe.skipIf(!hasCompose)('docker-compose.yml (scale tier) [needs docker-compose]', () => {
  it('resolves with the required secrets, and names the variable when one is missing', () => {
    expect(composeConfig(requiredEnv).status).toBe(0);
    const missing = composeConfig({ MEDIA_URL_SECRET: requiredEnv.MEDIA_URL_SECRET });
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('MEILI_MASTER_KEY');
  });

  it('runs MongoDB, Meilisearch, the app and replicated workers, each with a health check', () => {
    const { services, volumes } = resolved(requiredEnv);
    expect(Object.keys(services).sort()).toEqual(['app', 'meilisearch', 'mongo', 'worker']);
    expect(services.mongo.image).toMatch(/^mongo:\d/);
    expect(services.meilisearch.image).toMatch(/^getmeili\/meilisearch:v1\.21/);
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test?.length, `${name} has a health check`).toBeGreaterThan(1);
    }
    expect(services.worker.deploy?.replicas).toBe(2);
    expect(resolved({ ...requiredEnv, WORKER_REPLICAS: '5' }).services.worker.deploy?.replicas).toBe(5);
    expect(services.worker.command).toEqual(['npx', 'tsx', 'workers/main.ts']);
    expect(Object.keys(volumes).sort()).toEqual(['data', 'meili', 'mongo', 'uploads']);
    // the app waits for healthy engines
    expect(services.app.depends_on).toEqual({
      mongo: { condition: 'service_healthy' },
      meilisearch: { condition: 'service_healthy' },
    });
  });

  it('gives app and workers the same store, search, secret and media volume, and only variables the config knows', () => {
    const { services } = resolved(requiredEnv);
    const known = new Set(Object.keys(configSchema.shape));
    const app = services.app.environment!;
    const worker = services.worker.environment!;
    for (const key of ['MONGODB_URI', 'MEILI_URL', 'MEILI_MASTER_KEY', 'MEDIA_URL_SECRET']) {
      expect(worker[key], key).toBe(app[key]);
    }
    expect(app.MONGODB_URI).toBe('mongodb://mongo:27017/schichtbuch');
    expect(configSchema.shape.MONGODB_URI.safeParse(app.MONGODB_URI).success).toBe(true);
    expect(app.MEILI_URL).toBe('http://meilisearch:7700');
    expect(app.WORKERS_IN_PROCESS).toBe('false');
    for (const [name, env] of [
      ['app', app],
      ['worker', worker],
    ] as const) {
      for (const key of Object.keys(env))
        expect(known.has(key), `${name}: ${key} is a variable of server/config.ts`).toBe(true);
    }
    // UPLOADS_DIR of the image (Dockerfile) is the shared volume in both
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const uploadsDir = /UPLOADS_DIR=(\S+)/.exec(dockerfile)?.[1];
    expect(uploadsDir).toBeTruthy();
    for (const name of ['app', 'worker'] as const) {
      const mount = services[name].volumes?.find((v) => v.split(':')[1] === uploadsDir);
      expect(mount?.split(':')[0], `${name} mounts the uploads volume at ${uploadsDir}`).toBe('uploads');
    }
    // the worker's health check reads the file the worker touches
    expect(worker.WORKER_HEALTH_FILE).toBeTruthy();
    expect(services.worker.healthcheck!.test.join(' ')).toContain(worker.WORKER_HEALTH_FILE);
  });
});
