// Picks and builds the store for the configured database.
import { createPgStore, type PgStore } from './pg/index.js';
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';

export type { DatabaseStore } from './store/index.js';
export type { Db, Q } from './store/db.js';
export { createPgStore, type PgStore, type PgStoreOptions } from './pg/index.js';
export { createSqliteStore, DatabaseFileError, type BackupResult, type IntegrityMode, type SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';

/**
 * The store for LABELMUX_DB: a postgres:// (or postgresql://) URL selects the PostgreSQL store (several
 * instances may share it), anything else is a SQLite file path. Options about SQLite files are ignored for
 * PostgreSQL.
 */
export function createStore(url: string, options: SqliteStoreOptions = {}): SqliteStore | PgStore {
  return /^postgres(ql)?:\/\//.test(url) ? createPgStore(url) : createSqliteStore(url, options);
}
