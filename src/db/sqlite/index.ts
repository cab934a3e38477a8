// The SQLite store: the shared store logic over one better-sqlite3 connection (SqliteDb), plus what only a
// SQLite file has: background WAL checkpoints and online backups.
import type { Sqlite } from './open.js';
import { openSqlite } from './open.js';
import { storeOver, type DatabaseStore } from '../store/index.js';
import { backupTo, type BackupResult } from './backup.js';
import { BACKSTOP_PAGES, startCheckpointer } from './checkpointer.js';
import { SqliteDb } from './db.js';
import { integrityProblems, type IntegrityMode } from './file-checks.js';
import type { StorageEventListener } from '../store/db.js';

export type { BackupResult } from './backup.js';
export { DatabaseFileError, type IntegrityMode } from './file-checks.js';

export interface SqliteStore extends DatabaseStore {
  readonly kind: 'sqlite';
  readonly sqlite: Sqlite;
  /**
   * An online, consistent copy of the database in a new file `path` (SQLite's backup API), taken while other
   * connections — a running server — keep writing. Not a core port: only composition roots (the CLI) call it.
   */
  backup(path: string): Promise<BackupResult>;
  /** SQLite's check of the file's pages and indexes ('full': integrity_check, 'quick': quick_check): the problems found, [] when intact. */
  checkIntegrity(mode: IntegrityMode): Promise<string[]>;
}

export interface SqliteStoreOptions {
  /**
   * Checkpoint the WAL from a worker thread instead of inside commits (checkpointer.ts). For a long-running
   * server; short-lived users (the CLI, tests) keep SQLite's automatic checkpoints.
   */
  backgroundCheckpoints?: boolean;
  /** Hears that background checkpoints failed (the server logs it); the store carries on without them. */
  onCheckpointError?: (err: Error) => void;
  /** Hears storage faults at run time and their end (a full disk, a read-only file, corruption). */
  onEvent?: StorageEventListener;
}

export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const sqlite = openSqlite(path);
  const db = new SqliteDb(sqlite, options.onEvent);
  const checkpointer = options.backgroundCheckpoints && sqlite.pragma('journal_mode', { simple: true }) === 'wal' ? startCheckpointer(path, options.onCheckpointError) : null;
  if (checkpointer) sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  return {
    kind: 'sqlite',
    sqlite,
    db,
    ...storeOver(db),
    backup: (file) => backupTo(sqlite, file),
    // Once no write of this process is half done; the pragma runs at once, outside a read transaction (whose
    // COMMIT a damaged file can fail).
    async checkIntegrity(mode) {
      if (db.statements.busy) await db.statements.turn();
      db.statements.leaveTurnRead();
      return integrityProblems(sqlite, mode);
    },
    async close() {
      await checkpointer?.stop();
      await db.close();
    },
  };
}
