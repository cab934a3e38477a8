// `tsx bench/label-pages.ts <other checkout>`: a label's page of resources of every type (Jotform's label
// resources: no total, no labels per item) at three label sizes, this checkout's store against another checkout's
// (e.g. the commit before), on SQLite and on PostgreSQL, never analyzed and analyzed, sides alternating in one
// process; then what an assign costs on each side; and first of all whether both sides answer alike.
// The database: test/grow-skewed.ts at BENCH_LABELS (100,000) grown once by the other checkout's store (its hot
// label on 51,200 resources of three types), plus two labels attached on each side to 200 and 5,000 resources of
// every type spread over the workspace. SQLite: this process's CPU per call. PostgreSQL (each side's copy by its
// own copySqliteToPg, statistics dropped and autovacuum off for the never-analyzed rounds): the server's CPU per
// call (its processes' /proc times). BENCH_PG_URL/BENCH_PG_PID: a server instead of a throwaway one.
// BENCH_ROUNDS (5 per side), BENCH_READS (30 per page and round), BENCH_ASSIGNS (300 per round), BENCH_DBS,
// BENCH_PAGES=0 (the assigns alone; no comparison).
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { ResourceQuery } from '../src/core/ports.js';
import type { DatabaseStore } from '../src/db/index.js';
import type { Grown } from '../test/grow-skewed.js';
import { forgetStatistics, grownSides, loadCheckout, median, onPgCopies, serverPids } from './store-sides.js';
import { cpuOf } from './harness.js';

const other = process.argv[2];
if (!other) throw new Error('usage: tsx bench/label-pages.ts <other checkout>');
const LABELS = Number(process.env.BENCH_LABELS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READS = Number(process.env.BENCH_READS ?? 30);
const ASSIGNS = Number(process.env.BENCH_ASSIGNS ?? 300);
const DBS = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',');
const PAGE_ROUNDS = process.env.BENCH_PAGES !== '0';
const ROOT = resolve(import.meta.dirname, '..');
const audit = () => ({ actorUserId: null, apiKeyId: null, dialect: 'bench', at: Date.now() });
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const out = (s: string) => process.stdout.write(`${s}\n`);

type Sized = { name: string; id: number };
type Page = { name: string; query: (label: number) => ResourceQuery };
const jotform = (sort: ResourceQuery['sort'], direction: 'asc' | 'desc', offset: number) => (labelId: number): ResourceQuery => ({
  labelId, sort, direction, limit: 20, offset, omit: { total: true, labels: true },
});
const PAGES: Page[] = [
  { name: 'created_at asc, page 1', query: jotform('created_at', 'asc', 0) },
  { name: 'created_at asc, page 3', query: jotform('created_at', 'asc', 40) },
  { name: 'name desc, page 1', query: jotform('name', 'desc', 0) },
  { name: 'id asc, page 3', query: jotform('id', 'asc', 40) },
];

/** Two more labels on each side, on `n` resources of every type spread evenly over the workspace's (same ids on both sides). */
async function sizedLabels(s: DatabaseStore, g: Grown): Promise<Sized[]> {
  const all = await s.db.all<{ type: string; external_id: string }>(`SELECT type, external_id FROM resources WHERE workspace_id = ? ORDER BY id`, g.huge);
  const outList: Sized[] = [];
  for (const n of [200, 5000]) {
    const id = (await s.createLabel(g.huge, { parentId: null, name: `bench sized ${n}`, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit(), g.owner)).id;
    const step = all.length / n;
    const refs = Array.from({ length: n }, (_, i) => all[Math.floor(i * step)]!).map((r) => ({ type: r.type, externalId: r.external_id }));
    for (let i = 0; i < refs.length; i += 500) await s.attach(g.huge, id, refs.slice(i, i + 500), { create: false }, audit());
    outList.push({ name: `${n}`, id });
  }
  return [...outList, { name: '51,200 (hot)', id: g.hot }];
}

/** Both sides' answers to many pages: the number compared, and the first that differs. */
async function compare(sides: DatabaseStore[], g: Grown, labels: number[]): Promise<number> {
  let n = 0;
  for (const labelId of labels) {
    for (const sort of ['created_at', 'id', 'type', 'name', 'size'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        for (const [limit, offset] of [[20, 0], [20, 40], [100, 180], [7, 4990], [50, 51_180], [20, 60_000]] as const) {
          const query: ResourceQuery = { labelId, sort, direction, limit, offset };
          const [a, b] = await Promise.all(sides.map((s) => s.listResources(g.huge, query)));
          if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`answers differ: ${JSON.stringify(query)}`);
          n++;
        }
      }
    }
  }
  return n;
}

type Measure = (fn: () => Promise<unknown>, n: number) => Promise<number>;
const ownCpu: Measure = async (fn, n) => {
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
};

/** Rounds alternating the sides: each page of each label READS times; medians of the rounds' µs per call. */
async function pages(title: string, sides: { name: string; store: DatabaseStore; labels: Sized[] }[], g: Grown, measure: Measure): Promise<void> {
  const res = new Map<string, number[]>();
  for (let r = 0; r <= ROUNDS; r++) {
    for (const side of r % 2 ? [...sides].reverse() : sides) {
      for (const [i, label] of side.labels.entries()) {
        for (const page of PAGES) {
          const us = await measure(() => side.store.listResources(g.huge, page.query(label.id)), READS);
          if (r === 0) continue;
          const k = `${i}\0${page.name}\0${side.name}`;
          res.set(k, [...(res.get(k) ?? []), us]);
        }
      }
    }
  }
  out(`\n${title} (load ${load()}), µs per call, median of ${ROUNDS} rounds of ${READS}:`);
  out(`| label | page | ${sides.map((s) => s.name).join(' | ')} |`);
  out(`|---|---|${sides.map(() => '---').join('|')}|`);
  for (const [i, label] of sides[0]!.labels.entries()) {
    for (const page of PAGES) out(`| ${label.name} | ${page.name} | ${sides.map((s) => median(res.get(`${i}\0${page.name}\0${s.name}`)!).toFixed(0)).join(' | ')} |`);
  }
}

/** An assign that creates its resource (the hot label on a new form), rounds alternating; µs per assign. */
async function assigns(title: string, sides: { name: string; store: DatabaseStore }[], g: Grown, measure: Measure): Promise<void> {
  const res = new Map<string, number[]>();
  let seq = 0;
  for (let r = 0; r <= ROUNDS; r++) {
    for (const side of r % 2 ? [...sides].reverse() : sides) {
      const us = await measure(() => side.store.assign(g.huge, { type: 'form', externalId: `bench-assign-${seq++}`, name: `Assign ${seq}` }, [g.hot], { create: true, replace: false, answer: false }, audit()), ASSIGNS);
      if (r > 0) res.set(side.name, [...(res.get(side.name) ?? []), us]);
    }
  }
  out(`\n${title} (load ${load()}): ${sides.map((s) => `${s.name} ${median(res.get(s.name)!).toFixed(0)} µs`).join(', ')} per assign (median of ${ROUNDS} rounds of ${ASSIGNS})`);
}

const mine = await loadCheckout(ROOT);
const theirs = await loadCheckout(resolve(other));
const { g, before, after } = await grownSides('label-pages', LABELS, mine, theirs);
out(`load at start: ${load()}`);
const labels = { before: await sizedLabels(before, g), after: await sizedLabels(after, g) };
try {
  if (DBS.includes('sqlite') && PAGE_ROUNDS) {
    out(`SQLite: ${await compare([before, after], g, [...labels.after.map((l) => l.id), g.warm, g.cold])} answers compared, all alike`);
    const sides = [{ name: 'before', store: before as DatabaseStore, labels: labels.before }, { name: 'after', store: after as DatabaseStore, labels: labels.after }];
    await pages('SQLite, never analyzed', sides, g, ownCpu);
    for (const s of sides) await s.store.db.run('ANALYZE');
    await pages('SQLite, analyzed', sides, g, ownCpu);
  }
  if (DBS.includes('postgres')) {
    await onPgCopies('label_pages', [['before', theirs, before], ['after', mine, after]] as const, async (ready, at, postmaster) => {
      // /proc counts 10 ms ticks: at least n calls and 300 ms of wall time, so a round spans many ticks.
      const server: Measure = async (fn, n) => {
        const pids = serverPids(postmaster!);
        const c0 = cpuOf(pids);
        const t0 = performance.now();
        let calls = 0;
        for (; calls < n || performance.now() - t0 < 300; calls++) await fn();
        return ((cpuOf(pids) - c0) * 1000) / calls;
      };
      if (PAGE_ROUNDS) out(`PostgreSQL: ${await compare(ready.map((r) => r.store), g, [...labels.after.map((l) => l.id), g.warm, g.cold])} answers compared, all alike`);
      for (const r of ready) await forgetStatistics(at(r.db), { autovacuum: false });
      // Plans are cached per connection: a fresh pool after the statistics changed.
      const fresh = async () => Promise.all(ready.map(async (r) => {
        await r.store.close();
        const mod = r.name === 'before' ? theirs : mine;
        r.store = mod.store.createPgStore(at(r.db), { poolSize: 4 });
        await (r.store as unknown as { ready: Promise<void> }).ready;
      }));
      await fresh();
      const current = () => ready.map((r) => ({ name: r.name, store: r.store, labels: labels[r.name as 'before' | 'after'] }));
      if (PAGE_ROUNDS) {
        await pages('PostgreSQL, never analyzed: server CPU', current(), g, server);
        for (const r of ready) await r.store.db.run('ANALYZE');
        await fresh();
        await pages('PostgreSQL, analyzed: server CPU', current(), g, server);
      }
      await assigns('PostgreSQL, server CPU of an assign that creates its resource', current(), g, server);
    });
  }
  // Last: the assigns make the sides' databases differ (their times), which the copies above must not.
  if (DBS.includes('sqlite')) await assigns('SQLite, CPU of an assign that creates its resource', [{ name: 'before', store: before }, { name: 'after', store: after }], g, ownCpu);
} finally {
  await before.close();
  await after.close();
}
out(`load at end: ${load()}`);
