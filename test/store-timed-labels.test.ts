// The store's rules for timed labels and their categories (src/db/store/category-rules.ts, counters.ts consumeIn,
// timed-label-filter.ts), called on the store directly: SQLite here, PostgreSQL in the PG suite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../src/core/errors.js';
import { createCore } from '../src/core/index.js';
import type { CreationQuota, NewTimedLabel } from '../src/core/ports-timed-labels.js';
import type { Audit } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { createTestStore } from './test-store.js';
import { createTenant, FIXED_NOW } from './helper.js';

let store: DatabaseStore;
let ws: number;
let user: number;
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: FIXED_NOW };
const NO_LIMITS: CreationQuota = { day: '2026-11-22', counters: [] };

beforeEach(async () => {
  store = createTestStore();
  const tenant = await createTenant(createCore({ store, now: () => FIXED_NOW }));
  ws = tenant.workspaceId;
  user = tenant.userIds.owner;
});
afterEach(() => store.close());

const timed = (name: string, category: string | null, startsAt = 1000): NewTimedLabel => ({ name, description: '', category, startsAt, endsAt: startsAt });
const create = (items: NewTimedLabel[], quota = NO_LIMITS) => store.createTimedLabels(ws, items, quota, audit, user);
const failure = async (p: Promise<unknown>) => p.then(() => null, (e: CoreError) => ({ code: e.code, message: e.message, details: e.details }));
const topLevel = async () => (await store.listLabels(ws)).filter((l) => l.parentId === null).map((l) => l.name);

describe('category auto-create', () => {
  it('matches an existing category ignoring case and creates a missing one as given, once per request', async () => {
    const [a, b, c] = await create([timed('A', 'Releases'), timed('B', 'RELEASES'), timed('C', 'ÄPFEL')]);
    expect([a!.category, b!.category, c!.category]).toEqual(['Releases', 'Releases', 'ÄPFEL']);
    expect(a!.parentId).toBe(b!.parentId);
    const [d] = await create([timed('D', 'äpfel')]);
    expect(d).toMatchObject({ category: 'ÄPFEL', parentId: c!.parentId });
    expect(await topLevel()).toEqual(['Releases', 'ÄPFEL']);
  });

  it('an edit naming a missing category creates it; null moves the label to the top level', async () => {
    const [a] = await create([timed('A', 'One')]);
    const moved = await store.updateTimedLabel(ws, a!.id, { category: 'two' }, audit, user);
    expect(moved.category).toBe('two');
    expect(await store.updateTimedLabel(ws, a!.id, { category: null }, audit, user)).toMatchObject({ parentId: null, category: '' });
    expect((await topLevel()).sort()).toEqual(['A', 'One', 'two']);
  });

  it('the answer is what a read gives', async () => {
    const made = await create([timed('A', 'Cat', 5000), timed('B', null, 4000)]);
    expect(await store.listTimedLabels(ws, [])).toEqual([made[1], made[0]]);
  });
});

describe('timed labels are excepted from name uniqueness', () => {
  it('repeat a name among themselves and beside an untimed sibling of that name', async () => {
    await store.createLabel(ws, { parentId: null, name: 'Launch', color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit, user);
    const made = await create([timed('launch', null), timed('Launch', null), timed('Launch', 'Cat'), timed('Launch', 'Cat')]);
    expect(made).toHaveLength(4);
  });
});

describe('daily limits are consumed with the insert', () => {
  const quota = (token: number, app: number): CreationQuota => ({
    day: '2026-11-22',
    counters: [
      { rule: 'token', scope: 'test-token', subject: 'k', limit: token },
      { rule: 'app', scope: 'test-app', subject: String(ws), limit: app },
    ],
  });

  it('counts every created label (not auto-created categories) on every counter', async () => {
    await create([timed('A', 'New'), timed('B', 'New')], quota(5, 5));
    expect(await store.readCounter('test-token', 'k', '2026-11-22')).toBe(2);
    expect(await store.readCounter('test-app', String(ws), '2026-11-22')).toBe(2);
  });

  it('nothing is written or counted when one counter would pass its limit', async () => {
    await create([timed('A', 'Cat')], quota(10, 3));
    const before = (await store.listEvents(ws, 0, 100)).length;
    expect(await failure(create([timed('B', 'Other'), timed('C', 'Other'), timed('D', 'Other')], quota(10, 3)))).toEqual({
      code: 'LIMIT_EXCEEDED',
      message: 'daily limit of 3 created labels for this app reached: 1 created today (UTC), 3 requested',
      details: { rule: 'app', limit: 3 },
    });
    expect(await store.readCounter('test-token', 'k', '2026-11-22')).toBe(1);
    expect(await store.readCounter('test-app', String(ws), '2026-11-22')).toBe(1);
    expect((await store.listTimedLabels(ws, [])).map((a) => a.name)).toEqual(['A']);
    expect(await topLevel()).toEqual(['Cat']);
    expect(await store.listEvents(ws, 0, 100)).toHaveLength(before);
  });

  it('the first counter over its limit is the one reported; up to the limit exactly is allowed', async () => {
    expect(await failure(create([timed('A', null), timed('B', null)], quota(1, 1)))).toMatchObject({ details: { rule: 'token', limit: 1 } });
    await create([timed('A', null), timed('B', null)], quota(2, 2));
    expect(await failure(create([timed('C', null)], quota(2, 9)))).toMatchObject({ message: expect.stringContaining('2 created today'), details: { rule: 'token' } });
  });
});

describe('deleting a category disposes of its labels', () => {
  let cat: number;
  let labels: number[];
  beforeEach(async () => {
    const made = await create([timed('A', 'Old'), timed('B', 'Old'), timed('C', 'New')]);
    cat = made[0]!.parentId!;
    labels = made.slice(0, 2).map((a) => a.id);
  });
  const categoryOf = async (ids: number[]) => (await store.listTimedLabels(ws, [{ field: 'id', op: 'in', values: ids }])).map((a) => a.category);

  it('deletes them with it', async () => {
    expect(await store.deleteCategory(ws, 'OLD', { deleteLabels: true }, audit)).toBe('Old');
    expect(await categoryOf(labels)).toEqual([]);
    expect(await store.listCategories(ws)).toEqual(['New']);
  });

  it('moves them to another category, matched ignoring case', async () => {
    await store.deleteCategory(ws, 'old', { moveTo: 'NEW' }, audit);
    expect(await categoryOf(labels)).toEqual(['New', 'New']);
    expect(await store.getLabel(ws, cat)).toBeNull();
  });

  it('moves them to the top level', async () => {
    await store.deleteCategory(ws, 'Old', { moveTo: null }, audit);
    expect(await categoryOf(labels)).toEqual(['', '']);
    expect(await store.getLabel(ws, cat)).toBeNull();
  });

  it('a target that does not exist renames the category label, which keeps its id', async () => {
    await store.deleteCategory(ws, 'Old', { moveTo: 'Renamed' }, audit);
    expect(await categoryOf(labels)).toEqual(['Renamed', 'Renamed']);
    expect((await store.getLabel(ws, cat))?.name).toBe('Renamed');
    expect((await store.listEvents(ws, 0, 100)).at(-1)).toMatchObject({ action: 'category.renamed', labelId: cat });
  });

  it('an untimed child whose name is taken at the target stops the move: nothing changes', async () => {
    await store.createLabel(ws, { parentId: cat, name: 'Folder', color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit, user);
    await store.createLabel(ws, { parentId: null, name: 'FOLDER', color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit, user);
    expect(await failure(store.deleteCategory(ws, 'Old', { moveTo: null }, audit))).toMatchObject({
      code: 'NAME_TAKEN',
      message: 'cannot move label "Folder": a label with this name already exists there',
    });
    expect(await categoryOf(labels)).toEqual(['Old', 'Old']);
  });

  it('a category without labels, or a timed label, is no category: NOT_FOUND(category)', async () => {
    await store.createLabel(ws, { parentId: null, name: 'Empty', color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit, user);
    for (const name of ['Empty', 'A', 'Missing']) {
      expect(await failure(store.deleteCategory(ws, name, { deleteLabels: true }, audit))).toMatchObject({ code: 'NOT_FOUND', details: { entity: 'category', id: name } });
    }
  });
});

describe('the categories follow every write of a child', () => {
  // A category is listed while it has a child, whichever write gave or took the child (a stored flag kept by
  // the database on every insert, move and delete, cascades included).
  const label = (name: string, parentId: number | null) => store.createLabel(ws, { parentId, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit, user);

  it('a child created, moved away and back, and deleted', async () => {
    const a = await label('Alpha', null);
    const b = await label('Beta', null);
    expect(await store.listCategories(ws)).toEqual([]);
    const child = await label('Child', a.id);
    expect(await store.listCategories(ws)).toEqual(['Alpha']);
    await store.updateLabel(ws, child.id, { parentId: b.id }, 'siblings', audit);
    expect(await store.listCategories(ws)).toEqual(['Beta']);
    await store.updateLabel(ws, child.id, { parentId: null }, 'siblings', audit);
    expect(await store.listCategories(ws)).toEqual([]);
    await store.updateLabel(ws, child.id, { parentId: a.id }, 'siblings', audit);
    await label('Second', a.id);
    await store.deleteLabels(ws, [child.id], audit);
    expect(await store.listCategories(ws)).toEqual(['Alpha']);
  });

  it('a parent deleted with its subtree, a timed edit moving the last label, a category moved and given a time span', async () => {
    const [x] = await create([timed('X', 'Gone'), timed('Y', 'Kept')]);
    const top = await label('Top', null);
    const mid = await label('Mid', top.id);
    await label('Leaf', mid.id);
    expect(await store.listCategories(ws)).toEqual(['Gone', 'Kept', 'Top']);
    await store.deleteLabels(ws, [top.id], audit);
    await store.updateTimedLabel(ws, x!.id, { category: 'Kept' }, audit, user);
    expect(await store.listCategories(ws)).toEqual(['Kept']);
    const kept = (await store.listLabels(ws)).find((l) => l.name === 'Kept')!;
    const other = await label('Other', null);
    await store.updateLabel(ws, kept.id, { parentId: other.id }, 'siblings', audit);
    expect(await store.listCategories(ws)).toEqual(['Other']);
    await store.updateLabel(ws, kept.id, { parentId: null }, 'siblings', audit);
    expect(await store.listCategories(ws)).toEqual(['Kept']);
    await store.updateLabel(ws, kept.id, { startsAt: 5, endsAt: 6 }, 'siblings', audit);
    expect(await store.listCategories(ws)).toEqual([]);
    await store.updateLabel(ws, kept.id, { startsAt: null, endsAt: null }, 'siblings', audit);
    expect(await store.listCategories(ws)).toEqual(['Kept']);
  });
});

describe('checkMoveTarget', () => {
  beforeEach(() => create([timed('A', 'Releses')]));

  it('the stored name exactly is refused (VALIDATION), nothing changes', async () => {
    expect(await failure(store.deleteCategory(ws, 'releses', { moveTo: 'Releses' }, audit))).toMatchObject({ code: 'VALIDATION', details: { field: 'move_to' } });
    expect(await store.listCategories(ws)).toEqual(['Releses']);
  });

  it('the category itself in another case renames it (the way to fix its case)', async () => {
    expect(await store.deleteCategory(ws, 'Releses', { moveTo: 'RELESES' }, audit)).toBe('Releses');
    expect(await store.listCategories(ws)).toEqual(['RELESES']);
  });
});

describe('the list filter', () => {
  beforeEach(() => create([timed('Sale', 'Sales', 1000), timed('Launch', 'Releases', 2000), timed('Note', null, 3000)]));
  const names = async (conditions: Parameters<DatabaseStore['listTimedLabels']>[1]) => (await store.listTimedLabels(ws, conditions)).map((a) => a.name);

  it('compares categories ignoring case, and lists, ranges, presence', async () => {
    expect(await names([{ field: 'category', op: 'eq', value: 'SALES' }])).toEqual(['Sale']);
    expect(await names([{ field: 'category', op: 'notIn', values: ['sales', 'RELEASES'] }])).toEqual(['Note']);
    expect(await names([{ field: 'category', op: 'present' }])).toEqual(['Sale', 'Launch']);
    expect(await names([{ field: 'startsAt', op: 'gte', value: 2000 }, { field: 'name', op: 'neq', value: 'Note' }])).toEqual(['Launch']);
  });

  it('takes fractions and numbers of the other type without error, as SQLite orders values', async () => {
    expect(await names([{ field: 'startsAt', op: 'gt', value: 1999.5 }])).toEqual(['Launch', 'Note']);
    expect(await names([{ field: 'startsAt', op: 'in', values: [1000, 2000.5] }])).toEqual(['Sale']);
    expect(await names([{ field: 'name', op: 'gt', value: 5 }])).toEqual(['Sale', 'Launch', 'Note']);
    expect(await names([{ field: 'startsAt', op: 'eq', value: 'x' }])).toEqual([]);
  });
});
