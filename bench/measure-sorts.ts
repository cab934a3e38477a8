// Pages of one type in each order on a grown PostgreSQL copy, never analyzed and then analyzed: the store
// call's median wall time, and the page statement's plan and time (EXPLAIN ANALYZE of the prepared statement,
// custom and generic plan). The grown file comes from scripts/measure-plans.ts (grown-<size>.db.pristine and
// its .json); one JSON line per page and phase.
// Usage: tsx bench/measure-sorts.ts /tmp/labelmux-measure-plans/grown-100000.db postgres://…/postgres
import { copyFileSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { ResourceQuery } from '../src/core/ports.js';
import type { ProductListQuery } from '../src/core/ports-catalog.js';
import { createPgStore } from '../src/db/index.js';
import { toPg } from '../src/db/pg/client.js';
import type { Store } from '../src/core/ports.js';
import { storeOver } from '../src/db/store/index.js';
import type { Grown } from '../test/grow-skewed.js';
import { recordingDb, type Recorded } from '../test/plan-check.js';
import { copyToFreshPg } from '../scripts/pg-copy.js';
import { forgetStatistics } from './store-sides.js';

const [file, adminUrl] = process.argv.slice(2) as [string, string];
const g = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Grown;
const name = `sorts_${process.pid}`;
copyFileSync(`${file}.pristine`, `${file}.sorts`);
const url = await copyToFreshPg(adminUrl, name, `${file}.sorts`);
const page = { limit: 20, offset: 40 };

type S = Omit<Store, 'close' | 'shared'>;
const lib = (sort: ResourceQuery['sort'], direction: 'asc' | 'desc', more: Partial<ResourceQuery> = {}) =>
  [`library ${sort} ${direction}${more.labelId ? ' (hot label)' : ''}`, (s: S) => s.listResources(g.huge, { type: 'library_item', sort, direction, ...page, ...more })] as const;
const prod = (field: ProductListQuery['sort'][number]['field'] | null, desc: boolean, ws = [g.huge]) =>
  [`products ${field ?? 'unsorted'}${desc ? ' desc' : ''}${ws.length > 1 ? ` (${ws.length} workspaces)` : ''}`, (s: S) => s.listProducts({ workspaceIds: ws, sort: field ? [{ field, desc }] : [], ...page })] as const;
const CALLS = [
  lib('size', 'asc'), lib('size', 'desc'), lib('type', 'asc'), lib('type', 'desc'), lib('name', 'asc'), lib('name', 'desc'), lib('created_at', 'desc'),
  lib('size', 'desc', { labelId: g.hot }), lib('type', 'desc', { labelId: g.hot }),
  prod(null, false), prod('name', false), prod('name', true), prod('created_at', true), prod('updated_at', true), prod('status', false), prod('status', true), prod('id', true),
  prod('name', true, [g.huge, ...g.small]), prod('status', true, [g.huge, ...g.small]),
];

const store = createPgStore(url);
const c = new pg.Client({ connectionString: url });
await c.connect();
await forgetStatistics(url, { autovacuum: true });
const literal = (v: unknown): string => (v === null || v === undefined ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);
let n = 0;
for (const phase of ['never analyzed', 'analyzed']) {
  if (phase === 'analyzed') await c.query('ANALYZE');
  for (const [label, run] of CALLS) {
    const seen = new Map<string, Recorded>();
    const rec = storeOver(recordingDb(store.db, seen, { name: label }));
    await run(rec);
    const ms: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await run(store);
      ms.push(performance.now() - t0);
    }
    ms.sort((a, b) => a - b);
    const stmt = [...seen.values()].find((r) => /ORDER BY/.test(r.sql) && /LIMIT/.test(r.sql) && /FROM resources r/.test(r.sql))!;
    const plans: string[] = [];
    for (const mode of ['force_custom_plan', 'force_generic_plan']) {
      await c.query('BEGIN');
      await c.query(`SET LOCAL plan_cache_mode = ${mode}`);
      await c.query(`PREPARE p${++n} AS ${toPg(stmt.sql)}`);
      let best = Infinity;
      let lines: string[] = [];
      for (let i = 0; i < 3; i++) {
        const rows = (await c.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE p${n}(${stmt.params.map(literal).join(', ')})`)).rows as { 'QUERY PLAN': string }[];
        lines = rows.map((x) => x['QUERY PLAN']);
        best = Math.min(best, Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1)!)?.[1]));
      }
      await c.query('ROLLBACK');
      const shape = lines.filter((l) => /->|^\w/.test(l) && !/Time:/.test(l)).map((l) => l.trim().replace(/^-> +/, '').replace(/ \(actual.*$/, '')).slice(0, 6).join(' / ');
      plans.push(`${mode === 'force_custom_plan' ? 'custom' : 'generic'} ${best.toFixed(2)} ms: ${shape}`);
    }
    console.log(JSON.stringify({ phase, page: label, storeCallMedianMs: Number(ms[7]!.toFixed(2)), plans }));
  }
}
await c.end();
await store.close();
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE ${name}`);
await admin.end();
