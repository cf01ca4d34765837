// The MongoDB-wire test engine (FerretDB 1.24 over SQLite, built by `scripts/setup.sh --with-test-tools` into
// tools/bin/ferretdb) as a child process on a free loopback port. Used by the run's global setup and by tests that
// kill and restart the engine.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openMongoStore, type MongoStore } from '../../server/store/mongo/index.js';

export const ferretBinary = fileURLToPath(new URL('../../tools/bin/ferretdb', import.meta.url));
export const ferretAvailable = fs.existsSync(ferretBinary);
/** Put into the describe name of every test that needs the engine, so a skipped run says what to do. */
export const needsFerret = '[needs FerretDB: run scripts/setup.sh --with-test-tools]';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface MongoEngine {
  uri: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** SIGKILL (a crash), resolves when the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, then removes the data directory unless keepData. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startMongoEngine(opts: { port?: number; dir?: string } = {}): Promise<MongoEngine> {
  const port = opts.port ?? (await freePort());
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-ferretdb-'));
  const child = spawn(ferretBinary, ['--port', String(port), '--dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`FerretDB did not start within 20 s: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited (${code}): ${output}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  return {
    uri: `mongodb://127.0.0.1:${port}/schichtbuch`,
    port,
    dir,
    process: child,
    async kill() {
      if (!gone()) child.kill('SIGKILL');
      await exited;
    },
    async stop(stopOpts = {}) {
      if (!gone()) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      if (!stopOpts.keepData && !opts.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same URI with the database name replaced, keeping credentials and query options. */
export function withDatabase(base: string, dbName: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(base);
  if (!match) throw new Error(`MONGODB_URI is not a mongodb:// URI: ${base}`);
  return `${match[1]}/${dbName}${match[2] ?? ''}`;
}

/** Database URIs of their own on one engine, for tests that hand a URI to a CLI or an app; dropAll() drops them. */
export function scratchDatabases(baseUri: string, prefix: string): { fresh(): string; dropAll(): Promise<void> } {
  let counter = 0;
  const created: string[] = [];
  return {
    fresh() {
      const uri = withDatabase(baseUri, `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`);
      created.push(uri);
      return uri;
    },
    async dropAll() {
      for (const uri of created) {
        const s = await openMongoStore(uri, { ensureIndexes: false }).catch(() => null);
        await s?.dropDatabase().catch(() => undefined);
        await s?.close();
      }
    },
  };
}

/** A MongoDB store on a database of its own; close() drops that database. */
export async function openTestMongoStore(baseUri: string, prefix = 'schichtbuch_test'): Promise<MongoStore> {
  const store = await openMongoStore(withDatabase(baseUri, `${prefix}_${crypto.randomBytes(6).toString('hex')}`));
  const close = store.close.bind(store);
  return Object.assign(store, {
    async close() {
      try {
        await store.dropDatabase();
      } finally {
        await close();
      }
    },
  });
}
