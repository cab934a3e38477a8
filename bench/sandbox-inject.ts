// `npm run build && tsx bench/sandbox-inject.ts [<other checkout>]`: the sandbox's cost on a point read, in one
// process, without the network: apps built from dist/ on copies of the small seeded database, each answering
// BENCH_BATCH (default 2000) injected Jotform get-label requests per round, the variants alternating within
// each round (each round starting with the next one) for BENCH_ROUNDS (default 15) rounds. CPU µs per request from process.cpuUsage() around each batch;
// the median round is shown, and each variant's median ratio to `journal off` over the rounds (adjacent
// batches share the machine's state, so the ratio holds up better than the µs on a busy machine); the other
// checkout's journal on is also put against that checkout's journal off.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { DATA, LABELMUX_ENV, ROOT } from './harness.js';
import { SCALES, seed } from './seed.js';
import { target } from './workloads.js';
import { injectRounds, median } from './inject-rounds.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const BATCH = Number(process.env.BENCH_BATCH ?? 2000);

interface Variant {
  name: string;
  checkout: string;
  env: Record<string, string>;
  rule?: boolean;
}

/** An app built the way src/server.ts builds it, from a checkout's dist/. */
async function build(v: Variant, db: string): Promise<FastifyInstance> {
  const mod = (p: string) => import(pathToFileURL(join(v.checkout, 'dist', p)).href);
  const [{ loadConfig }, { createStore }, { createCore }, { buildApp }] = await Promise.all([mod('config.js'), mod('db/index.js'), mod('core/index.js'), mod('app.js')]);
  const config = loadConfig({ ...LABELMUX_ENV, LABELMUX_DB: db, ...v.env });
  const store = createStore(config.db, {});
  const sandboxed = existsSync(join(v.checkout, 'dist', 'sandbox', 'index.js'));
  const sandbox = sandboxed ? (await mod('sandbox/index.js')).createSandbox(config.sandbox) : undefined;
  const core = createCore({ store, ...(sandbox && { now: sandbox.clock.now }) });
  const app: FastifyInstance = await buildApp({ config, core, adminToken: LABELMUX_ENV.LABELMUX_ADMIN_TOKEN, ...(sandbox && { sandbox }) });
  await app.ready();
  if (v.rule) sandbox.faults.add({ match: { dialect: 'razuna' }, action: { type: 'delay', ms: 1 }, times: null, probability: 1 });
  return app;
}

async function main(): Promise<void> {
  const other = process.argv[2];
  const variants: Variant[] = [
    { name: 'journal off', checkout: ROOT, env: {} },
    { name: 'journal on', checkout: ROOT, env: { LABELMUX_JOURNAL: 'on' } },
    { name: 'journal on, size 10', checkout: ROOT, env: { LABELMUX_JOURNAL: 'on', LABELMUX_JOURNAL_SIZE: '10' } },
    { name: 'journal off + 1 rule', checkout: ROOT, env: {}, rule: true },
    ...(other ? [{ name: 'other checkout', checkout: other, env: {} }, { name: 'other, journal on', checkout: other, env: { LABELMUX_JOURNAL: 'on' } }] : []),
  ];
  mkdirSync(DATA, { recursive: true });
  const seeded = join(DATA, 'small.db');
  if (!existsSync(seeded)) seed(seeded, SCALES.small);
  const t = target(SCALES.small.workspaces, SCALES.small.resources);
  const apps = [];
  for (const [i, v] of variants.entries()) {
    const db = join(DATA, `sandbox-inject-${i}.db`);
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
    copyFileSync(seeded, db);
    apps.push(await build(v, db));
  }
  const request = { method: 'GET' as const, url: `/API/label/${t.leaf}`, headers: { apikey: t.key } };
  const us = await injectRounds(apps, request, ROUNDS, BATCH);
  process.stdout.write(`jotform get label, injected: CPU µs per request, median of ${ROUNDS} rounds of ${BATCH}; median per-round ratio to journal off\n`);
  for (const [i, v] of variants.entries()) {
    const ratio = (to: number) => median(us[i]!.map((x, r) => x / us[to]![r]!)).toFixed(3);
    const own = v.checkout !== ROOT && v.env.LABELMUX_JOURNAL ? `   (×${ratio(i - 1)} to that checkout's journal off)` : '';
    process.stdout.write(`  ${v.name.padEnd(20)} ${median(us[i]!).toFixed(1).padStart(7)} µs   ×${ratio(0)}${own}\n`);
  }
  for (const app of apps) await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
