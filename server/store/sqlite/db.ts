import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { migrate } from './migrations.js';

/** Opens (creating if needed) the archive database with the pragmas every connection needs, then migrates. */
export function openDatabase(file: string): Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // WAL + NORMAL is durable across application crashes; only an OS crash can lose the last transactions.
  db.pragma('synchronous = NORMAL');
  // Separate worker processes share the file: wait for a lock instead of failing at once.
  db.pragma('busy_timeout = 5000');
  // Case- and accent-insensitive matching for German names: "kruger" and "KRÜGER" both find "Krüger".
  db.function('fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldText(value) : null,
  );
  try {
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

export function foldText(value: string): string {
  return value.toLocaleLowerCase('de').replace(/ß/g, 'ss').normalize('NFD').replace(/\p{M}/gu, '');
}

const statementCache = new WeakMap<Database, Map<string, Statement>>();

/**
 * A prepared statement kept for the connection's lifetime, for the queries every search request runs (preparing costs
 * about as much as running them). Only for statements used one way: pluck()/raw() change a cached statement for all.
 */
export function cachedStatement(db: Database, sql: string): Statement {
  let statements = statementCache.get(db);
  if (!statements) statementCache.set(db, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = db.prepare(sql)));
  return statement;
}
