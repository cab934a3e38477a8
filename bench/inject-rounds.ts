// Alternating rounds of injected requests: CPU µs per request of each app, per round. Each round starts with
// another app, so none always follows the same one (GC debt, caches). Shared by the in-process benches.
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { baselineApp } from './baseline-app.js';
import { DATA, LABELMUX_ENV } from './harness.js';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

/**
 * `request`: one for every app, or each app's own (the contract baseline's request for the same read).
 * `concurrency` requests in flight at once (over HTTP, 50 clients keep a pool's connections all busy).
 */
export async function injectRounds(apps: FastifyInstance[], request: InjectOptions | InjectOptions[], rounds: number, batchSize: number, concurrency = 1): Promise<number[][]> {
  const requestOf = (app: FastifyInstance) => (Array.isArray(request) ? request[apps.indexOf(app)]! : request);
  const batch = async (app: FastifyInstance) => {
    const c0 = process.cpuUsage();
    const own = requestOf(app);
    let left = batchSize;
    const client = async () => {
      while (left-- > 0) {
        const res = await app.inject(own);
        if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / batchSize;
  };
  for (const app of apps) await batch(app); // warm up
  const us: number[][] = apps.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < apps.length; k++) {
      const i = (r + k) % apps.length;
      us[i]!.push(await batch(apps[i]!));
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
