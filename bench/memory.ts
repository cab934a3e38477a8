// `npm run bench -- memory`: labelmux's memory while it serves the 100k-label workspace's whole lists (or another
// grown level's: BENCH_MEMORY_LEVEL=1 for the 1k one, where the same lists are small and come hundreds a second)
// (Livestorm's label list, Jotform's tree, Razuna's getall) over and over, and how soon it gives it back.
// Fresh: resident set after start-up; idle: after one of each list and 5 s of rest. Then BENCH_MEMORY_SECONDS (default 20) of the three
// lists at once, BENCH_MEMORY_CONNECTIONS each (default 3;
// a client waits up to 2 minutes for an answer, so none is abandoned and sent again), the resident set sampled every 50 ms; then 15 s of
// rest, sampled every second. With BENCH_OTHER, the other checkout's server is measured the same way after.
// While the lists run, one point read (Jotform's get label) every 100 ms measures whether other requests still
// get through. Then, with BENCH_OTHER, the CPU time per whole list: each list alone, one request at a time, the
// two servers alternating (BENCH_MEMORY_CPU_ROUNDS rounds, default 3; 0 skips it).
import { readFileSync } from 'node:fs';
import { copyOf, grownLevels, OTHER } from './grown.js';
import { type Sample, cpuTime, load, sleep, startLabelmux, stop, waitReady } from './harness.js';
import type { Req } from './workloads.js';

const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 20);
const PER_LIST = Number(process.env.BENCH_MEMORY_CONNECTIONS ?? 3);
const CPU_ROUNDS = Number(process.env.BENCH_MEMORY_CPU_ROUNDS ?? 3);
const LEVEL = Number(process.env.BENCH_MEMORY_LEVEL ?? 100) * 1000;

/** Resident set (VmRSS) of a process now, in MB. */
const rss = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

export interface MemoryResult {
  server: string;
  /** Resident set after start-up, before any list. */
  freshMb: number;
  /** Resident set after one of each list and 5 s of rest. */
  idleMb: number;
  peakMb: number;
  /** Resident set 1, 5, 10 and 15 s after the load stopped. */
  afterMb: number[];
  lists: { name: string; rps: number; non2xx: number }[];
  /** The server's CPU time over the run, per request of any of the lists. */
  cpuUs: number;
  /** Latency of the point reads made while the lists ran, ms: p50, p99, max (and how many). */
  pointMs: { p50: number; p99: number; max: number; n: number };
}

/** A point read every `everyMs` until `done()`: the latencies, ms. */
async function pointReads(base: string, req: Req, done: () => boolean, everyMs = 100): Promise<number[]> {
  const out: number[] = [];
  while (!done()) {
    const t0 = performance.now();
    const r = await fetch(`${base}${req.path}`, { headers: req.headers });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`point read answered ${r.status}`);
    out.push(performance.now() - t0);
    await sleep(everyMs);
  }
  return out;
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

async function measureOne(name: string, db: string, port: number, lists: { name: string; req: Req }[], point: Req, checkout?: string): Promise<MemoryResult> {
  const child = startLabelmux(copyOf(db, `memory-${name}`), port, checkout);
  const pid = child.pid!;
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitReady(`${base}/readyz`, 60_000);
    await sleep(2000);
    const freshMb = rss(pid);
    for (const l of lists) await fetch(`${base}${l.req.path}`, { headers: l.req.headers }).then((r) => r.arrayBuffer());
    await sleep(5000);
    const idleMb = rss(pid);
    let peakMb = idleMb;
    const sampler = setInterval(() => (peakMb = Math.max(peakMb, rss(pid))), 50);
    // Each sample's cpuUs is the server's whole CPU time over that list's requests (the lists run together).
    let loading = true;
    const points = pointReads(base, point, () => !loading);
    const samples: Sample[] = await Promise.all(lists.map((l) => load([{ base, pid }], () => l.req, PER_LIST, { duration: SECONDS, timeout: 120 })));
    loading = false;
    const pointMs = await points;
    const afterMb: number[] = [];
    for (let s = 1; s <= 15; s++) {
      await sleep(1000);
      if ([1, 5, 10, 15].includes(s)) afterMb.push(Math.round(rss(pid)));
    }
    // The peak counts the rest too: requests still queued or running when the load stopped finish then.
    clearInterval(sampler);
    const total = samples.reduce((a, x) => a + x.rps, 0);
    return {
      server: name, freshMb: Math.round(freshMb), idleMb: Math.round(idleMb), peakMb: Math.round(peakMb), afterMb,
      lists: lists.map((l, i) => ({ name: l.name, rps: samples[i]!.rps, non2xx: samples[i]!.non2xx })),
      cpuUs: (samples[0]!.cpuUs * samples[0]!.rps) / total,
      pointMs: { p50: quantile(pointMs, 0.5), p99: quantile(pointMs, 0.99), max: Math.max(...pointMs), n: pointMs.length },
    };
  } finally {
    await stop(child);
  }
}

export async function runMemory(port: number): Promise<MemoryResult[]> {
  const level = (await grownLevels()).find((l) => l.level === LEVEL)!;
  const { ws, key } = level.info;
  const lists = [
    { name: 'livestorm list labels (all)', req: { method: 'GET', path: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` } } },
    { name: 'jotform full tree', req: { method: 'GET', path: '/API/user/labels', headers: { apikey: key } } },
    { name: 'razuna getall', req: { method: 'GET', path: `/global/api2/label.cfc?method=getall&api_key=${ws}-${key}` } },
  ] as const satisfies { name: string; req: Req }[];
  const point: Req = { method: 'GET', path: `/API/label/${level.info.leaf}`, headers: { apikey: key } };
  process.stdout.write(`memory: ${SECONDS} s of the three whole lists, ${PER_LIST} connections each, on ${level.info.labels} labels\n`);
  const out = [await measureOne('labelmux', level.db, port, [...lists], point)];
  if (OTHER) out.push(await measureOne('other', level.db, port + 1, [...lists], point, OTHER));
  for (const r of out) process.stdout.write(`${memoryLine(r)}\n`);
  if (OTHER && CPU_ROUNDS > 0) process.stdout.write(`\n${CPU_HEADER}\n${(await cpuPerList(level.db, port + 2, [...lists])).map(cpuLine).join('\n')}\n`);
  return out;
}

export interface ListCpu {
  list: string;
  /** Server CPU time per request, ms, one entry per round. */
  labelmux: number[];
  other: number[];
}

/** Each list alone, one request at a time, on this server and the other in turn (the order swapped every round). */
async function cpuPerList(db: string, port: number, lists: { name: string; req: Req }[]): Promise<ListCpu[]> {
  const servers = [
    { name: 'labelmux' as const, child: startLabelmux(copyOf(db, 'cpu-labelmux'), port), base: `http://127.0.0.1:${port}` },
    { name: 'other' as const, child: startLabelmux(copyOf(db, 'cpu-other'), port + 1, OTHER), base: `http://127.0.0.1:${port + 1}` },
  ];
  const out: ListCpu[] = lists.map((l) => ({ list: l.name, labelmux: [], other: [] }));
  try {
    for (const s of servers) await waitReady(`${s.base}/readyz`, 60_000);
    const one = async (s: (typeof servers)[number], req: Req) => {
      const cpu0 = cpuTime(s.child.pid!);
      const r = await fetch(`${s.base}${req.path}`, { headers: req.headers });
      await r.arrayBuffer();
      return (cpuTime(s.child.pid!) - cpu0) / 1000;
    };
    for (const s of servers) for (const l of lists) await one(s, l.req); // warm-up
    for (let round = 0; round < CPU_ROUNDS; round++) {
      for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
        for (const [i, l] of lists.entries()) out[i]![s.name].push(await one(s, l.req));
      }
    }
    return out;
  } finally {
    for (const s of servers) await stop(s.child);
  }
}

const ms = (xs: number[]) => `${[...xs].sort((a, b) => a - b).map((x) => x.toFixed(0)).join(', ')} (median ${quantile(xs, 0.5).toFixed(0)})`;
export const CPU_HEADER = '| list | this checkout, CPU ms per request | BENCH_OTHER, CPU ms per request |\n|---|---|---|';
export const cpuLine = (r: ListCpu) => `| ${r.list} | ${ms(r.labelmux)} | ${ms(r.other)} |`;

/** The memory target: peak ≤ 300 MB, and within 10 s back near idle (here: at most 50 MB above it). */
export const PEAK_TARGET_MB = 300;
export const NEAR_IDLE_MB = 50;
const met = (r: MemoryResult) => `${r.peakMb <= PEAK_TARGET_MB ? 'yes' : 'no'} / ${r.afterMb[2]! <= r.idleMb + NEAR_IDLE_MB ? 'yes' : 'no'}`;

export const MEMORY_HEADER =
  `| server | fresh MB | idle MB (after one of each) | peak MB | after 1 / 5 / 10 / 15 s, MB | req/s per list (Livestorm / Jotform / Razuna) | CPU µs per request (all lists) | point read during the lists, p50 / p99 / max ms | peak ≤ ${PEAK_TARGET_MB} MB / idle + ${NEAR_IDLE_MB} MB at 10 s |\n` +
  '|---|---|---|---|---|---|---|---|---|';
export const memoryLine = (r: MemoryResult) =>
  `| ${r.server} | ${r.freshMb} | ${r.idleMb} | ${r.peakMb} | ${r.afterMb.join(' / ')} | ${r.lists.map((l) => l.rps.toFixed(1)).join(' / ')} | ${r.cpuUs.toFixed(0)} | ${r.pointMs.p50.toFixed(1)} / ${r.pointMs.p99.toFixed(0)} / ${r.pointMs.max.toFixed(0)} | ${met(r)} |`;
