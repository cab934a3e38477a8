// `tsx bench/page-totals.ts <other checkout>`: what a full page of resources costs right after a write, and what
// the write costs, this checkout's store (page totals kept: resource_counts, assignment_counts) against another
// checkout's (its sources, e.g. the commit before), on SQLite and on PostgreSQL, in alternating rounds in one
// process. The database (BENCH_LABELS labels, default 100,000, as many resources: a quarter of each type; a hot
// label on half of them, test/grow-skewed.ts) is grown once by the other checkout's store (cached in bench/.data),
// and each side opens its own copy (this checkout's migrations run on it as on a user's upgrade; the time is
// printed); PostgreSQL gets each side's copy through that side's copySqliteToPg.
// Each iteration assigns the hot label to a new resource of a type (created by the assign: the write a client makes
// before it lists again; SQLite forgets a remembered count on any write, PostgreSQL on any transaction that ends),
// then reads the first page (20) of one of the pages below; the assign and the read are timed apart: wall time, this
// process's CPU, and on PostgreSQL the server's CPU (its processes' /proc times, in clock ticks, summed).
// Then what the counts' triggers cost the two statements of such an assign alone (writeCost below), on both
// databases. Then, on PostgreSQL, BENCH_CONCURRENCY (16) workers assigning the hot label to new resources through two stores
// (two pools of 10, as two instances): assigns/s, latency, retries per assign.
// BENCH_PG_URL: a PostgreSQL server (its postmaster's pid in BENCH_PG_PID for the server's CPU) instead of a
// throwaway one. BENCH_ROUNDS (5 per side), BENCH_READS (20 per page and round), BENCH_DBS (`sqlite,postgres`),
// BENCH_ASSIGNS (400 per round of concurrent assigns), BENCH_WRITES (500 statement pairs per round of the write cost).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseStore } from '../src/db/index.js';
import type { Grown } from '../test/grow-skewed.js';
import { concurrentRounds, grownSides, loadCheckout, median, onPgCopies, serverPids } from './store-sides.js';
import { cpuOf } from './harness.js';

const other = process.argv[2];
if (!other) throw new Error('usage: tsx bench/page-totals.ts <other checkout>');
const LABELS = Number(process.env.BENCH_LABELS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READS = Number(process.env.BENCH_READS ?? 20);
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',');
const WORKERS = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ASSIGNS = Number(process.env.BENCH_ASSIGNS ?? 400);
const ROOT = resolve(import.meta.dirname, '..');


const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;
const audit = () => ({ actorUserId: null, apiKeyId: null, dialect: 'bench', at: Date.now() });

/** The pages read: each a full first page whose total was counted before (a whole type, a label's). */
interface PageRead {
  name: string;
  /** The type of the resource the write before it creates and assigns. */
  type: string;
  read(s: DatabaseStore, g: Grown): Promise<{ items: unknown[]; total: number | null }>;
  /** The least total expected (the grown size). */
  least: number;
}
const PAGES: PageRead[] = [
  { name: 'Livestorm library', type: 'library_item', least: LABELS / 4, read: (s, g) => s.listResources(g.huge, { type: 'library_item', sort: 'created_at', direction: 'desc', limit: 20, offset: 0 }) },
  { name: "Livestorm label's items (hot label)", type: 'library_item', least: LABELS / 4, read: (s, g) => s.listResources(g.huge, { type: 'library_item', labelId: g.hot, sort: 'created_at', direction: 'desc', limit: 20, offset: 0 }) },
  { name: "a label's resources of every type (hot label)", type: 'form', least: LABELS / 2, read: (s, g) => s.listResources(g.huge, { labelId: g.hot, sort: 'created_at', direction: 'asc', limit: 20, offset: 0 }) },
  { name: 'limbo products', type: 'product', least: LABELS / 4, read: (s, g) => s.listProducts({ workspaceIds: [g.huge], sort: [], limit: 20, offset: 0 }) },
  { name: "limbo label's products (hot label)", type: 'product', least: 600, read: (s, g) => s.listProducts({ workspaceIds: [g.huge], labelId: g.hot, sort: [], limit: 20, offset: 0 }) },
];

interface Stat {
  wall: number[];
  cpu: number[];
  server: number;
}
const stat = (): Stat => ({ wall: [], cpu: [], server: 0 });

interface Side {
  name: string;
  store: DatabaseStore;
  reads: Map<string, Stat>;
  assigns: Stat;
  n: number;
}

/** Runs fn, adding its wall time, this process's CPU and the server's to `st`. */
async function timed<T>(st: Stat, pids: number[], fn: () => Promise<T>): Promise<T> {
  const s0 = pids.length ? cpuOf(pids) : 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await fn();
  const t1 = performance.now();
  const c1 = process.cpuUsage(c0);
  if (pids.length) st.server += cpuOf(pids) - s0;
  st.wall.push((t1 - t0) * 1000);
  st.cpu.push(c1.user + c1.system);
  return out;
}

async function round(side: Side, g: Grown, db: string, postmaster: number | null): Promise<void> {
  const pids = postmaster ? serverPids(postmaster) : [];
  for (let i = 0; i < READS; i++) {
    for (const p of PAGES) {
      const ref = { type: p.type, externalId: `bench ${db} ${side.name} ${side.n++}`, name: `Bench ${side.n}`, status: 'active', attributes: {} };
      await timed(side.assigns, pids, () => side.store.assign(g.huge, ref, [g.hot], { create: true, replace: false, answer: false }, audit()));
      const page = await timed(side.reads.get(p.name)!, pids, () => p.read(side.store, g));
      if (page.items.length !== 20 || (page.total ?? 0) < p.least) throw new Error(`${side.name}, ${p.name}: unexpected page (${page.items.length} items, total ${page.total})`);
    }
  }
}

const line = (st: Stat, postmaster: number | null) =>
  `wall median ${median(st.wall).toFixed(0)} µs (p90 ${p90(st.wall).toFixed(0)}), this process's CPU median ${median(st.cpu).toFixed(0)} µs` +
  (postmaster ? `, server CPU ${((st.server * 1000) / st.wall.length).toFixed(0)} µs each` : '') + ` (${st.wall.length})`;

async function compare(kind: string, sides: Side[], g: Grown, postmaster: number | null): Promise<void> {
  for (const s of sides) await round(s, g, kind, postmaster); // warm-up, not counted
  for (const s of sides) [s.reads, s.assigns] = [new Map(PAGES.map((p) => [p.name, stat()])), stat()];
  for (let r = 0; r < ROUNDS; r++) for (const s of r % 2 ? [...sides].reverse() : sides) await round(s, g, kind, postmaster);
  for (const p of PAGES) for (const s of sides) process.stdout.write(`${kind} ${s.name}: ${p.name} after a write — ${line(s.reads.get(p.name)!, postmaster)}\n`);
  for (const s of sides) process.stdout.write(`${kind} ${s.name}: assign (creating the resource) — ${line(s.assigns, postmaster)}\n`);
}

const PAIRS = Number(process.env.BENCH_WRITES ?? 500);

/**
 * What the counts' triggers add to an assign, alone: the two statements an assign that creates its resource sends
 * (the resource's INSERT, the assignment's INSERT), PAIRS times per round and side, alternating, on each side's
 * database through a connection of its own. SQLite: in one transaction rolled back after the round, this process's
 * CPU (better-sqlite3 runs SQLite in it). PostgreSQL: each pair its own committed transaction; the backend's CPU
 * (/proc, 10 ms ticks, summed over the round) and wall time; with track_functions the count functions' own time.
 */
async function writeCost(kind: 'SQLite' | 'PostgreSQL', sides: { name: string; open(): Promise<Pairs> }[], g: Grown): Promise<void> {
  const conns = await Promise.all(sides.map(async (s) => ({ name: s.name, run: await s.open(), cpu: 0, wall: 0, n: 0 })));
  for (let r = 0; r <= ROUNDS; r++) {
    for (const c of r % 2 ? [...conns].reverse() : conns) {
      const m = await c.run(r, g);
      if (r === 0) continue; // warm-up
      c.cpu += m.cpu;
      c.wall += m.wall;
      c.n += PAIRS;
    }
  }
  for (const c of conns) {
    const extra = await c.run.done();
    process.stdout.write(`${kind} ${c.name}: resource + assignment INSERTs — ${((c.cpu * 1000) / c.n).toFixed(1)} µs CPU per pair (${kind === 'SQLite' ? "this process's" : "the backend's"}), wall ${((c.wall * 1000) / c.n).toFixed(1)} µs per pair (${c.n} pairs)${extra}\n`);
  }
}

/** One round of PAIRS pairs (its CPU and wall time, in ms); `done` closes and tells what else was learnt. */
type Pairs = ((round: number, g: Grown) => Promise<{ cpu: number; wall: number }>) & { done(): Promise<string> };

function sqlitePairs(file: string): Pairs {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  const resource = db.prepare(`INSERT INTO resources (workspace_id, type, external_id, created_at, updated_at) VALUES (?, 'library_item', ?, 0, 0) RETURNING id`);
  // A checkout whose assignments keep their resource's sort keys writes them too (as its store does).
  const keeps = db.prepare(`SELECT 1 FROM pragma_table_info('assignments') WHERE name = 'resource_created_at'`).get() !== undefined;
  const assignment = keeps
    ? db.prepare(`INSERT INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id) SELECT ?, r.id, 0, r.type, r.created_at, r.external_id FROM resources r WHERE r.id = ?`)
    : db.prepare(`INSERT INTO assignments (label_id, resource_id, created_at, resource_type) VALUES (?, ?, 0, 'library_item')`);
  const run = async (round: number, g: Grown) => {
    db.exec('BEGIN');
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < PAIRS; i++) {
      const { id } = resource.get(g.huge, `cost ${round} ${i}`) as { id: number };
      assignment.run(g.hot, id);
    }
    const wall = performance.now() - t0;
    const c = process.cpuUsage(c0);
    db.exec('ROLLBACK');
    return { cpu: (c.user + c.system) / 1000, wall };
  };
  return Object.assign(run, { done: async () => (db.close(), '') });
}

async function pgPairs(url: string, side: string): Promise<Pairs> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const pid = Number((await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
  await client.query(`SET track_functions = 'pl'`);
  await client.query('SELECT pg_stat_reset()');
  const keeps = (await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'assignments' AND column_name = 'resource_created_at'`)).rowCount! > 0;
  const assign = keeps
    ? `INSERT INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id) SELECT $1, r.id, 0, r.type, r.created_at, r.external_id FROM resources r WHERE r.id = $2`
    : `INSERT INTO assignments (label_id, resource_id, created_at, resource_type) VALUES ($1, $2, 0, 'library_item')`;
  const run = async (round: number, g: Grown) => {
    const c0 = cpuOf([pid]);
    const t0 = performance.now();
    for (let i = 0; i < PAIRS; i++) {
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      const { rows } = await client.query<{ id: string }>(`INSERT INTO resources (workspace_id, type, external_id, created_at, updated_at) VALUES ($1, 'library_item', $2, 0, 0) RETURNING id`, [g.huge, `cost ${side} ${round} ${i}`]);
      await client.query(assign, [g.hot, rows[0]!.id]);
      await client.query('COMMIT');
    }
    return { cpu: cpuOf([pid]) - c0, wall: performance.now() - t0 };
  };
  const done = async () => {
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
    const { rows } = await client.query<{ funcname: string; calls: string; total_time: number }>(
      `SELECT funcname, calls, total_time FROM pg_stat_user_functions WHERE funcname LIKE '%counts%' ORDER BY funcname`,
    );
    await client.end();
    return rows.map((r) => `; ${r.funcname} ${((r.total_time * 1000) / Number(r.calls)).toFixed(1)} µs a call (${r.calls} calls)`).join('');
  };
  return Object.assign(run, { done });
}

/**
 * Concurrent assigns of the hot label on PostgreSQL through two stores (two pools of 10, as two instances):
 * WORKERS workers share ASSIGNS assigns per round (each creating a new library item), alternating sides; assigns
 * per second, each assign's latency, and the transactions retried per assign (serialization failures).
 */
async function concurrentAssigns(sides: { name: string; stores: DatabaseStore[] }[], g: Grown): Promise<void> {
  await concurrentRounds(sides, { rounds: ROUNDS, per: ASSIGNS, workers: WORKERS, title: 'assigns of one label', unit: 'assign' }, (s, w, seq) =>
    s.stores[w % 2]!.assign(g.huge, { type: 'library_item', externalId: `race ${s.name} ${seq}`, name: 'Race', status: 'active', attributes: {} }, [g.hot], { create: true, replace: false, answer: false }, audit()),
  );
  for (const s of sides) await s.stores[1]!.close();
}

async function main(): Promise<void> {
  const [mine, theirs] = [await loadCheckout(ROOT), await loadCheckout(resolve(other!))];
  const { g, before, after, file } = await grownSides('page-totals', LABELS, mine, theirs);
  const side = (name: string, store: DatabaseStore): Side => ({ name, store, reads: new Map(PAGES.map((p) => [p.name, stat()])), assigns: stat(), n: 0 });
  try {
    if (DBS.includes('sqlite')) {
      await compare('SQLite', [side('other', before), side('this', after)], g, null);
      await writeCost('SQLite', ['other', 'this'].map((name) => ({ name, open: async () => sqlitePairs(file(name)) })), g);
    }
    if (DBS.includes('postgres')) {
      await onPgCopies('page_totals', [['other', theirs, before], ['this', mine, after]], async (ready, at, postmaster) => {
        const sides = ready.map((r) => side(r.name, r.store));
        await compare('PostgreSQL', sides, g, postmaster);
        await writeCost('PostgreSQL', sides.map((x) => ({ name: x.name, open: () => pgPairs(at(`page_totals_${x.name}`), x.name) })), g);
        if (WORKERS > 0) {
          await concurrentAssigns(sides.map((x) => ({ name: x.name, stores: [x.store, (x.name === 'this' ? mine : theirs).store.createPgStore(at(`page_totals_${x.name}`), { poolSize: 10 })] })), g);
        }
      });
    }
  } finally {
    await before.close();
    await after.close();
  }
  process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

await main();
