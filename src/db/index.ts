// Picks and builds the store for the configured database.
import { createPgStore, type PgStore, type PgStoreOptions } from './pg/index.js';
import { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';

export type { DatabaseStore } from './store/index.js';
export type { Db, Q, StorageEventListener } from './store/db.js';
export { createPgStore, redactUrl, type PgStore, type PgStoreOptions } from './pg/index.js';
export { createSqliteStore, DatabaseFileError, type BackupResult, type IntegrityMode, type SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';

/**
 * The store for LABELMUX_DB: a postgres:// (or postgresql://) URL selects the PostgreSQL store (several
 * instances may share it), anything else is a SQLite file path. Options about SQLite files are ignored for
 * PostgreSQL, `pg` for SQLite; `onEvent` hears either store's health.
 */
export function createStore(url: string, options: SqliteStoreOptions & { pg?: PgStoreOptions } = {}): SqliteStore | PgStore {
  return /^postgres(ql)?:\/\//.test(url) ? createPgStore(url, { onEvent: options.onEvent, ...options.pg }) : createSqliteStore(url, options);
}
