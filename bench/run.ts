// `npm run bench [-- small|large|all]`: builds (or reuses) the database at each scale, starts labelmux (built
// dist/) and the raw baseline on copies of it, loads both with autocannon from this process, alternating
// baseline and labelmux per workload, and writes bench/results.json and bench/results.md.
// Env: BENCH_DURATION (seconds per run, default 5), BENCH_CONNECTIONS (default 50), BENCH_ONLY (regexp on
// "<dialect> <workload>").
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { SCALES, seed, type Scale } from './seed.js';
import { type Req, workloads } from './workloads.js';

const ROOT = new URL('..', import.meta.url).pathname;
const DATA = join(ROOT, 'bench', '.data');
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

interface Row {
  scale: string;
  dialect: string;
  workload: string;
  kind: string;
  single: boolean;
  baseline: Sample;
  labelmux: Sample;
  ratio: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      if ((await fetch(url)).status < 500) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await sleep(10);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Waits until a server has drained the queue a heavy run left behind (a trivial request answers fast). */
async function settle(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const t0 = performance.now();
    await fetch(url).catch(() => undefined);
    if (performance.now() - t0 < 20) return;
    await sleep(100);
  }
}

function start(cmd: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n`);
  });
  return child;
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** Peak resident set (VmHWM) of a process, in MB. */
const peakRss = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

async function load(base: string, build: (n: number) => Req): Promise<Sample> {
  let n = 0;
  const first = build(0);
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION,
    requests: [
      {
        ...first,
        setupRequest: (req) => {
          const r = build(n++);
          return { ...req, method: r.method, path: r.path, headers: r.headers ?? {}, ...(r.body !== undefined && { body: r.body }) };
        },
      },
    ],
  });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

async function runScale(scale: Scale, startPort: number): Promise<{ rows: Row[]; rssMb: number; startupMs: number }> {
  mkdirSync(DATA, { recursive: true });
  const seeded = join(DATA, `${scale.name}.db`);
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
  const labelmux = start(process.execPath, ['dist/server.js'], {
    LABELMUX_DB: work,
    PORT: String(lmPort),
    HOST: '127.0.0.1',
    LABELMUX_BOOTSTRAP: 'none',
    LABELMUX_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    LOG_LEVEL: 'warn',
    // Vendor quotas stay on in production; the benchmark measures speed, not quotas.
    LABELMUX_JOTFORM_DAILY_LIMIT: '1000000000',
    LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT: '1000000000',
    LABELMUX_DEVTODEV_APP_DAILY_LIMIT: '1000000000',
  });
  const startupMs = await waitReady(`http://127.0.0.1:${lmPort}/readyz`, 30_000);
  const baseline = start(process.execPath, ['--import', 'tsx', 'bench/baseline.ts', work, String(basePort)], {});
  await waitReady(`http://127.0.0.1:${basePort}/b/labels?ws=1`, 30_000);

  const rows: Row[] = [];
  try {
    for (const wl of workloads(scale.workspaces, scale.resources)) {
      if (ONLY && !ONLY.test(`${wl.dialect} ${wl.name}`)) continue;
      const b = await load(`http://127.0.0.1:${basePort}`, wl.baseline);
      await settle(`http://127.0.0.1:${basePort}/b/labels/1`);
      const l = await load(`http://127.0.0.1:${lmPort}`, wl.labelmux);
      await settle(`http://127.0.0.1:${lmPort}/healthz`);
      const row = { scale: scale.name, dialect: wl.dialect, workload: wl.name, kind: wl.kind, single: wl.single, baseline: b, labelmux: l, ratio: l.rps / b.rps };
      rows.push(row);
      process.stdout.write(`${line(row)}\n`);
      if (l.non2xx > 0 || l.errors > 0) process.stdout.write(`  ! labelmux answered ${l.non2xx} non-2xx and ${l.errors} errors\n`);
    }
    return { rows, rssMb: peakRss(labelmux.pid!), startupMs };
  } finally {
    await stop(labelmux);
    await stop(baseline);
  }
}

const fmt = (n: number, d = 0) => n.toFixed(d);
const line = (r: Row) =>
  `| ${r.scale} | ${r.dialect} | ${r.workload} | ${fmt(r.baseline.rps)} | ${fmt(r.labelmux.rps)} | ${fmt(r.ratio, 2)} | ${r.labelmux.p50} | ${r.labelmux.p99} | ${r.baseline.p50} / ${r.baseline.p99} |`;
const HEADER = '| scale | dialect | workload | baseline req/s | labelmux req/s | ratio | p50 ms | p99 ms | baseline p50 / p99 ms |\n|---|---|---|---|---|---|---|---|---|';

async function main() {
  const which = process.argv[2] ?? 'small';
  const scales = which === 'all' ? [SCALES.small, SCALES.large] : [SCALES[which as Scale['name']]];
  if (scales.some((s) => !s)) throw new Error('usage: npm run bench -- small|large|all');
  if (!existsSync(join(ROOT, 'dist', 'server.js'))) throw new Error('run `npm run build` first');
  const results: { machine: object; at: string; duration: number; connections: number; scales: object[] } = {
    machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version },
    at: new Date().toISOString(),
    duration: DURATION,
    connections: CONNECTIONS,
    scales: [],
  };
  process.stdout.write(`${HEADER}\n`);
  let port = 19_000;
  const tables: string[] = [];
  for (const scale of scales) {
    const { rows, rssMb, startupMs } = await runScale(scale, (port += 10));
    results.scales.push({ scale: scale.name, peakRssMb: Math.round(rssMb), startupMs: Math.round(startupMs), rows });
    tables.push(`### ${scale.name}\n\nstart-up to /readyz: ${Math.round(startupMs)} ms · peak RSS: ${Math.round(rssMb)} MB\n\n${HEADER}\n${rows.map(line).join('\n')}\n`);
    process.stdout.write(`${scale.name}: start-up ${Math.round(startupMs)} ms, peak RSS ${Math.round(rssMb)} MB\n`);
  }
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(ROOT, 'bench', 'results.md'), tables.join('\n'));
}

await main();
