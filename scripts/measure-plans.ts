// Times the store calls behind the endpoints of "flat cost on grown databases" on databases grown through the
// store (test/grow-skewed.ts) to each size, never analyzed and then after ANALYZE, on SQLite and (with a
// PostgreSQL URL) on a copy of the same database in PostgreSQL with autovacuum off until the ANALYZE.
// Usage: tsx scripts/measure-plans.ts 1000,100000 [postgres://…/postgres]   (prints one JSON line per timing)
// Each grown database is kept as grown-<size>.db.pristine (with .json, what grew) in LABELMUX_MEASURE_DIR, so
// an older version of the code can be measured on the very same data: run it with LABELMUX_MEASURE_REUSE=1
// on a copy of that directory, with LABELMUX_MEASURE_DROP naming the indexes that version does not have.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { DatabaseStore } from '../src/db/index.js';
import { createPgStore, createSqliteStore } from '../src/db/index.js';
import type { Audit } from '../src/core/types.js';
import { growSkewed, type Grown } from '../test/grow-skewed.js';
import { copyToFreshPg } from './pg-copy.js';

const sizes = (process.argv[2] ?? '1000,100000').split(',').map(Number);
const pgUrl = process.argv[3];
const dir = process.env.LABELMUX_MEASURE_DIR ?? '/tmp/labelmux-measure-plans';
const reuse = process.env.LABELMUX_MEASURE_REUSE === '1';
const drop = (process.env.LABELMUX_MEASURE_DROP ?? '').split(',').filter((x) => x !== '');
const audit = (g: Grown): Audit => ({ actorUserId: g.owner, apiKeyId: null, dialect: 'measure', at: Date.now() });
const page = { limit: 20, offset: 0 };

type Run = (s: DatabaseStore, g: Grown, i: number, prepared: unknown) => Promise<unknown>;
/** A timed call; `setup` (not timed) prepares what the call needs. */
type Row = [name: string, times: number, run: Run, setup?: (s: DatabaseStore, g: Grown, i: number) => Promise<unknown>];
const ROWS: Row[] = [
  ['livestorm create', 200, (s, g, i) => s.createLabel(g.huge, { parentId: null, name: `M ${i} ${Math.random()}`, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'workspace', audit(g), g.owner)],
  ['jotform label resources (2% label)', 50, (s, g) => s.listResources(g.huge, { type: 'form', labelId: g.warm, sort: 'created_at', direction: 'desc', ...page })],
  ['jotform label resources (cold label)', 50, (s, g) => s.listResources(g.huge, { type: 'form', labelId: g.cold, sort: 'created_at', direction: 'desc', ...page })],
  ['razuna getassetoflabel (2% label)', 50, (s, g) => s.listResources(g.huge, { labelId: g.warm, types: ['img', 'form'], sort: 'name', direction: 'asc', limit: 1000, offset: 0, omit: { total: true, labels: true } })],
  ['livestorm label items (2% label)', 50, (s, g) => s.listResources(g.huge, { type: 'library_item', labelId: g.warm, sort: 'created_at', direction: 'desc', ...page })],
  ['livestorm label items (hot label)', 20, (s, g) => s.listResources(g.huge, { type: 'library_item', labelId: g.hot, sort: 'created_at', direction: 'desc', ...page })],
  ['razuna removeassetlabel', 100, (s, g, i) => s.unassign(g.huge, { externalId: `r${(i * 4 + 1) % 997}` }, [g.cold], audit(g), { missingOk: true })],
  ['devtodev categories/get', 30, (s, g) => s.listCategories(g.huge)],
  ['limbo products page 2', 50, (s, g) => s.listProducts({ workspaceIds: [g.huge], sort: [], limit: 20, offset: 20 })],
  ['limbo labels by name, 6 workspaces, page 2', 50, (s, g) => s.listLabelsIn({ workspaceIds: [g.huge, ...g.small], sort: [{ field: 'name', desc: false }], limit: 20, offset: 20 })],
  ['livestorm library by name', 50, (s, g) => s.listResources(g.huge, { type: 'library_item', sort: 'name', direction: 'asc', ...page })],
  ['razuna getall (50-label workspace)', 50, (s, g) => s.listLabelPaths(g.small[0]!, {})],
  ['admin delete a user who created a label', 20, (s, _g, _i, id) => s.deleteUser(id as number), async (s, g, i) => {
    const id = (await s.createUser(`gone${i}.${Math.random()}@m.test`, 'Gone', null, Date.now())).id;
    await s.setMember(g.huge, id, 'member', Date.now());
    await s.createLabel(g.huge, { parentId: null, name: `Gone ${i} ${Math.random()}`, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'workspace', audit(g), id);
    return id;
  }],
];

/** Median milliseconds of `times` calls. */
async function time(s: DatabaseStore, g: Grown, [, times, run, setup]: Row): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const prepared = setup ? await setup(s, g, i) : undefined;
    const t0 = performance.now();
    await run(s, g, i, prepared);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)]!;
}

async function measure(s: DatabaseStore, g: Grown, db: string, size: number, stats: string): Promise<void> {
  for (const row of ROWS) console.log(JSON.stringify({ db, size, stats, row: row[0], ms: Number((await time(s, g, row)).toFixed(3)) }));
}

const pgCopy = (sqliteFile: string, size: number): Promise<string> => copyToFreshPg(pgUrl!, `measure_${size}_${process.pid}`, sqliteFile);

if (!reuse) rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const size of sizes) {
  const file = `${dir}/grown-${size}.db`;
  let s: DatabaseStore;
  let g: Grown;
  if (reuse) {
    copyFileSync(`${file}.pristine`, file);
    g = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as Grown;
    s = createSqliteStore(file);
    for (const ix of drop) (s.db as unknown as { sqlite: { exec(x: string): void } }).sqlite.exec(`DROP INDEX IF EXISTS ${ix}`);
  } else {
    s = createSqliteStore(file);
    const t0 = performance.now();
    g = await growSkewed(s, size);
    console.error(`grew ${size} labels in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await s.close();
  if (!reuse) {
    copyFileSync(file, `${file}.pristine`);
    writeFileSync(`${file}.json`, JSON.stringify(g));
  }
  const url = pgUrl ? await pgCopy(file, size) : undefined;
  s = createSqliteStore(file);
  await measure(s, g, 'sqlite', size, 'never analyzed');
  (s.db as unknown as { sqlite: { exec(x: string): void } }).sqlite.exec('ANALYZE');
  await s.close();
  s = createSqliteStore(file); // as after a restart: STAT4 samples dropped, row counts kept (open.ts)
  await measure(s, g, 'sqlite', size, 'analyzed');
  await s.close();
  if (url) {
    s = createPgStore(url);
    await measure(s, g, 'postgres', size, 'never analyzed');
    await s.db.run('ANALYZE');
    await measure(s, g, 'postgres', size, 'analyzed');
    await s.close();
  }
}
