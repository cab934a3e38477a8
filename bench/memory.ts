// `npm run bench -- memory`: labelmux's memory while it serves the 100k-label workspace's whole lists
// (Livestorm's label list, Jotform's tree, Razuna's getall) over and over, and how soon it gives it back.
// Fresh: resident set after start-up; idle: after one of each list and 5 s of rest. Then BENCH_MEMORY_SECONDS (default 20) of the three
// lists at once, BENCH_MEMORY_CONNECTIONS each (default 3;
// a client waits up to 2 minutes for an answer, so none is abandoned and sent again), the resident set sampled every 50 ms; then 15 s of
// rest, sampled every second. With BENCH_OTHER, the other checkout's server is measured the same way after.
import { readFileSync } from 'node:fs';
import { copyOf, grownLevels, OTHER } from './grown.js';
import { type Sample, load, sleep, startLabelmux, stop, waitReady } from './harness.js';
import type { Req } from './workloads.js';

const SECONDS = Number(process.env.BENCH_MEMORY_SECONDS ?? 20);
const PER_LIST = Number(process.env.BENCH_MEMORY_CONNECTIONS ?? 3);

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
}

async function measureOne(name: string, db: string, port: number, lists: { name: string; req: Req }[], checkout?: string): Promise<MemoryResult> {
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
    const samples: Sample[] = await Promise.all(lists.map((l) => load([{ base, pid }], () => l.req, PER_LIST, { duration: SECONDS, timeout: 120 })));
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
    };
  } finally {
    await stop(child);
  }
}

export async function runMemory(port: number): Promise<MemoryResult[]> {
  const level = (await grownLevels()).find((l) => l.level === 100_000)!;
  const { ws, key } = level.info;
  const lists = [
    { name: 'livestorm list labels (all)', req: { method: 'GET', path: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` } } },
    { name: 'jotform full tree', req: { method: 'GET', path: '/API/user/labels', headers: { apikey: key } } },
    { name: 'razuna getall', req: { method: 'GET', path: `/global/api2/label.cfc?method=getall&api_key=${ws}-${key}` } },
  ] as const satisfies { name: string; req: Req }[];
  process.stdout.write(`memory: ${SECONDS} s of the three whole lists, ${PER_LIST} connections each, on ${level.info.labels} labels\n`);
  const out = [await measureOne('labelmux', level.db, port, [...lists])];
  if (OTHER) out.push(await measureOne('other', level.db, port + 1, [...lists], OTHER));
  for (const r of out) process.stdout.write(`${memoryLine(r)}\n`);
  return out;
}

/** The memory target: peak ≤ 300 MB, and within 10 s back near idle (here: at most 50 MB above it). */
export const PEAK_TARGET_MB = 300;
export const NEAR_IDLE_MB = 50;
const met = (r: MemoryResult) => `${r.peakMb <= PEAK_TARGET_MB ? 'yes' : 'no'} / ${r.afterMb[2]! <= r.idleMb + NEAR_IDLE_MB ? 'yes' : 'no'}`;

export const MEMORY_HEADER =
  `| server | fresh MB | idle MB (after one of each) | peak MB | after 1 / 5 / 10 / 15 s, MB | req/s per list (Livestorm / Jotform / Razuna) | CPU µs per request (all lists) | peak ≤ ${PEAK_TARGET_MB} MB / idle + ${NEAR_IDLE_MB} MB at 10 s |\n` +
  '|---|---|---|---|---|---|---|---|';
export const memoryLine = (r: MemoryResult) =>
  `| ${r.server} | ${r.freshMb} | ${r.idleMb} | ${r.peakMb} | ${r.afterMb.join(' / ')} | ${r.lists.map((l) => l.rps.toFixed(1)).join(' / ')} | ${r.cpuUs.toFixed(0)} | ${met(r)} |`;
