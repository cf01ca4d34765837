// The one validated configuration module. Every environment variable the archive reads is declared here,
// documented in README.md ("Configuration"), and checked once at start-up.
import path from 'node:path';
import { z } from 'zod';
import de from 'zod/v4/locales/de.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'erwartet true oder false (expected true or false)' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const byteSize = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb|kib|mib|gib)?$/i, {
    error: 'erwartet eine Größe wie 4GiB, 500MB oder 1048576 (expected a size such as 4GiB)',
  })
  .transform(parseByteSize);

/** Seconds, or a number with s, min/m or h: `8h`, `90min`, `3600`. */
const durationSec = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(s|m|min|h)?$/i, {
    error: 'erwartet eine Dauer wie 8h, 90min oder 3600 (expected a duration such as 8h)',
  })
  .transform((v) => {
    const [, n, unit = 's'] = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(v.trim()) ?? [];
    const factor = ({ s: 1, '': 1, m: 60, min: 60, h: 3600 } as Record<string, number>)[unit.toLowerCase()] ?? 1;
    return Math.round(Number(n) * factor);
  });

const port = z.coerce.number({ error: 'erwartet eine Portnummer (expected a port number)' }).int().min(0).max(65535);

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port.default(8080),
    PUBLIC_URL: z.url({ error: 'erwartet eine absolute URL (expected an absolute URL)' }).optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    UPLOADS_DIR: z.string().min(1).default('./uploads'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    MEILI_URL: z.url({ error: 'erwartet eine URL wie http://127.0.0.1:7700 (expected a URL)' }).optional(),
    MEILI_MASTER_KEY: z.string().min(16, { error: 'mindestens 16 Zeichen (at least 16 characters)' }).optional(),
    MEILI_BINARY: z.string().min(1).optional(),
    MEILI_PORT: port.default(0),
    MEILI_MAX_INDEXING_MEMORY: z.string().default('256MiB'),
    // the German lexicon's decompounder (server/search/decompound.ts) beside the curated vocabulary; reindex after a change
    SEARCH_DECOMPOUNDER: bool.default(true),
    SEARCH_INDEX_PREFIX: z
      .string()
      .regex(/^[a-zA-Z0-9_-]*$/, { error: 'nur Buchstaben, Ziffern, _ und - (letters, digits, _ and - only)' })
      .default(''),

    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, { error: 'erwartet mongodb://… (expected mongodb://…)' })
      .optional(),

    ADMIN_EMAIL: z.email({ error: 'erwartet eine E-Mail-Adresse (expected an e-mail address)' }).optional(),
    ADMIN_PASSWORD: z.string().min(12, { error: 'mindestens 12 Zeichen (at least 12 characters)' }).optional(),

    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .default(24 * 14),
    COOKIE_SECURE: bool.optional(),
    TRUST_PROXY: z.string().default('loopback'),
    LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
    LOGIN_RATE_WINDOW_MINUTES: z.coerce.number().positive().default(15),

    JSON_BODY_LIMIT: byteSize.default(1024 * 1024),
    UPLOAD_MAX_BYTES: byteSize.default(20 * 1024 ** 3),
    // unfinished resumable (tus) uploads are removed this long after they were started
    UPLOAD_EXPIRY_HOURS: z.coerce.number().positive().default(24),
    WORKER_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(1),
    WORKERS_IN_PROCESS: bool.default(true),
    // a worker process touches this file every few seconds while its job loop runs (a container health check reads its age)
    WORKER_HEALTH_FILE: z.string().min(1).optional(),
    MAP_TILE_URL: z
      .string()
      .regex(/^https:\/\/[^\s"<>]+\{z\}[^\s"<>]*$/, {
        error: 'erwartet eine https-Kachel-URL mit {z}/{x}/{y} (expected an https tile URL with {z}/{x}/{y})',
      })
      .optional(),
    MAP_TILE_ATTRIBUTION: z.string().max(300).default('© OpenStreetMap-Mitwirkende'),
    JOB_LEASE_SECONDS: z.coerce.number().min(1).max(3600).optional(),
    // narrator review and withdrawal
    REVIEW_INVITATION_DAYS: z.coerce.number().int().min(1).max(365).default(42),
    REVIEW_RATE_LIMIT: z.coerce.number().int().positive().default(10),
    // how narrators reach the archive (name and phone number), shown on the review pages and the invitation letter
    ARCHIVE_CONTACT: z.string().max(200).optional(),
    WITHDRAWAL_GRACE_DAYS: z.coerce.number().min(0).max(3650).default(30),
    // signed media URLs for interviews that are not public: how long a copied URL keeps working (plus the medium's duration)
    MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(10).max(86_400).default(900),
    MEDIA_URL_SECRET: z.string().min(32, { error: 'mindestens 32 Zeichen (at least 32 characters)' }).optional(),
    // OAI-PMH at /oai (server/oai/)
    OAI_REPOSITORY_NAME: z.string().max(200).default('Schichtbuch – Oral-History-Archiv'),
    OAI_REPOSITORY_IDENTIFIER: z
      .string()
      .regex(/^[a-zA-Z][a-zA-Z0-9-]*(\.[a-zA-Z][a-zA-Z0-9-]*)+$/, {
        error: 'erwartet einen Domainnamen wie archiv.example.org (expected a domain name)',
      })
      .optional(),
    OAI_ADMIN_EMAIL: z.email({ error: 'erwartet eine E-Mail-Adresse (expected an e-mail address)' }).optional(),
    OAI_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(100),
    OAI_RIGHTS_URI: z
      .url({ error: 'erwartet eine URI, z. B. http://rightsstatements.org/vocab/InC/1.0/ (expected a URI)' })
      .default('http://rightsstatements.org/vocab/InC/1.0/'),
    // preservation (issue 15): fixity audit speed and cycle, the organisation named in exported bags
    FIXITY_MAX_MBPS: z.coerce.number().min(0).max(100_000).default(25),
    FIXITY_INTERVAL_DAYS: z.coerce.number().positive().max(3650).default(90),
    BAG_SOURCE_ORGANIZATION: z.string().min(1).max(200).default('Schichtbuch – Oral-History-Archiv Ferropolis'),
    // automatic transcription and alignment (server/asr): an OpenAI-compatible server, or whisper.cpp in-process
    ASR_URL: z.url({ error: 'erwartet eine URL wie http://127.0.0.1:8000/v1 (expected a URL)' }).optional(),
    ASR_API_KEY: z.string().min(1).optional(),
    ASR_MODEL: z.string().min(1).max(200).optional(),
    ASR_MODEL_PATH: z.string().min(1).optional(),
    ASR_CHUNK_SECONDS: z.coerce.number().int().min(30).max(7200).optional(),
    ASR_THREADS: z.coerce.number().int().min(1).max(64).optional(),
    // hardening (issue 11): what an upload may cost, who may read /metrics, how full the media store may get
    METRICS_TOKEN: z.string().min(16, { error: 'mindestens 16 Zeichen (at least 16 characters)' }).optional(),
    MEDIA_MAX_DURATION: durationSec.default(8 * 3600),
    MEDIA_MAX_PIXELS: z.coerce
      .number()
      .int()
      .positive()
      .default(7680 * 4320),
    MEDIA_URL_MAX_TTL: durationSec.default(6 * 3600),
    STORAGE_RESERVE: byteSize.default(2 * 1024 ** 3),
    LOGIN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  })
  .strict();

/** Rules between variables; checked on the raw values so that they are reported together with per-variable errors. */
function crossChecks(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
    problems.push(
      `${env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'}: ADMIN_EMAIL und ADMIN_PASSWORD nur gemeinsam setzen (set both or neither)`,
    );
  }
  if (env.ASR_URL && env.ASR_MODEL_PATH) {
    problems.push(
      'ASR_MODEL_PATH: entweder ASR_URL (Dienst) oder ASR_MODEL_PATH (whisper.cpp im Prozess), nicht beides (set one of them)',
    );
  }
  if (env.MEILI_MASTER_KEY && !env.MEILI_URL) {
    problems.push(
      'MEILI_MASTER_KEY: nur zusammen mit MEILI_URL; das eingebettete Meilisearch erzeugt seinen Schlüssel selbst (only with MEILI_URL)',
    );
  }
  return problems;
}

type RawConfig = z.output<typeof configSchema>;

export interface Config extends RawConfig {
  /** Absolute paths, resolved once against the working directory. */
  dataDir: string;
  uploadsDir: string;
  cookieSecure: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ungültige Konfiguration / invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws a ConfigError naming every bad variable. Empty strings count as unset. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') relevant[key] = value.trim();
  }
  const parsed = configSchema.safeParse(relevant, { error: de().localeError });
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`)),
    ...crossChecks(relevant),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const cfg = parsed.data;
  return {
    ...cfg,
    dataDir: path.resolve(cfg.DATA_DIR),
    uploadsDir: path.resolve(cfg.UPLOADS_DIR),
    cookieSecure: cfg.COOKIE_SECURE ?? cfg.PUBLIC_URL?.startsWith('https://') ?? false,
  };
}

export function parseByteSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!match) throw new Error(`not a size: ${text}`);
  const units: Record<string, number> = {
    '': 1,
    b: 1,
    kb: 1e3,
    mb: 1e6,
    gb: 1e9,
    kib: 1024,
    mib: 1024 ** 2,
    gib: 1024 ** 3,
  };
  const factor = units[(match[2] ?? '').toLowerCase()];
  if (factor === undefined) throw new Error(`unknown unit in ${text}`);
  return Math.floor(Number(match[1]) * factor);
}

/** For the entry points (server, worker): a bad configuration ends the process with exit code 2 and the problems. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
}
