// `npm run build && tsx bench/ab.ts <other checkout>`: this build against another checkout's (its dist/ built
// too, e.g. the commit before a change), on copies of one seeded small database, loaded one at a time by
// autocannon from this process, alternating the two servers for BENCH_ROUNDS rounds (default 5) per workload.
// BENCH_ONLY (a regexp on "<dialect> <workload>") picks the workloads; BENCH_DURATION, BENCH_CONNECTIONS
// and BENCH_PORT apply; BENCH_THIS=<checkout> stands another built checkout in for this one (two older builds
// compared). Prints labelmux's CPU µs per request (the median round, and every round) and req/s for each side,
// and the machine's load average, since alternating is what keeps a loaded machine's numbers comparable.
// BENCH_AB_PG=1: both servers on PostgreSQL instead (a throwaway server; each side its own copy of the seed).
// The contract baseline (bench/baseline.ts contract) takes its turn in the same rounds on its own copy, and each
// side's ratio to it is printed: req/s over the baseline's, and the baseline's CPU per request over the side's
// (both ≥ 0.8 is the read target). BENCH_CONTRACT=0 leaves it out. Before its rounds, each workload warms every
// server for BENCH_WARMUP seconds (default 1; 0 = none; not workloads that send a fixed number of requests), so
// a round does not pay for compiling the workload's code path.
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, DATA, LABELMUX_ENV, ONLY, ROOT, load, settle, start, startBaseline, stop, waitReady, type Sample, type Server } from './harness.js';
import { SCALES, seed, SEED_VERSION } from './seed.js';
import { target, workloads } from './workloads.js';
import { pgCopies } from './store-sides.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const other = process.argv[2];
if (!other) throw new Error('usage: tsx bench/ab.ts <other checkout with a built dist/>');
const sides = [
  { name: 'other', checkout: other },
  { name: 'this', checkout: process.env.BENCH_THIS ?? ROOT },
];
const CONTRACT = process.env.BENCH_CONTRACT !== '0';
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
/** The first of the ports the servers listen on (BENCH_PORT; 18500): another run on the machine may hold the default. */
const PORT = Number(process.env.BENCH_PORT ?? 18_500);

interface Side {
  name: string;
  server: Server;
  /** The contract baseline answers the workload's baseline requests, and settles on its own route. */
  contract?: boolean;
}

async function main(): Promise<void> {
  const scale = SCALES.small;
  mkdirSync(DATA, { recursive: true });
  const seeded = join(DATA, `${scale.name}-v${SEED_VERSION}.db`);
  if (!existsSync(seeded)) seed(seeded, scale);
  const pgServer = process.env.BENCH_AB_PG ? (await pgCopies(seeded, 'ab', 2)).server : null;
  const chosen = workloads(target(scale.workspaces, scale.resources)).filter((w) => !ONLY || ONLY.test(`${w.dialect} ${w.name}`));
  const copy = (i: number) => {
    const db = join(DATA, `ab-${i}.db`);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    copyFileSync(seeded, db);
    return db;
  };
  const children: ChildProcess[] = [];
  const servers: Side[] = await Promise.all(
    sides.map(async (side, i) => {
      const db = pgServer ? pgServer.urlFor(`ab_${i}`) : copy(i);
      const port = PORT + i + (pgServer ? 10 : 0);
      const child = start(process.execPath, ['dist/server.js'], { ...LABELMUX_ENV, LABELMUX_DB: db, PORT: String(port) }, 'ignore', side.checkout);
      children.push(child);
      const base = `http://127.0.0.1:${port}`;
      await waitReady(`${base}/readyz`, 60_000);
      return { name: side.name, server: { base, pid: child.pid! } };
    }),
  );
  if (CONTRACT) {
    const port = PORT + sides.length;
    const child = await startBaseline(copy(sides.length), port, 'contract');
    children.push(child);
    servers.push({ name: 'contract', server: { base: `http://127.0.0.1:${port}`, pid: child.pid! }, contract: true });
  }
  process.stdout.write(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
  try {
    for (const wl of chosen) {
      const samples = new Map<string, Sample[]>(servers.map((s) => [s.name, []]));
      if (WARMUP > 0 && wl.load?.amount === undefined) {
        for (const s of servers) await load([s.server], s.contract ? wl.baseline : wl.labelmux, wl.connections ?? CONNECTIONS, { ...wl.load, duration: WARMUP });
      }
      for (let round = 0; round < ROUNDS; round++) {
        // Alternating, and which side goes first rotates too.
        for (let k = 0; k < servers.length; k++) {
          const s = servers[(round + k) % servers.length]!;
          samples.get(s.name)!.push(await load([s.server], s.contract ? wl.baseline : wl.labelmux, wl.connections ?? CONNECTIONS, wl.load));
          await settle(s.contract ? `${s.server.base}/b/labels/1` : `${s.server.base}/healthz`);
        }
      }
      const cpu = Object.fromEntries([...samples].map(([name, runs]) => [name, median(runs.map((r) => r.cpuUs))]));
      const rps = Object.fromEntries([...samples].map(([name, runs]) => [name, median(runs.map((r) => r.rps))]));
      process.stdout.write(`\n${wl.dialect} ${wl.name}: this/other CPU ${(cpu.this! / cpu.other!).toFixed(3)} (load ${loadavg()[0]!.toFixed(1)})\n`);
      for (const [name, runs] of samples) {
        const bad = runs.reduce((a, r) => a + r.non2xx + r.errors, 0);
        const ratio = CONTRACT && name !== 'contract' ? `  to contract: CPU ${(cpu.contract! / cpu[name]!).toFixed(2)}, req/s ${(rps[name]! / rps.contract!).toFixed(2)}` : '';
        process.stdout.write(
          `  ${name.padEnd(8)} ${cpu[name]!.toFixed(1).padStart(7)} µs  (${runs.map((r) => r.cpuUs.toFixed(1)).join(', ')})  ${Math.round(rps[name]!)} req/s${ratio}${bad ? `  ! ${bad} failed` : ''}\n`,
        );
      }
    }
  } finally {
    for (const c of children) await stop(c);
    pgServer?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
