// `npm run build && tsx bench/limbo-reads.ts <other checkout> [<grown db>]`: limbo's reads (get label, the label
// list with and without include=company, a label's products, the products page) in one process, without the
// network, as bench/point-reads.ts does for point reads: this checkout's and another built checkout's apps (each
// from its dist/) on copies of a grown database (default bench/.data/grown-v<GROW_VERSION>-1k.db), and the contract
// baseline's answer to the same read (bench/baseline.ts contract: the key's SHA-256 looked up with its membership,
// the rows by prepared statement, an envelope) built in this process, alternating within each round for
// BENCH_ROUNDS (default 20) rounds of BENCH_BATCH (default 500) requests. Prints CPU µs per request of the median
// round for each, this checkout's median per-round ratio to the other, and the contract's CPU over this
// checkout's (≥ 0.8 is the read target). Both apps must answer the same bytes, which is checked first.
// BENCH_ONLY=<regexp> picks reads by name. `BENCH_PROFILE=<read name>` instead sends BENCH_PROFILE_N (default
// 20000) of that read to this checkout's app only (run it under `node --cpu-prof --import tsx`).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance, type InjectOptions } from 'fastify';
import { GROW_VERSION, type GrownInfo } from './grow.js';
import { ADMIN_TOKEN, DATA, ROOT } from './harness.js';
import { buildApp, median } from './inject-rounds.js';
import { grownTarget, workloads } from './workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const READS = ['get label', 'list (page of 20)', 'list include=company', "label's products (20)", 'products (page of 20)'];

/** bench/baseline.ts contract's read routes, in this process (the same statements, hook and envelope). */
async function contract(source: string): Promise<FastifyInstance> {
  const db = new Database(source, { readonly: true });
  const q = {
    page: db.prepare('SELECT id, name, color, created_at FROM labels WHERE workspace_id = ? ORDER BY created_at, id LIMIT 20'),
    one: db.prepare('SELECT id, parent_id, name, color, created_at, updated_at FROM labels WHERE id = ?'),
    resources: db.prepare(
      'SELECT id, type, external_id, name, status, attributes, created_at FROM resources WHERE id IN (SELECT resource_id FROM assignments WHERE label_id = ?) ORDER BY created_at, id LIMIT 20',
    ),
    typed: db.prepare('SELECT id, type, external_id, name, status, attributes, created_at FROM resources WHERE workspace_id = ? AND type = ? ORDER BY created_at, id LIMIT 20'),
    key: db.prepare(
      `SELECT k.id, k.user_id, k.workspace_id, m.role FROM api_keys k
       LEFT JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    ),
  };
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers['x-bench-key'];
    const key = typeof header === 'string' ? (q.key.get(createHash('sha256').update(header).digest('hex')) as { workspace_id: number | null; role: string | null } | undefined) : undefined;
    if (!key || (key.workspace_id !== null && key.role === null)) return reply.code(401).send({ responseCode: 401, message: 'unauthorized' });
  });
  const answer = (content: unknown) => ({ responseCode: 200, message: 'success', content, duration: '0ms' });
  const ws = (req: { query: unknown }) => Number((req.query as { ws: string }).ws);
  app.get('/b/labels', async (req) => answer({ labels: q.page.all(ws(req)) }));
  app.get('/b/labels/:id', async (req) => answer({ label: q.one.get(Number((req.params as { id: string }).id)) }));
  app.get('/b/labels/:id/resources', async (req) => answer({ resources: q.resources.all(Number((req.params as { id: string }).id)) }));
  app.get('/b/resources', async (req) => answer({ resources: q.typed.all(ws(req), (req.query as { type: string }).type) }));
  await app.ready();
  return app;
}

/** CPU µs per request of each app answering its own request, per round; each round starts with another app. */
async function rounds(sides: { app: FastifyInstance; request: InjectOptions }[]): Promise<number[][]> {
  const batch = async ({ app, request }: (typeof sides)[number]) => {
    const c0 = process.cpuUsage();
    for (let n = 0; n < BATCH; n++) {
      const res = await app.inject(request);
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    }
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / BATCH;
  };
  for (const s of sides) await batch(s); // warm up
  const us: number[][] = sides.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (r + k) % sides.length;
      us[i]!.push(await batch(sides[i]!));
    }
  }
  return us;
}

async function main(): Promise<void> {
  const [other, source = join(DATA, `grown-v${GROW_VERSION}-1k.db`)] = process.argv.slice(2);
  const info = JSON.parse(readFileSync(source.replace(/\.db$/, '.json'), 'utf8')) as GrownInfo;
  const all = workloads(grownTarget(info, ADMIN_TOKEN)).filter((w) => w.dialect === 'limbo' && READS.includes(w.name));
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : null;
  const chosen = all.filter((w) => !only || only.test(w.name));
  const inject = (r: ReturnType<(typeof all)[number]['labelmux']>): InjectOptions => ({ method: r.method as 'GET', url: r.path, headers: r.headers, payload: r.body });
  const profile = process.env.BENCH_PROFILE;
  if (profile) {
    const app = await buildApp(ROOT, source, 'limbo-reads-profile');
    const request = inject(all.find((w) => w.name === profile)!.labelmux(0));
    const n = Number(process.env.BENCH_PROFILE_N ?? 20_000);
    for (let i = 0; i < n; i++) await app.inject(request);
    await app.close();
    return;
  }
  if (!other) throw new Error('usage: tsx bench/limbo-reads.ts <other checkout> [<grown db>]');
  const apps = [await buildApp(other, source, 'limbo-reads-other'), await buildApp(ROOT, source, 'limbo-reads-this')];
  const base = await contract(source);
  const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  process.stdout.write(`limbo reads, injected: CPU µs per request, median of ${ROUNDS} rounds of ${BATCH}; load ${load()}\n`);
  for (const w of chosen) {
    const request = inject(w.labelmux(0));
    const [a, b] = await Promise.all(apps.map((app) => app.inject(request)));
    const strip = (h: Record<string, unknown>) => JSON.stringify({ ...h, 'x-request-id': 0, date: 0 });
    if (a!.body !== b!.body || strip(a!.headers) !== strip(b!.headers)) throw new Error(`${w.name}: the answers differ\n${a!.body}\n${b!.body}\n${strip(a!.headers)}\n${strip(b!.headers)}`);
    const us = await rounds([...apps.map((app) => ({ app, request })), { app: base, request: inject(w.baseline(0)) }]);
    const ratio = median(us[1]!.map((x, r) => x / us[0]![r]!));
    const [o, t, c] = us.map(median) as [number, number, number];
    process.stdout.write(
      `  ${w.name.padEnd(24)} other ${o.toFixed(1).padStart(6)} µs   this ${t.toFixed(1).padStart(6)} µs   ×${ratio.toFixed(3)}   contract ${c.toFixed(1).padStart(6)} µs   contract/this ${(c / t).toFixed(2)} (other ${(c / o).toFixed(2)})  ${b!.body.length} bytes\n`,
    );
  }
  process.stdout.write(`load ${load()}\n`);
  for (const app of [...apps, base]) await app.close();
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
