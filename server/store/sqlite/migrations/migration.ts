// The shape of one schema migration (server/store/sqlite/migrations.ts runs them in order).
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /**
   * Rebuilds a table (SQLite cannot alter a CHECK): foreign keys are switched off around the transaction, as the
   * SQLite manual prescribes, so that dropping the old table cascades nowhere; foreign_key_check runs before commit.
   */
  rebuildsTables?: boolean;
  up(db: Database): void;
}
