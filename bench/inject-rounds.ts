// Alternating rounds of injected requests: CPU µs per request of each app, per round. Each round starts with
// another app, so none always follows the same one (GC debt, caches). Shared by the in-process benches.
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { DATA, LABELMUX_ENV } from './harness.js';

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

export async function injectRounds(apps: FastifyInstance[], request: InjectOptions, rounds: number, batchSize: number): Promise<number[][]> {
  const batch = async (app: FastifyInstance) => {
    const c0 = process.cpuUsage();
    for (let n = 0; n < batchSize; n++) {
      const res = await app.inject(request);
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    }
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

/**
 * A checkout's app (from its dist/, made the way src/launch.ts makes it) on a fresh copy of `source` named
 * `<name>.db` in bench/.data.
 */
export async function buildApp(checkout: string, source: string, name: string): Promise<FastifyInstance> {
  const db = join(DATA, `${name}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  copyFileSync(source, db);
  const mod = (p: string) => import(pathToFileURL(join(checkout, 'dist', p)).href);
  const [{ loadConfig }, { assemble }] = await Promise.all([mod('config.js'), mod('launch.js')]);
  const { app } = await assemble(loadConfig({ ...LABELMUX_ENV, LABELMUX_DB: db }));
  await app.ready();
  return app as FastifyInstance;
}
