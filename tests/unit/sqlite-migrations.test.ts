import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/store/sqlite/db.js';
import { migrate, migrations, type Migration } from '../../server/store/sqlite/migrations.js';

const tableNames = (db: Database): string[] =>
  db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];

const recorded = (db: Database) =>
  db.prepare('SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
    appliedAt: string;
  }[];

describe('migrate', () => {
  let db: Database;
  beforeEach(() => {
    db = new BetterSqlite3(':memory:');
  });
  afterEach(() => {
    db.close();
  });

  it('applies every known migration once, in order, and records it', () => {
    const known = migrations.map((m) => m.version).sort((a, b) => a - b);
    expect(known.length).toBeGreaterThan(0);
    expect(new Set(known).size).toBe(known.length);

    expect(migrate(db)).toEqual(known);
    const rows = recorded(db);
    expect(rows.map((r) => r.version)).toEqual(known);
    for (const row of rows) {
      expect(row.name).toBe(migrations.find((m) => m.version === row.version)?.name);
      expect(new Date(row.appliedAt).toISOString()).toBe(row.appliedAt);
    }
    expect(tableNames(db)).toEqual(
      expect.arrayContaining(['api_tokens', 'collections', 'interviews', 'schema_migrations', 'sessions', 'users']),
    );
  });

  it('is idempotent: a second run applies nothing and changes nothing', () => {
    migrate(db);
    const before = { tables: tableNames(db), rows: recorded(db) };
    expect(migrate(db)).toEqual([]);
    expect(migrate(db)).toEqual([]);
    expect({ tables: tableNames(db), rows: recorded(db) }).toEqual(before);
  });

  it('applies only the migrations that are new', () => {
    const extra: Migration = {
      version: Math.max(...migrations.map((m) => m.version)) + 1,
      name: 'test: transcripts',
      up: (d) => d.exec('CREATE TABLE test_transcripts (id TEXT PRIMARY KEY) STRICT'),
    };
    migrate(db);
    expect(migrate(db, [...migrations, extra])).toEqual([extra.version]);
    expect(tableNames(db)).toContain('test_transcripts');
    expect(recorded(db).at(-1)).toMatchObject({ version: extra.version, name: 'test: transcripts' });
  });

  it('sorts a custom list by version before applying it', () => {
    const order: number[] = [];
    const make = (version: number): Migration => ({ version, name: `m${version}`, up: () => void order.push(version) });
    expect(migrate(db, [make(3), make(1), make(2)])).toEqual([1, 2, 3]);
    expect(order).toEqual([1, 2, 3]);
  });

  it('refuses a database whose schema is newer than the code knows', () => {
    migrate(db);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, ?)').run(
      'from the future',
      '2030-01-01T00:00:00.000Z',
    );
    expect(() => migrate(db)).toThrow(/999.*newer/);
  });

  it('rolls back a failing migration entirely: its table is gone and its version unrecorded', () => {
    const good: Migration = { version: 1, name: 'good', up: (d) => d.exec('CREATE TABLE kept (id INTEGER) STRICT') };
    const bad: Migration = {
      version: 2,
      name: 'bad',
      up(d) {
        d.exec('CREATE TABLE half_done (id INTEGER) STRICT');
        d.exec('INSERT INTO half_done VALUES (1)');
        throw new Error('migration 2 exploded');
      },
    };
    expect(() => migrate(db, [good, bad])).toThrow('migration 2 exploded');
    expect(tableNames(db)).toContain('kept');
    expect(tableNames(db)).not.toContain('half_done');
    expect(recorded(db).map((r) => r.version)).toEqual([1]);

    // once fixed, the migration runs on the next start
    const fixed: Migration = { ...bad, up: (d) => d.exec('CREATE TABLE half_done (id INTEGER) STRICT') };
    expect(migrate(db, [good, fixed])).toEqual([2]);
    expect(tableNames(db)).toContain('half_done');
  });

  it('rolls back a failing first migration on a fresh database', () => {
    const bad: Migration = {
      version: 1,
      name: 'bad',
      up(d) {
        d.exec('CREATE TABLE doomed (id INTEGER) STRICT');
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, [bad])).toThrow('boom');
    expect(tableNames(db)).not.toContain('doomed');
    expect(recorded(db)).toEqual([]);
  });
});

describe('openDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schichtbuch-migrations-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates missing parent directories, uses WAL and enforces foreign keys on a file database', () => {
    const file = path.join(dir, 'nested', 'archive.sqlite');
    const db = openDatabase(file);
    try {
      expect(fs.existsSync(file)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(() =>
        db
          .prepare(
            `INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, last_seen_at)
          VALUES ('s', 'no-such-user', 'c', 't', 't', 't')`,
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      db.close();
    }
  });

  it('enforces foreign keys in memory too', () => {
    const db = openDatabase(':memory:');
    try {
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    } finally {
      db.close();
    }
  });

  it('migrates on open and reopens an up-to-date file without applying anything', () => {
    const file = path.join(dir, 'archive.sqlite');
    openDatabase(file).close();
    const db = openDatabase(file);
    try {
      expect(recorded(db).map((r) => r.version)).toEqual(migrations.map((m) => m.version).sort((a, b) => a - b));
      expect(migrate(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses to open a file whose schema version is newer than the code knows', () => {
    const file = path.join(dir, 'archive.sqlite');
    const db = openDatabase(file);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, ?)').run(
      'from the future',
      '2030-01-01T00:00:00.000Z',
    );
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this program knows/);
  });
});
