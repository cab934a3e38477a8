// Plans that do not depend on statistics: a database grown through the store (never ANALYZEd) with one huge
// workspace beside small ones and skewed assignments; every statement the store sends while a representative
// call of each of its functions runs is EXPLAINed, before and after ANALYZE. No statement may scan a table
// that grows with a workspace, nor walk an index bounded only by the workspace unless it is a whole-workspace
// answer or reads one page in the index's order. A new store function without a call here fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseStore } from '../src/db/index.js';
import { storeOver } from '../src/db/store/index.js';
import { growSkewed, type Grown } from './grow-skewed.js';
import { judge, planOf, recordingDb, sortedWalk, type Recorded } from './plan-check.js';
import { storeCalls, WHOLE } from './store-calls.js';
import { createTestStore, onPostgres } from './test-store.js';

/** Labels in the huge workspace: enough for the planner to see the skew, few enough for a quick suite. */
const SIZE = Number(process.env.LABELMUX_PLANS_SIZE ?? (onPostgres ? 2000 : 6000));

let store: DatabaseStore;
let grown: Grown;
const seen = new Map<string, Recorded>();
const called = new Set<string>();

beforeAll(async () => {
  store = createTestStore();
  // Never analyzed until the test says so: autovacuum would analyze a table a minute into a slow run.
  if (onPostgres) for (const t of ['labels', 'resources', 'assignments', 'events']) await store.db.run(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
  grown = await growSkewed(store, SIZE);
  const caller = { name: '' };
  const recorded = storeOver(recordingDb(store.db, seen, caller));
  for (const [name, run] of storeCalls(recorded, grown)) {
    caller.name = name;
    called.add(name);
    await run();
  }
}, 120_000);

afterAll(async () => {
  await store?.close();
});

/** Each statement whose plan is wrong, with why. */
async function badPlans(): Promise<string[]> {
  const out: string[] = [];
  for (const r of seen.values()) {
    const plan = await planOf(store, r.sql, r.params);
    const whole = [...r.callers].every((c) => WHOLE.has(c));
    const text = plan.map((l) => l.detail).join('\n');
    const wrong = judge(store.kind, r.sql, plan, whole) ?? answerRead(r, text) ?? referenceRead(r, text) ?? typedLabelRead(r, text);
    if (wrong) out.push(`[${[...r.callers].join(', ')}] ${wrong}\n    ${r.sql.replace(/\s+/g, ' ')}\n    ${plan.map((l) => l.detail).join('\n    ')}`);
  }
  return out;
}

/** PostgreSQL: each statement whose page is sorted although sorts are priced out (plan-check's sortedWalk), with why. */
async function sortedPages(): Promise<string[]> {
  const out: string[] = [];
  for (const r of seen.values()) {
    const plan = await planOf(store, r.sql, r.params, { sorts: false });
    const wrong = sortedWalk(r.sql, plan, [...r.callers].every((c) => WHOLE.has(c)));
    if (wrong) out.push(`[${[...r.callers].join(', ')}] ${wrong}\n    ${r.sql.replace(/\s+/g, ' ')}\n    ${plan.map((l) => l.detail).join('\n    ')}`);
  }
  return out;
}

/**
 * Answers read from an index of their own rows (plan-check's ANSWER_INDEXES) must be read from it alone: the
 * categories from labels_categories_idx (sorting them costs the answer), not from the workspace's top-level
 * labels or parents (which the generic rules accept, since a parent bounds each of those walks).
 */
function answerRead(r: Recorded, plan: string): string | null {
  if (!r.callers.has('listCategories')) return null;
  return /labels_categories_idx/.test(plan) && !/labels_(workspace|parent)\w*idx|RECURSIVE|CTE Scan|Seq Scan|SCAN /.test(plan) ? null : 'the categories are not read from labels_categories_idx alone';
}

/**
 * A resource by its reference is read from resources_ref_uq (or by its external id): the generic rules accept
 * any index whose condition names external_id, but in resources_workspace_status_idx it stands after the
 * status, so that walk reads the whole type (un-analyzed PostgreSQL took it: of equal costs, the newest index).
 */
function referenceRead(r: Recorded, plan: string): string | null {
  if (!/^SELECT \* FROM resources WHERE workspace_id = \? AND type = \? AND external_id = \?$/.test(r.sql)) return null;
  return /resources_ref_uq|resources_workspace_external_idx/.test(plan) ? null : 'a resource by its reference is not read from resources_ref_uq';
}

/**
 * A label's resources of one type (or of a few) are read from assignments_label_type_idx, and, when a page is
 * read from the label's side, each resource by its id. The generic rules accept any walk bounded by the label,
 * but the primary key's reads every resource of the label: thousands of forms for a page of its few products.
 * A walk of a (workspace_id, …) index of resources would read the type, whatever the label holds (a name the
 * client filters on may bound it instead: a lookup of the products with that name, which ANALYZE may prefer).
 */
function typedLabelRead(r: Recorded, plan: string): string | null {
  if (!/^\s*SELECT\b/i.test(r.sql) || !/\bresource_type (=|IN\b)/.test(r.sql)) return null;
  // (A plan may read no assignment at all: PostgreSQL drops a subquery a constant false condition makes moot.)
  const lines = plan.split('\n');
  const typed = lines.some((line) => /assignments_label_type_idx.*\bresource_type\b/.test(line));
  if (!typed && lines.some((line) => /assignments/.test(line))) return "a label's resources of a type are not read from assignments_label_type_idx by their type";
  const fromLabel = /\br\.id (IN \(|= ANY\(ARRAY\()SELECT a\.resource_id FROM assignments a WHERE a\.label_id = \? AND a\.resource_type/.test(r.sql);
  const walks = workspaceWalks(plan).some((cond) => !/\bname\b|external_id/.test(cond));
  return fromLabel && walks ? "a page from the label's side walks the workspace's resources" : null;
}

/** The index conditions of the walks of resources' (workspace_id, …) indexes in a plan ('' for a walk without one). */
function workspaceWalks(plan: string): string[] {
  return plan.split('\n').flatMap((line) => {
    if (store.kind === 'sqlite') {
      const m = /USING (?:COVERING )?INDEX resources_(?:workspace_\w+|ref_uq)(?: \((.*)\))?$/.exec(line);
      return m ? [m[1] ?? ''] : [];
    }
    const n = JSON.parse(line) as { index?: string; cond?: string };
    return /^resources_(workspace_|ref_uq)/.test(n.index ?? '') ? [n.cond ?? ''] : [];
  });
}

async function analyze(): Promise<void> {
  if (store.kind === 'postgres') return void (await store.db.run('ANALYZE'));
  // As the product runs after a restart: row counts (sqlite_stat1) kept, STAT4's samples dropped (open.ts).
  const sqlite = (store.db as unknown as { sqlite: { exec(s: string): void } }).sqlite;
  sqlite.exec('ANALYZE; DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;');
}

describe(`query plans on a grown, skewed database (${SIZE} labels in one workspace)`, () => {
  it('calls every function of the store', () => {
    const functions = Object.keys(storeOver(store.db)).sort();
    expect(functions.filter((f) => !called.has(f))).toEqual([]);
    expect(seen.size).toBeGreaterThan(100);
  });

  it('bounds every statement by its workspace, label or key, never analyzed', async () => {
    expect(await badPlans()).toEqual([]);
  });

  it.runIf(onPostgres)('has an index that gives each page bounded by the workspace its order whole (PostgreSQL, sorts priced out)', async () => {
    // Every sort and direction of a page of one type (resources, products; one workspace and several), so a
    // descending order or a tie-breaker no index ends in, or an order without an index, fails here.
    const pages = [...seen.values()].filter((r) => /\bFROM resources r WHERE r\.workspace_id = \? AND (r\.type = \?|r\.type = 'product')( AND [^()]*)? ORDER BY /.test(r.sql));
    expect(pages.length).toBeGreaterThanOrEqual(20);
    expect(await sortedPages()).toEqual([]);
    // Each walked in order from an index bounded by the workspace (not the primary key, testing each row).
    const unbounded: string[] = [];
    for (const r of pages) {
      const plan = await planOf(store, r.sql, r.params, { sorts: false });
      if (!plan.some((l) => /"index":"resources_(workspace_\w+|ref_uq)","cond":"\(\(workspace_id = /.test(l.detail))) unbounded.push(r.sql);
    }
    expect(unbounded).toEqual([]);
  });

  it('has an index for every foreign key (a delete of the parent row never scans the child table)', async () => {
    expect(await unindexedForeignKeys(store)).toEqual([]);
  });

  it('bounds every statement the same way after ANALYZE', async () => {
    await analyze();
    expect(await badPlans()).toEqual([]);
    if (onPostgres) expect(await sortedPages()).toEqual([]);
  });
});

/** Foreign keys whose columns no index leads with, as `table(columns)`. */
async function unindexedForeignKeys(s: DatabaseStore): Promise<string[]> {
  if (s.kind === 'postgres') {
    const rows = await s.db.all<{ fk: string }>(
      `SELECT c.conrelid::regclass || '(' || array_to_string(ARRAY(SELECT attname FROM pg_attribute WHERE attrelid = c.conrelid AND attnum = ANY(c.conkey)), ',') || ')' AS fk
       FROM pg_constraint c WHERE c.contype = 'f' AND NOT EXISTS (
         SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey)`,
    );
    return rows.map((r) => r.fk).sort();
  }
  const out: string[] = [];
  const tables = await s.db.all<{ name: string }>(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`);
  for (const { name } of tables) {
    const fks = await s.db.all<{ from: string }>(`SELECT "from" FROM pragma_foreign_key_list(?)`, name);
    const leads = new Set<string>();
    for (const ix of await s.db.all<{ name: string }>(`SELECT name FROM pragma_index_list(?)`, name)) {
      const first = await s.db.one<{ name: string }>(`SELECT name FROM pragma_index_info(?) WHERE seqno = 0`, ix.name);
      if (first) leads.add(first.name);
    }
    const pk = await s.db.one<{ name: string }>(`SELECT name FROM pragma_table_info(?) WHERE pk = 1`, name);
    if (pk) leads.add(pk.name);
    for (const fk of fks) if (!leads.has(fk.from)) out.push(`${name}(${fk.from})`);
  }
  return out.sort();
}
