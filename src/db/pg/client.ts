// A thin layer over a `pg` pool: `?` placeholders (numbered $n here, always bound, never interpolated),
// bigint/count columns as JS numbers, and write transactions that are SERIALIZABLE and retried on
// serialization failures and deadlocks — so every store method is one atomic unit of work that behaves as
// if it ran alone, across every instance sharing the database (what BEGIN IMMEDIATE gives on SQLite).
import pLimit, { type LimitFunction } from 'p-limit';
import pg from 'pg';
import { invalid } from '../../core/errors.js';
import { errorCode as code, Memos, type Db, type MemoScope, type Q, type SqlDialect, type StorageEventListener, type WriteScope } from '../store/db.js';
import { Availability, isConnectionLoss } from './health.js';
import { HungQueries } from './hung-queries.js';
import { pgJsonOrderKeys } from './json-order.js';

/** A LIMIT or OFFSET whose value PostgreSQL's planner cannot read (SqlDialect.pageBound). */
const HIDDEN_BOUND = '(SELECT CAST(? AS bigint))';

export const PG_SQL: SqlDialect = {
  inList: (expr, type) => `${expr} = ANY(?::${type === 'int' ? 'bigint' : 'text'}[])`,
  inSelect: (expr, select) => `${expr} = ANY(ARRAY(${select}))`,
  list: (values) => values,
  // The list hidden from the planner (a scalar subquery): knowing its length, PostgreSQL costed the plan for that
  // list below the plan for any list, and so planned the statement again for every request (50–80 µs of its CPU,
  // more than running it) where one plan serves all. Each value is then looked up by key in the statements here.
  listTable: (alias, type) => `unnest((SELECT CAST(? AS ${type === 'int' ? 'bigint' : 'text'}[]))) WITH ORDINALITY AS ${alias}(value, key)`,
  contains: (haystack) => `strpos(${haystack}, ?) > 0`,
  nocase: (expr) => `lower(${expr})`,
  noLimit: null,
  pageBound: HIDDEN_BOUND,
  // Hidden from the planner like any page bound: without statistics it then plans the walk, not a sort.
  pageLimit: (limit) => [HIDDEN_BOUND, [limit]],
  isUniqueViolation: (e) => code(e) === '23505',
  // The transaction is aborted: run the unit of work again; its checks then see the twin.
  raced: async (e: unknown): Promise<never> => {
    throw new RetryTransaction(e);
  },
  // Never backwards: the sequence may already be past the imported ids.
  afterExplicitIds: (table) =>
    `SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest((SELECT max(id) FROM ${table}), (SELECT last_value FROM ${table}_id_seq)))`,
  // setval(n, false) would hand out n next: with no row, the next id is 1.
  restartIds: (used) => `SELECT ${used.map(([t, n]) => `setval(pg_get_serial_sequence('${t}', 'id'), ${Math.max(1, Math.trunc(n))}, ${n > 0})`).join(', ')}`,
  // SQLite's json_extract order (json-order.ts; resources_workspace_size_idx holds the same keys).
  jsonOrderKeys: pgJsonOrderKeys,
};

const INT8 = 20;
const NUMERIC = 1700;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 || oid === NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

const numbered = new Map<string, string>();
/** `?` → `$1, $2, …` (the SQL here never has a `?` inside a literal). Cached per SQL text. */
export function toPg(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let i = 0;
    out = sql.replace(/\?/g, () => `$${++i}`);
    if (numbered.size > 2048) numbered.clear();
    numbered.set(sql, out);
  }
  return out;
}

const MAX_PREPARED = 200;
const prepared = new Map<string, string>();
const sightings = new Map<string, number>();
/**
 * A statement's name once it has run twice, so each pooled connection parses and plans it once (a third
 * of a point query's time on the server). The first 200 statements that repeat get names; SQL built from
 * client input that repeats after that runs unnamed, so the statements kept per connection stay bounded.
 */
function preparedName(text: string): string | undefined {
  const name = prepared.get(text);
  if (name !== undefined || prepared.size >= MAX_PREPARED) return name;
  const seen = (sightings.get(text) ?? 0) + 1;
  if (seen < 2) {
    if (sightings.size > 4096) sightings.clear();
    sightings.set(text, seen);
    return undefined;
  }
  sightings.delete(text);
  const fresh = `labelmux_${prepared.size + 1}`;
  prepared.set(text, fresh);
  return fresh;
}

/** Thrown inside a transaction to have it rolled back and run again (e.g. a unique index settled a race). */
export class RetryTransaction extends Error {
  constructor(override readonly cause: unknown) {
    super('transaction must be retried');
  }
}

const isRetryable = (e: unknown): boolean => e instanceof RetryTransaction || code(e) === '40001' || code(e) === '40P01';

const hasNul = (v: unknown): boolean => (typeof v === 'string' ? v.includes('\0') : Array.isArray(v) && v.some(hasNul));
/**
 * PostgreSQL text cannot hold U+0000 (the server refuses the whole statement), so a value with one can be
 * neither stored nor found: a client's mistake, refused as such before the query runs (never a 500).
 */
function refuseNul(params: unknown[]): void {
  for (const p of params) {
    if (hasNul(p)) throw invalid('text', 'nul', 'text must not contain the NUL character (U+0000)');
  }
}

const MAX_ATTEMPTS = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A statement on a checked-out client, watched for a hung server (the pool watches its own queries). */
async function watched<T>(hung: HungQueries, client: pg.PoolClient, run: () => Promise<T>): Promise<T> {
  hung.begin(client);
  try {
    return await run();
  } finally {
    hung.end(client);
  }
}

function queries(c: pg.Pool | pg.PoolClient, before: () => Promise<void>, hung?: HungQueries): Q {
  const query = async (sql: string, params: unknown[]) => {
    refuseNul(params);
    await before();
    const text = toPg(sql);
    const name = preparedName(text);
    const config = { text, values: params, types, ...(name !== undefined && { name }) };
    return hung ? watched(hung, c as pg.PoolClient, () => c.query(config)) : c.query(config);
  };
  return {
    async all<T>(sql: string, ...params: unknown[]) {
      return (await query(sql, params)).rows as T[];
    },
    async one<T>(sql: string, ...params: unknown[]) {
      return (await query(sql, params)).rows[0] as T | undefined;
    },
    async run(sql: string, ...params: unknown[]) {
      return { changes: (await query(sql, params)).rowCount ?? 0 };
    },
  };
}

/** How long the driver waits for PostgreSQL (milliseconds); docs/operations.md ("Storage outages") gives the defaults' reasons. */
export interface PgTimeouts {
  /** A new connection, TCP and startup handshake (LABELMUX_PG_CONNECT_TIMEOUT); also a wait for a free pooled one. */
  connectMs?: number;
  /** One statement (LABELMUX_PG_STATEMENT_TIMEOUT): the server cancels it; the client gives up 0.5–1 s later (hung-queries.ts). */
  statementMs?: number;
  /** A transaction left idle by a stalled instance (LABELMUX_PG_IDLE_IN_TRANSACTION_TIMEOUT): the server ends it. */
  idleInTransactionMs?: number;
}

export const PG_TIMEOUT_DEFAULTS = { connectMs: 5000, statementMs: 15_000, idleInTransactionMs: 30_000 } as const;

export class PgDb implements Db {
  readonly kind = 'postgres' as const;
  readonly sql = PG_SQL;
  readonly pool: pg.Pool;
  /** Outage detection: queries are refused at once while PostgreSQL is known to be down. */
  readonly health: Availability;
  private readonly auto: Q;
  private readonly hung: HungQueries;
  /** Resolves once migrations have run; every query waits for it. */
  ready: Promise<void> = Promise.resolve();

  /**
   * A connection of its own, outside the pool and without statement timeouts, for migrations: an index build on
   * a large table may take minutes. A lost connection fails its query, never the process.
   */
  async connectUnbounded(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: this.connectMs, keepAlive: true });
    client.on('error', () => {});
    await client.connect();
    return client;
  }
  private readonly connectMs: number;

  constructor(
    private readonly url: string,
    max = 10,
    timeouts: PgTimeouts = {},
    onEvent?: StorageEventListener,
  ) {
    const t = {
      connectMs: timeouts.connectMs ?? PG_TIMEOUT_DEFAULTS.connectMs,
      statementMs: timeouts.statementMs ?? PG_TIMEOUT_DEFAULTS.statementMs,
      idleInTransactionMs: timeouts.idleInTransactionMs ?? PG_TIMEOUT_DEFAULTS.idleInTransactionMs,
    };
    this.connectMs = t.connectMs;
    this.pool = new pg.Pool({
      connectionString: url,
      max,
      connectionTimeoutMillis: t.connectMs,
      statement_timeout: t.statementMs,
      idle_in_transaction_session_timeout: t.idleInTransactionMs,
      keepAlive: true,
    });
    // A stopped (SIGSTOP) or cut-off server cancels nothing: the client stops waiting itself, without a timer
    // per statement (pg's query_timeout; hung-queries.ts says what those cost).
    this.hung = new HungQueries(t.statementMs);
    this.hung.watch(this.pool);
    this.health = new Availability(() => this.pool.query('SELECT 1'), onEvent);
    // A connection error must never crash the process: an idle client's reaches the pool's listener (the
    // pool drops the client), a checked-out client's (mid-transaction) its own listener — its query fails too.
    this.pool.on('error', (e) => this.health.suspect(e));
    this.pool.on('connect', (client) => client.on('error', (e) => this.health.suspect(e)));
    this.auto = queries(this.pool, () => this.ready);
  }

  all<T>(sql: string, ...params: unknown[]) {
    return this.guarded(() => this.auto.all<T>(sql, ...params));
  }
  one<T>(sql: string, ...params: unknown[]) {
    return this.guarded(() => this.auto.one<T>(sql, ...params));
  }
  run(sql: string, ...params: unknown[]) {
    return this.guarded(() => this.auto.run(sql, ...params));
  }

  /** A lone statement: refused at once during an outage; a lost connection or timeout becomes UNAVAILABLE. */
  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    this.health.check();
    try {
      return await fn();
    } catch (e) {
      throw this.health.failed(e);
    }
  }

  /**
   * Runs fn in one SERIALIZABLE transaction, retried (from the start) on serialization failures. First attempts
   * run concurrently; an instance's retries take turns (one at a time), because racing this instance's other
   * writes only made them fail again: 50 concurrent creates in one category exhausted 30 attempts for 5 of
   * 750. In turn, a retry races only first attempts and other instances.
   */
  write<T>(fn: (q: Q) => Promise<T>, _scope?: WriteScope): Promise<T> {
    return this.transaction('BEGIN ISOLATION LEVEL SERIALIZABLE', fn, this.retryLane);
  }
  private readonly retryLane = pLimit(1);

  /** A lone statement: atomic without a transaction (see Db.writeOne). */
  writeOne<T>(_scope: WriteScope, sql: string, ...params: unknown[]): Promise<T | undefined> {
    return this.one<T>(sql, ...params);
  }

  async writeRun(_scope: WriteScope, sql: string, ...params: unknown[]): Promise<number> {
    return (await this.run(sql, ...params)).changes;
  }

  /** Several reads on one consistent snapshot. */
  read<T>(fn: (q: Q) => Promise<T>): Promise<T> {
    return this.transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
  }

  private async transaction<T>(begin: string, fn: (q: Q) => Promise<T>, lane?: LimitFunction): Promise<T> {
    await this.ready;
    this.health.check();
    const client = await this.pool.connect().catch((e: unknown) => {
      throw this.health.failed(e);
    });
    // Checked out for a transaction: busy only while one of its statements runs.
    this.hung.end(client);
    const q = queries(client, async () => {}, this.hung);
    const send = (sql: string) => watched(this.hung, client, () => client.query(sql));
    let broken = false;
    /** One attempt: its result, or the retryable error it failed with (others are thrown). */
    const attempt = async (): Promise<{ out: T } | { retry: unknown }> => {
      await send(begin);
      try {
        const out = await fn(q);
        await send('COMMIT');
        return { out };
      } catch (e) {
        // The connection is gone or hung: no ROLLBACK to wait for (the server rolls back what did not commit).
        if (isConnectionLoss(e)) throw e;
        await send('ROLLBACK').catch((err: unknown) => {
          broken = true;
          throw err;
        });
        if (!isRetryable(e)) throw e;
        return { retry: e };
      }
    };
    const attempts = async (from: number): Promise<T> => {
      for (let n = from; ; n++) {
        const r = await attempt();
        if ('out' in r) return r.out;
        if (n >= MAX_ATTEMPTS) throw r.retry instanceof RetryTransaction ? r.retry.cause : r.retry;
        await sleep(Math.random() * Math.min(50, 2 * n));
      }
    };
    try {
      if (!lane) return await attempts(1);
      const first = await attempt();
      if ('out' in first) return first.out;
      return await lane(() => attempts(2));
    } catch (e) {
      if (isConnectionLoss(e)) broken = true;
      throw this.health.failed(e);
    } finally {
      // A broken client is destroyed, not pooled: its connection may be dead or still busy with a hung query.
      client.release(broken);
    }
  }

  /**
   * Several instances share the database: an answer is reused only by a read whose snapshot sees the very same
   * committed transactions as the one it was computed in. A snapshot's text (`xmin:xmax:running xids`) changes
   * exactly when a transaction ends: xmax is one past the latest completed transaction, and the running list
   * loses one that ends below it. So equal texts see the same rows, whichever instance wrote them; a
   * transaction merely running (even writing) changes neither. `within` is the read compute runs in
   * (REPEATABLE READ: one snapshot for all its statements); without one (credential lookups) compute runs.
   */
  async memo<T>(key: string, compute: () => Promise<T>, _of?: MemoScope, within?: Q): Promise<T> {
    if (within === undefined) return compute();
    const snapshot = (await within.one<{ s: string }>('SELECT pg_current_snapshot()::text AS s'))!.s;
    return this.memos.get(key, snapshot, null, compute);
  }
  private readonly memos = new Memos();

  /** False at once during an outage; else whether `SELECT 1` answers (within the timeouts, once started). */
  async ping(): Promise<boolean> {
    if (!this.health.up) return false;
    try {
      return (await this.one<{ ok: number }>('SELECT 1 AS ok'))?.ok === 1;
    } catch {
      return false;
    }
  }

  private closing: Promise<void> | undefined;
  /** Ends the pool once (later calls wait for the same end). */
  close(): Promise<void> {
    this.health.close();
    this.hung.close();
    this.closing ??= this.ready.catch(() => {}).then(() => this.pool.end());
    return this.closing;
  }
}
