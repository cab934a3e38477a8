// What every bench run shares: starting and stopping servers, loading them with autocannon, and reading a
// server's CPU time and memory from /proc. Env: BENCH_DURATION, BENCH_CONNECTIONS, BENCH_ONLY, BENCH_SERVER_ARGS,
// BENCH_SERVER_LOG (see run.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Req, Workload } from './workloads.js';


export const ROOT = new URL('..', import.meta.url).pathname;
export const DATA = join(ROOT, 'bench', '.data');
export const DURATION = Number(process.env.BENCH_DURATION ?? 5);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
export const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;

export interface Sample {
  rps: number;
  /** The server's CPU time (user + system) per answered request, in µs: how much work a request is, whatever the load generator's share of the cores. */
  cpuUs: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** Fixed-load latency only: the p99 of each of the runs this one is the median of. */
  p99s?: number[];
}
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitReady(url: string, timeoutMs: number): Promise<number> {
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
export async function settle(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const t0 = performance.now();
    await fetch(url).catch(() => undefined);
    if (performance.now() - t0 < 20) return;
    await sleep(100);
  }
}

/** BENCH_SERVER_LOG: a file that gets labelmux's standard output (with BENCH_SERVER_ARGS=--trace-gc, its GC trace). */
const SERVER_LOG = process.env.BENCH_SERVER_LOG;
/** BENCH_SERVER_ARGS: Node flags for labelmux, space-separated (e.g. `--trace-gc`; NODE_OPTIONS refuses some). */
const SERVER_ARGS = process.env.BENCH_SERVER_ARGS?.split(' ').filter(Boolean) ?? [];

export function start(cmd: string, args: string[], env: Record<string, string>, stdout: 'ignore' | number = 'ignore', cwd = ROOT): ChildProcess {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', stdout, 'inherit'] });
  if (typeof stdout === 'number') closeSync(stdout); // the child has its own copy
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') process.stderr.write(`${cmd} ${args.join(' ')} exited with ${code ?? signal}\n`);
  });
  return child;
}

export const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** CPU time (user + system) a process has used so far, in µs (/proc counts clock ticks of 10 ms). */
export const cpuTime = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime and stime are fields 14 and 15
};

/** A server under load: its URL and its process. */
export interface Server {
  base: string;
  pid: number;
  /** More processes whose CPU is the server's: its PostgreSQL server's (the postmaster and its children). */
  also?: () => number[];
}

/** User + system CPU of these processes, in ms (one gone meanwhile counts nothing). */
export function cpuOf(pids: number[]): number {
  let us = 0;
  for (const pid of pids) {
    try {
      us += cpuTime(pid);
    } catch {
      // gone meanwhile
    }
  }
  return us / 1000;
}

/** A server's CPU time so far (µs): its process's and its `also` processes'. */
const serverCpu = ({ pid, also }: Server): number => cpuTime(pid) + (also ? cpuOf(also()) * 1000 : 0);

/** Peak resident set (VmHWM) of a process, in MB. */
export const peakRss = (pid: number): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
/**
 * How long a run lasts (seconds; BENCH_DURATION by default), or how many requests it sends instead (`amount`:
 * for writes that use up a finite pool), and how long a request may take (10 s by default).
 */
export interface LoadOptions {
  duration?: number;
  amount?: number;
  timeout?: number;
}

export async function loadOne(server: Server, build: (n: number) => Req, connections: number, next: () => number, opts: LoadOptions = {}): Promise<Sample> {
  const first = build(0);
  const cpu0 = serverCpu(server);
  const result = await autocannon({
    url: server.base,
    connections,
    duration: opts.duration ?? DURATION,
    ...(opts.amount !== undefined && { amount: opts.amount }),
    timeout: opts.timeout ?? 10,
    requests: [
      {
        ...first,
        setupRequest: (req) => {
          const r = build(next());
          return { ...req, method: r.method, path: r.path, headers: r.headers ?? {}, ...(r.body !== undefined && { body: r.body }) };
        },
      },
    ],
  });
  const cpuUs = (serverCpu(server) - cpu0) / Math.max(1, result.requests.total);
  return { rps: result.requests.total / Math.max(1e-9, result.duration), cpuUs, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

/** Loads one or several servers at once (the connections split between them); several add up their req/s. */
export async function load(targets: Server[], build: (n: number) => Req, connections: number, opts: LoadOptions = {}): Promise<Sample> {
  let n = 0;
  const next = () => n++;
  const used = targets.slice(0, Math.min(targets.length, connections)); // one client loads one server
  const per = Math.max(1, Math.round(connections / used.length));
  const samples = await Promise.all(used.map((t) => loadOne(t, build, per, next, opts)));
  return {
    rps: samples.reduce((a, x) => a + x.rps, 0),
    cpuUs: samples.reduce((a, x) => a + x.cpuUs * x.rps, 0) / Math.max(1, samples.reduce((a, x) => a + x.rps, 0)),
    p50: Math.max(...samples.map((x) => x.p50)),
    p99: Math.max(...samples.map((x) => x.p99)),
    errors: samples.reduce((a, x) => a + x.errors, 0),
    non2xx: samples.reduce((a, x) => a + x.non2xx, 0),
  };
}
export const ADMIN_TOKEN = 'bench-admin-token-0123456789';

export const LABELMUX_ENV = {
  HOST: '127.0.0.1',
  LABELMUX_BOOTSTRAP: 'none',
  LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN,
  LOG_LEVEL: 'warn',
  // Vendor quotas stay on in production; the benchmark measures speed, not quotas.
  LABELMUX_JOTFORM_DAILY_LIMIT: '1000000000',
  LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT: '1000000000',
  LABELMUX_DEVTODEV_APP_DAILY_LIMIT: '1000000000',
};

/** labelmux built in `checkout` (this one by default: `npm run build` first) on database `db`. */
export const startLabelmux = (db: string, port: number, checkout = ROOT) =>
  start(process.execPath, [...SERVER_ARGS, 'dist/server.js'], { ...LABELMUX_ENV, LABELMUX_DB: db, PORT: String(port) }, SERVER_LOG ? openSync(SERVER_LOG, 'a') : 'ignore', checkout);

/** A baseline (bench/baseline.ts): `bare`, or `contract` (what every labelmux request must do besides). */
export async function startBaseline(db: string, port: number, mode: 'bare' | 'contract'): Promise<ChildProcess> {
  const child = start(process.execPath, ['--import', 'tsx', 'bench/baseline.ts', db, String(port), mode], {});
  await waitReady(`http://127.0.0.1:${port}/b/labels/1`, 30_000);
  return child;
}

/** One request of the workload, awaited: it queues behind whatever a run left, so the next run starts clean. */
export async function drain(base: string, build: (n: number) => Req): Promise<void> {
  const r = build(0);
  await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body, signal: AbortSignal.timeout(120_000) })
    .then((res) => res.arrayBuffer())
    .catch(() => undefined);
}

export async function measure(wl: Workload, targets: Server[]): Promise<Sample> {
  const bases = targets.map((t) => t.base);
  const sample = await load(targets, wl.labelmux, wl.connections ?? CONNECTIONS, wl.load);
  for (const b of bases) await settle(`${b}/healthz`);
  for (const b of bases) await drain(b, wl.labelmux);
  if (sample.non2xx > 0 || sample.errors > 0) process.stdout.write(`  ! ${bases.join(' + ')}: ${sample.non2xx} non-2xx and ${sample.errors} errors\n`);
  return sample;
}

/** A baseline's run of a workload's baseline requests, then a wait until it answers quickly again. */
export async function measureBaseline(wl: Workload, server: Server, connections: number): Promise<Sample> {
  const sample = await load([server], wl.baseline, connections, wl.load);
  await settle(`${server.base}/b/labels/1`);
  await drain(server.base, wl.baseline);
  return sample;
}
