// One Meilisearch for the whole test run: starting one per file would cost seconds and memory on a two-core box.
// Test files reach it with inject('meiliUrl') / inject('meiliKey'); give indexes a per-file prefix to stay apart.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { MeiliSidecar } from '../../server/search/sidecar.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'schichtbuch-test-meili-'));
  const sidecar = new MeiliSidecar({ dataDir, port: 0 });
  try {
    const { url, masterKey } = await sidecar.start();
    project.provide('meiliUrl', url);
    project.provide('meiliKey', masterKey);
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  return async () => {
    await sidecar.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
