// A real app for API tests: real SQLite (temp dir), the run's real Meilisearch (own index prefix), supertest on top.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { inject } from 'vitest';
import { createApp, type Services } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import { ffmpegVersions } from '../../server/media/ffmpeg/runner.js';
import { SearchEngine } from '../../server/search/engine.js';
import { openSqliteStore, type SqliteStore } from '../../server/store/sqlite/index.js';
import type { Store } from '../../server/store/repositories.js';
import type { Role } from '../../server/store/types.js';

export interface TestApp<S extends Store = SqliteStore> {
  config: Config;
  store: S;
  search: SearchEngine;
  services: Services;
  request: supertest.Agent;
  app: ReturnType<typeof createApp>['app'];
  dir: string;
  /** Creates a user of that role and returns a logged-in agent (cookie jar) with its CSRF token. */
  loginAs(role: Role, email?: string): Promise<{ agent: supertest.Agent; csrf: string; userId: string; email: string }>;
  /** `keepFiles`: leave DATA_DIR/UPLOADS_DIR for a second app on the same directories (restart tests). */
  close(opts?: { keepFiles?: boolean }): Promise<void>;
}

export const testPassword = 'glück-auf-kumpel-1987';

export async function createTestApp(
  env: Record<string, string> = {},
  opts: {
    meili?: { url: string; key: string };
    /** reuse the directories of an earlier app (restart) */ dir?: string;
    /** serve the built web client too (browser tests against the in-process app) */ clientDir?: string;
  } = {},
): Promise<TestApp> {
  return createTestAppOn(
    (config) => {
      fs.mkdirSync(config.dataDir, { recursive: true });
      return openSqliteStore(config.dataDir);
    },
    env,
    opts,
  );
}

/** The same app on a store of the caller's choosing (the MongoDB adapter); the store is closed with the app. */
export async function createTestAppOn<S extends Store>(
  openStore: (config: Config) => S | Promise<S>,
  env: Record<string, string> = {},
  opts: { meili?: { url: string; key: string }; dir?: string; clientDir?: string } = {},
): Promise<TestApp<S>> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-api-'));
  const config = loadConfig({
    DATA_DIR: path.join(dir, 'data'),
    UPLOADS_DIR: path.join(dir, 'uploads'),
    SEARCH_INDEX_PREFIX: `t${crypto.randomBytes(4).toString('hex')}_`,
    // invitation links are made from PUBLIC_URL only (never the request's Host)
    PUBLIC_URL: 'http://archiv.test',
    ...env,
  });
  fs.mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore(config);
  const search = new SearchEngine({
    url: opts.meili?.url ?? inject('meiliUrl'),
    apiKey: opts.meili?.key ?? inject('meiliKey'),
    indexPrefix: config.SEARCH_INDEX_PREFIX,
  });
  await search.health();
  const { app, services } = createApp({
    config,
    store,
    search,
    tools: ffmpegVersions,
    ...(opts.clientDir ? { clientDir: opts.clientDir } : {}),
  });
  if (search.available) {
    await services.search.interviews.ensureSettings();
    await services.search.segments.ensureSettings();
  }
  const request = supertest.agent(app);

  return {
    config,
    store,
    search,
    services,
    request,
    app,
    dir,
    async loginAs(role, email = `${role}-${crypto.randomBytes(3).toString('hex')}@example.org`) {
      const user = await services.users.create({ email, password: testPassword, role });
      const agent = supertest.agent(app);
      const res = await agent.post('/api/auth/login').send({ email, password: testPassword }).expect(200);
      return { agent, csrf: res.body.csrfToken as string, userId: user.id, email };
    },
    async close(closeOpts = {}) {
      search.stopMonitoring();
      services.uploads.stop();
      await store.close();
      if (!closeOpts.keepFiles) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Row counts of every table, to prove that a rejected request stored nothing. */
export function tableCounts(store: SqliteStore): Record<string, number> {
  const tables = store.db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((t) => [t, store.db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]),
  );
}

/** A signed consent covering every visibility: publication needs one (server/interviews/publication.ts). */
export const fullConsent = {
  narrator: 'Horst Krüger',
  scope: ['archive', 'research', 'education', 'public_web'],
  givenOn: '2019-05-17',
  method: 'signed_form',
};
