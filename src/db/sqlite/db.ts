// The store's query interface (../store/db.ts) on SQLite: better-sqlite3 is synchronous, so each query
// resolves at once; the machinery measured for one connection stays underneath (statement cache and row
// readers, group commit per event-loop turn with a savepoint per write, remembered answers: driver.ts).
import type { CoreError } from '../../core/errors.js';
import { errorCode, type Db, type Q, type SqlDialect, type StorageEventListener, type MemoScope, type WriteScope } from '../store/db.js';
import { json } from '../store/rows.js';
import { Statements } from './driver.js';
import { StorageHealth } from './health.js';
import type { Sqlite } from './open.js';

export const SQLITE_SQL: SqlDialect = {
  inList: (expr) => `${expr} IN (SELECT value FROM json_each(?))`,
  inSelect: (expr, select) => `${expr} IN (${select})`,
  list: (values) => json(values),
  listTable: (alias) => `json_each(?) AS ${alias}`,
  contains: (haystack) => `instr(${haystack}, ?) > 0`,
  nocase: (expr) => `${expr} COLLATE NOCASE`,
  noLimit: -1,
  pageBound: '?',
  pageLimit: (limit) => (Number.isSafeInteger(limit) && limit > 0 && limit <= 100 ? [String(limit), []] : ['?', [limit]]),
  isUniqueViolation: (e) => ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes(errorCode(e)),
  // The statement failed alone; the transaction goes on, so the twin can be read at once.
  raced: async (e: unknown, explain: () => Promise<CoreError | null>): Promise<never> => {
    throw (await explain()) ?? e;
  },
  afterExplicitIds: () => null,
  // AUTOINCREMENT keeps each table's highest id ever used here; no row yet means "max(id) + 1".
  restartIds: (used) =>
    `UPDATE sqlite_sequence SET seq = CASE name ${used.map(([t, n]) => `WHEN '${t}' THEN ${Math.trunc(n)}`).join(' ')} END WHERE name IN (${used.map(([t]) => `'${t}'`).join(', ')})`,
  // json_extract orders NULL, then numbers, then text: the order the other databases copy.
  jsonOrderKeys: (column, name) => [`json_extract(${column}, '$.${name}')`],
};

/**
 * Two real writes that leave nothing behind, needing writability and room for 64 KiB more: a row that fits a
 * half-empty page would pass on a disk where the next label does not. Two commits, because SQLite does not
 * write pages freed again before their transaction commits.
 */
const PROBE = [
  `INSERT INTO counters (scope, subject, day, count) VALUES ('labelmux:probe', zeroblob(65536), '', 0) ON CONFLICT DO NOTHING`,
  `DELETE FROM counters WHERE scope = 'labelmux:probe'`,
];

export class SqliteDb implements Db {
  readonly kind = 'sqlite' as const;
  readonly sql = SQLITE_SQL;
  readonly statements: Statements;
  /** The queries of a running write or read: it holds the connection, so they run at once. */
  private readonly inside: Q;
  /** Storage faults (full disk, read-only file, corruption, full queue) become UNAVAILABLE and steer ping(). */
  readonly health: StorageHealth;

  constructor(
    readonly sqlite: Sqlite,
    private readonly onEvent?: StorageEventListener,
  ) {
    this.health = new StorageHealth(onEvent);
    const s = (this.statements = new Statements(sqlite));
    this.inside = {
      all: async <T>(sql: string, ...params: unknown[]) => s.all<T>(sql, ...params),
      one: async <T>(sql: string, ...params: unknown[]) => s.one<T>(sql, ...params),
      run: async (sql: string, ...params: unknown[]) => ({ changes: s.run(sql, ...params).changes }),
    };
  }

  all<T>(sql: string, ...params: unknown[]): Promise<T[]> {
    return this.outside(() => this.statements.all<T>(sql, ...params));
  }

  one<T>(sql: string, ...params: unknown[]): Promise<T | undefined> {
    return this.outside(() => this.statements.one<T>(sql, ...params));
  }

  /** A read outside any write or read: once the connection is free, at once. */
  private async outside<T>(read: () => T): Promise<T> {
    try {
      if (this.statements.busy) await this.statements.turn();
      return read();
    } catch (e) {
      throw this.health.failed(e);
    }
  }

  /** A statement on its own is a write of its own. */
  run(sql: string, ...params: unknown[]): Promise<{ changes: number }> {
    return this.write((q) => q.run(sql, ...params));
  }

  async write<T>(fn: (q: Q) => Promise<T>, scope: WriteScope = 'any'): Promise<T> {
    try {
      const out = await this.statements.writeAsync(() => fn(this.inside), scope);
      this.health.succeeded();
      return out;
    } catch (e) {
      throw this.health.failed(e);
    }
  }

  writeOne<T>(scope: WriteScope, sql: string, ...params: unknown[]): Promise<T | undefined> {
    return this.write((q) => q.one<T>(sql, ...params), scope);
  }

  async writeRun(scope: WriteScope, sql: string, ...params: unknown[]): Promise<number> {
    return (await this.write((q) => q.run(sql, ...params), scope)).changes;
  }

  read<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return this.statements.readAsync(() => fn(this.inside)).catch((e: unknown) => {
      throw this.health.failed(e);
    });
  }

  memo<T>(key: string, compute: () => Promise<T>, of: MemoScope = 'any'): Promise<T> {
    return this.statements.memo(key, compute, of);
  }

  memoNow<T>(key: string, of: MemoScope = 'any'): T | undefined {
    return this.statements.memoNow<T>(key, of);
  }

  /** False while a storage fault lasts (a probe write may end it first); else whether `SELECT 1` answers. */
  async ping(): Promise<boolean> {
    await this.health.probe(async () => {
      await this.write((q) => q.run(PROBE[0]!), 'content');
      await this.write((q) => q.run(PROBE[1]!), 'content');
    });
    if (!this.health.ok) return false;
    return (await this.one<{ ok: number }>('SELECT 1 AS ok'))?.ok === 1;
  }

  /**
   * Commits what is pending, folds the WAL back into the file, and closes the connection (once). On a full disk
   * or read-only file the fold fails: the WAL stays beside the file, holding every commit, and the next start
   * folds it; the connection closes all the same.
   */
  async close(): Promise<void> {
    if (!this.sqlite.open) return;
    if (this.statements.busy) await this.statements.turn();
    if (!this.sqlite.open) return;
    this.statements.flush();
    try {
      if (this.sqlite.pragma('journal_mode', { simple: true }) === 'wal') this.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } catch (e) {
      this.onEvent?.('warn', `SQLite: the WAL could not be folded into the database file at close (${(e as Error).message}); the next start does it`);
    }
    this.sqlite.close();
  }
}
