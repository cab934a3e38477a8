// `npm run bench [-- small|large|all]`: builds (or reuses) the database at each scale, starts labelmux (built
// dist/) and the raw baseline on copies of it, loads both with autocannon from this process, alternating
// baseline and labelmux per workload, and writes bench/results.json and bench/results.md.
// Then, where PostgreSQL's binaries are installed, the same workloads against labelmux on a throwaway
// PostgreSQL holding a copy of the same data: one instance, then two instances on one database.
// Env: BENCH_DURATION (seconds per run, default 5), BENCH_CONNECTIONS (default 50), BENCH_ONLY (regexp on
// "<dialect> <workload>"), BENCH_PG (small (default) | all | none: the scales that get PostgreSQL columns), BENCH_RATE
// (the fixed offered load, req/s, of the latency runs of single-label operations; default 1000), BENCH_LATENCY_RUNS
// (such runs per server, alternating; default 3, the median shown), BENCH_SERVER_ARGS and BENCH_SERVER_LOG (Node
// flags for labelmux, and a file for its standard output: `--trace-gc` and where its trace goes).
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { copySqliteToPg } from '../src/db/pg/copy-from-sqlite.js';
import { pgBin, startPg } from '../test/pg/pg-server.js';
import { SCALES, seed, SEED_VERSION, type Scale } from './seed.js';
import { CONNECTIONS, DATA, DURATION, ONLY, ROOT, type Sample, type Server, measure, measureBaseline, peakRss, settle, sleep, startBaseline, startLabelmux, stop, waitReady } from './harness.js';
import { GROWN_HEADER, GROWN_PG, growthTable, grownLine, runGrown } from './grown.js';
import { MEMORY_HEADER, memoryLine, runMemory } from './memory.js';
import { migratedCopy } from './store-sides.js';
import { type Req, target, workloads } from './workloads.js';

/** The offered load (req/s over all connections) of the latency runs of single-label operations. */
const RATE = Number(process.env.BENCH_RATE ?? 1000);
/** BENCH_LATENCY_RUNS: fixed-load runs per server and single-label workload (default 3); the table shows the median run. */
const LATENCY_RUNS = Math.max(1, Number(process.env.BENCH_LATENCY_RUNS ?? 3));
/** BENCH_PG: `small` (default: the PostgreSQL columns at small scale only), `all`, or `none`. */
const PG_SCALES = process.env.BENCH_PG ?? 'small';

interface Row {
  scale: string;
  dialect: string;
  workload: string;
  kind: string;
  single: boolean;
  connections: number;
  /** The bare baseline (for information) and the contract baseline (the target: reads ≥ 0.8, writes ≥ 0.7). */
  baseline: Sample;
  contract: Sample;
  labelmux: Sample;
  /** labelmux's req/s over the bare baseline's, and over the contract baseline's. */
  ratio: number;
  contractRatio: number;
  /**
   * Single-label operations only: labelmux's latency at a fixed offered load of RATE req/s from the same
   * connections. At saturation, latency is queueing (connections ÷ throughput, Little's law); this is the
   * time a request takes when the server keeps up.
   */
  atRate?: Sample;
  /** The baseline's latency at the same fixed load (the floor the load generator and Node's HTTP stack set). */
  baselineAtRate?: Sample;
  /** labelmux on PostgreSQL: one instance, and two instances sharing the connections. */
  pg1?: Sample;
  pg2?: Sample;
}

const selected = (scale: Scale) => workloads(target(scale.workspaces, scale.resources)).filter((wl) => !ONLY || ONLY.test(`${wl.dialect} ${wl.name}`));
/**
 * An open-loop run: RATE requests per second, each sent when it is due (checked every millisecond) over at most
 * `connections` keep-alive sockets, whether or not earlier answers have come back. A latency runs from the
 * request's send to its answer's end. autocannon's own rate limit sends each second's requests in one burst,
 * which measures the burst instead.
 */
async function openLoop(base: string, build: (n: number) => Req, connections: number, rate: number): Promise<Sample> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(base);
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let n = 0;
  const inFlight = new Set<Promise<void>>();
  const send = () => {
    const r = build(n++);
    const sent = performance.now();
    const done = new Promise<void>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, path: r.path, method: r.method, headers: r.headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - sent);
          if (res.statusCode! >= 300) non2xx++;
          resolve();
        });
      });
      req.on('error', () => (errors++, resolve()));
      req.end(r.body);
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const start = performance.now();
  const total = rate * DURATION;
  while (n < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    while (n < due) send();
    await sleep(1);
  }
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10;
  if (process.env.BENCH_DEBUG) process.stdout.write(`  open loop: p90 ${at(0.9)} p99.9 ${at(0.999)} max ${at(1)}\n`);
  return { rps: latencies.length / DURATION, cpuUs: NaN, p50: at(0.5), p99: at(0.99), errors, non2xx };
}

/** The run with the median p99 (the lower middle one of an even number of runs), with every run's p99 in `p99s`. */
function medianRun(runs: Sample[]): Sample {
  const byP99 = [...runs].sort((a, b) => a.p99 - b.p99);
  return { ...byP99[(byP99.length - 1) >> 1]!, p99s: runs.map((r) => r.p99) };
}

async function runScale(scale: Scale, startPort: number): Promise<{ rows: Row[]; rssMb: number; startupMs: number; seeded: string }> {
  mkdirSync(DATA, { recursive: true });
  const seeded = join(DATA, `${scale.name}-v${SEED_VERSION}.db`);
  if (!existsSync(seeded)) {
    process.stdout.write(`seeding ${scale.name}…\n`);
    const info = seed(seeded, scale);
    process.stdout.write(`  ${JSON.stringify(info)}\n`);
  }
  const work = join(DATA, `${scale.name}.work.db`);
  for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
  copyFileSync(seeded, work);

  const lmPort = startPort;
  const basePort = startPort + 1;
  const contractPort = startPort + 2;
  const labelmux = startLabelmux(work, lmPort);
  const startupMs = await waitReady(`http://127.0.0.1:${lmPort}/readyz`, 30_000);
  const baseline = await startBaseline(work, basePort, 'bare');
  const contract = await startBaseline(work, contractPort, 'contract');
  const server = (port: number, child: ChildProcess): Server => ({ base: `http://127.0.0.1:${port}`, pid: child.pid! });

  const rows: Row[] = [];
  try {
    for (const wl of selected(scale)) {
      const connections = wl.connections ?? CONNECTIONS;
      const b = await measureBaseline(wl, server(basePort, baseline), connections);
      const c = await measureBaseline(wl, server(contractPort, contract), connections);
      const l = await measure(wl, [server(lmPort, labelmux)]);
      const row: Row = { scale: scale.name, dialect: wl.dialect, workload: wl.name, kind: wl.kind, single: wl.single, connections, baseline: b, contract: c, labelmux: l, ratio: l.rps / b.rps, contractRatio: l.rps / c.rps };
      if (wl.single) {
        // Alternating runs, so a stall of the machine lands on one run of one server, not on a whole column.
        const bs: Sample[] = [];
        const ls: Sample[] = [];
        for (let i = 0; i < LATENCY_RUNS; i++) {
          bs.push(await openLoop(`http://127.0.0.1:${basePort}`, wl.baseline, connections, RATE));
          await settle(`http://127.0.0.1:${basePort}/b/labels/1`);
          ls.push(await openLoop(`http://127.0.0.1:${lmPort}`, wl.labelmux, connections, RATE));
          await settle(`http://127.0.0.1:${lmPort}/healthz`);
        }
        row.baselineAtRate = medianRun(bs);
        row.atRate = medianRun(ls);
      }
      rows.push(row);
      process.stdout.write(`${line(row)}\n`);
    }
    return { rows, rssMb: peakRss(labelmux.pid!), startupMs, seeded };
  } finally {
    await stop(labelmux);
    await stop(baseline);
    await stop(contract);
  }
}

/**
 * The same workloads against labelmux on PostgreSQL: the seeded SQLite database is copied once into a template
 * database; each configuration (one instance, then two on one database) gets a fresh copy of it.
 */
async function runPg(scale: Scale, seeded: string, rows: Row[], startPort: number): Promise<{ copySeconds: number; rssMb: number; startupMs: number }> {
  const server = await startPg();
  const admin = new pg.Client({ connectionString: server.url });
  try {
    await admin.connect();
    await admin.query('CREATE DATABASE bench_template');
    const t0 = performance.now();
    const sqlite = migratedCopy(seeded);
    await copySqliteToPg(sqlite, server.urlFor('bench_template'));
    sqlite.close();
    const tpl = new pg.Client({ connectionString: server.urlFor('bench_template') });
    await tpl.connect();
    await tpl.query('VACUUM ANALYZE');
    await tpl.end();
    const copySeconds = (performance.now() - t0) / 1000;
    process.stdout.write(`${scale.name}: copied into PostgreSQL in ${copySeconds.toFixed(0)} s\n`);

    let rssMb = 0;
    let startupMs = 0;
    for (const instances of [1, 2] as const) {
      const db = `bench_${instances}`;
      await admin.query(`CREATE DATABASE ${db} TEMPLATE bench_template`);
      const ports = Array.from({ length: instances }, (_, i) => startPort + i);
      const t1 = performance.now();
      const servers = ports.map((p) => startLabelmux(server.urlFor(db), p));
      try {
        for (const p of ports) await waitReady(`http://127.0.0.1:${p}/readyz`, 60_000);
        if (instances === 1) startupMs = performance.now() - t1;
        for (const wl of selected(scale)) {
          const row = rows.find((r) => r.dialect === wl.dialect && r.workload === wl.name);
          if (!row) continue;
          const sample = await measure(wl, ports.map((p, i) => ({ base: `http://127.0.0.1:${p}`, pid: servers[i]!.pid! })));
          row[instances === 1 ? 'pg1' : 'pg2'] = sample;
          process.stdout.write(`  postgres ×${instances} | ${wl.dialect} | ${wl.name} | ${fmt(sample.rps)} req/s | p50 ${sample.p50} | p99 ${sample.p99}\n`);
        }
        for (const s of servers) rssMb = Math.max(rssMb, peakRss(s.pid!));
      } finally {
        for (const s of servers) await stop(s);
      }
    }
    return { copySeconds, rssMb, startupMs };
  } finally {
    await admin.end().catch(() => undefined);
    server.stop();
  }
}

const pgAvailable = (): boolean => {
  try {
    pgBin('initdb');
    return true;
  } catch {
    return false;
  }
};

const fmt = (n: number, d = 0) => n.toFixed(d);
const pgCell = (x?: Sample) => (x ? `${fmt(x.rps)} (${x.p99})` : '–');
const line = (r: Row) =>
  `| ${r.scale} | ${r.dialect} | ${r.workload} | ${r.connections} | ${fmt(r.baseline.rps)} | ${fmt(r.contract.rps)} | ${fmt(r.labelmux.rps)} | ${fmt(r.ratio, 2)} | ${fmt(r.contractRatio, 2)} | ${fmt(r.baseline.cpuUs)} / ${fmt(r.contract.cpuUs)} / ${fmt(r.labelmux.cpuUs)} | ${r.labelmux.p50} | ${r.labelmux.p99} | ${r.atRate && r.baselineAtRate ? `${r.atRate.p50} / ${r.atRate.p99} (${r.baselineAtRate.p50} / ${r.baselineAtRate.p99})` : '–'} | ${r.baseline.p50} / ${r.baseline.p99} | ${pgCell(r.pg1)} | ${pgCell(r.pg2)} |`;
const HEADER =
  `| scale | dialect | workload | conns | bare req/s | contract req/s | labelmux req/s | ratio to bare | ratio to contract | CPU µs per request: bare / contract / labelmux | p50 ms | p99 ms | p50 / p99 ms at ${RATE} req/s (baseline) | baseline p50 / p99 ms | PostgreSQL ×1 req/s (p99 ms) | PostgreSQL ×2 req/s (p99 ms) |\n` +
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|';

async function main() {
  const which = process.argv[2] ?? 'small';
  if (!existsSync(join(ROOT, 'dist', 'server.js'))) throw new Error('run `npm run build` first');
  if (which === 'grown' || which === 'memory') return grownMain(which);
  const scales = which === 'all' ? [SCALES.small, SCALES.large] : [SCALES[which as Scale['name']]];
  if (scales.some((s) => !s)) throw new Error('usage: npm run bench -- small|large|all|grown|memory');
  const results: { machine: object; at: string; duration: number; connections: number; rate: number; scales: object[] } = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    at: new Date().toISOString(),
    duration: DURATION,
    connections: CONNECTIONS,
    rate: RATE,
    scales: [],
  };
  process.stdout.write(`${HEADER}\n`);
  let port = 19_000;
  const tables: string[] = [];
  for (const scale of scales) {
    const { rows, rssMb, startupMs, seeded } = await runScale(scale, (port += 10));
    let summary = `start-up to /readyz: ${Math.round(startupMs)} ms · peak RSS: ${Math.round(rssMb)} MB`;
    const entry: Record<string, unknown> = { scale: scale.name, peakRssMb: Math.round(rssMb), startupMs: Math.round(startupMs), rows };
    if ((PG_SCALES === 'all' || PG_SCALES === scale.name) && pgAvailable()) {
      const pgInfo = await runPg(scale, seeded, rows, (port += 10));
      entry.postgres = { copySeconds: Math.round(pgInfo.copySeconds), peakRssMb: Math.round(pgInfo.rssMb), startupMs: Math.round(pgInfo.startupMs) };
      summary += ` · on PostgreSQL: start-up ${Math.round(pgInfo.startupMs)} ms, peak RSS ${Math.round(pgInfo.rssMb)} MB per instance`;
    }
    results.scales.push(entry);
    tables.push(`#### ${scale.name}\n\n${summary}\n\n${HEADER}\n${rows.map(line).join('\n')}\n`);
    process.stdout.write(`${scale.name}: ${summary}\n`);
  }
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench', 'results.md'), tables.join('\n'));
}

/** The grown scale (bench/grown.ts) or the memory run (bench/memory.ts); results in bench/results-<which>.{json,md}. */
async function grownMain(which: 'grown' | 'memory') {
  const at = new Date().toISOString();
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, duration: DURATION, connections: CONNECTIONS };
  let md: string;
  let json: object;
  if (which === 'grown') {
    process.stdout.write(`${GROWN_HEADER}\n`);
    const { rows, peakRssMb } = await runGrown(19_000);
    md = `#### grown${GROWN_PG ? `, labelmux on PostgreSQL (${GROWN_PG === 'never' ? 'never analyzed' : 'analyzed'})` : ''} (${at})\n\npeak RSS per level: ${JSON.stringify(peakRssMb)}\n\n${GROWN_HEADER}\n${rows.map(grownLine).join('\n')}\n\n${growthTable(rows)}\n`;
    json = { machine, at, peakRssMb, rows };
  } else {
    const results = await runMemory(19_100);
    md = `#### memory (${at})\n\n${MEMORY_HEADER}\n${results.map(memoryLine).join('\n')}\n`;
    json = { machine, at, results };
  }
  process.stdout.write(`\n${md}`);
  writeFileSync(join(ROOT, 'bench', `results-${which}.json`), `${JSON.stringify(json, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench', `results-${which}.md`), md);
}

await main();
