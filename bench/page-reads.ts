// `npm run build && tsx bench/page-reads.ts <other checkout> [<grown db>]`: every read workload but the
// whole-workspace ones (the pages, and limbo's get label) in one process, without the network, as
// bench/point-reads.ts does for point reads: this checkout's and another built checkout's apps (each
// from its dist/) on copies of a grown database (default bench/.data/grown-v<GROW_VERSION>-1k.db), and the contract
// baseline's answer to the same read (bench/baseline-app.ts: the key's SHA-256 looked up with its membership, the
// same answer as labelmux's by plain prepared statements) built in this process, alternating within each round for
// BENCH_ROUNDS (default 20) rounds of BENCH_BATCH (default 500) requests. Prints CPU µs per request of the median
// round for each, this checkout's median per-round ratio to the other, and the contract's CPU over this
// checkout's (≥ 0.8 is the read target). Both apps must answer the same bytes, which is checked first.
// BENCH_ONLY=<regexp> picks reads by "<dialect> <name>". `BENCH_PROFILE=<regexp>` instead sends BENCH_PROFILE_N (default
// 20000) of that read to this checkout's app only (run it under `node --cpu-prof --import tsx`).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { GROW_VERSION, type GrownInfo } from './grow.js';
import { ADMIN_TOKEN, DATA, ROOT } from './harness.js';
import { buildApp, contractApp, injectRounds, median } from './inject-rounds.js';
import { grownTarget, workloads } from './workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
/** Point reads are point-reads.ts's (limbo's get label is here too, as before). */
const POINT = /^(jotform get label|razuna getlabel|devtodev get by id)$/;

async function main(): Promise<void> {
  const [other, source = join(DATA, `grown-v${GROW_VERSION}-1k.db`)] = process.argv.slice(2);
  const info = JSON.parse(readFileSync(source.replace(/\.db$/, '.json'), 'utf8')) as GrownInfo;
  const name = (w: { dialect: string; name: string }) => `${w.dialect} ${w.name}`;
  const all = workloads(grownTarget(info, ADMIN_TOKEN)).filter((w) => w.kind === 'read' && !w.heavy && !POINT.test(name(w)));
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
  const chosen = all.filter((w) => !only || only.test(name(w)));
  const inject = (r: ReturnType<(typeof all)[number]['labelmux']>): InjectOptions => ({ method: r.method as 'GET', url: r.path, headers: r.headers, payload: r.body });
  const profile = process.env.BENCH_PROFILE;
  if (profile) {
    const app = await buildApp(ROOT, source, 'page-reads-profile');
    const request = inject(all.find((w) => new RegExp(profile, 'i').test(name(w)))!.labelmux(0));
    const n = Number(process.env.BENCH_PROFILE_N ?? 20_000);
    for (let i = 0; i < n; i++) await app.inject(request);
    await app.close();
    return;
  }
  if (!other) throw new Error('usage: tsx bench/page-reads.ts <other checkout> [<grown db>]');
  const apps = [await buildApp(other, source, 'page-reads-other'), await buildApp(ROOT, source, 'page-reads-this')];
  const base = await contractApp(source, 'page-reads-contract');
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`reads, injected: CPU µs per request, median of ${ROUNDS} rounds of ${BATCH}; load ${load()}\n`);
  for (const w of chosen) {
    const request = inject(w.labelmux(0));
    const [a, b] = await Promise.all(apps.map((app) => app.inject(request)));
    const strip = (h: Record<string, unknown>) => JSON.stringify({ ...h, 'x-request-id': 0, date: 0, 'content-length': 0 });
    // Jotform's envelope says how long the request took and how many calls are left today: not compared.
    const same = (body: string) => body.replace(/"duration":"[0-9.]+ms"/, '').replace(/"limit-left":[0-9]+/, '');
    if (same(a!.body) !== same(b!.body) || strip(a!.headers) !== strip(b!.headers)) throw new Error(`${name(w)}: the answers differ\n${a!.body}\n${b!.body}\n${strip(a!.headers)}\n${strip(b!.headers)}`);
    const us = await injectRounds([...apps, base], [request, request, inject(w.baseline(0))], ROUNDS, BATCH);
    const ratio = median(us[1]!.map((x, r) => x / us[0]![r]!));
    const [o, t, c] = us.map(median) as [number, number, number];
    process.stdout.write(
      `  ${name(w).padEnd(34)} other ${o.toFixed(1).padStart(6)} µs   this ${t.toFixed(1).padStart(6)} µs   ×${ratio.toFixed(3)}   contract ${c.toFixed(1).padStart(6)} µs   contract/this ${(c / t).toFixed(2)} (other ${(c / o).toFixed(2)})  ${b!.body.length} bytes\n`,
    );
  }
  process.stdout.write(`load ${load()}\n`);
  for (const app of [...apps, base]) await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
