// `npm run bench -- grown`: the workloads on databases grown through the store (bench/grow.ts, cached as
// bench/.data/grown-v<GROW_VERSION>-<n>k.db) to 1k, 10k and
// 100k labels in one workspace, never analyzed. For each level: labelmux, the contract baseline and the bare
// one on copies of that level's database, each workload run on each server in turn (contract, labelmux, bare),
// one request in ten of every read a write. BENCH_OTHER=<checkout> adds a second labelmux built in another
// checkout (e.g. main: `git worktree add` it, `npm run build` there), run right after this one's on every
// workload, so two commits are compared in alternating pairs. BENCH_LEVELS picks levels (e.g. `1,100`). Each server
// is warmed on each workload before it is measured (BENCH_WARMUP seconds, default 1; 0: one request).
// `npm run bench -- memory`: the whole-workspace lists served repeatedly on the 100k level (memory.ts).
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { grow, GROW_VERSION, type GrownInfo, LEVELS } from './grow.js';
import { ADMIN_TOKEN, CONNECTIONS, DATA, ONLY, type Sample, type Server, drain, load, measure, measureBaseline, peakRss, startBaseline, startLabelmux, stop, waitReady } from './harness.js';
import { grownTarget, type Workload, workloads } from './workloads.js';

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

/** Seconds of unmeasured load before each server's run of a workload (BENCH_WARMUP). */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);

async function warm(wl: Workload, target: Server, baseline = false): Promise<void> {
  const build = baseline ? wl.baseline : wl.labelmux;
  // Whole-workspace reads and runs of a fixed number of requests (a finite pool of users to delete): one request.
  if (wl.heavy || wl.load?.amount !== undefined || WARMUP <= 0) return drain(target.base, build);
  await load([target], build, wl.connections ?? CONNECTIONS, { duration: WARMUP });
}

async function runLevel(level: number, db: string, info: GrownInfo, port: number): Promise<{ rows: GrownRow[]; rssMb: number }> {
  const labelmux = startLabelmux(copyOf(db, 'labelmux'), port);
  const other = OTHER ? startLabelmux(copyOf(db, 'other'), port + 3, OTHER) : null;
  // Each server its own copy: the baselines' mixed writes grow their read label as labelmux's grow its own.
  const bare = await startBaseline(copyOf(db, 'bare'), port + 1, 'bare');
  const contract = await startBaseline(copyOf(db, 'contract'), port + 2, 'contract');
  await waitReady(`http://127.0.0.1:${port}/readyz`, 60_000);
  if (other) await waitReady(`http://127.0.0.1:${port + 3}/readyz`, 60_000);
  const rows: GrownRow[] = [];
  try {
    for (const wl of workloads(grownTarget(info, ADMIN_TOKEN), true)) {
      if (ONLY && !ONLY.test(`${wl.dialect} ${wl.name}`)) continue;
      const connections = wl.connections ?? CONNECTIONS;
      // Each server warmed on the workload first (unmeasured): a server's first run of a code path otherwise pays
      // for compiling it, and labelmux has far more code than the baselines (limbo's list at 1k cost 641 µs a
      // request in its first 3 s run, 290 µs in the next ones).
      await warm(wl, server(port + 2, contract), true);
      await warm(wl, server(port, labelmux));
      if (other) await warm(wl, server(port + 3, other));
      await warm(wl, server(port + 1, bare), true);
      const c = await measureBaseline(wl, server(port + 2, contract), connections);
      const l = await measure(wl, [server(port, labelmux)]);
      const o = other ? await measure(wl, [server(port + 3, other)]) : undefined;
      const b = await measureBaseline(wl, server(port + 1, bare), connections);
      const row: GrownRow = { level, dialect: wl.dialect, workload: wl.name, kind: wl.kind, bare: b, contract: c, labelmux: l, ...(o && { other: o }) };
      rows.push(row);
      process.stdout.write(`${grownLine(row)}\n`);
    }
    return { rows, rssMb: peakRss(labelmux.pid!) };
  } finally {
    for (const s of [labelmux, other, bare, contract]) if (s) await stop(s);
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
  `| labels | dialect | workload | contract req/s | labelmux req/s | ratio to contract | ratio to bare | CPU µs per request: bare / contract / labelmux${OTHER ? ' / other' : ''} |${OTHER ? ' other req/s (ratio to contract) |' : ''}\n` +
  `|---|---|---|---|---|---|---|---|${OTHER ? '---|' : ''}`;
export const grownLine = (r: GrownRow) =>
  `| ${k(r.level)} | ${r.dialect} | ${r.workload} | ${fmt(r.contract.rps)} | ${fmt(r.labelmux.rps)} | ${fmt(r.labelmux.rps / r.contract.rps, 2)} | ${fmt(r.labelmux.rps / r.bare.rps, 2)} | ${fmt(r.bare.cpuUs)} / ${fmt(r.contract.cpuUs)} / ${fmt(r.labelmux.cpuUs)}${r.other ? ` / ${fmt(r.other.cpuUs)}` : ''} |${r.other ? ` ${fmt(r.other.rps)} (${fmt(r.other.rps / r.contract.rps, 2)}) |` : ''}`;

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
