import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseByteSize } from '../../server/config.js';

/** The ConfigError thrown for `env`, or a failure if the configuration was accepted. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error(`configuration was accepted: ${JSON.stringify(env)}`);
}

/** Names of the variables a ConfigError blames. */
const blamed = (env: Record<string, string | undefined>) => problemsOf(env).map((p) => p.split(':')[0]);

describe('loadConfig defaults', () => {
  const cfg = loadConfig({});

  it('listens on 0.0.0.0:8080 in development', () => {
    expect(cfg.PORT).toBe(8080);
    expect(cfg.HOST).toBe('0.0.0.0');
    expect(cfg.NODE_ENV).toBe('development');
  });

  it('resolves DATA_DIR and UPLOADS_DIR to absolute paths against the working directory', () => {
    expect(cfg.DATA_DIR).toBe('./data');
    expect(path.isAbsolute(cfg.dataDir)).toBe(true);
    expect(cfg.dataDir).toBe(path.resolve(process.cwd(), 'data'));
    expect(path.isAbsolute(cfg.uploadsDir)).toBe(true);
    expect(cfg.uploadsDir).toBe(path.resolve(process.cwd(), 'uploads'));
  });

  it('resolves relative and keeps absolute directories', () => {
    const custom = loadConfig({ DATA_DIR: 'var/archiv', UPLOADS_DIR: '/srv/schichtbuch/uploads' });
    expect(custom.dataDir).toBe(path.resolve(process.cwd(), 'var/archiv'));
    expect(custom.uploadsDir).toBe('/srv/schichtbuch/uploads');
  });

  it('has the documented limits and an embedded search', () => {
    expect(cfg.JSON_BODY_LIMIT).toBe(1024 * 1024);
    expect(cfg.UPLOAD_MAX_BYTES).toBe(20 * 1024 ** 3);
    expect(cfg.WORKER_CONCURRENCY).toBe(1);
    expect(cfg.WORKERS_IN_PROCESS).toBe(true);
    expect(cfg.MEILI_URL).toBeUndefined();
    expect(cfg.MEILI_PORT).toBe(0);
    expect(cfg.MONGODB_URI).toBeUndefined();
    expect(cfg.cookieSecure).toBe(false);
  });

  it('reads process.env when no environment is passed', () => {
    // vitest.config.ts sets NODE_ENV=test and LOG_LEVEL=silent for the test run
    const fromProcess = loadConfig();
    expect(fromProcess.NODE_ENV).toBe('test');
    expect(fromProcess.LOG_LEVEL).toBe('silent');
  });
});

describe('loadConfig errors', () => {
  it('speaks German first and English second', () => {
    try {
      loadConfig({ PORT: 'abc' });
      expect.unreachable('PORT=abc was accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const error = err as ConfigError;
      expect(error.name).toBe('ConfigError');
      expect(error.message).toMatch(/^Ungültige Konfiguration \/ invalid configuration/);
      expect(error.problems).toEqual(['PORT: erwartet eine Portnummer (expected a port number)']);
      expect(error.message).toContain(error.problems[0]);
    }
  });

  it.each([
    ['PORT', { PORT: 'abc' }, /Portnummer.*expected a port number/],
    ['PORT', { PORT: '70000' }, /Portnummer/],
    ['MEILI_URL', { MEILI_URL: 'nope' }, /expected a URL/],
    ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.org' }, /gemeinsam.*set both or neither/],
    ['ADMIN_EMAIL', { ADMIN_PASSWORD: 'glück-auf-kumpel-1987' }, /set both or neither/],
    ['MEILI_MASTER_KEY', { MEILI_MASTER_KEY: 'k'.repeat(24) }, /only with MEILI_URL/],
    ['UPLOAD_MAX_BYTES', { UPLOAD_MAX_BYTES: 'lots' }, /expected a size/],
    ['WORKER_CONCURRENCY', { WORKER_CONCURRENCY: '-1' }, /./],
    ['ADMIN_EMAIL', { ADMIN_EMAIL: 'kein-at-zeichen', ADMIN_PASSWORD: 'glück-auf-kumpel-1987' }, /e-mail address/],
    ['ADMIN_PASSWORD', { ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: 'kurz' }, /at least 12 characters/],
    ['MONGODB_URI', { MONGODB_URI: 'postgres://db/archive' }, /mongodb/],
    ['COOKIE_SECURE', { COOKIE_SECURE: 'vielleicht' }, /true oder false/],
  ] as const)('names %s when it is bad (%j)', (name, env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(`${name}: `)).toBe(true);
    expect(problems[0]).toMatch(message);
  });

  it('names every bad variable at once', () => {
    expect(
      blamed({ PORT: 'abc', MEILI_URL: 'nope', UPLOAD_MAX_BYTES: 'lots', WORKER_CONCURRENCY: '-1' }).sort(),
    ).toEqual(['MEILI_URL', 'PORT', 'UPLOAD_MAX_BYTES', 'WORKER_CONCURRENCY']);
  });

  it('accepts the variables that belong together when they come together', () => {
    const cfg = loadConfig({
      ADMIN_EMAIL: 'admin@example.org',
      ADMIN_PASSWORD: 'glück-auf-kumpel-1987',
      MEILI_URL: 'http://127.0.0.1:7700',
      MEILI_MASTER_KEY: 'k'.repeat(24),
    });
    expect(cfg.ADMIN_EMAIL).toBe('admin@example.org');
    expect(cfg.MEILI_URL).toBe('http://127.0.0.1:7700');
    expect(cfg.MEILI_MASTER_KEY).toBe('k'.repeat(24));
  });
});

describe('loadConfig values', () => {
  it.each([
    ['2GiB', 2147483648],
    ['500MB', 500000000],
    ['1048576', 1048576],
    ['1.5kib', 1536],
    ['4 GiB', 4 * 1024 ** 3],
    ['10b', 10],
  ])('parses the size %s as %i bytes', (text, bytes) => {
    expect(loadConfig({ UPLOAD_MAX_BYTES: text }).UPLOAD_MAX_BYTES).toBe(bytes);
    expect(parseByteSize(text)).toBe(bytes);
  });

  it('parses JSON_BODY_LIMIT with the same size syntax', () => {
    expect(loadConfig({ JSON_BODY_LIMIT: '64KiB' }).JSON_BODY_LIMIT).toBe(65536);
  });

  it('parseByteSize rejects what is not a size', () => {
    expect(() => parseByteSize('lots')).toThrow();
    expect(() => parseByteSize('12 parsecs')).toThrow();
  });

  it('coerces numbers and booleans and trims whitespace', () => {
    const cfg = loadConfig({ PORT: ' 9000 ', WORKER_CONCURRENCY: '4', WORKERS_IN_PROCESS: 'no', COOKIE_SECURE: '1' });
    expect(cfg.PORT).toBe(9000);
    expect(cfg.WORKER_CONCURRENCY).toBe(4);
    expect(cfg.WORKERS_IN_PROCESS).toBe(false);
    expect(cfg.cookieSecure).toBe(true);
  });

  it('counts empty and blank strings as unset', () => {
    const cfg = loadConfig({
      PORT: '',
      DATA_DIR: '   ',
      MEILI_URL: '',
      MEILI_MASTER_KEY: '',
      ADMIN_EMAIL: '',
      ADMIN_PASSWORD: ' ',
      UPLOAD_MAX_BYTES: '',
      WORKER_CONCURRENCY: '',
      MONGODB_URI: '',
      PUBLIC_URL: '',
    });
    expect(cfg.PORT).toBe(8080);
    expect(cfg.dataDir).toBe(path.resolve(process.cwd(), 'data'));
    expect(cfg.MEILI_URL).toBeUndefined();
    expect(cfg.ADMIN_EMAIL).toBeUndefined();
    expect(cfg.UPLOAD_MAX_BYTES).toBe(20 * 1024 ** 3);
    expect(cfg.WORKER_CONCURRENCY).toBe(1);
    expect(cfg.MONGODB_URI).toBeUndefined();
    // an empty ADMIN_PASSWORD next to a set ADMIN_EMAIL is still "ADMIN_EMAIL without ADMIN_PASSWORD"
    expect(blamed({ ADMIN_EMAIL: 'admin@example.org', ADMIN_PASSWORD: '' })).toEqual(['ADMIN_PASSWORD']);
  });

  it('ignores variables it does not know', () => {
    const cfg = loadConfig({ HOME: '/root', SCHICHTBUCH_UNKNOWN: 'x' }) as unknown as Record<string, unknown>;
    expect(cfg.HOME).toBeUndefined();
    expect(cfg.SCHICHTBUCH_UNKNOWN).toBeUndefined();
  });

  it('derives cookieSecure from an https PUBLIC_URL unless COOKIE_SECURE says otherwise', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://archiv.example.org' }).cookieSecure).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'http://archiv.example.org' }).cookieSecure).toBe(false);
    expect(loadConfig({}).cookieSecure).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'https://archiv.example.org', COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(loadConfig({ PUBLIC_URL: 'http://localhost:8080', COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
  });
});
