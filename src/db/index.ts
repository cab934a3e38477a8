// Picks and builds the store for the configured database.
import type { Store } from '../core/ports.js';
import { sqliteAdminStore, sqliteAuthStore } from './sqlite-admin.js';
import { sqliteAssignmentStore } from './sqlite-assignments.js';
import { sqliteAnnotationStore } from './sqlite-annotations.js';
import { sqliteLabelStore } from './sqlite-labels.js';
import { sqliteLimboStore } from './sqlite-limbo.js';
import { sqlitePathStore } from './sqlite-paths.js';
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
    ...sqlitePathStore(s),
    ...sqliteAnnotationStore(s),
    ...sqliteLimboStore(s),
    async consume(scope, subject, day, n, limit) {
      return s.write(() => {
        const row = s.one<{ count: number }>(`SELECT count FROM counters WHERE scope = ? AND subject = ? AND day = ?`, scope, subject, day);
        const count = row?.count ?? 0;
        if (count + n > limit) return { allowed: false, count };
        s.run(
          `INSERT INTO counters (scope, subject, day, count) VALUES (?,?,?,?) ON CONFLICT (scope, subject, day) DO UPDATE SET count = count + excluded.count`,
          scope, subject, day, n,
        );
        return { allowed: true, count: count + n };
      });
    },
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
