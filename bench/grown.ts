// `npm run bench -- grown`: the workloads on databases grown through the store (bench/grow.ts, cached as
// bench/.data/grown-v<GROW_VERSION>-<n>k.db) to 1k, 10k and
// 100k labels in one workspace, never analyzed. For each level: labelmux, the contract baseline and the bare
// one on copies of that level's database, each workload run on each server in turn (contract, labelmux, bare),
// one request in ten of every read a write. BENCH_OTHER=<checkout> adds a second labelmux built in another
// checkout (e.g. main: `git worktree add` it, `npm run build` there), run right after this one's on every
// workload, so two commits are compared in alternating pairs. BENCH_LEVELS picks levels (e.g. `1,100`). Each server
// is warmed on each workload before it is measured (BENCH_WARMUP seconds, default 1; 0: one request).
// BENCH_REPEAT=<n> measures each workload n times, alternating which server goes first (medians kept);
// BENCH_GROWN_PG=never|analyzed puts labelmux on PostgreSQL (below).
// `npm run bench -- memory`: the whole-workspace lists served repeatedly on the 100k level (memory.ts).
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { grow, GROW_VERSION, type GrownInfo, LEVELS } from './grow.js';
import { ADMIN_TOKEN, CONNECTIONS, DATA, ONLY, type Sample, type Server, drain, load, measure, measureBaseline, peakRss, startBaseline, startLabelmux, stop, waitReady } from './harness.js';
import { median } from './inject-rounds.js';
import { forgetStatistics, pgCopies } from './store-sides.js';
import { grownTarget, type Workload, workloads } from './workloads.js';
import type { PgServer } from '../test/pg/pg-server.js';

/** BENCH_OTHER: another checkout whose dist/server.js is measured beside this one's. */
export const OTHER = process.env.BENCH_OTHER;
const PICKED = process.env.BENCH_LEVELS?.split(',').map((k) => Number(k) * 1000);

export interface GrownRow {
  level: number;
  dialect: string;
  workload: string;
  kind: string;
  bare: Sample;
  contract: Sample;
  labelmux: Sample;
  other?: Sample;
  /** Rounds measured (BENCH_REPEAT; whole-workspace reads and fixed-amount runs one). */
  rounds: number;
  /** The median over rounds of the contract baseline's CPU per request over labelmux's in the same round. */
  cpuRatio: number;
}

/** The grown databases, grown once (cached in bench/.data/grown-<n>k.db with their info as JSON). */
export async function grownLevels(): Promise<{ level: number; db: string; info: GrownInfo }[]> {
  mkdirSync(DATA, { recursive: true });
  const base = join(DATA, `grown-v${GROW_VERSION}`);
  const at = (level: number) => `${base}-${level / 1000}k`;
  if (!LEVELS.every((l) => existsSync(`${at(l)}.db`) && existsSync(`${at(l)}.json`))) {
    process.stdout.write('growing the grown databases through the store…\n');
    await grow(base);
  }
  return LEVELS.map((level) => ({ level, db: `${at(level)}.db`, info: JSON.parse(readFileSync(`${at(level)}.json`, 'utf8')) as GrownInfo }));
}

/** A fresh copy of a database for one server (servers never share a file: each meets only its own writes). */
export function copyOf(db: string, name: string): string {
  const work = db.replace(/\.db$/, `.${name}.db`);
  for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
  copyFileSync(db, work);
  return work;
}

const server = (port: number, child: ChildProcess): Server => ({ base: `http://127.0.0.1:${port}`, pid: child.pid! });

/**
 * BENCH_REPEAT: rounds of each workload (default 1), the contract baseline and labelmux measured first in turn.
 * One run of each on a quiet machine still moved a point read's ratio by 0.15 from one run to the next.
 */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
/** The run of median CPU per request. */
const medianSample = (xs: Sample[]) => [...xs].sort((a, b) => a.cpuUs - b.cpuUs)[(xs.length - 1) >> 1]!;

/** Seconds of unmeasured load before each server's run of a workload (BENCH_WARMUP). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

async function warm(wl: Workload, target: Server, baseline = false): Promise<void> {
  const build = baseline ? wl.baseline : wl.labelmux;
  // Whole-workspace reads and runs of a fixed number of requests (a finite pool of users to delete): one request.
  if (wl.heavy || wl.load?.amount !== undefined || WARMUP <= 0) return drain(target.base, build);
  await load([target], build, wl.connections ?? CONNECTIONS, { duration: WARMUP });
}

/**
 * BENCH_GROWN_PG: labelmux (and BENCH_OTHER's) on PostgreSQL instead, each on a throwaway server of its own
 * holding a copy of the level's database; `never` (statistics dropped after the copy, autovacuum left off so none
 * come back) or `analyzed` (as the copy leaves it). Its CPU per request counts its PostgreSQL server's too. The
 * baselines stay on SQLite: the ratios to them are for information; the growth is what this is for.
 */
export const GROWN_PG = process.env.BENCH_GROWN_PG;
if (GROWN_PG !== undefined && GROWN_PG !== 'never' && GROWN_PG !== 'analyzed') throw new Error('BENCH_GROWN_PG: never or analyzed');

/** Where a labelmux of the level runs: a copy of its SQLite file, or of the database in a PostgreSQL server of its own. */
async function labelmuxDatabase(db: string, name: string): Promise<{ database: string; pg?: PgServer }> {
  if (!GROWN_PG) return { database: copyOf(db, name) };
  const { server, urls } = await pgCopies(db, 'grown', 1);
  if (GROWN_PG === 'never') await forgetStatistics(urls[0]!, { autovacuum: false });
  return { database: urls[0]!, pg: server };
}

async function runLevel(level: number, db: string, info: GrownInfo, port: number): Promise<{ rows: GrownRow[]; rssMb: number }> {
  const mine = await labelmuxDatabase(db, 'labelmux');
  const theirs = OTHER ? await labelmuxDatabase(db, 'other') : null;
  const labelmux = startLabelmux(mine.database, port);
  const other = theirs ? startLabelmux(theirs.database, port + 3, OTHER) : null;
  // Each server its own copy: the baselines' mixed writes grow their read label as labelmux's grow its own.
  const bare = await startBaseline(copyOf(db, 'bare'), port + 1, 'bare');
  const contract = await startBaseline(copyOf(db, 'contract'), port + 2, 'contract');
  await waitReady(`http://127.0.0.1:${port}/readyz`, 60_000);
  if (other) await waitReady(`http://127.0.0.1:${port + 3}/readyz`, 60_000);
  const lm: Server = { base: `http://127.0.0.1:${port}`, pid: labelmux.pid!, ...(mine.pg && { also: mine.pg.pids }) };
  const om: Server | null = other ? { base: `http://127.0.0.1:${port + 3}`, pid: other.pid!, ...(theirs!.pg && { also: theirs!.pg.pids }) } : null;
  const rows: GrownRow[] = [];
  try {
    for (const wl of workloads(grownTarget(info, ADMIN_TOKEN), true)) {
      if (ONLY && !ONLY.test(`${wl.dialect} ${wl.name}`)) continue;
      const connections = wl.connections ?? CONNECTIONS;
      // Each server warmed on the workload first (unmeasured): a server's first run of a code path otherwise pays
      // for compiling it, and labelmux has far more code than the baselines (limbo's list at 1k cost 641 µs a
      // request in its first 3 s run, 290 µs in the next ones).
      await warm(wl, server(port + 2, contract), true);
      await warm(wl, lm);
      if (om) await warm(wl, om);
      await warm(wl, server(port + 1, bare), true);
      // REPEAT rounds, each server once per round, the contract baseline and labelmux first in turn: the row
      // keeps each server's median run, and labelmux's median ratio to the contract's run of the same round.
      const runs: { c: Sample; l: Sample; o?: Sample; b: Sample }[] = [];
      const rounds = wl.heavy || wl.load?.amount !== undefined ? 1 : REPEAT;
      for (let r = 0; r < rounds; r++) {
        const contractRun = () => measureBaseline(wl, server(port + 2, contract), connections);
        const labelmuxRun = () => measure(wl, [lm]);
        let c: Sample;
        let l: Sample;
        if (r % 2 === 0) {
          c = await contractRun();
          l = await labelmuxRun();
        } else {
          l = await labelmuxRun();
          c = await contractRun();
        }
        const o = om ? await measure(wl, [om]) : undefined;
        const b = await measureBaseline(wl, server(port + 1, bare), connections);
        runs.push({ c, l, ...(o && { o }), b });
      }
      const c = medianSample(runs.map((x) => x.c));
      const l = medianSample(runs.map((x) => x.l));
      const o = other ? medianSample(runs.map((x) => x.o!)) : undefined;
      const b = medianSample(runs.map((x) => x.b));
      const cpuRatio = median(runs.map((x) => x.c.cpuUs / x.l.cpuUs));
      const row: GrownRow = { level, dialect: wl.dialect, workload: wl.name, kind: wl.kind, bare: b, contract: c, labelmux: l, ...(o && { other: o }), rounds, cpuRatio };
      rows.push(row);
      process.stdout.write(`${grownLine(row)}\n`);
    }
    return { rows, rssMb: peakRss(labelmux.pid!) };
  } finally {
    for (const s of [labelmux, other, bare, contract]) if (s) await stop(s);
    for (const side of [mine, theirs]) side?.pg?.stop();
  }
}

export async function runGrown(port: number): Promise<{ rows: GrownRow[]; peakRssMb: Record<string, number> }> {
  const rows: GrownRow[] = [];
  const peakRssMb: Record<string, number> = {};
  for (const { level, db, info } of await grownLevels()) {
    if (PICKED && !PICKED.includes(level)) continue;
    const out = await runLevel(level, db, info, (port += 10));
    rows.push(...out.rows);
    peakRssMb[`${level / 1000}k`] = Math.round(out.rssMb);
  }
  return { rows, peakRssMb };
}

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const k = (level: number) => `${level / 1000}k`;
export const GROWN_HEADER =
  `| labels | dialect | workload | contract req/s | labelmux req/s | ratio to contract | ratio to bare | CPU µs per request: bare / contract / labelmux${OTHER ? ' / other' : ''} | contract CPU / labelmux CPU (median of rounds) |${OTHER ? ' other req/s (ratio to contract) |' : ''}\n` +
  `|---|---|---|---|---|---|---|---|---|${OTHER ? '---|' : ''}`;
export const grownLine = (r: GrownRow) =>
  `| ${k(r.level)} | ${r.dialect} | ${r.workload} | ${fmt(r.contract.rps)} | ${fmt(r.labelmux.rps)} | ${fmt(r.labelmux.rps / r.contract.rps, 2)} | ${fmt(r.labelmux.rps / r.bare.rps, 2)} | ${fmt(r.bare.cpuUs)} / ${fmt(r.contract.cpuUs)} / ${fmt(r.labelmux.cpuUs)}${r.other ? ` / ${fmt(r.other.cpuUs)}` : ''} | ${fmt(r.cpuRatio, 2)} (${r.rounds}) |${r.other ? ` ${fmt(r.other.rps)} (${fmt(r.other.rps / r.contract.rps, 2)}) |` : ''}`;

/** Per workload: labelmux's CPU per request at each level and the growth from the first level to the last. */
export function growthTable(rows: GrownRow[]): string {
  const levels = [...new Set(rows.map((r) => r.level))].sort((a, b) => a - b);
  const names = [...new Set(rows.map((r) => `${r.dialect}|${r.workload}`))];
  const col = (pick: (r: GrownRow) => number | undefined, label: string) => ({ pick, label });
  const cols = [col((r) => r.labelmux.cpuUs, 'labelmux'), ...(OTHER ? [col((r) => r.other?.cpuUs, 'other')] : []), col((r) => r.contract.cpuUs, 'contract')];
  const head = `| dialect | workload | ${cols.map((c) => `${c.label} CPU µs at ${levels.map(k).join(' / ')} | growth ×`).join(' | ')} |`;
  const lines = names.map((name) => {
    const at = levels.map((l) => rows.find((r) => `${r.dialect}|${r.workload}` === name && r.level === l));
    const cells = cols.map((c) => {
      const v = at.map((r) => (r ? c.pick(r) : undefined));
      const growth = v[0] && v[v.length - 1] ? v[v.length - 1]! / v[0] : NaN;
      return `${v.map((x) => (x === undefined ? '–' : fmt(x))).join(' / ')} | ${fmt(growth, 2)}`;
    });
    return `| ${name.replace('|', ' | ')} | ${cells.join(' | ')} |`;
  });
  return [head, `|---|---|${cols.map(() => '---|---|').join('')}`, ...lines].join('\n');
}
