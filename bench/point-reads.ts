// `npm run build && tsx bench/point-reads.ts <other checkout> [<grown db>]`: the single-label point reads of the
// four dialects that have one (Jotform get label, Razuna getlabel, devtodev get by id, limbo get label), in one
// process, without the network: this checkout's and another built checkout's apps (each from its dist/, made
// the way src/launch.ts makes them) on copies of a grown database (default bench/.data/grown-v<GROW_VERSION>-1k.db and
// its .json, grown by bench/grown.ts), answering BENCH_BATCH (default 1000) injected requests per round, alternating within each round for
// BENCH_ROUNDS (default 30) rounds. BENCH_CONTRACT=1 adds the contract baseline (bench/baseline-app.ts) in this
// process, answering the workload's baseline request for the same read, as a reference. CPU µs per request (process.cpuUsage) of the median round, and this
// checkout's median per-round ratio to the other one. Two apps of the same build differed by up to 10% in
// one run on a loaded 2-core machine: a difference smaller than that needs several runs to believe. Both apps must answer the same bytes, which is checked
// first. `BENCH_PROFILE=<dialect>` instead sends BENCH_PROFILE_N (default 30000) of that dialect's read to this
// checkout's app only (run it under `node --cpu-prof --import tsx`). BENCH_ONLY=<regexp> picks reads by name.
// BENCH_PG=1: the apps on PostgreSQL instead (a throwaway server; each app its own copy of the grown database,
// copied by this checkout's copySqliteToPg); the contract read stays on SQLite. A checkout from before
// src/launch.ts existed is assembled the way its server did (config → store → core → app).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { GROW_VERSION, type GrownInfo } from './grow.js';
import { ADMIN_TOKEN, DATA, ROOT } from './harness.js';
import { buildApp, buildPgApp, contractApp, injectRounds, median } from './inject-rounds.js';
import { pgCopies } from './store-sides.js';
import { grownTarget, type Req, workloads } from './workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const BATCH = Number(process.env.BENCH_BATCH ?? 1000);
/** Requests in flight at once (BENCH_CONCURRENCY, default 1): over HTTP, 50 clients keep a pool's connections all busy. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);
const READS = [['jotform', 'get label'], ['razuna', 'getlabel'], ['devtodev', 'get by id'], ['limbo', 'get label']] as const;

async function main(): Promise<void> {
  const [other, source = join(DATA, `grown-v${GROW_VERSION}-1k.db`)] = process.argv.slice(2);
  const pgServer = process.env.BENCH_PG ? await pgCopies(source, 'pr', 2) : null;
  try {
    await run(other, source, pgServer?.urls);
  } finally {
    pgServer?.server.stop();
  }
}

async function run(other: string | undefined, source: string, pgUrls: string[] | undefined): Promise<void> {
  const app = (checkout: string, i: number, name: string) => (pgUrls ? buildPgApp(checkout, pgUrls[i]!) : buildApp(checkout, source, name));
  const info = JSON.parse(readFileSync(source.replace(/\.db$/, '.json'), 'utf8')) as GrownInfo;
  const all = workloads(grownTarget(info, ADMIN_TOKEN));
  const inject = (r: Req): InjectOptions => ({ method: r.method, url: r.path, headers: r.headers, payload: r.body });
  const requests = READS.map(([d, n]) => {
    const w = all.find((x) => x.dialect === d && x.name === n)!;
    return { name: `${d} ${n}`, request: inject(w.labelmux(0)), baseline: inject(w.baseline(0)) };
  });
  const profile = process.env.BENCH_PROFILE;
  if (profile) {
    const one = profile === 'contract' ? await contractApp(source, 'point-reads-contract') : await app(ROOT, 1, 'point-reads-profile');
    const read = requests.find((r) => r.name.startsWith(profile === 'contract' ? 'jotform' : profile))!;
    const request = profile === 'contract' ? read.baseline : read.request;
    const n = Number(process.env.BENCH_PROFILE_N ?? 30_000);
    for (let i = 0; i < n; i++) await one.inject(request);
    await one.close();
    return;
  }
  if (!other) throw new Error('usage: tsx bench/point-reads.ts <other checkout> [<grown db>]');
  const apps = [await app(other, 0, 'point-reads-other'), await app(ROOT, 1, 'point-reads-this')];
  const reference = process.env.BENCH_CONTRACT ? [await contractApp(source, 'point-reads-contract')] : [];
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`point reads${pgUrls ? ' on PostgreSQL (contract on SQLite)' : ''}, injected: CPU µs per request, median of ${ROUNDS} rounds of ${BATCH}${CONCURRENCY > 1 ? `, ${CONCURRENCY} at once` : ''}; load ${load()}\n`);
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
  for (const { name, request, baseline } of requests.filter((r) => !only || only.test(r.name))) {
    const [a, b] = await Promise.all(apps.map((app) => app.inject(request)));
    // Older builds send no version header; an injected request's body is never read to its end, so newer ones
    // answer it `Connection: close` (http/unread-body.ts), which a client's request over a socket never gets.
    const strip = (h: Record<string, unknown>) =>
      JSON.stringify(Object.entries({ ...h, 'x-request-id': 0, date: 0, 'content-length': 0, 'x-labelmux-version': 0, connection: 0 }).sort(([a], [b]) => a.localeCompare(b)));
    // Jotform's envelope says how long the request took and how many calls are left today: not compared.
    const same = (body: string) => body.replace(/"duration":"[0-9.]+ms"/, '').replace(/"limit-left":[0-9]+/, '');
    if (same(a!.body) !== same(b!.body) || strip(a!.headers) !== strip(b!.headers)) throw new Error(`${name}: the answers differ\n${a!.body}\n${b!.body}\n${strip(a!.headers)}\n${strip(b!.headers)}`);
    const us = await injectRounds([...apps, ...reference], [request, request, baseline], ROUNDS, BATCH, CONCURRENCY);
    const ratio = median(us[1]!.map((x, r) => x / us[0]![r]!));
    const base = us[2] ? `   contract ${median(us[2]).toFixed(1).padStart(6)} µs` : '';
    process.stdout.write(`  ${name.padEnd(20)} other ${median(us[0]!).toFixed(1).padStart(6)} µs   this ${median(us[1]!).toFixed(1).padStart(6)} µs   ×${ratio.toFixed(3)}${base}\n`);
  }
  process.stdout.write(`load ${load()}\n`);
  for (const app of [...apps, ...reference]) await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
