// The one query interface the store logic (src/db/store/*) is written against, implemented by the SQLite
// driver (src/db/sqlite/driver.ts) and the PostgreSQL driver (src/db/pg/client.ts). SQL is written once with
// `?` placeholders; what really differs between the two databases is in the small `SqlDialect` table.
import type { CoreError } from '../../core/errors.js';

export interface Q {
  /** The rows as objects. */
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** The first row, or undefined. */
  one<T>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** Runs a statement; `changes` is the number of rows it inserted, updated or deleted. */
  run(sql: string, ...params: unknown[]): Promise<{ changes: number }>;
}

/**
 * What a write may change: 'any'; only 'content' (labels, resources, assignments, their events and
 * counters), which leaves remembered credential lookups (`memo(…, 'auth')`) standing; or no label row
 * ('no-label-rows': assignments, resources, their events, counters), which also leaves answers that label
 * rows alone decide (`memo(…, 'labels')`, such as a label list's total) standing.
 */
export type WriteScope = 'any' | 'content' | 'no-label-rows';

/** What decides a remembered answer (Db.memo): any row, credentials and memberships only, or label rows only. */
export type MemoScope = 'any' | 'auth' | 'labels';

export interface Db extends Q {
  readonly kind: 'sqlite' | 'postgres';
  /** The SQL that differs between the databases. */
  readonly sql: SqlDialect;
  /**
   * Runs fn as one atomic unit of work that behaves as if it ran alone, and settles once it is committed.
   * fn must use only the `q` it is given (never this Db, never another `write`): SQLite runs one write at a
   * time on its connection, PostgreSQL runs it in one serializable transaction and may run fn again.
   */
  write<T>(fn: (q: Q) => Promise<T>, scope?: WriteScope): Promise<T>;
  /**
   * One writing statement as a unit of work of its own, run the cheapest way: PostgreSQL sends it alone (a
   * lone statement is atomic; a transaction would add BEGIN and COMMIT round trips to hot paths such as a
   * request's counter), SQLite runs it as a write of `scope` in the turn's group commit, so remembered
   * answers (memo) learn what it may have changed. Its first RETURNING row.
   */
  writeOne<T>(scope: WriteScope, sql: string, ...params: unknown[]): Promise<T | undefined>;
  /** writeOne for a statement without RETURNING: the number of rows it changed. */
  writeRun(scope: WriteScope, sql: string, ...params: unknown[]): Promise<number>;
  /** Several reads on one consistent snapshot. */
  read<T>(fn: (q: Q) => Promise<T>): Promise<T>;
  /**
   * `compute()`, or its value from an earlier call with the same key while the database has not changed
   * (SQLite: no write through this connection, no commit by another process). For aggregates over many rows
   * and for credential lookups; `of: 'auth'` answers survive writes declared 'content' or 'no-label-rows',
   * `of: 'labels'` answers those declared 'no-label-rows'. PostgreSQL, shared by several instances, remembers
   * only answers computed `within` a read (the `q` of `read`), whatever `of`: reused while no transaction has
   * ended since, seen from that read's snapshot (pg/client.ts); without `within` it computes.
   */
  memo<T>(key: string, compute: () => Promise<T>, of?: MemoScope, within?: Q): Promise<T>;
  /**
   * The value `memo(key, …, of)` would answer without computing, when it is remembered and still valid now;
   * undefined otherwise (then call memo). Lets a request's hot path skip a promise. Drivers that remember
   * nothing outside a read (PostgreSQL) leave it out.
   */
  memoNow?<T>(key: string, of?: MemoScope): T | undefined;
  /**
   * True when the database answers a trivial query and nothing known keeps it from serving (PostgreSQL: no
   * outage; SQLite: the last write did not fail for want of space or writability, no corruption seen).
   */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A driver error's code (SQLITE_…, a SQLSTATE, ECONNREFUSED …), or '' when it has none. */
export const errorCode = (e: unknown): string => (typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code ?? '') : '');

/**
 * Hears what the driver notices about the database's health (an outage begins or ends, a full disk, a
 * corrupt page): the server logs it; `error` marks a state that needs an operator or makes /readyz fail.
 */
export type StorageEventListener = (level: 'info' | 'warn' | 'error', message: string) => void;

/** The parameter types a list parameter may hold. */
export type ListType = 'int' | 'text';

export interface SqlDialect {
  /** `expr` is one of the list parameter's values: `IN (SELECT value FROM json_each(?))` / `= ANY(?::bigint[])`. */
  inList(expr: string, type: ListType): string;
  /**
   * `expr` is one of the ids `select` returns, the select run once and the ids then looked up by key:
   * `expr IN (select)` / `expr = ANY(ARRAY(select))` (an array PostgreSQL's planner cannot turn into a join
   * driven from the other side, which it chose on un-analyzed tables). Write the other side's indexed terms
   * `+column` so they do not compete with the key.
   */
  inSelect(expr: string, select: string): string;
  /** The list parameter's value: JSON text on SQLite, an array on PostgreSQL. */
  list(values: readonly unknown[]): unknown;
  /** A table `alias(value, key)` of the list parameter's values with their 0- or 1-based position (`key`, ascending in list order). */
  listTable(alias: string, type: ListType): string;
  /** `needle` (a parameter) occurs in `haystack`, literally (no wildcards). */
  contains(haystack: string): string;
  /** `expr` compared and ordered ignoring ASCII case. */
  nocase(expr: string): string;
  /** The LIMIT parameter for "no limit". */
  readonly noLimit: number | null;
  /**
   * A page's LIMIT or OFFSET parameter where the page walks an index in its order: `?` / a value PostgreSQL's
   * planner cannot read. Without statistics PostgreSQL takes a workspace for a few hundred rows, and for a
   * bound past that guess sorted the whole workspace instead of walking (100,000 labels: 36–82 ms at offset
   * 1,000 against 0.6 ms); not knowing the bound, it plans for a first fraction of the rows: the walk. Also any
   * integer a statement's one plan must serve whatever its value (a merge's workspace ids): a value the planner
   * reads can make it plan the statement again for every request.
   */
  readonly pageBound: string;
  /**
   * A page's LIMIT as SQL text and its parameters: a page size of at most 100 written into the statement where the
   * database plans better knowing it (SQLite: a bounded sort of a label's rows, 20–25% less work per page
   * statement); otherwise `pageBound` and the value.
   */
  pageLimit(limit: number): [string, unknown[]];
  /** True when e is a unique index's (or primary key's) refusal. */
  isUniqueViolation(e: unknown): boolean;
  /**
   * A unique index refused a write of this unit of work, i.e. a concurrent twin won a race the checks before
   * it could not see. SQLite (the transaction goes on) throws what `explain()` finds — the twin as a
   * CoreError — or e; PostgreSQL (the transaction is aborted) restarts the unit of work, whose checks then
   * see the twin.
   */
  raced(e: unknown, explain: () => Promise<CoreError | null>): Promise<never>;
  /** After rows inserted with explicit ids: the statement moving `table`'s id sequence past them (PostgreSQL), or null (SQLite's AUTOINCREMENT follows by itself). */
  afterExplicitIds(table: string): string | null;
  /**
   * After tables were emptied and refilled with ids 1..`used` (a reset to fixtures): one statement making each
   * table's next id `used` + 1 again, so a reset numbers rows the same way every time.
   */
  restartIds(used: readonly (readonly [table: string, used: number])[]): string;
  /**
   * The ORDER BY keys (each given the direction) that order a JSON member of a text column as SQLite orders
   * `json_extract(col, '$.name')`: missing or null, then numbers (booleans as 0 and 1), then text and JSON.
   */
  jsonOrderKeys(column: string, name: string): string[];
}

/** Keys remembered at most by a Memos (the oldest is forgotten first). */
const MAX_MEMOS = 256;

/**
 * The drivers' remembered answers (Db.memo): each value kept under the two stamps it was computed at (SQLite:
 * its write generation and the other connections' data_version; PostgreSQL: the read's snapshot) and reused
 * only while both are the same.
 */
export class Memos {
  private readonly memos = new Map<string, { a: unknown; b: unknown; value: unknown }>();

  /** The value remembered for `key` under these stamps, or undefined. */
  peek<T>(key: string, a: unknown, b: unknown): T | undefined {
    const hit = this.memos.get(key);
    return hit !== undefined && hit.a === a && hit.b === b ? (hit.value as T) : undefined;
  }

  /** `compute()`, or the value remembered for `key` under the same stamps. */
  async get<T>(key: string, a: unknown, b: unknown, compute: () => Promise<T>): Promise<T> {
    const hit = this.memos.get(key);
    if (hit !== undefined && hit.a === a && hit.b === b) return hit.value as T;
    const value = await compute();
    if (!this.memos.has(key) && this.memos.size >= MAX_MEMOS) this.memos.delete(this.memos.keys().next().value!);
    this.memos.set(key, { a, b, value });
    return value;
  }
}
