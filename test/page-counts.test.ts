// Page totals kept by the database: each workspace's number of resources of each type (resource_counts) and each
// label's number of resources of each type (assignment_counts), kept by triggers. They equal the rows counted
// after every way a resource or an assignment appears, disappears or changes key (pushes, assigns that create,
// attaches, detaches, unassigns of every type, product links, a label moved to another workspace, deletes of
// labels, categories, resources, users and workspaces with their cascades, imports, resets, the copy from SQLite
// to PostgreSQL); the migration fills them in for the rows already there; a page whose only filter is the
// workspace, a label and types reads its total from them, right after writes; and on PostgreSQL concurrent
// assigns to one label write different rows, without predicate locks on them.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareFixtures } from '../src/core/fixtures.js';
import type { Audit } from '../src/core/types.js';
import { createPgStore, createSqliteStore, type DatabaseStore } from '../src/db/index.js';
import { copySqliteToPg } from '../src/db/pg/copy-from-sqlite.js';
import { storeOver } from '../src/db/store/index.js';
import { recordingDb, type Recorded } from './plan-check.js';
import { createTestPgStore } from './pg/test-db.js';
import { withOlderPg, withOlderSqlite } from './older-database.js';
import { createTestStore, onPostgres } from './test-store.js';

const at = Date.UTC(2026, 0, 1);
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at };
const plain = (name: string, parentId: number | null = null) => ({ parentId, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} });
const quota = { day: '2026-01-01', counters: [] };
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const res = (type: string, externalId: string, name = `${type} ${externalId}`) => ({ type, externalId, name, status: 'active', attributes: {} });

let store: DatabaseStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/**
 * Each key whose kept number (the sum of its slots) differs from its rows counted, each slot out of range (SQLite
 * keeps slot 0 only, PostgreSQL 0–15), and each row left without its workspace or label: [] when all is right.
 */
async function drift(s: DatabaseStore): Promise<string[]> {
  const resources = await s.db.all<{ ws: number; type: string; kept: number | null; counted: number }>(
    `SELECT k.workspace_id AS ws, k.type,
       (SELECT sum(c.count) FROM resource_counts c WHERE c.workspace_id = k.workspace_id AND c.type = k.type) AS kept,
       (SELECT count(*) FROM resources r WHERE r.workspace_id = k.workspace_id AND r.type = k.type) AS counted
     FROM (SELECT workspace_id, type FROM resources UNION SELECT workspace_id, type FROM resource_counts) k ORDER BY 1, 2`,
  );
  const assignments = await s.db.all<{ label: number; type: string; kept: number | null; counted: number }>(
    `SELECT k.label_id AS label, k.resource_type AS type,
       (SELECT sum(c.count) FROM assignment_counts c WHERE c.label_id = k.label_id AND c.resource_type = k.resource_type) AS kept,
       (SELECT count(*) FROM assignments a WHERE a.label_id = k.label_id AND a.resource_type = k.resource_type) AS counted
     FROM (SELECT label_id, resource_type FROM assignments UNION SELECT label_id, resource_type FROM assignment_counts) k ORDER BY 1, 2`,
  );
  const maxSlot = onPostgres ? 15 : 0;
  const slots = await s.db.all<{ what: string }>(
    `SELECT 'resource_counts' AS what FROM resource_counts WHERE slot < 0 OR slot > ? UNION ALL SELECT 'assignment_counts' FROM assignment_counts WHERE slot < 0 OR slot > ?`,
    maxSlot, maxSlot,
  );
  const orphans = await s.db.all<{ what: string }>(
    `SELECT 'resources of workspace ' || c.workspace_id AS what FROM resource_counts c WHERE NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = c.workspace_id)
     UNION ALL SELECT 'assignments of label ' || c.label_id FROM assignment_counts c WHERE NOT EXISTS (SELECT 1 FROM labels l WHERE l.id = c.label_id)`,
  );
  // What each assignment keeps of its resource for a label's pages (its type is the counts' business, above).
  const keys = await s.db.all<{ label: number; resource: number }>(
    `SELECT a.label_id AS label, a.resource_id AS resource FROM assignments a JOIN resources r ON r.id = a.resource_id
     WHERE a.resource_created_at <> r.created_at OR a.resource_external_id <> r.external_id OR (a.resource_name IS NULL) <> (r.name IS NULL) OR a.resource_name <> r.name`,
  );
  return [
    ...keys.map((k) => `label ${k.label}, resource ${k.resource}: kept keys differ from the resource's`),
    ...resources.filter((r) => Number(r.kept ?? 0) !== Number(r.counted)).map((r) => `workspace ${r.ws}, ${r.type}: kept ${r.kept}, counted ${r.counted}`),
    // SQLite takes a removed row from its key's row, which must be there whenever a row of the key is.
    ...resources.filter((r) => !onPostgres && r.kept === null).map((r) => `workspace ${r.ws}, ${r.type}: no row`),
    ...assignments.filter((r) => Number(r.kept ?? 0) !== Number(r.counted)).map((r) => `label ${r.label}, ${r.type}: kept ${r.kept}, counted ${r.counted}`),
    ...assignments.filter((r) => !onPostgres && r.kept === null).map((r) => `label ${r.label}, ${r.type}: no row`),
    ...slots.map((r) => `a slot of ${r.what} out of range`),
    ...orphans.map((r) => `a count of ${r.what}, which is gone`),
  ];
}

const keptResources = async (s: DatabaseStore, ws: number, type: string) =>
  Number((await s.db.one<{ n: number | null }>(`SELECT sum(count) AS n FROM resource_counts WHERE workspace_id = ? AND type = ?`, ws, type))?.n ?? 0);
const keptAssignments = async (s: DatabaseStore, label: number, type: string) =>
  Number((await s.db.one<{ n: number | null }>(`SELECT sum(count) AS n FROM assignment_counts WHERE label_id = ? AND resource_type = ?`, label, type))?.n ?? 0);

describe('the kept page totals', () => {
  it('equal the resources and assignments counted after every write path', async () => {
    const s = (store = createTestStore());
    const a = (await s.createWorkspace('A', uuid(0xa), at)).id;
    const b = (await s.createWorkspace('B', uuid(0xb), at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const ids: Record<string, number> = {};
    const steps: [string, () => Promise<unknown>][] = [];
    const step = (name: string, fn: () => Promise<unknown>) => steps.push([name, fn]);

    step('labels, resources pushed (new and again)', async () => {
      for (const name of ['hot', 'warm', 'doomed', 'mover']) ids[name] = (await s.createLabel(a, plain(name), 'siblings', audit, user)).id;
      ids.child = (await s.createLabel(a, plain('child', ids.doomed), 'siblings', audit, user)).id;
      await s.upsertResources(a, [res('library_item', '1'), res('library_item', '2'), res('product', 'p1'), res('product', 'p2'), res('form', 'f1')], at);
      await s.upsertResources(a, [res('library_item', '1', 'renamed'), res('library_item', '3')], at);
      await s.upsertResources(b, [res('product', 'p1')], at);
    });
    step('assigns (creating resources, existing ones, again, replacing)', async () => {
      await s.assign(a, res('library_item', '4'), [ids.hot!, ids.warm!], { create: true, replace: false, answer: false }, audit);
      await s.assign(a, res('library_item', '1'), [ids.hot!], { create: false, replace: false, answer: true }, audit);
      await s.assign(a, res('library_item', '1'), [ids.hot!], { create: false, replace: false, answer: false }, audit);
      await s.assign(a, res('form', 'f1'), [ids.hot!, ids.doomed!, ids.child!], { create: false, replace: false, answer: false }, audit);
      await s.assign(a, res('form', 'f1'), [ids.warm!, ids.child!], { create: false, replace: true, answer: false }, audit);
    });
    step('attaches (creating) and detaches', async () => {
      await s.attach(a, ids.hot!, [res('product', 'p1'), res('product', 'p3'), res('img', 'i1'), res('img', 'i2')], { create: true }, audit);
      await s.attach(a, ids.mover!, [res('img', 'i1'), res('library_item', '2'), res('product', 'p2')], { create: false }, audit);
      await s.detach(a, ids.hot!, [{ type: 'img', externalId: 'i2' }, { type: 'img', externalId: 'missing' }], audit);
    });
    step('unassigns, of one type and of every type', async () => {
      await s.unassign(a, { type: 'library_item', externalId: '4' }, [ids.warm!], audit);
      await s.assign(a, res('img', '1'), [ids.warm!], { create: true, replace: false, answer: false }, audit);
      await s.unassign(a, { externalId: '1' }, [ids.hot!, ids.warm!], audit);
    });
    step('product links added, replaced, removed', async () => {
      await s.linkProducts(a, ids.warm!, 'add', [{ ref: 'p1', externalIds: ['p1'] }, { ref: 'p2', externalIds: ['p2'] }], audit);
      await s.linkProducts(a, ids.warm!, 'replace', [{ ref: 'p3', externalIds: ['p3'] }], audit);
      await s.linkProducts(a, ids.hot!, 'remove', [{ ref: 'p1', externalIds: ['p1'] }], audit);
    });
    step('a label moved to another workspace (its resources copied there, its assignments following)', () => s.updateOrMoveLabel(a, ids.mover!, { workspaceId: b }, audit));
    step('a label moved back', () => s.updateOrMoveLabel(b, ids.mover!, { workspaceId: a, name: 'back' }, audit));
    step('timed labels (nothing to count)', () =>
      s.createTimedLabels(a, [{ name: 'Event', description: '', category: 'Launches', startsAt: at, endsAt: at + 10 }], quota, audit, user));
    step('a subtree deleted (the assignments by the cascade)', () => s.deleteLabels(a, [ids.doomed!], audit));
    step('a category deleted with its labels', async () => {
      const event = (await s.listTimedLabels(a, [{ field: 'id', op: 'gt', value: 0 }]))[0]!.id;
      await s.attach(a, event, [res('library_item', '2'), res('form', 'f2')], { create: true }, audit);
      await s.deleteCategory(a, 'Launches', { deleteLabels: true }, audit);
    });
    step('a label deleted by SQL', async () => {
      const gone = (await s.createLabel(a, plain('gone'), 'siblings', audit, user)).id;
      await s.attach(a, gone, [res('library_item', '2'), res('img', 'i1')], { create: false }, audit);
      await s.db.run(`DELETE FROM labels WHERE id = ?`, gone);
    });
    step('a resource deleted by SQL (its assignments by the cascade)', () => s.db.run(`DELETE FROM resources WHERE workspace_id = ? AND type = 'img' AND external_id = 'i1'`, a));
    step('resources and assignments changing key by SQL', async () => {
      // A resource of no label to another workspace; one with labels to another type, its assignments with it.
      await s.db.run(`UPDATE resources SET workspace_id = ? WHERE workspace_id = ? AND external_id = 'f2'`, b, a);
      const two = (await s.db.one<{ id: number }>(`SELECT id FROM resources WHERE workspace_id = ? AND type = 'library_item' AND external_id = '2'`, a))!.id;
      await s.db.run(`UPDATE resources SET type = 'asset' WHERE id = ?`, two);
      await s.db.run(`UPDATE assignments SET resource_type = 'asset' WHERE resource_id = ?`, two);
      await s.db.run(`UPDATE assignments SET label_id = ? WHERE label_id = ? AND resource_type = 'product'`, ids.mover, ids.hot);
    });
    step('resources renamed (the upsert, and by SQL), their assignments\' kept keys with them', async () => {
      await s.upsertResources(a, [res('form', 'f1', 'Renamed form'), { type: 'product', externalId: 'p3', name: null, status: null, attributes: {} }], at);
      await s.db.run(`UPDATE resources SET name = 'by SQL', created_at = 5, external_id = 'p3x' WHERE workspace_id = ? AND type = 'product' AND external_id = 'p3'`, a);
    });
    step('a user deleted (its labels stay)', async () => {
      const gone = (await s.createUser('gone@example.test', 'Gone', null, at)).id;
      const label = (await s.createLabel(a, plain('by gone'), 'siblings', audit, gone)).id;
      await s.attach(a, label, [res('form', 'f1')], { create: false }, audit);
      await s.deleteUser(gone);
    });
    step('an import into an empty workspace (a clone: new ids)', async () => {
      ids.c = (await s.createWorkspace('C', uuid(0xc), at)).id;
      await s.importWorkspace(ids.c, await s.exportWorkspace(a), audit);
    });
    step('a workspace deleted', () => s.deleteWorkspace(b));
    step('a workspace deleted by SQL', () => s.db.run(`DELETE FROM workspaces WHERE id = ?`, ids.c));
    step('a reset to fixtures', async () =>
      s.resetTo(
        await prepareFixtures({
          users: [{ email: 'f@example.test', name: 'F' }],
          workspaces: [
            { name: 'F', labels: [{ name: 'A' }, { name: 'B', parent: 'A' }], resources: [{ type: 'form', id: '1', labels: ['A', 'B'] }, { type: 'form', id: '2', labels: ['B'] }, { type: 'product', id: 'p' }] },
            { name: 'G', labels: [{ name: 'A' }], resources: [{ type: 'form', id: '1', labels: ['A'] }] },
          ],
        }),
        at,
      ));
    step('writes after the reset', async () => {
      await s.attach(1, 2, [res('form', '3'), res('product', 'p')], { create: true }, audit);
      await s.unassign(1, { type: 'form', externalId: '1' }, [1], audit);
    });

    for (const [name, fn] of steps) {
      await fn();
      expect(await drift(s), name).toEqual([]);
    }
    // After the reset and its writes: F holds forms 1–3 and product p, its A is on none, its B on all four; G's A on its form 1.
    expect([await keptResources(s, 1, 'form'), await keptResources(s, 1, 'product'), await keptResources(s, 2, 'form')]).toEqual([3, 1, 1]);
    expect([await keptAssignments(s, 1, 'form'), await keptAssignments(s, 2, 'form'), await keptAssignments(s, 2, 'product'), await keptAssignments(s, 3, 'form')]).toEqual([0, 3, 1, 1]);
  });

  it('are read as a page\'s total when its only filter is the workspace, a label and types, right after writes', async () => {
    const s = (store = createTestStore());
    const [a, b] = [(await s.createWorkspace('A', uuid(1), at)).id, (await s.createWorkspace('B', uuid(2), at)).id];
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const hot = (await s.createLabel(a, plain('hot'), 'siblings', audit, user)).id;
    const other = (await s.createLabel(b, plain('other'), 'siblings', audit, user)).id;
    const items = Array.from({ length: 30 }, (_, i) => res('library_item', `i${i}`));
    const products = Array.from({ length: 25 }, (_, i) => res('product', `p${i}`));
    await s.upsertResources(a, [...items, ...products, res('form', 'f1'), res('form', 'f2')], at);
    await s.upsertResources(b, products.slice(0, 7), at);
    await s.attach(a, hot, [...items.slice(0, 22), ...products.slice(0, 12), res('form', 'f1')], { create: false }, audit);
    await s.attach(b, other, products.slice(0, 3), { create: false }, audit);

    const seen = new Map<string, Recorded>();
    const recorded = storeOver(recordingDb(s.db, seen, { name: 'test' }));
    const counts = () => [...seen.keys()].filter((q) => /count\(\*\)/.test(q)).length;
    const list = (more: object, offset = 10) => recorded.listResources(a, { sort: 'name', direction: 'asc', limit: 10, offset, ...more });
    const products_ = (more: object, offset = 20) => recorded.listProducts({ workspaceIds: [a], sort: [], limit: 5, offset, ...more });

    expect((await list({ type: 'library_item' })).total).toBe(30);
    expect((await list({})).total).toBe(57);
    expect((await list({ types: ['library_item', 'form'] })).total).toBe(32);
    expect((await list({ type: 'library_item', labelId: hot })).total).toBe(22);
    expect((await list({ labelId: hot })).total).toBe(35);
    expect((await list({ labelId: hot, types: ['product', 'form'] }, 20)).total).toBe(13);
    expect((await list({ labelId: hot, type: 'form', types: ['product', 'form'] })).total).toBe(1);
    expect((await products_({})).total).toBe(25);
    expect((await products_({ labelId: hot })).total).toBe(12);
    expect((await products_({ workspaceIds: [a, b] })).total).toBe(32);
    expect((await products_({ workspaceIds: [b, a], sort: [{ field: 'name', desc: true }] })).total).toBe(32);
    // A label is counted in its own workspace only (its products are there).
    expect((await products_({ workspaceIds: [b], labelId: hot })).total).toBe(0);
    expect(counts()).toBe(0);

    // Right after writes: no count, and the totals have moved.
    await s.attach(a, hot, [res('library_item', 'new'), res('product', 'new')], { create: true }, audit);
    await s.detach(a, hot, [{ type: 'library_item', externalId: 'i0' }], audit);
    expect((await list({ type: 'library_item' })).total).toBe(31);
    expect((await list({ type: 'library_item', labelId: hot })).total).toBe(22);
    expect((await products_({ labelId: hot })).total).toBe(13);
    expect((await products_({})).total).toBe(26);
    expect(counts()).toBe(0);

    // A page past the end reads the number; a page that ends the list tells it without reading it.
    seen.clear();
    expect((await list({ type: 'library_item', labelId: hot }, 40)).total).toBe(22);
    expect([...seen.keys()].some((q) => q.includes('assignment_counts'))).toBe(true);
    seen.clear();
    expect((await list({ type: 'library_item', labelId: hot }, 20)).total).toBe(22);
    expect([...seen.keys()].some((q) => q.includes('assignment_counts'))).toBe(false);

    // Filtered pages count their matches.
    expect((await list({ type: 'library_item', search: 'library_item i1' }, 0)).total).toBe(11);
    expect((await list({ type: 'library_item', labelId: hot, status: 'active' })).total).toBe(22);
    expect((await products_({ status: 'active' })).total).toBe(26);
    expect((await products_({ labelId: hot, name: 'product p1' }, 5)).total).toBe(1);
    expect(counts()).toBe(4);
  });

  it.runIf(onPostgres)('are filled in by the copy from SQLite to PostgreSQL (the triggers count the copied rows)', async () => {
    const lite = createSqliteStore(':memory:');
    const target = createTestPgStore();
    try {
      const a = (await lite.createWorkspace('A', uuid(1), at)).id;
      const b = (await lite.createWorkspace('B', uuid(2), at)).id;
      const user = (await lite.createUser('u@example.test', 'U', null, at)).id;
      const hot = (await lite.createLabel(a, plain('hot'), 'siblings', audit, user)).id;
      await lite.upsertResources(a, Array.from({ length: 12 }, (_, i) => res(i % 3 ? 'product' : 'form', `r${i}`)), at);
      await lite.attach(a, hot, Array.from({ length: 9 }, (_, i) => res(i % 3 ? 'product' : 'form', `r${i}`)), { create: false }, audit);
      await lite.upsertResources(b, [res('product', 'x')], at);
      await target.ready;
      await copySqliteToPg(lite.sqlite, target.url);
      const s = (store = createPgStore(target.url, { poolSize: 1 }));
      expect(await drift(s)).toEqual([]);
      expect([await keptResources(s, a, 'product'), await keptResources(s, a, 'form'), await keptResources(s, b, 'product')]).toEqual([8, 4, 1]);
      expect([await keptAssignments(s, hot, 'product'), await keptAssignments(s, hot, 'form')]).toEqual([6, 3]);
      expect((await s.listProducts({ workspaceIds: [a, b], sort: [], limit: 2, offset: 0 })).total).toBe(9);
    } finally {
      await lite.close();
      await target.close();
    }
  });

  it.runIf(onPostgres)('are written without predicate locks: a serializable assign, unassign or push locks no part of them', async () => {
    const s = createTestPgStore();
    store = s;
    const ws = (await s.createWorkspace('W', uuid(1), at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const label = (await s.createLabel(ws, plain('hot'), 'siblings', audit, user)).id;
    await s.upsertResources(ws, [res('form', '1'), res('form', '2')], at);
    await s.attach(ws, label, [res('form', '1')], { create: false }, audit);
    const [r1, r2] = (await s.db.all<{ id: number }>(`SELECT id FROM resources WHERE workspace_id = ? ORDER BY id`, ws)).map((r) => r.id);
    const client = new pg.Client({ connectionString: s.url });
    await client.connect();
    try {
      const locksOf = async (sql: string, ...params: unknown[]) => {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        await client.query(sql, params);
        const { rows } = await client.query<{ rel: string; locktype: string }>(
          `SELECT relation::regclass::text AS rel, locktype FROM pg_locks WHERE mode = 'SIReadLock' AND pid = pg_backend_pid()
             AND relation IN ('resource_counts'::regclass, 'assignment_counts'::regclass, 'resource_counts_workspace_id_type_slot_pk'::regclass, 'assignment_counts_label_id_resource_type_slot_pk'::regclass)`,
        );
        await client.query('ROLLBACK');
        return rows.map((r) => `${r.rel} ${r.locktype}`);
      };
      expect(await locksOf(`INSERT INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id) VALUES ($1, $2, 0, 'form', 0, '2')`, label, r2)).toEqual([]);
      expect(await locksOf(`DELETE FROM assignments WHERE label_id = $1 AND resource_id = $2`, label, r1)).toEqual([]);
      expect(await locksOf(`INSERT INTO resources (workspace_id, type, external_id, created_at, updated_at) VALUES ($1, 'form', '3', 0, 0)`, ws)).toEqual([]);
      expect(await locksOf(`INSERT INTO resources (workspace_id, type, external_id, created_at, updated_at) VALUES ($1, 'new type', '3', 0, 0)`, ws)).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it.runIf(onPostgres)('spread a hot label\'s number over slots: two transactions assigning it at once both commit, neither waiting', async () => {
    const s = createTestPgStore();
    store = s;
    const ws = (await s.createWorkspace('W', uuid(1), at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const label = (await s.createLabel(ws, plain('hot'), 'siblings', audit, user)).id;
    await s.upsertResources(ws, Array.from({ length: 8 }, (_, i) => res('form', `${i}`)), at);
    await s.attach(ws, label, [res('form', '0'), res('form', '1')], { create: false }, audit);
    const ids = (await s.db.all<{ id: number }>(`SELECT id FROM resources WHERE workspace_id = ? ORDER BY id`, ws)).map((r) => r.id);
    const [a, b] = [new pg.Client({ connectionString: s.url }), new pg.Client({ connectionString: s.url })];
    await Promise.all([a.connect(), b.connect()]);
    try {
      // With one row a label, the second transaction's update would wait for the first's commit and then fail.
      await b.query(`SET lock_timeout = '2s'`);
      // Resource ids[i] is form `i`, named `form i`, created at `at`.
      const assign = (r: number) =>
        `INSERT INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id, resource_name) VALUES (${label}, ${r}, 0, 'form', ${at}, '${ids.indexOf(r)}', 'form ${ids.indexOf(r)}')`;
      const slots = new Set<number>();
      for (const [first, second] of [
        [assign(ids[2]!), assign(ids[3]!)],
        [assign(ids[4]!), `DELETE FROM assignments WHERE label_id = ${label} AND resource_id = ${ids[0]}`],
        [`INSERT INTO resources (workspace_id, type, external_id, created_at, updated_at) VALUES (${ws}, 'form', 'x', 0, 0)`, `INSERT INTO resources (workspace_id, type, external_id, created_at, updated_at) VALUES (${ws}, 'form', 'y', 0, 0)`],
      ]) {
        await a.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        await b.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        await a.query(first!);
        await b.query(second!);
        for (const c of [a, b]) slots.add(Number((await c.query<{ s: string }>(`SELECT txid_current() % 16 AS s`)).rows[0]!.s));
        await a.query('COMMIT');
        await b.query('COMMIT');
      }
      expect(slots.size).toBeGreaterThan(1);
      expect([await keptAssignments(s, label, 'form'), await keptResources(s, ws, 'form')]).toEqual([4, 10]);
      expect(await drift(s)).toEqual([]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it.runIf(onPostgres)('let concurrent assigns to one label through the store all commit, the count right', async () => {
    const s = createTestPgStore();
    store = s;
    const ws = (await s.createWorkspace('W', uuid(1), at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const label = (await s.createLabel(ws, plain('hot'), 'siblings', audit, user)).id;
    await Promise.all(Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; i < 8; i++) await s.assign(ws, res('library_item', `${w}-${i}`), [label], { create: true, replace: false, answer: false }, audit);
    }));
    expect(await keptAssignments(s, label, 'library_item')).toBe(128);
    expect((await s.listResources(ws, { type: 'library_item', labelId: label, sort: 'name', direction: 'asc', limit: 10, offset: 0 })).total).toBe(128);
    expect(await drift(s)).toEqual([]);
  });
});

describe('page statements on PostgreSQL', () => {
  // PostgreSQL keeps one plan for a named statement only while that plan costs no more than the plans it makes
  // for the values at hand: a page's offset or a list's length it could read had it plan again for every request.
  it.runIf(onPostgres)("hide a page's offset and a list read as a table from the planner", async () => {
    const s = (store = createTestStore());
    const [a, b] = [(await s.createWorkspace('A', uuid(1), at)).id, (await s.createWorkspace('B', uuid(2), at)).id];
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const hot = (await s.createLabel(a, plain('hot'), 'siblings', audit, user)).id;
    const items = Array.from({ length: 12 }, (_, i) => res('library_item', `i${i}`));
    const products = Array.from({ length: 12 }, (_, i) => res('product', `p${i}`));
    await s.upsertResources(a, [...items, ...products], at);
    await s.upsertResources(b, products, at);
    await s.attach(a, hot, items, { create: false }, audit);
    const seen = new Map<string, Recorded>();
    const recorded = storeOver(recordingDb(s.db, seen, { name: 'test' }));
    const page = { sort: 'name', direction: 'asc', limit: 5, offset: 5 } as const;
    expect((await recorded.listResources(a, { ...page, type: 'library_item' })).total).toBe(12);
    expect((await recorded.listResources(a, { ...page, type: 'library_item', labelId: hot })).total).toBe(12);
    expect((await recorded.listProducts({ workspaceIds: [a, b], sort: [], limit: 5, offset: 5 })).total).toBe(24);
    const statements = [...seen.keys()].filter((q) => /LIMIT|unnest/.test(q));
    expect(statements.length).toBeGreaterThanOrEqual(4);
    for (const sql of statements) expect(sql).not.toMatch(/(LIMIT|OFFSET) \?|unnest\(\?/);
  });
});

describe("a label's page of every type", () => {
  it('walked in order from its assignments, answers as its resources sorted: every order, direction and offset', async () => {
    const s = (store = createTestStore());
    const ws = (await s.createWorkspace('W', uuid(1), at)).id;
    const other = (await s.createWorkspace('X', uuid(2), at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const label = (await s.createLabel(ws, plain('hot'), 'siblings', audit, user)).id;
    const moved = (await s.createLabel(other, plain('moved'), 'siblings', audit, user)).id;
    // Names with case, ties, nulls; external ids shared across types; creation times tied across types.
    const names = ['beta', 'Alpha', null, 'alpha', 'Beta', 'gamma', null, 'ALPHA', '_x', 'Zeta'];
    const list = ['form', 'product', 'library_item', 'img'].flatMap((type, t) =>
      names.map((name, i) => ({ type, externalId: `${(i * 7) % 10}`, name, status: 'active', attributes: {} })).slice(t),
    );
    for (const [i, r] of list.entries()) await s.upsertResources(ws, [r], at + (i % 3));
    await s.attach(ws, label, list.filter((_, i) => i % 5 !== 1), { create: false }, audit);
    await s.upsertResources(ws, [{ ...list[4]!, name: 'renamed' }, { ...list[8]!, name: null }], at + 9);
    await s.attach(other, moved, list.slice(0, 12), { create: true }, audit);
    await s.updateOrMoveLabel(other, moved, { workspaceId: ws }, audit);
    for (const l of [label, moved]) {
      for (const sort of ['created_at', 'id', 'type', 'name'] as const) {
        for (const direction of ['asc', 'desc'] as const) {
          for (const [limit, offset] of [[5, 0], [5, 10], [7, 28], [50, 0], [3, 40]]) {
            const query = { labelId: l, sort, direction, limit: limit!, offset: offset! };
            const walked = await s.listResources(ws, query);
            // Filtered by a status every resource has, the page is read from the label's side and sorted.
            const sorted = await s.listResources(ws, { ...query, status: 'active' });
            expect(walked, `${l} ${sort} ${direction} ${limit}/${offset}`).toEqual(sorted);
          }
        }
      }
    }
    expect(await drift(s)).toEqual([]);
  });
});

/** Rows as they stood before the totals were kept: two workspaces, labels on resources of several types. */
const OLD_ROWS = [
  `INSERT INTO workspaces (id, uuid, name, created_at) VALUES (1, '${uuid(1)}', 'W', 0), (2, '${uuid(2)}', 'X', 0)`,
  `INSERT INTO labels (id, workspace_id, parent_id, name, name_key, created_at, updated_at) VALUES (1, 1, NULL, 'L', 'l', 0, 0), (2, 1, 1, 'M', 'm', 0, 0), (3, 2, NULL, 'O', 'o', 0, 0)`,
  `INSERT INTO resources (id, workspace_id, type, external_id, created_at, updated_at) VALUES
     (1, 1, 'product', 'p1', 0, 0), (2, 1, 'product', 'p2', 0, 0), (3, 1, 'product', 'p3', 0, 0), (4, 1, 'form', 'f1', 0, 0), (5, 2, 'product', 'p1', 0, 0)`,
  `INSERT INTO assignments (label_id, resource_id, created_at, resource_type) VALUES (1, 1, 0, 'product'), (1, 2, 0, 'product'), (1, 4, 0, 'form'), (2, 4, 0, 'form'), (3, 5, 0, 'product')`,
];

/** After the migration: each number, the pages' totals from them, and the store goes on keeping them. */
async function expectFilled(s: DatabaseStore): Promise<void> {
  expect([await keptResources(s, 1, 'product'), await keptResources(s, 1, 'form'), await keptResources(s, 2, 'product')]).toEqual([3, 1, 1]);
  expect([await keptAssignments(s, 1, 'product'), await keptAssignments(s, 1, 'form'), await keptAssignments(s, 2, 'form'), await keptAssignments(s, 3, 'product')]).toEqual([2, 1, 1, 1]);
  expect((await s.listProducts({ workspaceIds: [1, 2], sort: [], limit: 1, offset: 0 })).total).toBe(4);
  expect((await s.listResources(1, { labelId: 1, sort: 'name', direction: 'asc', limit: 1, offset: 0 })).total).toBe(3);
  await s.attach(1, 2, [res('product', 'p3'), res('form', 'f2')], { create: true }, audit);
  await s.deleteLabels(2, [3], audit);
  expect([await keptResources(s, 1, 'form'), await keptAssignments(s, 2, 'product'), await keptAssignments(s, 3, 'product')]).toEqual([2, 1, 0]);
  expect(await drift(s)).toEqual([]);
}

describe('the migration', () => {
  it.runIf(!onPostgres)('counts the resources and assignments already there (SQLite)', async () => {
    await withOlderSqlite('0008_label_counts', OLD_ROWS, expectFilled);
  });

  it.runIf(onPostgres)('counts the resources and assignments already there (PostgreSQL)', async () => {
    const sequences = `SELECT setval(pg_get_serial_sequence('labels', 'id'), 3), setval(pg_get_serial_sequence('resources', 'id'), 5)`;
    await withOlderPg('0007_label_counts', [...OLD_ROWS, sequences], expectFilled);
  });
});
