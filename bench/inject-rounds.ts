// Alternating rounds of injected requests: CPU µs per request of each app, per round. Each round starts with
// another app, so none always follows the same one (GC debt, caches). Shared by the in-process benches.
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { baselineApp } from './baseline-app.js';
import { ADMIN_TOKEN, DATA, LABELMUX_ENV } from './harness.js';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

/**
 * `request`: one for every app, each app's own (the contract baseline's request for the same read), or each app's
 * n-th request (`request(app, n)`, n counting on across rounds: writes vary names and resources).
 * `concurrency` requests in flight at once (over HTTP, 50 clients keep a pool's connections all busy).
 * `otherCpu(app)`: CPU (µs, cumulative) of other processes that serve that app (its PostgreSQL server's), added.
 */
export async function injectRounds(
  apps: FastifyInstance[],
  request: InjectOptions | InjectOptions[] | ((app: number, n: number) => InjectOptions),
  rounds: number,
  batchSize: number,
  concurrency = 1,
  otherCpu?: (app: number) => number,
): Promise<number[][]> {
  const sent = apps.map(() => 0);
  const requestOf = (i: number) => (typeof request === 'function' ? request(i, sent[i]!++) : Array.isArray(request) ? request[i]! : request);
  const batch = async (i: number) => {
    const app = apps[i]!;
    const o0 = otherCpu?.(i) ?? 0;
    const c0 = process.cpuUsage();
    let left = batchSize;
    const client = async () => {
      while (left-- > 0) {
        const res = await app.inject(requestOf(i));
        if (res.statusCode >= 300) throw new Error(`${res.statusCode} ${res.body}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    const c = process.cpuUsage(c0);
    return (c.user + c.system + (otherCpu ? otherCpu(i) - o0 : 0)) / batchSize;
  };
  for (let i = 0; i < apps.length; i++) await batch(i); // warm up
  const us: number[][] = apps.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < apps.length; k++) {
      const i = (r + k) % apps.length;
      us[i]!.push(await batch(i));
    }
  }
  return us;
}

const fresh = (source: string, name: string) => {
  const db = join(DATA, `${name}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  copyFileSync(source, db);
  return db;
};

/** The contract baseline (bench/baseline-app.ts) on a fresh copy of `source` named `<name>.db` in bench/.data. */
export async function contractApp(source: string, name: string): Promise<FastifyInstance> {
  const { app, db } = baselineApp(fresh(source, name), 'contract');
  app.addHook('onClose', () => db.close());
  await app.ready();
  return app;
}

/**
 * A checkout's app (from its dist/, made the way src/launch.ts makes it) on a fresh copy of `source` named
 * `<name>.db` in bench/.data.
 */
export async function buildApp(checkout: string, source: string, name: string): Promise<FastifyInstance> {
  const db = fresh(source, name);
  const mod = (p: string) => import(pathToFileURL(join(checkout, 'dist', p)).href);
  const [{ loadConfig }, { assemble }] = await Promise.all([mod('config.js'), mod('launch.js')]);
  const { app } = await assemble(loadConfig({ ...LABELMUX_ENV, LABELMUX_DB: db }));
  await app.ready();
  return app as FastifyInstance;
}

/** A checkout's app on the PostgreSQL database `url`, once its migrations have run. */
export async function buildPgApp(checkout: string, url: string): Promise<FastifyInstance> {
  const mod = (p: string) => import(pathToFileURL(join(checkout, 'dist', p)).href);
  const config = (await mod('config.js')).loadConfig({ ...LABELMUX_ENV, LABELMUX_DB: url });
  let app: FastifyInstance;
  let ready: Promise<void>;
  if (existsSync(join(checkout, 'dist', 'launch.js'))) {
    const instance = await (await mod('launch.js')).assemble(config);
    [app, ready] = [instance.app, instance.store.ready];
  } else {
    // A checkout from before src/launch.ts: assembled the way its server did (config → store → core → app).
    const [{ createStore }, { createCore }, { buildApp: build }] = await Promise.all([mod('db/index.js'), mod('core/index.js'), mod('app.js')]);
    const store = createStore(config.db);
    app = await build({ config, core: createCore({ store }), adminToken: ADMIN_TOKEN });
    ready = store.ready;
  }
  await ready;
  await app.ready();
  return app;
}
