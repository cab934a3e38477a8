// Each assignment keeps its resource's type (assignments.resource_type): every write path fills it in, the
// migration fills it in for the rows already there, and a label's page of one type chooses the side it is read
// from on the label's resources of that type alone (a label on many forms and few products reads its few
// products, never the workspace's products in order).
import { afterEach, describe, expect, it } from 'vitest';
import { prepareFixtures } from '../src/core/fixtures.js';
import type { ResourceInput } from '../src/core/ports.js';
import type { Audit } from '../src/core/types.js';
import { createSqliteStore, type DatabaseStore } from '../src/db/index.js';
import { MANY } from '../src/db/store/resource-rows.js';
import { storeOver } from '../src/db/store/index.js';
import { recordingDb, type Recorded } from './plan-check.js';
import { copySqliteToPg } from '../src/db/pg/copy-from-sqlite.js';
import { createTestPgStore } from './pg/test-db.js';
import { withOlderPg, withOlderSqlite } from './older-database.js';
import { createTestStore, onPostgres } from './test-store.js';

const at = Date.UTC(2026, 0, 1);
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at };
const plain = (name: string) => ({ parentId: null, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} });
const refs = (type: string, n: number, prefix = type): ResourceInput[] => Array.from({ length: n }, (_, i) => ({ type, externalId: `${prefix}${i}`, name: `${type} ${i}` }));

let store: DatabaseStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** Assignments whose type is not their resource's, and how many assignments there are. */
async function typeMismatches(s: DatabaseStore): Promise<{ wrong: number; total: number }> {
  const row = await s.db.one<{ wrong: number; total: number }>(
    `SELECT (SELECT count(*) FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE a.resource_type <> r.type) AS wrong, (SELECT count(*) FROM assignments) AS total`,
  );
  return { wrong: Number(row!.wrong), total: Number(row!.total) };
}

describe('assignments carry their resource type', () => {
  it('is written by assign, attach, product links, a move to another workspace, an import and a reset', async () => {
    const s = (store = createTestStore());
    const ws = (await s.createWorkspace('A', '00000000-0000-4000-8000-0000000000a1', at)).id;
    const other = (await s.createWorkspace('B', '00000000-0000-4000-8000-0000000000b1', at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const [l1, l2, l3] = [await s.createLabel(ws, plain('one'), 'workspace', audit, user), await s.createLabel(ws, plain('two'), 'workspace', audit, user), await s.createLabel(ws, plain('three'), 'workspace', audit, user)];
    await s.assign(ws, { type: 'form', externalId: 'f1' }, [l1.id, l2.id], { create: true, replace: false, answer: false }, audit);
    await s.attach(ws, l1.id, [...refs('img', 3), ...refs('product', 3)], { create: true }, audit);
    await s.linkProducts(ws, l3.id, 'replace', [{ ref: 'product1', externalIds: ['product1'] }], audit);
    expect(await typeMismatches(s)).toEqual({ wrong: 0, total: 9 });
    await s.updateOrMoveLabel(ws, l2.id, { workspaceId: other }, audit);
    const target = (await s.createWorkspace('C', '00000000-0000-4000-8000-0000000000c1', at)).id;
    await s.importWorkspace(target, await s.exportWorkspace(ws), audit);
    expect(await typeMismatches(s)).toEqual({ wrong: 0, total: 17 });
    const plan = await prepareFixtures({
      users: [{ email: 'f@example.test', name: 'F' }],
      workspaces: [{ name: 'F', labels: [{ name: 'A' }], resources: [{ type: 'form', id: '1', labels: ['A'] }, { type: 'product', id: '2', labels: ['A'] }] }],
    });
    await s.resetTo(plan, at);
    expect(await typeMismatches(s)).toEqual({ wrong: 0, total: 2 });
    expect(await s.db.all(`SELECT resource_type FROM assignments ORDER BY resource_id`)).toEqual([{ resource_type: 'form' }, { resource_type: 'product' }]);
  });

  it("reads a label's few products from its assignments of products, however many forms it holds; many products in the page's order", async () => {
    const s = (store = createTestStore());
    const ws = (await s.createWorkspace('A', '00000000-0000-4000-8000-0000000000a1', at)).id;
    await s.upsertResources(ws, refs('product', MANY + 100), at);
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const few = (await s.createLabel(ws, plain('few'), 'workspace', audit, user)).id;
    const lots = (await s.createLabel(ws, plain('lots'), 'workspace', audit, user)).id;
    for (let i = 0; i < MANY + 100; i += 300) await s.attach(ws, few, refs('form', MANY + 100).slice(i, i + 300), { create: true }, audit);
    await s.attach(ws, few, [{ type: 'product', externalId: 'product7' }, { type: 'product', externalId: 'product70' }, { type: 'product', externalId: 'product2' }], { create: false }, audit);
    for (let i = 0; i <= MANY; i += 300) await s.attach(ws, lots, refs('product', MANY + 1).slice(i, i + 300), { create: false }, audit);

    const seen = new Map<string, Recorded>();
    const recorded = storeOver(recordingDb(s.db, seen, { name: 'listProducts' }));
    const page = await recorded.listProducts({ workspaceIds: [ws], labelId: few, sort: [], limit: 2, offset: 0 });
    expect(page).toMatchObject({ total: 3, items: [{ externalId: 'product2' }, { externalId: 'product7' }] });
    const sqls = [...seen.keys()];
    expect(sqls.some((q) => q.includes('a.resource_type = ?)') && q.startsWith('SELECT r.*'))).toBe(true);
    expect(sqls.some((q) => q.includes('a.resource_id = r.id'))).toBe(false);

    seen.clear();
    const many = await recorded.listProducts({ workspaceIds: [ws], labelId: lots, sort: [], limit: 3, offset: 0 });
    // External ids in text order: product0, product1, product10, …
    expect(many).toMatchObject({ total: MANY + 1, items: [{ externalId: 'product0' }, { externalId: 'product1' }, { externalId: 'product10' }] });
    // The total is the label's number of products, kept by the database (assignment_counts), not counted.
    const [walked, kept] = [[...seen.keys()].find((q) => q.startsWith('SELECT r.*')), [...seen.keys()].find((q) => q.includes('assignment_counts'))];
    expect(walked).toContain('a.resource_id = r.id');
    expect(kept).toContain(`c.resource_type = 'product'`);
    expect([...seen.keys()].some((q) => q.startsWith('SELECT count(*)'))).toBe(false);

    // The same label through a one-type resource page: its few products from its side, in that page's order.
    const items = await s.listResources(ws, { type: 'product', labelId: few, sort: 'name', direction: 'desc', limit: 20, offset: 0 });
    expect(items.items.map((r) => r.externalId)).toEqual(['product70', 'product7', 'product2']);
  });
});

/** Rows as they stood before the resource type was kept on assignments: two types, one label on both. */
const OLD_ROWS = [
  `INSERT INTO workspaces (id, uuid, name, created_at) VALUES (1, '00000000-0000-4000-8000-000000000001', 'W', 0)`,
  `INSERT INTO labels (id, workspace_id, name, name_key, created_at, updated_at) VALUES (1, 1, 'L', 'l', 0, 0)`,
  `INSERT INTO resources (id, workspace_id, type, external_id, created_at, updated_at) VALUES (1, 1, 'form', '1', 0, 0), (2, 1, 'product', '1', 0, 0)`,
  `INSERT INTO assignments (label_id, resource_id, created_at) VALUES (1, 1, 0), (1, 2, 0)`,
];

describe('the copy from SQLite to PostgreSQL', () => {
  it.runIf(onPostgres)('keeps each assignment its type', async () => {
    const lite = createSqliteStore(':memory:');
    const target = createTestPgStore();
    try {
      const ws = (await lite.createWorkspace('A', '00000000-0000-4000-8000-0000000000a1', at)).id;
      const user = (await lite.createUser('u@example.test', 'U', null, at)).id;
      const label = (await lite.createLabel(ws, plain('one'), 'workspace', audit, user)).id;
      await lite.attach(ws, label, [...refs('form', 2), ...refs('product', 2)], { create: true }, audit);
      await target.ready;
      await copySqliteToPg(lite.sqlite, target.url);
      const rows = await target.db.all<{ resource_id: number; resource_type: string }>(`SELECT resource_id::int AS resource_id, resource_type FROM assignments ORDER BY resource_id`);
      expect(rows.map((r) => r.resource_type)).toEqual(['form', 'form', 'product', 'product']);
      expect(await typeMismatches(target)).toEqual({ wrong: 0, total: 4 });
    } finally {
      await lite.close();
      await target.close();
    }
  });
});

describe('the migration', () => {
  it.runIf(!onPostgres)('fills in the type of the assignments already there (SQLite)', async () => {
    await withOlderSqlite('0005_categories', OLD_ROWS, async (s) => {
      expect(await s.db.all(`SELECT label_id, resource_id, resource_type FROM assignments ORDER BY resource_id`)).toEqual([
        { label_id: 1, resource_id: 1, resource_type: 'form' },
        { label_id: 1, resource_id: 2, resource_type: 'product' },
      ]);
      expect((await s.listProducts({ workspaceIds: [1], labelId: 1, sort: [], limit: 20, offset: 0 })).items.map((r) => r.id)).toEqual([2]);
    });
  });

  it.runIf(onPostgres)('fills in the type of the assignments already there (PostgreSQL)', async () => {
    await withOlderPg('0004_page_orders', OLD_ROWS, async (s) => {
      expect(await s.db.all(`SELECT label_id::int AS label_id, resource_id::int AS resource_id, resource_type FROM assignments ORDER BY resource_id`)).toEqual([
        { label_id: 1, resource_id: 1, resource_type: 'form' },
        { label_id: 1, resource_id: 2, resource_type: 'product' },
      ]);
    });
  });
});
