// `npm run build && tsx bench/sandbox.ts [<other checkout>]`: what the sandbox costs a point read (Jotform's
// get label and limbo's, small scale). Servers on copies of one seeded database, loaded one at a time by
// autocannon from this process, alternating server by server for BENCH_ROUNDS rounds (default 3):
//   journal off — the fault hook installed with no rule (the default for a plain start);
//   journal on  — LABELMUX_JOURNAL=on, no fault rule (what `serve` and startLabelmux run);
//   on + 1 rule — the journal on and one fault rule that matches nothing (the matcher runs every request);
//   other       — with an argument: that checkout's dist/server.js (e.g. the commit before the sandbox), journal off and on.
// Prints labelmux's CPU µs per request (the median round), req/s, and each journal-on server's median per-round
// ratio to its own checkout's journal off; BENCH_DURATION and BENCH_CONNECTIONS apply.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_TOKEN, CONNECTIONS, DATA, LABELMUX_ENV, ROOT, load, settle, start, stop, waitReady, type Sample } from './harness.js';
import { SCALES, seed } from './seed.js';
import { target, workloads } from './workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const other = process.argv[2];

interface Variant {
  name: string;
  env: Record<string, string>;
  checkout: string;
  rule?: boolean;
}
const variants: Variant[] = [
  ...(other ? [{ name: 'other checkout', env: {}, checkout: other }, { name: 'other, journal on', env: { LABELMUX_JOURNAL: 'on' }, checkout: other }] : []),
  { name: 'journal off', env: {}, checkout: ROOT },
  { name: 'journal on', env: { LABELMUX_JOURNAL: 'on' }, checkout: ROOT },
  { name: 'journal on + 1 rule', env: { LABELMUX_JOURNAL: 'on' }, checkout: ROOT, rule: true },
];

async function main(): Promise<void> {
  const scale = SCALES.small;
  mkdirSync(DATA, { recursive: true });
  const seeded = join(DATA, `${scale.name}.db`);
  if (!existsSync(seeded)) seed(seeded, scale);
  const t = target(scale.workspaces, scale.resources);
  const reads = workloads(t).filter((w) => w.name === 'get label' && (w.dialect === 'jotform' || w.dialect === 'limbo'));
  const servers = await Promise.all(
    variants.map(async (v, i) => {
      const db = join(DATA, `sandbox-${i}.db`);
      for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
      copyFileSync(seeded, db);
      const port = 18_400 + i;
      const child = start(process.execPath, ['dist/server.js'], { ...LABELMUX_ENV, LABELMUX_DB: db, PORT: String(port), ...v.env }, 'ignore', v.checkout);
      const base = `http://127.0.0.1:${port}`;
      await waitReady(`${base}/readyz`, 30_000);
      if (v.rule) {
        const res = await fetch(`${base}/_admin/faults`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ match: { dialect: 'razuna' }, action: { type: 'delay', ms: 1 } }) });
        if (res.status !== 201) throw new Error(`adding the rule: ${res.status} ${await res.text()}`);
      }
      return { v, child, server: { base, pid: child.pid! } };
    }),
  );
  try {
    for (const wl of reads) {
      const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of servers) {
          samples.get(s.v.name)!.push(await load([s.server], wl.labelmux, CONNECTIONS));
          await settle(`${s.server.base}/healthz`);
        }
      }
      process.stdout.write(`\n${wl.dialect} ${wl.name}: CPU µs per request (median of ${ROUNDS} rounds; every round), req/s\n`);
      for (const [name, runs] of samples) {
        const cpu = runs.map((r) => r.cpuUs).sort((a, b) => a - b);
        const rps = runs.map((r) => r.rps).sort((a, b) => a - b);
        const bad = runs.reduce((a, r) => a + r.non2xx + r.errors, 0);
        // The same round's journal off of the same checkout: the servers of a round run back to back.
        const off = samples.get(name.startsWith('other') ? 'other checkout' : 'journal off')!;
        const ratios = runs.map((r, i) => r.cpuUs / off[i]!.cpuUs).sort((a, b) => a - b);
        const ratio = name === 'other checkout' || name === 'journal off' ? '' : `  ×${ratios[(ratios.length - 1) >> 1]!.toFixed(3)} to its journal off (median round)`;
        process.stdout.write(`  ${name.padEnd(20)} ${cpu[(cpu.length - 1) >> 1]!.toFixed(1).padStart(7)} µs  (${runs.map((r) => r.cpuUs.toFixed(1)).join(', ')})  ${Math.round(rps[(rps.length - 1) >> 1]!)} req/s${bad ? `  ! ${bad} failed` : ''}${ratio}\n`);
      }
    }
  } finally {
    for (const s of servers) await stop(s.child);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
