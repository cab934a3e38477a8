// `npm run build && tsx bench/access-log.ts`: the access log's cost (LABELMUX_ACCESS_LOG) on a point read, in one
// process, without the network, as bench/sandbox-inject.ts measures the sandbox's: apps built from dist/ on
// copies of the small seeded database, each answering BENCH_BATCH (default 2000) injected Jotform get-label
// requests per round, the variants alternating within each round for BENCH_ROUNDS (default 15) rounds. Each
// app logs at info into its own file (written synchronously, as pino writes stdout), JSON or pretty as the
// server would; CPU µs per request from process.cpuUsage() around each batch (the file writes' system time
// included). The median round is shown, and each variant's median per-round ratio to `access log off`.
import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import pretty from 'pino-pretty';
import { DATA, LABELMUX_ENV, ROOT } from './harness.js';
import { SCALES, seed } from './seed.js';
import { target } from './workloads.js';
import { injectRounds, median } from './inject-rounds.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const BATCH = Number(process.env.BENCH_BATCH ?? 2000);

interface Variant {
  name: string;
  env: Record<string, string>;
  /** false: no logger at all (what the in-process benches measure); else the log's format. */
  log: false | 'json' | 'pretty';
}

const mod = (p: string) => import(pathToFileURL(join(ROOT, 'dist', p)).href);

/** An app built the way src/launch.ts builds it, from dist/, its log going to `file`. */
async function build(v: Variant, db: string, file: string): Promise<FastifyInstance> {
  const [{ loadConfig }, { createStore }, { createCore }, { buildApp }, { createSandbox }, { loggerOptions }] = await Promise.all(
    ['config.js', 'db/index.js', 'core/index.js', 'app.js', 'sandbox/index.js', 'launch.js'].map(mod),
  );
  const config = loadConfig({ ...LABELMUX_ENV, LABELMUX_DB: db, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...v.env });
  const store = createStore(config.db, {});
  const sandbox = createSandbox(config.sandbox);
  const core = createCore({ store, now: sandbox.clock.now });
  const destination = pino.destination({ dest: file, sync: true });
  // The server's options (level, redaction, ISO time); the pretty stream as launch.ts makes it, into the file.
  const stream = v.log === 'pretty' ? pretty({ destination, colorize: false, singleLine: true, translateTime: false, ignore: 'pid,hostname' }) : destination;
  const logger = v.log === false ? false : { ...loggerOptions(config, false), stream };
  const app: FastifyInstance = await buildApp({ config, core, adminToken: LABELMUX_ENV.LABELMUX_ADMIN_TOKEN, sandbox, logger });
  await app.ready();
  return app;
}

async function main(): Promise<void> {
  const variants: Variant[] = [
    { name: 'access log off', env: { LABELMUX_ACCESS_LOG: 'off' }, log: 'json' },
    { name: 'access log on', env: { LABELMUX_ACCESS_LOG: 'on' }, log: 'json' },
    { name: 'sample:10', env: { LABELMUX_ACCESS_LOG: 'sample:10' }, log: 'json' },
    { name: 'on, pretty', env: { LABELMUX_ACCESS_LOG: 'on' }, log: 'pretty' },
    { name: 'no logger', env: {}, log: false },
  ];
  mkdirSync(DATA, { recursive: true });
  const seeded = join(DATA, 'small.db');
  if (!existsSync(seeded)) seed(seeded, SCALES.small);
  const t = target(SCALES.small.workspaces, SCALES.small.resources);
  const apps: FastifyInstance[] = [];
  const logs: string[] = [];
  for (const [i, v] of variants.entries()) {
    const db = join(DATA, `access-log-${i}.db`);
    const log = join(DATA, `access-log-${i}.log`);
    for (const f of [db, `${db}-wal`, `${db}-shm`, log]) rmSync(f, { force: true });
    copyFileSync(seeded, db);
    apps.push(await build(v, db, log));
    logs.push(log);
  }
  const request = { method: 'GET' as const, url: `/API/label/${t.leaf}`, headers: { apikey: t.key } };
  const us = await injectRounds(apps, request, ROUNDS, BATCH);
  const requests = BATCH * (ROUNDS + 1);
  process.stdout.write(`jotform get label, injected, log at info into a file: CPU µs per request, median of ${ROUNDS} rounds of ${BATCH}; median per-round ratio to access log off; log bytes per request\n`);
  for (const [i, v] of variants.entries()) {
    const ratio = median(us[i]!.map((x, r) => x / us[0]![r]!));
    const bytes = existsSync(logs[i]!) ? statSync(logs[i]!).size / requests : 0;
    process.stdout.write(`  ${v.name.padEnd(16)} ${median(us[i]!).toFixed(1).padStart(7)} µs   ×${ratio.toFixed(3)}   ${bytes.toFixed(0).padStart(4)} B\n`);
  }
  for (const app of apps) await app.close();
  for (const log of logs) rmSync(log, { force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
