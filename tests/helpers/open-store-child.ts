// Child process of tests/api/mongo-store.test.ts: opens the store the way `npm start` does (server/runtime.ts openStore) with
// the environment it is given, and prints one JSON line: how long opening took and the error message. Module loading
// is not timed (a loaded two-core machine can take many seconds just to start tsx).
import { loadConfig } from '../../server/config.js';
import { openStore } from '../../server/runtime.js';

const config = loadConfig();
const t0 = performance.now();
try {
  const store = await openStore(config);
  await store.close();
  process.stdout.write(`${JSON.stringify({ ok: true, ms: performance.now() - t0 })}\n`);
} catch (err) {
  process.stdout.write(
    `${JSON.stringify({ ok: false, ms: performance.now() - t0, message: (err as Error).message })}\n`,
  );
}
process.exit(0);
