// `npm run cli -- <command> [options]`: administration from the shell of the machine that holds the archive.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { AuthService } from './auth/service.js';
import { ConfigError, loadConfig } from './config.js';
import { configureLogger, moduleLogger } from './logger.js';
import { openStore, startSearch } from './runtime.js';
import { rebuildAll, searchIndexes } from './search/indexer.js';
import { createUserSchema } from './users/schemas.js';
import { UserService } from './users/service.js';
import { isPreservationCommand, preservationUsage, runPreservationCommand } from './preservation/cli.js';
import { MigrationError, migrateToMongo } from './store/migrate.js';

const usage = `Schichtbuch CLI

  npm run cli -- user:add --email E --role admin|curator|contributor|researcher --password P [--name "Anzeige Name"]
  npm run cli -- token:create --email E [--name N] [--expires-days D]   (shows the token once)
  npm run cli -- reindex                                                (rebuilds the search index from the store)
  npm run cli -- migrate --to "$MONGODB_URI" [--lock-seconds 60]
                                 (copies the embedded SQLite archive in DATA_DIR into MongoDB; idempotent, one run at a time)
${preservationUsage}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  configureLogger(process.env.LOG_LEVEL ?? 'warn');
  // before openStore: the source is always the embedded archive, even when MONGODB_URI is already set
  if (command === 'migrate') return runMigrate(rest, config.dataDir);
  const store = await openStore(config);
  try {
    if (isPreservationCommand(command)) return await runPreservationCommand(command, rest, config, store);
    switch (command) {
      case 'user:add': {
        const { values } = parseArgs({
          args: rest,
          options: {
            email: { type: 'string' },
            role: { type: 'string' },
            password: { type: 'string' },
            name: { type: 'string' },
          },
          strict: true,
        });
        const input = createUserSchema.safeParse({
          email: values.email,
          role: values.role,
          password: values.password,
          ...(values.name ? { displayName: values.name } : {}),
        });
        if (!input.success)
          return fail(input.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
        const user = await new UserService(store, moduleLogger('cli')).create(input.data);
        process.stdout.write(`${JSON.stringify({ id: user.id, email: user.email, role: user.role })}\n`);
        return 0;
      }
      case 'token:create': {
        const { values } = parseArgs({
          args: rest,
          options: { email: { type: 'string' }, name: { type: 'string' }, 'expires-days': { type: 'string' } },
          strict: true,
        });
        const parsed = z
          .object({
            email: z.email(),
            name: z.string().min(1).max(100),
            expiresDays: z.coerce.number().int().min(1).max(3650).optional(),
          })
          .safeParse({ email: values.email, name: values.name ?? 'cli', expiresDays: values['expires-days'] });
        if (!parsed.success)
          return fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
        const user = await store.users.findByEmail(parsed.data.email);
        if (!user) return fail(`no user with e-mail ${parsed.data.email}`);
        const auth = new AuthService(store, { sessionTtlHours: config.SESSION_TTL_HOURS, logger: moduleLogger('cli') });
        const { token, record } = await auth.createApiToken(user.id, parsed.data.name, parsed.data.expiresDays);
        process.stderr.write(`Token ${record.prefix}… für ${user.email} erstellt; es wird nur jetzt angezeigt:\n`);
        process.stdout.write(`${token}\n`);
        return 0;
      }
      case 'reindex': {
        const { search, sidecar } = await startSearch(config);
        try {
          const health = await search.health();
          if (!health.ok) return fail(`search is not reachable: ${health.error}`);
          const counts = await rebuildAll(
            store,
            searchIndexes(search, store, moduleLogger('cli')),
            moduleLogger('cli'),
          );
          process.stdout.write(`${JSON.stringify(counts)}\n`);
          return 0;
        } finally {
          search.stopMonitoring();
          await sidecar?.stop();
        }
      }
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(usage);
        return command ? 0 : 2;
      default:
        return fail(`unknown command ${command}\n\n${usage}`);
    }
  } finally {
    await store.close();
  }
}

/** Exit codes of `migrate` (README "Ein Archiv umziehen"): 0 verified, 1 not verified or failed, 2 usage, 3 foreign
 * target, 4 another run holds the target's lock, 130 interrupted (SIGINT/SIGTERM; the lock is released). */
const migrateExit = { 'foreign-target': 3, locked: 4, interrupted: 130 } as const;

async function runMigrate(args: string[], dataDir: string): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { to: { type: 'string' }, 'lock-seconds': { type: 'string' } },
    strict: true,
  });
  if (!values.to) return fail('migrate: --to mongodb://host:port/database is required (usually --to "$MONGODB_URI")');
  if (!/^mongodb(\+srv)?:\/\/[^/?#]+/.test(values.to))
    return fail(
      `migrate: --to must be a mongodb:// URI with a host, got "${values.to.replace(/\/\/[^@/]*@/, '//…@')}"`,
    );
  const lockSeconds = z.coerce.number().int().min(5).max(3600).optional().safeParse(values['lock-seconds']);
  if (!lockSeconds.success) return fail('migrate: --lock-seconds must be a whole number of seconds from 5 to 3600');
  // tests only: crash (SIGKILL) after this many documents, to prove that the next run resumes; hold the lock a while
  const testNumber = (name: string) => {
    const n = process.env[name] ? Number(process.env[name]) : NaN;
    return Number.isInteger(n) ? n : undefined;
  };
  const killAfter = testNumber('SCHICHTBUCH_MIGRATE_KILL_AFTER');
  const holdMs = testNumber('SCHICHTBUCH_MIGRATE_HOLD_MS');
  // SIGINT/SIGTERM: stop before the next write and release the lock (a second signal ends the process at once)
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`migrate: ${signal}: stopping before the next write, releasing the lock\n`);
    interrupt.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await migrateToMongo({
      dataDir,
      to: values.to,
      print: (line) => process.stdout.write(`${line}\n`),
      signal: interrupt.signal,
      ...(lockSeconds.data !== undefined ? { lockSeconds: lockSeconds.data } : {}),
      ...(killAfter !== undefined ? { crashAfterDocuments: killAfter } : {}),
      ...(holdMs !== undefined ? { holdMs } : {}),
    });
    return result.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof MigrationError) {
      process.stderr.write(`migrate: ${err.message}\n`);
      return err.kind in migrateExit ? migrateExit[err.kind as keyof typeof migrateExit] : 1;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(
      `${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exit(1);
  },
);
