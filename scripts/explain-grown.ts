// Which statements cost what on a grown PostgreSQL database: copies a database grown by measure-plans.ts
// (grown-<size>.db.pristine and its .json) into a fresh, never-analyzed PostgreSQL database, runs every store
// call of test/store-calls.ts while recording the statements, then times each statement as the driver runs it
// (a prepared statement: custom plan, and the generic plan PostgreSQL may switch to after five runs), printing
// the plan of those over LABELMUX_EXPLAIN_MS (default 2) milliseconds.
// Usage: tsx scripts/explain-grown.ts /tmp/labelmux-measure-plans/grown-100000.db postgres://…/postgres [analyze]
import { copyFileSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { createPgStore } from '../src/db/index.js';
import { toPg } from '../src/db/pg/client.js';
import { storeOver } from '../src/db/store/index.js';
import type { Grown } from '../test/grow-skewed.js';
import { recordingDb, type Recorded } from '../test/plan-check.js';
import { storeCalls } from '../test/store-calls.js';
import { copyToFreshPg } from './pg-copy.js';

const [file, adminUrl, analyze] = process.argv.slice(2) as [string, string, string | undefined];
const threshold = Number(process.env.LABELMUX_EXPLAIN_MS ?? 2);
const g = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Grown;
const name = process.env.LABELMUX_EXPLAIN_DB ?? `explain_${process.pid}`;
copyFileSync(`${file}.pristine`, `${file}.explain`);
const url = await copyToFreshPg(adminUrl, name, `${file}.explain`);

const store = createPgStore(url);
if (analyze === 'analyze') await store.db.run('ANALYZE');
const seen = new Map<string, Recorded>();
const caller = { name: '' };
const recorded = storeOver(recordingDb(store.db, seen, caller));
for (const [n, run] of storeCalls(recorded, g)) {
  caller.name = n;
  await run().catch((e: unknown) => console.error(n, String(e)));
}
await store.close();

const literal = (v: unknown): string => {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return `'{${v.map((x) => (typeof x === 'string' ? `"${x.replace(/"/g, '\\"')}"` : String(x))).join(',')}}'`;
  return `'${String(v).replace(/'/g, "''")}'`;
};
const c = new pg.Client({ connectionString: url });
await c.connect();
let i = 0;
for (const r of seen.values()) {
  for (const mode of ['force_custom_plan', 'force_generic_plan']) {
    await c.query('BEGIN');
    try {
      await c.query(`SET LOCAL plan_cache_mode = ${mode}`);
      await c.query(`PREPARE p${++i} AS ${toPg(r.sql)}`);
      const exec = `EXECUTE p${i}${r.params.length ? `(${r.params.map(literal).join(', ')})` : ''}`;
      const rows = (await c.query(`EXPLAIN (ANALYZE, COSTS OFF) ${exec}`)).rows as { 'QUERY PLAN': string }[];
      const lines = rows.map((x) => x['QUERY PLAN']);
      const ms = Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1)!)?.[1]);
      if (ms >= threshold) console.log(`\n=== ${ms} ms ${mode} [${[...r.callers].join(', ')}]\n${r.sql.replace(/\s+/g, ' ')}\n${lines.join('\n')}`);
    } catch (e) {
      console.log(`\n=== error ${mode} [${[...r.callers].join(', ')}] ${String(e)}\n${r.sql.replace(/\s+/g, ' ')}`);
    } finally {
      await c.query('ROLLBACK');
    }
  }
}
await c.end();
if (process.env.LABELMUX_EXPLAIN_KEEP === '1') console.log(`kept ${url}`);
else {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE ${name}`);
  await admin.end();
}
