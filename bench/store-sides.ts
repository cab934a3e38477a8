// What the store benches that compare two checkouts share (bench/label-totals.ts, bench/page-totals.ts): each
// checkout's store and copy modules loaded from its sources, and a PostgreSQL server's processes (their CPU:
// harness.ts's cpuOf); and a throwaway PostgreSQL server with copies of one SQLite database (bench/ab.ts, bench/point-reads.ts).
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseStore } from '../src/db/index.js';
import { copySqliteToPg } from '../src/db/pg/copy-from-sqlite.js';
import { openSqlite } from '../src/db/sqlite/open.js';
import { growSkewed, type Grown } from '../test/grow-skewed.js';
import { startPg, type PgServer } from '../test/pg/pg-server.js';
import { DATA } from './harness.js';

export interface StoreModule {
  createSqliteStore(path: string): DatabaseStore & { sqlite: unknown };
  createPgStore(url: string, opts?: { poolSize?: number }): DatabaseStore & { ready: Promise<void> };
}
export interface CopyModule {
  copySqliteToPg(sqlite: unknown, url: string): Promise<unknown>;
}
export const loadCheckout = async (checkout: string) => ({
  store: (await import(join(checkout, 'src/db/index.ts'))) as StoreModule,
  copy: (await import(join(checkout, 'src/db/pg/copy-from-sqlite.ts'))) as CopyModule,
});

/** The postmaster and its children. */
export function serverPids(postmaster: number): number[] {
  const out = [postmaster];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Checkout = Awaited<ReturnType<typeof loadCheckout>>;
type SqliteSide = ReturnType<StoreModule['createSqliteStore']>;

/**
 * Each side's SQLite database copied into a PostgreSQL database of its own (`<prefix>_<name>`) by that side's
 * copySqliteToPg, on BENCH_PG_URL (BENCH_PG_PID its postmaster) or a throwaway server; `use` gets each side's
 * store (a pool of 4), a URL maker and the postmaster's pid, and everything is closed after it.
 */
export async function onPgCopies<T>(
  prefix: string,
  sides: readonly (readonly [name: string, mod: Checkout, src: DatabaseStore])[],
  use: (ready: { name: string; db: string; store: DatabaseStore }[], at: (db: string) => string, postmaster: number | null) => Promise<T>,
): Promise<T> {
  const server = process.env.BENCH_PG_URL ? null : await startPg();
  const url = process.env.BENCH_PG_URL ?? server!.url;
  const postmaster = server ? server.pids()[0]! : process.env.BENCH_PG_PID ? Number(process.env.BENCH_PG_PID) : null;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const at = (db: string) => Object.assign(new URL(url), { pathname: `/${db}` }).toString();
  const ready: { name: string; db: string; store: DatabaseStore }[] = [];
  try {
    for (const [name, mod, src] of sides) {
      const db = `${prefix}_${name}`;
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${db}`);
      const c = performance.now();
      await mod.copy.copySqliteToPg((src as unknown as { sqlite: unknown }).sqlite, at(db));
      process.stdout.write(`copied into PostgreSQL for ${name} in ${((performance.now() - c) / 1000).toFixed(1)} s\n`);
      const store = mod.store.createPgStore(at(db), { poolSize: 4 });
      await store.ready;
      ready.push({ name, db, store });
    }
    return await use(ready, at, postmaster);
  } finally {
    for (const s of ready) await s.store.close();
    await admin.end();
    server?.stop();
  }
}

/** Transactions begun through a store's pool (each attempt of a write is one; retries are the attempts beyond one per write). */
export function countAttempts(store: DatabaseStore): { attempts: number } {
  const counter = { attempts: 0 };
  const pool = (store.db as unknown as { pool: pg.Pool }).pool;
  const wrapped = new WeakSet<object>();
  pool.on('acquire', (client) => {
    if (wrapped.has(client)) return;
    wrapped.add(client);
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      if (typeof a[0] === 'string' && a[0].startsWith('BEGIN ISOLATION LEVEL SERIALIZABLE')) counter.attempts++;
      return query(...a);
    };
  });
  return counter;
}

/**
 * Concurrent writes on PostgreSQL, the sides alternating: `rounds` + 1 rounds (the first a warm-up, not counted),
 * in each `per` writes shared by `workers` workers on each side (`write(side, worker, seq)`). Prints writes per
 * second, each write's latency (median, p99) and the transactions retried per write (serialization failures).
 */
export async function concurrentRounds<S extends { name: string; stores: DatabaseStore[] }>(
  sides: S[],
  opts: { rounds: number; per: number; workers: number; title: string; unit: string },
  write: (side: S, worker: number, seq: number) => Promise<unknown>,
): Promise<void> {
  let seq = 0;
  const stats = new Map(sides.map((s) => [s.name, { ms: 0, n: 0, lat: [] as number[], attempts: s.stores.map(countAttempts) }]));
  for (let r = 0; r <= opts.rounds; r++) {
    for (const s of r % 2 ? [...sides].reverse() : sides) {
      const st = stats.get(s.name)!;
      let left = opts.per;
      const lat: number[] = [];
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: opts.workers }, async (_, w) => {
          while (left-- > 0) {
            const t = performance.now();
            await write(s, w, seq++);
            lat.push(performance.now() - t);
          }
        }),
      );
      const ms = performance.now() - t0;
      if (r === 0) {
        for (const c of st.attempts) c.attempts = 0; // warm-up round
        continue;
      }
      st.ms += ms;
      st.n += opts.per;
      st.lat.push(...lat);
    }
  }
  for (const s of sides) {
    const st = stats.get(s.name)!;
    const attempts = st.attempts.reduce((a, c) => a + c.attempts, 0);
    const sorted = [...st.lat].sort((a, b) => a - b);
    process.stdout.write(
      `PostgreSQL ${s.name}: ${opts.workers} concurrent ${opts.title} — ${((st.n * 1000) / st.ms).toFixed(0)} ${opts.unit}s/s, latency median ${median(st.lat).toFixed(1)} ms (p99 ${sorted[Math.floor(sorted.length * 0.99)]!.toFixed(1)}), ${((attempts - st.n) / st.n).toFixed(3)} retries per ${opts.unit} (${st.n} ${opts.unit}s)\n`,
    );
  }
}

/**
 * The grown database of `labels` labels (bench/.data/<prefix>-<n>k.db, grown once through the other checkout's
 * store by test/grow-skewed.ts, its Grown info beside it as JSON), and a copy for each side opened by that side's
 * store: `before` the other checkout's, `after` this one's (its migrations run on the copy, as on a user's upgrade).
 */
export async function grownSides(prefix: string, labels: number, mine: Checkout, theirs: Checkout): Promise<{ g: Grown; before: SqliteSide; after: SqliteSide; file: (name: string) => string }> {
  mkdirSync(DATA, { recursive: true });
  const grown = join(DATA, `${prefix}-${labels / 1000}k.db`);
  const info = `${grown}.json`;
  if (!existsSync(grown) || !existsSync(info)) {
    process.stdout.write(`growing ${labels} labels through the other checkout's store…\n`);
    const t = performance.now();
    const s = theirs.store.createSqliteStore(`${grown}.building`);
    const g = await growSkewed(s, labels);
    await s.close();
    copyFileSync(`${grown}.building`, grown);
    for (const f of ['', '-wal', '-shm']) rmSync(`${grown}.building${f}`, { force: true });
    writeFileSync(info, JSON.stringify(g));
    process.stdout.write(`  grown in ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
  }
  const g = JSON.parse(readFileSync(info, 'utf8')) as Grown;
  const file = (name: string) => join(DATA, `${prefix}-${name}.db`);
  const copy = (name: string) => {
    const f = file(name);
    for (const x of ['', '-wal', '-shm']) rmSync(`${f}${x}`, { force: true });
    copyFileSync(grown, f);
    return f;
  };
  const before = theirs.store.createSqliteStore(copy('other'));
  const t = performance.now();
  const after = mine.store.createSqliteStore(copy('this'));
  process.stdout.write(`this checkout's migrations on the grown copy: ${(performance.now() - t).toFixed(0)} ms\n`);
  return { g, before, after, file };
}

/**
 * A copy of the SQLite database `source` (bench/.data/<its name>.migrated.db) opened as labelmux opens one, so its
 * schema is this checkout's: a cached seeded or grown database may predate the latest migrations, and
 * copySqliteToPg copies the current schema's columns.
 */
export function migratedCopy(source: string): Database.Database {
  const copy = join(DATA, `${basename(source, '.db')}.migrated.db`);
  for (const f of [copy, `${copy}-wal`, `${copy}-shm`]) rmSync(f, { force: true });
  copyFileSync(source, copy);
  return openSqlite(copy);
}

/**
 * The statistics of the PostgreSQL database at `url` dropped, as a database grown through the API and never
 * analyzed has none (no pg_statistic rows, no page or row counts: the planner reads the tables' sizes), and
 * autovacuum kept from analyzing them again (`autovacuum: false`). copySqliteToPg ends with ANALYZE.
 */
export async function forgetStatistics(url: string, { autovacuum }: { autovacuum: boolean }): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    if (!autovacuum) {
      const { rows } = await c.query(`SELECT format('ALTER TABLE %I SET (autovacuum_enabled = false)', relname) AS sql FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`);
      for (const row of rows) await c.query(row.sql as string);
    }
    await c.query(`DELETE FROM pg_statistic WHERE starelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace)`);
    await c.query(`UPDATE pg_class SET relpages = 0, reltuples = -1, relallvisible = 0 WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'`);
  } finally {
    await c.end();
  }
}

/** A throwaway PostgreSQL server holding `copies` copies of the SQLite database `source`: `<prefix>_0`, `<prefix>_1`, … */
export async function pgCopies(source: string, prefix: string, copies: number): Promise<{ server: PgServer; urls: string[] }> {
  const server = await startPg();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${prefix}_template`);
  const sqlite = migratedCopy(source);
  await copySqliteToPg(sqlite, server.urlFor(`${prefix}_template`));
  sqlite.close();
  const urls: string[] = [];
  for (let i = 0; i < copies; i++) {
    await admin.query(`CREATE DATABASE ${prefix}_${i} TEMPLATE ${prefix}_template`);
    urls.push(server.urlFor(`${prefix}_${i}`));
  }
  await admin.end();
  return { server, urls };
}
