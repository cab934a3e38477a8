// Picks and builds the store for the configured database.
import type { Store } from '../core/ports.js';
import { sqliteAdminStore, sqliteAuthStore } from './sqlite-admin.js';
import { sqliteAssignmentStore } from './sqlite-assignments.js';
import { sqliteLabelStore } from './sqlite-labels.js';
import { openSqlite, type Sqlite } from './sqlite.js';
import { Statements } from './statements.js';

export interface SqliteStore extends Store {
  readonly sqlite: Sqlite;
}

export function createSqliteStore(path: string): SqliteStore {
  const sqlite = openSqlite(path);
  const s = new Statements(sqlite);
  return {
    sqlite,
    ...sqliteAuthStore(s),
    ...sqliteLabelStore(s),
    ...sqliteAssignmentStore(s),
    ...sqliteAdminStore(s),
    async ping() {
      return s.one<{ ok: number }>('SELECT 1 AS ok')?.ok === 1;
    },
    async close() {
      if (sqlite.open) {
        if (sqlite.pragma('journal_mode', { simple: true }) === 'wal') sqlite.pragma('wal_checkpoint(TRUNCATE)');
        sqlite.close();
      }
    },
  };
}

export function createStore(url: string): SqliteStore {
  if (/^postgres(ql)?:\/\//.test(url)) throw new Error('PostgreSQL storage is not available yet; use a SQLite path');
  return createSqliteStore(url);
}
