// Times POST /_admin/reset back to a fixture of 100 labels (a tree, 50 resources with assignments, 3 users with
// keys), after a test's worth of changes each time, on SQLite (a file and :memory:) and, given a URL, on
// PostgreSQL. Prints one JSON line per database: median, p95 and max in ms over the runs.
// Usage: npx tsx scripts/measure-reset.ts [runs] [postgres://…/postgres]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadFixtures } from '../src/admin/fixtures.js';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { createStore } from '../src/db/index.js';

const runs = Number(process.argv[2] ?? 200);
const pgUrl = process.argv[3];
const TOKEN = 'measure-admin-token-0123456789';
const KEY = 'e'.repeat(32);

const fixtures = {
  users: ['ada', 'bob', 'cyd'].map((n) => ({ email: `${n}@example.com`, name: n })),
  workspaces: [
    {
      name: 'Bench',
      members: ['ada', 'bob', 'cyd'].map((n, i) => ({ user: `${n}@example.com`, role: (['owner', 'admin', 'member'] as const)[i]! })),
      api_keys: [{ key: KEY, user: 'ada@example.com' }],
      labels: Array.from({ length: 100 }, (_, i) => ({ name: `Label ${i}`, color: '#22c55e', ...(i >= 10 && { parent: `Label ${Math.floor(i / 10) - 1}` }) })),
      resources: Array.from({ length: 50 }, (_, i) => ({ type: 'form', id: String(1000 + i), name: `Form ${i}`, labels: [`Label ${i}`, `Label ${99 - i}`] })),
    },
  ],
};

async function measure(db: string): Promise<void> {
  const store = createStore(db);
  if (store.kind === 'postgres') await store.ready;
  const core = createCore({ store });
  const app = await buildApp({ config: loadConfig({ LABELMUX_DB: db }), core, adminToken: TOKEN });
  await loadFixtures(core, fixtures);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    // A test's worth of changes: a label, an assignment, a workspace.
    await app.inject({ method: 'POST', url: '/api/workspaces/1/labels', headers: { authorization: `Bearer lnx_${KEY}` }, payload: { name: `Test ${i}` } });
    await app.inject({ method: 'POST', url: '/api/workspaces/1/library/1/labels', headers: { authorization: `Bearer lnx_${KEY}` }, payload: { label_id: 1 } });
    await core.admin.createWorkspace(`Extra ${i}`);
    const start = performance.now();
    const res = await app.inject({ method: 'POST', url: '/_admin/reset', headers: { authorization: `Bearer ${TOKEN}` } });
    times.push(performance.now() - start);
    if (res.statusCode !== 200) throw new Error(res.body);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => Number(times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2));
  process.stdout.write(`${JSON.stringify({ db: store.kind === 'postgres' ? 'postgres' : db === ':memory:' ? 'sqlite :memory:' : 'sqlite file', labels: 100, runs, median_ms: at(0.5), p95_ms: at(0.95), max_ms: at(1) })}\n`);
  await app.close();
  await store.close();
}

await measure(':memory:');
await measure(join(mkdtempSync(join(tmpdir(), 'labelmux-reset-')), 'reset.db'));
if (pgUrl) await measure(pgUrl);
