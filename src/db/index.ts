// Picks and builds the store for the configured database.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Store } from '../core/ports.js';
import { sqliteAdminStore, sqliteAuthStore } from './sqlite-admin.js';
import { sqliteAssignmentStore } from './sqlite-assignments.js';
import { sqliteAnnotationStore } from './sqlite-annotations.js';
import { catalogStore } from './store/catalog.js';
import { crossWorkspaceLabelStore } from './store/cross-workspace-labels.js';
import { grantStore } from './store/grants.js';
import { labelStore } from './store/labels.js';
import { oauthStore } from './store/oauth.js';
import { SqliteDb } from './sqlite/db.js';
import { sqlitePathStore } from './sqlite-paths.js';
import { createPgStore, type PgStore } from './pg/index.js';
import { BACKSTOP_PAGES, startCheckpointer } from './sqlite/checkpointer.js';
import { openSqlite, type Sqlite } from './sqlite/open.js';

export interface SqliteStore extends Store {
  readonly sqlite: Sqlite;
  /**
   * An online, consistent copy of the database in a new file `path` (SQLite's backup API), taken while other
   * connections — a running server — keep writing. Not a core port: only composition roots (the CLI) call it.
   */
  backup(path: string): Promise<BackupResult>;
}

export interface BackupResult {
  file: string;
  pages: number;
  bytes: number;
}

export interface StoreOptions {
  /**
   * SQLite: checkpoint the WAL from a worker thread instead of inside commits (src/db/checkpointer.ts). For
   * a long-running server; short-lived users (the CLI, tests) keep SQLite's automatic checkpoints.
   */
  backgroundCheckpoints?: boolean;
  /** Hears that background checkpoints failed (the server logs it); the store carries on without them. */
  onCheckpointError?: (err: Error) => void;
}

export function createSqliteStore(path: string, options: StoreOptions = {}): SqliteStore {
  const sqlite = openSqlite(path);
  const db = new SqliteDb(sqlite);
  const s = db.statements;
  const wal = sqlite.pragma('journal_mode', { simple: true }) === 'wal';
  const checkpointer = options.backgroundCheckpoints && wal ? startCheckpointer(path, options.onCheckpointError) : null;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  return {
    sqlite,
    ...sqliteAuthStore(s),
    ...labelStore(db),
    ...sqliteAssignmentStore(s),
    ...sqliteAdminStore(s),
    ...sqlitePathStore(s),
    ...sqliteAnnotationStore(s),
    ...oauthStore(db),
    ...grantStore(db),
    ...crossWorkspaceLabelStore(db),
    ...catalogStore(db),
    async consume(scope, subject, day, n, limit) {
      return s.writeContent(() => {
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
    async readCounter(scope, subject, day) {
      return s.one<{ count: number }>(`SELECT count FROM counters WHERE scope = ? AND subject = ? AND day = ?`, scope, subject, day)?.count ?? 0;
    },
    async pruneCounters(scope, before) {
      return s.writeContent(() => s.run(`DELETE FROM counters WHERE scope = ? AND day < ?`, scope, before).changes);
    },
    backup: (path) => backupTo(sqlite, path),
    async ping() {
      return s.one<{ ok: number }>('SELECT 1 AS ok')?.ok === 1;
    },
    async close() {
      await checkpointer?.stop();
      if (sqlite.open) {
        s.flush();
        if (wal) sqlite.pragma('wal_checkpoint(TRUNCATE)');
        sqlite.close();
      }
    },
  };
}

/**
 * Copies into `<path>.partial-<pid>` and renames it to `path` once complete and checked, so an interrupted
 * backup never leaves a file that looks finished. An existing `path` is refused rather than overwritten.
 * All pages go in one step, i.e. inside one read transaction: a writer in another process would restart a
 * page-by-page backup each time it commits, and in WAL mode one read transaction never blocks writers.
 */
async function backupTo(sqlite: Sqlite, path: string): Promise<BackupResult> {
  if (existsSync(path)) throw Object.assign(new Error(`${path} already exists; choose a new file name`), { code: 'EEXIST' });
  if (!existsSync(dirname(path))) throw Object.assign(new Error(`the directory of ${path} does not exist`), { code: 'ENOENT' });
  const partial = `${path}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    const { totalPages } = await sqlite.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    renameSync(partial, path);
    return { file: path, pages: totalPages, bytes: statSync(path).size };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

/**
 * The store for LABELMUX_DB: a postgres:// (or postgresql://) URL selects the PostgreSQL store (several
 * instances may share it), anything else is a SQLite file path. The PostgreSQL store has no SQLite handle
 * and no file backup (use pg_dump); it answers both with a clear error.
 */
export function createStore(url: string, options: StoreOptions = {}): SqliteStore {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const store = createPgStore(url);
    const backup = async (): Promise<BackupResult> => {
      throw Object.assign(new Error('backup copies SQLite files; back up a PostgreSQL database with pg_dump'), { code: 'ENOTSUP' });
    };
    return Object.defineProperties(store, {
      sqlite: {
        get(): Sqlite {
          throw new Error('this store is PostgreSQL, not SQLite');
        },
      },
      backup: { value: backup },
    }) as PgStore & SqliteStore;
  }
  return createSqliteStore(url, options);
}
