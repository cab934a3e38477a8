// `npm run build && tsx bench/ab.ts <other checkout>`: this build against another checkout's (its dist/ built
// too, e.g. the commit before a change), on copies of one seeded small database, loaded one at a time by
// autocannon from this process, alternating the two servers for BENCH_ROUNDS rounds (default 5) per workload.
// BENCH_ONLY (a regexp on "<dialect> <workload>") picks the workloads; BENCH_DURATION and BENCH_CONNECTIONS
// apply. Prints labelmux's CPU µs per request (the median round, and every round) and req/s for each side,
// and the machine's load average, since alternating is what keeps a loaded machine's numbers comparable.
// BENCH_AB_PG=1: both servers on PostgreSQL instead (a throwaway server; each side its own copy of the seed).
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CONNECTIONS, DATA, LABELMUX_ENV, ONLY, ROOT, load, settle, start, stop, waitReady, type Sample } from './harness.js';
import { SCALES, seed } from './seed.js';
import { target, workloads } from './workloads.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { copySqliteToPg } from '../src/db/pg/copy-from-sqlite.js';
import { startPg, type PgServer } from '../test/pg/pg-server.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const other = process.argv[2];
if (!other) throw new Error('usage: tsx bench/ab.ts <other checkout with a built dist/>');
const sides = [
  { name: 'other', checkout: other },
  { name: 'this', checkout: ROOT },
];

async function main(): Promise<void> {
  const scale = SCALES.small;
  mkdirSync(DATA, { recursive: true });
  const seeded = join(DATA, `${scale.name}.db`);
  if (!existsSync(seeded)) seed(seeded, scale);
  const pgServer = process.env.BENCH_AB_PG ? await pgCopies(seeded) : null;
  const chosen = workloads(target(scale.workspaces, scale.resources)).filter((w) => !ONLY || ONLY.test(`${w.dialect} ${w.name}`));
  const servers = await Promise.all(
    sides.map(async (side, i) => {
      const db = pgServer ? pgServer.urlFor(`ab_${i}`) : join(DATA, `ab-${i}.db`);
      if (!pgServer) for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      if (!pgServer) copyFileSync(seeded, db);
      const port = 18_500 + i + (pgServer ? 10 : 0);
      const child = start(process.execPath, ['dist/server.js'], { ...LABELMUX_ENV, LABELMUX_DB: db, PORT: String(port) }, 'ignore', side.checkout);
      const base = `http://127.0.0.1:${port}`;
      await waitReady(`${base}/readyz`, 60_000);
      return { side, child, server: { base, pid: child.pid! } };
    }),
  );
  process.stdout.write(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  try {
    for (const wl of chosen) {
      const samples = new Map<string, Sample[]>(sides.map((s) => [s.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        // Alternating, and which side goes first alternates too.
        for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
          samples.get(s.side.name)!.push(await load([s.server], wl.labelmux, wl.connections ?? CONNECTIONS, wl.load));
          await settle(`${s.server.base}/healthz`);
        }
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;
      const cpu = Object.fromEntries([...samples].map(([name, runs]) => [name, median(runs.map((r) => r.cpuUs))]));
      process.stdout.write(`\n${wl.dialect} ${wl.name}: this/other CPU ${(cpu.this! / cpu.other!).toFixed(3)} (load ${loadavg()[0]!.toFixed(1)})\n`);
      for (const [name, runs] of samples) {
        const bad = runs.reduce((a, r) => a + r.non2xx + r.errors, 0);
        process.stdout.write(
          `  ${name.padEnd(6)} ${cpu[name]!.toFixed(1).padStart(7)} µs  (${runs.map((r) => r.cpuUs.toFixed(1)).join(', ')})  ${Math.round(median(runs.map((r) => r.rps)))} req/s${bad ? `  ! ${bad} failed` : ''}\n`,
        );
      }
    }
  } finally {
    for (const s of servers) await stop(s.child);
    pgServer?.stop();
  }
}

/** A PostgreSQL server holding two copies of the seeded database, ab_0 and ab_1. */
async function pgCopies(seeded: string): Promise<PgServer> {
  const server = await startPg();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE ab_template');
  const sqlite = new Database(seeded, { readonly: true });
  await copySqliteToPg(sqlite, server.urlFor('ab_template'));
  sqlite.close();
  for (const i of [0, 1]) await admin.query(`CREATE DATABASE ab_${i} TEMPLATE ab_template`);
  await admin.end();
  return server;
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
