// `npm run build && tsx bench/growth.ts`: what each request costs on the grown workspace of 100k labels against
// the same request on the one of 1k (bench/grow.ts's databases, grown through the store), on SQLite and on
// PostgreSQL, never analyzed and after ANALYZE: the growth the target "cost within 1.3× from 1k to 100k" reads.
// Both levels' apps (this checkout's dist/, made the way src/launch.ts makes them) and the contract baseline on each
// level (bench/baseline-app.ts, on SQLite as in every mode, for reference) answer injected requests in one process,
// all four alternating within each round, so the growth of a row is never a drift of the machine between two
// runs (the HTTP bench measures its levels minutes apart: the contract baseline's point reads "grew" 1.8× there).
// A row's growth is the median over rounds of the 100k app's CPU per request over the 1k app's in the same round.
// Every workload of the grown bench but the whole-workspace answers (linear by definition), with its writes mixed
// in as there (one read in ten an assignment to the label the pages read); writes after reads, as there.
// CPU: this process's, plus on PostgreSQL the level's server's processes (/proc, clock ticks of 10 ms: a batch
// takes 50–500 ms).
// Env: BENCH_STORES (default sqlite,sqlite-analyzed,pg,pg-analyzed: `pg` never analyzed, statistics dropped and
// autovacuum off), BENCH_ROUNDS (8), BENCH_BATCH (200 reads per batch), BENCH_WRITE_BATCH (50: each level's
// workspace grows by what the writes create), BENCH_ONLY (regexp on "<dialect> <workload>").
// Writes the table to bench/results-growth.md too.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { PgServer } from '../test/pg/pg-server.js';
import { grownLevels } from './grown.js';
import { ADMIN_TOKEN, cpuOf, DATA, ROOT } from './harness.js';
import { buildApp, buildPgApp, contractApp, injectRounds, median } from './inject-rounds.js';
import { forgetStatistics, migratedCopy, pgCopies } from './store-sides.js';
import { grownTarget, type Req, type Workload, workloads } from './workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const BATCH = Number(process.env.BENCH_BATCH ?? 200);
const WRITE_BATCH = Number(process.env.BENCH_WRITE_BATCH ?? 50);
const STORES = (process.env.BENCH_STORES ?? 'sqlite,sqlite-analyzed,pg,pg-analyzed').split(',');
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
const LOW = 1_000;
const HIGH = 100_000;

interface Row {
  store: string;
  dialect: string;
  workload: string;
  kind: string;
  /** Median CPU µs per request: labelmux at 1k and 100k, the contract baseline at 1k and 100k. */
  us: [number, number, number, number];
  /** Medians over rounds of the 100k side's CPU over the 1k side's: labelmux, contract baseline. */
  growth: [number, number];
}

const inject = (r: Req): InjectOptions => ({ method: r.method, url: r.path, headers: r.headers, payload: r.body });

/** A copy of `source` at this checkout's schema with SQLite's statistics gathered (`ANALYZE`), cached beside it. */
function analyzedCopy(source: string): string {
  const db = migratedCopy(source);
  db.exec('ANALYZE');
  db.close();
  const out = source.replace(/\.db$/, '.analyzed.db');
  copyFileSync(db.name, out);
  return out;
}

async function runStore(store: string): Promise<Row[]> {
  const levels = (await grownLevels()).filter((l) => l.level === LOW || l.level === HIGH);
  const servers: PgServer[] = [];
  const apps: FastifyInstance[] = [];
  const otherCpu: (() => number)[] = [];
  try {
    for (const [i, { level, db }] of levels.entries()) {
      if (store.startsWith('pg')) {
        const { server, urls } = await pgCopies(db, `growth_${level / 1000}k`, 1);
        servers.push(server);
        if (store === 'pg') await forgetStatistics(urls[0]!, { autovacuum: false });
        apps[i] = await buildPgApp(ROOT, urls[0]!);
        otherCpu[i] = () => cpuOf(server.pids()) * 1000;
      } else {
        apps[i] = await buildApp(ROOT, store === 'sqlite-analyzed' ? analyzedCopy(db) : db, `growth-${level / 1000}k`);
      }
      apps[i + 2] = await contractApp(db, `growth-contract-${level / 1000}k`);
    }
    const loads = levels.map(({ info }) => workloads(grownTarget(info, ADMIN_TOKEN), true).filter((w) => !w.heavy));
    const rows: Row[] = [];
    for (const [k, wl] of loads[0]!.entries()) {
      if (ONLY && !ONLY.test(`${wl.dialect} ${wl.name}`)) continue;
      const of = (i: number): Workload => loads[i % 2]![k]!;
      const request = (i: number, n: number) => inject(i < 2 ? of(i).labelmux(n) : of(i).baseline(n));
      const batch = wl.kind === 'write' ? WRITE_BATCH : BATCH;
      const us = await injectRounds(apps, request, ROUNDS, batch, 1, (i) => otherCpu[i]?.() ?? 0);
      const growth = (hi: number, lo: number) => median(us[hi]!.map((x, r) => x / us[lo]![r]!));
      const row: Row = { store, dialect: wl.dialect, workload: wl.name, kind: wl.kind, us: [0, 1, 2, 3].map((i) => median(us[i]!)) as Row['us'], growth: [growth(1, 0), growth(3, 2)] };
      rows.push(row);
      process.stdout.write(`${line(row)}\n`);
    }
    return rows;
  } finally {
    for (const app of apps) await app?.close();
    for (const s of servers) s.stop();
  }
}

const HEADER =
  '| store | dialect | workload | labelmux CPU µs 1k / 100k | growth × | contract CPU µs 1k / 100k | growth × |\n|---|---|---|---|---|---|---|';
const line = (r: Row) =>
  `| ${r.store} | ${r.dialect} | ${r.workload} | ${r.us[0].toFixed(0)} / ${r.us[1].toFixed(0)} | ${r.growth[0].toFixed(2)} | ${r.us[2].toFixed(0)} / ${r.us[3].toFixed(0)} | ${r.growth[1].toFixed(2)} |`;

async function main(): Promise<void> {
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`growth 1k → 100k, injected, ${ROUNDS} rounds of ${BATCH} reads / ${WRITE_BATCH} writes, levels alternating; load ${load()}\n${HEADER}\n`);
  const rows: Row[] = [];
  for (const store of STORES) rows.push(...(await runStore(store)));
  writeFileSync(join(DATA, '..', 'results-growth.md'), `#### growth (${new Date().toISOString()})\n\n${HEADER}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(`load ${load()}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
