// What resources_workspace_size_idx costs a write on PostgreSQL: rounds alternating with and without the
// index, each inserting N (3,000) new library items with the store's upsert statement and then changing each
// one's attributes; wall time and the server process's CPU time (/proc, so run it on the database's machine)
// per row. PLAIN=1 measures a plain index of (workspace_id, type, updated_at, id) instead, for comparison.
// Usage: tsx bench/insert-cost.ts postgres://…/postgres
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createPgStore } from '../src/db/index.js';
import { pgJsonOrderKeys } from '../src/db/pg/json-order.js';
import { toPg } from '../src/db/pg/client.js';

const adminUrl = process.argv[2]!;
const name = `inserts_${process.pid}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const u = new URL(adminUrl);
u.pathname = `/${name}`;
const store = createPgStore(u.toString());
const ws = (await store.createWorkspace('W', '00000000-0000-4000-8000-000000000001', 0)).id;
await store.close();

const c = new pg.Client({ connectionString: u.toString() });
await c.connect();
const pid = (await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
/** The server process's user + system time, in clock ticks (10 ms). */
const ticks = () => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
const keys = pgJsonOrderKeys('"attributes"', 'size').map((k) => `(${k})`).join(', ');
const create = process.env.PLAIN === '1'
  ? 'CREATE INDEX IF NOT EXISTS resources_workspace_size_idx ON resources USING btree (workspace_id, type, updated_at, id)'
  : `CREATE INDEX IF NOT EXISTS resources_workspace_size_idx ON resources USING btree (workspace_id, type, ${keys}, id)`;
const upsert = {
  name: 'upsert',
  text: toPg(`INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)
    ON CONFLICT (workspace_id, type, external_id) DO UPDATE SET name = excluded.name, status = excluded.status, attributes = excluded.attributes, updated_at = excluded.updated_at`),
};
const N = Number(process.env.N ?? 3000);
const out: Record<string, { insert: number[]; update: number[]; insertCpu: number[]; updateCpu: number[] }> = {};
let next = 0;
for (let round = 0; round < 10; round++) {
  const variant = round % 2 === 0 ? 'with index' : 'without';
  await c.query('DROP INDEX IF EXISTS resources_workspace_size_idx');
  if (variant === 'with index') await c.query(create);
  const r = (out[variant] ??= { insert: [], update: [], insertCpu: [], updateCpu: [] });
  const first = next;
  for (const phase of ['insert', 'update'] as const) {
    await c.query('BEGIN');
    const t0 = performance.now();
    const cpu0 = ticks();
    for (let i = 0; i < N; i++) {
      const id = phase === 'insert' ? next++ : first + i;
      const attributes = JSON.stringify({ mime_type: 'video/mp4', size: phase === 'insert' ? id * 37 : id, duration: 90, description: `Item number ${id} of the library` });
      await c.query({ ...upsert, values: [ws, 'library_item', `x${id}`, `Item ${id}`, 'active', attributes, 1, phase === 'insert' ? 1 : 2] });
    }
    await c.query('COMMIT');
    r[phase].push(((performance.now() - t0) * 1000) / N);
    r[`${phase}Cpu`].push(((ticks() - cpu0) * 10_000) / N);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
for (const [variant, r] of Object.entries(out)) {
  console.log(JSON.stringify({ variant, rowsPerRound: N, rounds: r.insert.length, insertWallUs: median(r.insert).toFixed(1), insertBackendCpuUs: median(r.insertCpu).toFixed(1), updateWallUs: median(r.update).toFixed(1), updateBackendCpuUs: median(r.updateCpu).toFixed(1) }));
}
await c.end();
await admin.query(`DROP DATABASE ${name}`);
await admin.end();
