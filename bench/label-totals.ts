// `tsx bench/label-totals.ts <other checkout>`: what limbo's label list costs right after a write, on a workspace
// of BENCH_LABELS (default 100,000) labels grown through the store (test/grow-skewed.ts), this checkout's store
// against another checkout's (its sources, e.g. the commit before a change), on SQLite and on PostgreSQL, in
// alternating rounds. The database is grown once by the other checkout's store (cached in bench/.data), and each
// side opens its own copy (this checkout's migrations run on it as on a user's upgrade; the time is printed);
// PostgreSQL gets each side's copy through that side's copySqliteToPg.
// Each iteration creates a label in the big workspace through the store (the write a client makes before it
// lists again: SQLite forgets a remembered total on any label write, PostgreSQL on any transaction that ends),
// then reads limbo's first page of that workspace's labels (listLabelsIn, no filter, 20 a page, as
// GET /api/v1/labels reads it) — only the read is timed: wall time, this process's CPU, and on PostgreSQL the
// server's CPU (its processes' /proc times around each read, in clock ticks, summed over the reads).
// BENCH_PG_URL: a PostgreSQL server (its postmaster's pid in BENCH_PG_PID for the server's CPU) instead of a
// throwaway one. BENCH_ROUNDS (5 per side), BENCH_READS (100 per round), BENCH_DBS (`sqlite,postgres`).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { DatabaseStore } from '../src/db/index.js';
import { concurrentRounds, grownSides, loadCheckout, median, onPgCopies, serverPids } from './store-sides.js';
import { cpuOf } from './harness.js';

const other = process.argv[2];
if (!other) throw new Error('usage: tsx bench/label-totals.ts <other checkout>');
const LABELS = Number(process.env.BENCH_LABELS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READS = Number(process.env.BENCH_READS ?? 100);
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',');
const ROOT = resolve(import.meta.dirname, '..');


interface Side {
  name: string;
  db: string;
  store: DatabaseStore;
  ws: number;
  wall: number[];
  cpu: number[];
  serverCpu: number;
  n: number;
}

const audit = () => ({ actorUserId: null, apiKeyId: null, dialect: 'bench', at: Date.now() });

async function round(side: Side, postmaster: number | null): Promise<void> {
  const pids = postmaster ? serverPids(postmaster) : [];
  for (let i = 0; i < READS; i++) {
    await side.store.createLabel(side.ws, { parentId: null, name: `bench ${side.db} ${side.name} ${side.n++}`, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit(), 1);
    const s0 = pids.length ? cpuOf(pids) : 0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const page = await side.store.listLabelsIn({ workspaceIds: [side.ws], sort: [], limit: 20, offset: 0 });
    const t1 = performance.now();
    const c1 = process.cpuUsage(c0);
    if (pids.length) side.serverCpu += cpuOf(pids) - s0;
    if (page.items.length !== 20 || page.total < LABELS) throw new Error(`${side.name}: unexpected page (${page.items.length} items, total ${page.total})`);
    side.wall.push((t1 - t0) * 1000);
    side.cpu.push(c1.user + c1.system);
  }
}

async function compare(kind: string, sides: Side[], postmaster: number | null): Promise<void> {
  for (const s of sides) await round(s, postmaster); // warm-up, not counted
  for (const s of sides) [s.wall, s.cpu, s.serverCpu] = [[], [], 0];
  for (let r = 0; r < ROUNDS; r++) for (const s of r % 2 ? [...sides].reverse() : sides) await round(s, postmaster);
  for (const s of sides) {
    const server = postmaster ? `, server CPU ${((s.serverCpu * 1000) / s.wall.length).toFixed(0)} µs/read` : '';
    process.stdout.write(`${kind} ${s.name}: list after a write — wall median ${median(s.wall).toFixed(0)} µs (p90 ${[...s.wall].sort((a, b) => a - b)[Math.floor(s.wall.length * 0.9)]!.toFixed(0)}), this process's CPU median ${median(s.cpu).toFixed(0)} µs${server} (${s.wall.length} reads)\n`);
  }
}

const WORKERS = Number(process.env.BENCH_CONCURRENCY ?? 16);
const CREATES = Number(process.env.BENCH_CREATES ?? 400);

/**
 * Concurrent label creates on PostgreSQL through two stores (two pools of 10, as two instances):
 * BENCH_CONCURRENCY workers share BENCH_CREATES creates per round, alternating sides, all into the big workspace
 * or each worker into a workspace of its own; creates per second, each create's latency, and the transactions
 * retried per create (serialization failures).
 */
async function concurrentCreates(sides: { name: string; ws: number; stores: DatabaseStore[] }[]): Promise<void> {
  const own = new Map<string, number[]>();
  for (const s of sides) {
    const ids: number[] = [];
    for (let w = 0; w < WORKERS; w++) ids.push((await s.stores[0]!.createWorkspace(`Bench ${w}`, `00000000-0000-4000-a000-${String(w).padStart(12, '0')}`, 1)).id);
    own.set(s.name, ids);
  }
  for (const mode of ['one workspace', 'a workspace per worker'] as const) {
    await concurrentRounds(sides, { rounds: ROUNDS, per: CREATES, workers: WORKERS, title: `creates, ${mode}`, unit: 'create' }, (s, w, seq) =>
      s.stores[w % 2]!.createLabel(mode === 'one workspace' ? s.ws : own.get(s.name)![w]!, { parentId: null, name: `race ${s.name} ${seq}`, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit(), 1),
    );
  }
}

async function main(): Promise<void> {
  const [mine, theirs] = [await loadCheckout(ROOT), await loadCheckout(resolve(other!))];
  const { g, before, after } = await grownSides('label-totals', LABELS, mine, theirs);
  const huge = g.huge;
  const side = (name: string, db: string, store: DatabaseStore): Side => ({ name, db, store, ws: huge, wall: [], cpu: [], serverCpu: 0, n: 0 });
  try {
    if (DBS.includes('sqlite')) await compare('SQLite', [side('other', 'sqlite', before), side('this', 'sqlite', after)], null);
    if (DBS.includes('postgres')) {
      await onPgCopies('label_totals', [['other', theirs, before], ['this', mine, after]], async (ready, at, postmaster) => {
        const sides = ready.map((r) => side(r.name, r.db, r.store));
        await compare('PostgreSQL', sides, postmaster);
        await concurrentCreates(sides.map((x) => ({ name: x.name, ws: x.ws, stores: [x.store, (x.name === 'this' ? mine : theirs).store.createPgStore(at(x.db), { poolSize: 10 })] })));
      });
    }
  } finally {
    await before.close();
    await after.close();
  }
  process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
}

await main();
