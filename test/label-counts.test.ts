// Each workspace's number of labels is kept by the database (label_counts, kept by triggers): it equals the
// labels counted after every way a label row appears, disappears or changes workspace (creates, timed labels and
// their categories, deletes of subtrees and categories, cascades of a parent, a workspace or everything, a move to
// another workspace, imports, resets, the copy from SQLite to PostgreSQL); the migration fills it in for the
// labels already there; and a list of all a workspace's labels reads its total from it, right between pages.
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

let store: DatabaseStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

/** The rows (slots) each workspace's number is kept in: 16 on PostgreSQL, where transactions add to one each. */
const SLOTS = onPostgres ? 16 : 1;

/**
 * Each workspace whose kept number (the sum of its slots) differs from its labels counted (or that has not its
 * slots), and each row left without its workspace: [] when every count is right.
 */
async function drift(s: DatabaseStore): Promise<string[]> {
  const rows = await s.db.all<{ ws: number; kept: number | null; slots: number; counted: number }>(
    `SELECT w.id AS ws, (SELECT sum(c.count) FROM label_counts c WHERE c.workspace_id = w.id) AS kept,
       (SELECT count(*) FROM label_counts c WHERE c.workspace_id = w.id) AS slots,
       (SELECT count(*) FROM labels l WHERE l.workspace_id = w.id) AS counted
     FROM workspaces w ORDER BY w.id`,
  );
  const orphans = await s.db.all<{ ws: number }>(`SELECT c.workspace_id AS ws FROM label_counts c WHERE NOT EXISTS (SELECT 1 FROM workspaces w WHERE w.id = c.workspace_id)`);
  return [
    ...rows.filter((r) => r.kept === null || Number(r.kept) !== Number(r.counted)).map((r) => `workspace ${r.ws}: kept ${r.kept}, counted ${r.counted}`),
    ...rows.filter((r) => Number(r.slots) !== SLOTS).map((r) => `workspace ${r.ws}: ${r.slots} slots`),
    ...orphans.map((r) => `a count of workspace ${r.ws}, which is gone`),
  ];
}

const kept = async (s: DatabaseStore, ws: number) => Number((await s.db.one<{ n: number | null }>(`SELECT sum(count) AS n FROM label_counts WHERE workspace_id = ?`, ws))?.n ?? -1);

describe('the kept label count of each workspace', () => {
  it('equals the labels counted after every write path', async () => {
    const s = (store = createTestStore());
    const a = (await s.createWorkspace('A', uuid(0xa), at)).id;
    const b = (await s.createWorkspace('B', uuid(0xb), at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const steps: [string, () => Promise<unknown>][] = [];
    const step = (name: string, fn: () => Promise<unknown>) => steps.push([name, fn]);
    const ids: Record<string, number> = {};

    step('creates, nested', async () => {
      ids.root = (await s.createLabel(a, plain('root'), 'siblings', audit, user)).id;
      ids.child = (await s.createLabel(a, plain('child', ids.root), 'siblings', audit, user)).id;
      ids.grandchild = (await s.createLabel(a, plain('grandchild', ids.child), 'siblings', audit, user)).id;
      ids.loner = (await s.createLabel(a, plain('loner'), 'siblings', audit, user)).id;
      ids.other = (await s.createLabel(b, plain('other'), 'siblings', audit, user)).id;
    });
    step('timed labels and their new categories', () =>
      s.createTimedLabels(a, [1, 2, 3].map((i) => ({ name: `Event ${i}`, description: '', category: i === 3 ? 'Later' : 'Launches', startsAt: at + i, endsAt: at + i + 10 })), quota, audit, user));
    step('an update that moves nothing', () => s.updateLabel(a, ids.loner!, { name: 'renamed' }, 'siblings', audit));
    step('a move within the workspace', () => s.updateLabel(a, ids.grandchild!, { parentId: null }, 'siblings', audit));
    step('a move to another workspace', () => s.updateOrMoveLabel(a, ids.loner!, { workspaceId: b }, audit));
    step('a move back', () => s.updateOrMoveLabel(b, ids.loner!, { workspaceId: a, name: 'back' }, audit));
    step('a delete of a subtree', () => s.deleteLabels(a, [ids.root!], audit));
    step('a category deleted with its labels', () => s.deleteCategory(a, 'Later', { deleteLabels: true }, audit));
    step('a category deleted, its labels moved to the top level', () => s.deleteCategory(a, 'Launches', { moveTo: null }, audit));
    step('a parent deleted by SQL, its children by the cascade', async () => {
      const p = (await s.createLabel(b, plain('parent'), 'siblings', audit, user)).id;
      const c = (await s.createLabel(b, plain('kid', p), 'siblings', audit, user)).id;
      await s.createLabel(b, plain('grandkid', c), 'siblings', audit, user);
      await s.db.run(`DELETE FROM labels WHERE id = ?`, p);
    });
    step('a user deleted (the labels it created stay)', async () => {
      const gone = (await s.createUser('gone@example.test', 'Gone', null, at)).id;
      await s.createLabel(a, plain('by gone'), 'siblings', audit, gone);
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
            { name: 'F', labels: [{ name: 'A' }, { name: 'B', parent: 'A' }, { name: 'C' }] },
            { name: 'G', labels: [{ name: 'A' }] },
            { name: 'H' },
          ],
        }),
        at,
      ));
    step('creates after the reset', async () => {
      await s.createLabel(3, plain('in H'), 'siblings', audit, 1);
      await s.createLabel(1, plain('in F'), 'siblings', audit, 1);
    });

    for (const [name, fn] of steps) {
      await fn();
      expect(await drift(s), name).toEqual([]);
    }
    expect([await kept(s, 1), await kept(s, 2), await kept(s, 3)]).toEqual([4, 1, 1]);
  });

  it('is read as a list\'s total when the list is all of its workspaces\' labels, right between pages', async () => {
    const s = (store = createTestStore());
    const [a, b] = [(await s.createWorkspace('A', uuid(1), at)).id, (await s.createWorkspace('B', uuid(2), at)).id];
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    for (let i = 0; i < 30; i++) await s.createLabel(a, plain(`a${String(i).padStart(2, '0')}`), 'siblings', audit, user);
    for (let i = 0; i < 5; i++) await s.createLabel(b, plain(`b${i}`), 'siblings', audit, user);
    const seen = new Map<string, Recorded>();
    const recorded = storeOver(recordingDb(s.db, seen, { name: 'test' }));
    const page = (offset: number, workspaceIds = [a], more: object = {}) => recorded.listLabelsIn({ workspaceIds, sort: [], limit: 10, offset, ...more });
    const counted = () => [...seen.keys()].filter((q) => /count\(\*\)/.test(q)).length;

    expect((await page(0)).total).toBe(30);
    await s.createLabel(a, plain('new one'), 'siblings', audit, user);
    await s.createLabel(a, plain('new two'), 'siblings', audit, user);
    expect((await page(10)).total).toBe(32);
    const doomed = (await s.listLabels(a)).slice(0, 5).map((l) => l.id);
    await s.deleteLabels(a, doomed, audit);
    expect((await page(20)).total).toBe(27);
    await s.updateOrMoveLabel(a, (await s.listLabels(a))[0]!.id, { workspaceId: b }, audit);
    expect((await page(10)).total).toBe(26);
    // A credential over several workspaces: the sum of their numbers.
    expect((await page(0, [a, b])).total).toBe(32);
    expect((await page(10, [b, a], { sort: [{ field: 'name', desc: true }] })).total).toBe(32);
    expect(counted()).toBe(0);
    // A filtered list counts its matches.
    expect((await page(0, [a, b], { ids: (await s.listLabels(a)).slice(0, 12).map((l) => l.id) })).total).toBe(12);
    expect(counted()).toBe(1);
    // A page past the end reads the number; a page that ends the list tells it without reading it.
    seen.clear();
    expect((await page(30)).total).toBe(26);
    expect([...seen.keys()].some((q) => q.includes('label_counts'))).toBe(true);
    seen.clear();
    expect((await page(20)).total).toBe(26);
    expect([...seen.keys()].some((q) => q.includes('label_counts'))).toBe(false);
  });

  it.runIf(onPostgres)('is filled in by the copy from SQLite to PostgreSQL (the triggers count the copied labels)', async () => {
    const lite = createSqliteStore(':memory:');
    const target = createTestPgStore();
    try {
      const a = (await lite.createWorkspace('A', uuid(1), at)).id;
      const b = (await lite.createWorkspace('B', uuid(2), at)).id;
      await lite.createWorkspace('Empty', uuid(3), at);
      const user = (await lite.createUser('u@example.test', 'U', null, at)).id;
      const root = (await lite.createLabel(a, plain('root'), 'siblings', audit, user)).id;
      for (let i = 0; i < 12; i++) await lite.createLabel(a, plain(`l${i}`, i % 2 ? root : null), 'siblings', audit, user);
      await lite.createLabel(b, plain('b'), 'siblings', audit, user);
      await target.ready;
      await copySqliteToPg(lite.sqlite, target.url);
      const s = (store = createPgStore(target.url, { poolSize: 1 }));
      expect(await drift(s)).toEqual([]);
      expect([await kept(s, a), await kept(s, b), await kept(s, 3)]).toEqual([13, 1, 0]);
      expect((await s.listLabelsIn({ workspaceIds: [a], sort: [], limit: 5, offset: 0 })).total).toBe(13);
    } finally {
      await lite.close();
      await target.close();
    }
  });
  it.runIf(onPostgres)('is updated by its key: a label write locks no more of label_counts than its workspace\'s entry (writes to other workspaces do not conflict)', async () => {
    const s = createTestPgStore();
    store = s;
    const ws = [];
    for (let i = 0; i < 3; i++) ws.push((await s.createWorkspace(`W${i}`, uuid(i + 1), at)).id);
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const id = (await s.createLabel(ws[0]!, plain('moved'), 'siblings', audit, user)).id;
    const client = new pg.Client({ connectionString: s.url });
    await client.connect();
    try {
      // Serializable, as every write runs: a sequential scan of the (small) table would take a predicate lock on all of it.
      const locksOf = async (sql: string, ...params: unknown[]) => {
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        await client.query(sql, params);
        const { rows } = await client.query<{ locktype: string }>(`SELECT locktype FROM pg_locks WHERE mode = 'SIReadLock' AND pid = pg_backend_pid() AND relation = 'label_counts'::regclass`);
        await client.query('ROLLBACK');
        return rows.map((r) => r.locktype);
      };
      expect(await locksOf(`INSERT INTO labels (workspace_id, name, name_key, created_at, updated_at) VALUES ($1, 'x', 'x', 0, 0)`, ws[1])).toEqual([]);
      expect(await locksOf(`DELETE FROM labels WHERE id = $1`, id)).toEqual([]);
      expect(await locksOf(`UPDATE labels SET workspace_id = $1 WHERE id = $2`, ws[2], id)).toEqual([]);
    } finally {
      await client.end();
    }
  });
  it.runIf(onPostgres)('spreads a workspace\'s number over slots: two transactions writing labels of one workspace at once both commit, neither waiting', async () => {
    const s = createTestPgStore();
    store = s;
    const ws = (await s.createWorkspace('W', uuid(1), at)).id;
    const user = (await s.createUser('u@example.test', 'U', null, at)).id;
    const gone = (await s.createLabel(ws, plain('gone'), 'siblings', audit, user)).id;
    const moved = (await s.createLabel(ws, plain('moved'), 'siblings', audit, user)).id;
    const other = (await s.createWorkspace('X', uuid(2), at)).id;
    const [a, b] = [new pg.Client({ connectionString: s.url }), new pg.Client({ connectionString: s.url })];
    await Promise.all([a.connect(), b.connect()]);
    try {
      // With one row a workspace, the second transaction's update waited for the first's commit and then failed.
      await b.query(`SET lock_timeout = '2s'`);
      const slots = new Set<number>();
      for (const [i, second] of [`DELETE FROM labels WHERE id = ${gone}`, `UPDATE labels SET workspace_id = ${other} WHERE id = ${moved}`].entries()) {
        await a.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        await b.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        await a.query(`INSERT INTO labels (workspace_id, name, name_key, created_at, updated_at) VALUES ($1, $2, $2, 0, 0)`, [ws, `a${i}`]);
        await b.query(second);
        for (const c of [a, b]) slots.add(Number((await c.query<{ s: string }>(`SELECT txid_current() % 16 AS s`)).rows[0]!.s));
        await a.query('COMMIT');
        await b.query('COMMIT');
      }
      expect(slots.size).toBeGreaterThan(1);
      expect([await kept(s, ws), await kept(s, other)]).toEqual([2, 1]);
      expect(await drift(s)).toEqual([]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });
});

/** Rows as they stood before the counts were kept: three workspaces, one without labels, a tree in one. */
const OLD_ROWS = [
  `INSERT INTO workspaces (id, uuid, name, created_at) VALUES (1, '${uuid(1)}', 'W', 0), (2, '${uuid(2)}', 'X', 0), (3, '${uuid(3)}', 'Empty', 0)`,
  `INSERT INTO labels (id, workspace_id, parent_id, name, name_key, created_at, updated_at) VALUES (1, 1, NULL, 'L', 'l', 0, 0), (2, 1, 1, 'M', 'm', 0, 0), (3, 1, 2, 'N', 'n', 0, 0), (4, 2, NULL, 'O', 'o', 0, 0)`,
];

/** After the migration: each workspace's number, and the store goes on keeping them. */
async function expectFilled(s: DatabaseStore): Promise<void> {
  expect([await kept(s, 1), await kept(s, 2), await kept(s, 3)]).toEqual([3, 1, 0]);
  expect((await s.listLabelsIn({ workspaceIds: [1, 2, 3], sort: [], limit: 2, offset: 0 })).total).toBe(4);
  const user = (await s.createUser('u@example.test', 'U', null, at)).id;
  await s.createLabel(3, plain('first'), 'siblings', audit, user);
  await s.deleteLabels(1, [2], audit);
  expect([await kept(s, 1), await kept(s, 2), await kept(s, 3)]).toEqual([1, 1, 1]);
  expect(await drift(s)).toEqual([]);
}

describe('the migration', () => {
  it.runIf(!onPostgres)('counts the labels already there (SQLite)', async () => {
    await withOlderSqlite('0006_assignment_type', OLD_ROWS, expectFilled);
  });

  it.runIf(onPostgres)('counts the labels already there (PostgreSQL)', async () => {
    await withOlderPg('0005_assignment_type', [...OLD_ROWS, `SELECT setval(pg_get_serial_sequence('labels', 'id'), 4)`], expectFilled);
  });
});
