// A cache of prepared statements keyed by SQL text: every query is prepared once and parameterized.
import type Database from 'better-sqlite3';
import { Memos, type MemoScope, type WriteScope } from '../store/db.js';

/** Operations queued behind a running one before more are refused: a bounded queue, never an unbounded backlog. */
const MAX_WAITING = 4096;
const MAX_READERS = 1024;

/**
 * A query read in raw mode (arrays), its rows made objects here. better-sqlite3 builds row objects property
 * by property through V8's slow path: this is ~40% faster on a 10,000-row list and ~3× on a 20-row page of
 * 13 columns. Each statement gets its own row builder, an object literal of its columns compiled once
 * (`new Function`, column names quoted by JSON.stringify): a loop of keyed stores shared by every statement is
 * megamorphic, ~0.45 µs per 14-column row against ~0.05 µs, and its objects share no shape for the mappers.
 */
export class RowReader {
  private readonly st: Database.Statement;
  private readonly object: (row: unknown[]) => unknown;
  constructor(db: Database.Database, sql: string) {
    this.st = db.prepare(sql).raw(true);
    this.object = rowBuilder(this.st.columns().map((c) => c.name));
  }

  all<T>(...params: unknown[]): T[] {
    const rows = this.st.all(...params) as unknown[][];
    const out = new Array<T>(rows.length);
    for (let i = 0; i < rows.length; i++) out[i] = this.object(rows[i]!) as T;
    return out;
  }

  get<T>(...params: unknown[]): T | undefined {
    const row = this.st.get(...params) as unknown[] | undefined;
    return row === undefined ? undefined : (this.object(row) as T);
  }
}

/** `(row) => ({ "a": row[0], "b": row[1], … })` for these column names; a repeated name keeps its last value. */
export function rowBuilder(columns: readonly string[]): (row: unknown[]) => unknown {
  const members = columns.map((name, i) => `${JSON.stringify(name)}: row[${i}]`);
  // A name such as __proto__ is an ordinary own property here, as with better-sqlite3's own row objects:
  // a quoted "__proto__" key in a literal would set the prototype instead, so such names are assigned.
  if (columns.includes('__proto__')) {
    return (row) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) Object.defineProperty(o, columns[i]!, { value: row[i], enumerable: true, writable: true, configurable: true });
      return o;
    };
  }
  // Names are quoted by JSON.stringify; values are never code.
  return new Function('row', `return { ${members.join(', ')} };`) as (row: unknown[]) => unknown;
}

export class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly readers = new Map<string, RowReader>();
  /** Bumped by every write through this object; `PRAGMA data_version` moves when other connections commit. */
  private generation = 0;
  /** Bumped by every write that may change credentials or memberships: those declared 'any'. */
  private authGeneration = 0;
  /** Bumped by every write that may change label rows: all but writes declared 'no-label-rows'. */
  private labelGeneration = 0;
  /** The scope of the write running now ('any' outside writes: a bare `run` may change anything). */
  private scope: WriteScope = 'any';
  private readonly dataVersion: Database.Statement;
  /**
   * Remembered answers, one bounded map per scope: a client reading many different labels' paths or totals
   * never pushes key lookups out (each would then be read again).
   */
  private readonly memos: Readonly<Record<MemoScope, Memos>> = { any: new Memos(), auth: new Memos(), labels: new Memos() };
  constructor(readonly db: Database.Database) {
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /**
   * `compute()`, or its value from an earlier call with the same key if the database has not changed since:
   * no write through this connection and no commit by another (several processes may share the file).
   * For aggregates that walk many rows, such as the total of a list page.
   * `of: 'auth'` is for answers that only credentials, users, workspaces and memberships decide (a key's
   * lookup): writes declared 'content' (labels, assignments, their events) or 'no-label-rows' leave those
   * remembered. `of: 'labels'` is for answers that label rows alone decide (a label list's total): writes
   * declared 'no-label-rows' (assignments, resources, counters) leave those remembered. The value is kept
   * under the stamp read before computing, so a write meanwhile makes it stale.
   */
  memo<T>(key: string, compute: () => Promise<T>, of: MemoScope = 'any'): Promise<T> {
    return this.memos[of].get(key, this.stampOf(of), this.otherCommits(), compute);
  }

  /** memo()'s remembered value when it is still valid, without a promise; undefined when it must be computed. */
  memoNow<T>(key: string, of: MemoScope = 'any'): T | undefined {
    return this.memos[of].peek<T>(key, this.stampOf(of), this.otherCommits());
  }

  /** The write generation that decides remembered answers of a scope. */
  private stampOf(of: MemoScope): number {
    return of === 'auth' ? this.authGeneration : of === 'labels' ? this.labelGeneration : this.generation;
  }

  /** Marks remembered answers (memo) stale after a write of the current scope. */
  private changed(): void {
    this.generation++;
    if (this.scope !== 'no-label-rows') this.labelGeneration++;
    if (this.scope === 'any') this.authGeneration++;
  }

  /**
   * `PRAGMA data_version`, read once per turn of the event loop: it moves when another connection commits.
   * Requests handled in one turn are answered as of its start, which is when their bytes had arrived; a
   * commit by another process is seen by the next turn. Read in the turn's read transaction (readInTurn).
   */
  private otherCommits(): number {
    if (this.dataVersionNow === null) {
      this.readInTurn();
      this.dataVersionNow = this.dataVersion.get() as number;
      this.endOfTurn();
    }
    return this.dataVersionNow;
  }
  private dataVersionNow: number | null = null;

  /**
   * Reads outside a write or a read of their own (Db.read) share one deferred transaction per turn of the event
   * loop, begun by the first of them and committed when the turn ends: the snapshot the documented semantics
   * already promise (a turn's requests are answered as of its start). A statement on its own begins and ends a
   * read transaction of its own, which in WAL mode takes and releases a lock on the -shm file and checks the
   * database file (three system calls, about 5 µs: more than a point read's own work); `PRAGMA data_version` and
   * a point read paid it twice per request. A write ends the turn's transaction first (its group begins with
   * BEGIN IMMEDIATE); a read of its own (Db.read) runs inside it.
   */
  private readInTurn(): void {
    // In the turn's transaction, a write group's or a Db.read's, the read joins it. A group whose transaction
    // SQLite rolled back (a full disk) must find none when it ends: the read then runs on its own.
    if (this.db.inTransaction || this.group) return;
    this.get('BEGIN').run();
    this.turnRead = true;
    this.endOfTurn();
  }
  /** Forgets the turn's data_version and ends its read transaction once the turn is over. */
  private endOfTurn(): void {
    if (this.turnEnding) return;
    this.turnEnding = true;
    setImmediate(this.endTurn);
  }
  private turnRead = false;
  private turnEnding = false;
  /** Set when the turn ended while a write or read held the connection: its transaction ends at release. */
  private endReadAtRelease = false;
  private readonly endTurn = () => {
    this.turnEnding = false;
    this.dataVersionNow = null;
    if (!this.turnRead) return;
    if (this.holder) this.endReadAtRelease = true;
    else this.leaveTurnRead();
  };

  /** Ends the turn's read transaction now, if one is open (before a write, a close, an integrity check). */
  leaveTurnRead(): void {
    if (!this.turnRead) return;
    this.turnRead = false;
    this.endReadAtRelease = false;
    this.dataVersionNow = null; // the next read begins a new snapshot: other connections' commits may show
    if (!this.db.inTransaction) return; // SQLite ended it (an I/O error)
    try {
      this.get('COMMIT').run();
    } catch {
      // Nothing was written in it: a read transaction that cannot commit is simply let go.
      if (this.db.inTransaction) this.get('ROLLBACK').run();
    }
  }

  get(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  /** Rows as objects (see RowReader). */
  all<T>(sql: string, ...params: unknown[]): T[] {
    this.readInTurn();
    return this.reader(sql).all<T>(...params);
  }

  one<T>(sql: string, ...params: unknown[]): T | undefined {
    this.readInTurn();
    return this.reader(sql).get<T>(...params);
  }

  private reader(sql: string): RowReader {
    let r = this.readers.get(sql);
    if (!r) {
      r = new RowReader(this.db, sql);
      // Bounded for SQL built from client input (filter and sort combinations): the oldest goes first; a
      // statement in use again is prepared again (lookups stay one Map.get, no recency bookkeeping).
      if (this.readers.size >= MAX_READERS) this.readers.delete(this.readers.keys().next().value!);
      this.readers.set(sql, r);
    }
    return r;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    this.changed();
    return this.get(sql).run(...params);
  }

  /**
   * The async write (Db.write): fn runs alone on the connection (others wait their turn, in order), in a
   * savepoint of the turn's group, so it commits with the group's other writes and is rolled back alone if it
   * throws. Settles once committed.
   */
  async writeAsync<T>(fn: () => Promise<T>, scope: WriteScope): Promise<T> {
    await this.acquire();
    let value: T;
    let group: NonNullable<typeof this.group> | null;
    try {
      this.leaveTurnRead();
      if (this.group && !this.db.inTransaction) this.settleGroup(this.rolledBack());
      // Inside a transaction someone else began on this connection: a savepoint in it, committed by them.
      group = !this.group && this.db.inTransaction ? null : (this.group ?? this.openGroup());
      const outer = this.scope;
      this.scope = scope;
      this.get('SAVEPOINT labelmux_write').run();
      try {
        value = await fn();
        this.get('RELEASE labelmux_write').run();
      } catch (e) {
        // SQLite may have rolled the whole transaction back already (a full disk): then there is no savepoint,
        // and the group's earlier writes are gone too; they learn why (rolledBack).
        if (this.db.inTransaction) (this.get('ROLLBACK TO labelmux_write').run(), this.get('RELEASE labelmux_write').run());
        else this.rollbackCause = e;
        throw e;
      } finally {
        this.changed();
        this.scope = outer;
      }
    } finally {
      this.release();
    }
    if (!group) return value;
    return new Promise<T>((resolve, reject) => group.push({ resolve: () => resolve(value), reject }));
  }

  /**
   * Several reads on one snapshot (Db.read): alone on the connection like a write, inside one deferred
   * transaction unless a group is open (whose transaction is the snapshot then).
   */
  async readAsync<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      if (this.db.inTransaction) return await fn();
      this.get('BEGIN').run();
      try {
        return await fn();
      } finally {
        if (this.db.inTransaction) this.get('COMMIT').run();
      }
    } finally {
      this.release();
    }
  }

  /** True while an async write or read holds the connection: a read outside it must wait its turn. */
  get busy(): boolean {
    return this.holder;
  }

  /** Waits until no write or read holds the connection (the read then runs in the same microtask). */
  async turn(): Promise<void> {
    await this.acquire();
    this.release();
  }

  private holder = false;
  private readonly waiters: Array<() => void> = [];
  private commitWhenIdle = false;

  private acquire(): Promise<void> {
    if (!this.holder) {
      this.holder = true;
      return Promise.resolve();
    }
    if (this.waiters.length >= MAX_WAITING) {
      return Promise.reject(Object.assign(new Error(`more than ${MAX_WAITING} database operations are waiting; try again`), { code: 'EBUSY' }));
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private release(): void {
    if (this.endReadAtRelease) this.leaveTurnRead(); // before the next holder: it must not read an old turn's snapshot
    const next = this.waiters.shift();
    if (next) return next(); // handed over: still held
    this.holder = false;
    if (this.commitWhenIdle) {
      this.commitWhenIdle = false;
      if (this.group) this.commitGroup();
    }
  }

  /** Commits the open group now (before the database closes). */
  flush(): void {
    this.leaveTurnRead();
    if (this.group) this.commitGroup();
  }

  private group: Array<{ resolve: () => void; reject: (e: unknown) => void }> | null = null;

  private openGroup() {
    this.get('BEGIN IMMEDIATE').run();
    const group: NonNullable<typeof this.group> = [];
    this.group = group;
    setImmediate(() => {
      if (this.group !== group) return;
      // A write still running (awaiting) would be committed half done: commit once the connection is free.
      if (this.holder) this.commitWhenIdle = true;
      else this.commitGroup();
    });
    return group;
  }

  private commitGroup(): void {
    if (!this.db.inTransaction) return this.settleGroup(this.rolledBack());
    try {
      this.get('COMMIT').run();
    } catch (e) {
      if (this.db.inTransaction) this.get('ROLLBACK').run();
      return this.settleGroup(e);
    }
    this.settleGroup(null);
  }

  /** What a write learns when SQLite rolled its group back under it: the cause's code (e.g. SQLITE_FULL), kept for the caller. */
  private rolledBack(): Error {
    const cause = this.rollbackCause;
    this.rollbackCause = undefined;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? (cause as { code: unknown }).code : undefined;
    return Object.assign(new Error('the write transaction was rolled back', { cause }), code === undefined ? {} : { code });
  }
  private rollbackCause: unknown;

  /** Resolves the group's writes (committed) or rejects them all with `error` (rolled back). */
  private settleGroup(error: unknown): void {
    const group = this.group!;
    this.group = null;
    // Rolled back: answers remembered since the group began may hold its writes.
    if (error !== null) (this.generation++, this.labelGeneration++, this.authGeneration++);
    for (const w of group) if (error === null) w.resolve(); else w.reject(error);
  }
}
