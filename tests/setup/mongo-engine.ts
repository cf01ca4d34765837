// One MongoDB-wire engine (FerretDB) for the whole test run, when tools/bin/ferretdb is built: its URI reaches every
// test file as inject('mongoUri') — deliberately not as MONGODB_URI in process.env, which the end-to-end and ingest
// tests hand to the servers they spawn (those stay on SQLite unless a test asks for MongoDB). A MONGODB_URI set by
// the caller is used instead of starting an engine. Each test uses its own database. Without the binary the
// MongoDB tests report themselves skipped with "[needs FerretDB: run scripts/setup.sh --with-test-tools]".
import type { TestProject } from 'vitest/node';
import { ferretAvailable, startMongoEngine } from '../helpers/mongo-engine.js';

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  const external = process.env.MONGODB_URI?.trim();
  if (external) {
    project.provide('mongoUri', external);
    return;
  }
  if (!ferretAvailable) {
    project.provide('mongoUri', '');
    return;
  }
  const engine = await startMongoEngine();
  project.provide('mongoUri', engine.uri);
  return async () => {
    await engine.stop();
  };
}
