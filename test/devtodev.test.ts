// The devtodev dialect against its documented behaviour (docs/dialects.md, docs/dialects/devtodev.md): every operation, every error code, bad input,
// categories in the shared core (Jotform's tree). Limits and concurrency are in devtodev-limits.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';
import { peek, peekAll } from './test-store.js';

let t: TestApp;
let a: Tenant;
let b: Tenant;

beforeEach(async () => {
  t = await buildTestApp();
  a = await createTenant(t.core, 'Game A');
  b = await createTenant(t.core, 'Game B');
});
afterEach(() => t.close());

const T0 = 1711000000;

interface CallOptions {
  key?: string;
  app?: string;
  raw?: string;
  contentType?: string;
  method?: string;
}
function call(op: string, body: Record<string, unknown> = {}, o: CallOptions = {}) {
  const payload = o.raw ?? JSON.stringify({ user_token: o.key ?? a.keys.owner, app_id: o.app ?? a.uuid, ...body });
  return t.app.inject({ method: (o.method ?? 'POST') as 'POST', url: `/api/v1/labels/${op}`, headers: { 'content-type': o.contentType ?? 'application/json' }, payload });
}
const err = (status: number, ...errors: [number, string][]) => ({ status_code: status, errors: errors.map(([code, msg]) => ({ code, msg })) });
const expectError = async (res: Awaited<ReturnType<typeof call>>, status: number, ...errors: [number, string][]) => {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual(err(status, ...errors));
};

type Wire = { id: number; name: string; description: string; category: string; start_date: number; end_date: number };
const create = async (labels: Record<string, unknown>[], o: CallOptions = {}): Promise<Wire[]> => {
  const res = await call('create', { labels }, o);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.labels;
};
const list = async (filter?: unknown, o: CallOptions = {}): Promise<Wire[]> => {
  const res = await call('get', filter === undefined ? {} : { filter }, o);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data.labels;
};
const names = (labels: Wire[]) => labels.map((l) => l.name);
const categories = async (o: CallOptions = {}) => (await call('categories/get', {}, o)).json().data.categories as string[];
const labelCount = async () => (await peek(t.store, 'SELECT count(*) AS n FROM labels')) as { n: number };

describe('create', () => {
  it('creates point events and spans, in request order, with the documented fields', async () => {
    const res = await call('create', {
      labels: [
        { name: 'Version 2.3 released', category: 'Releases', start_date: T0 },
        { name: 'Spring sale', description: 'Everything -50%', start_date: T0 + 10, end_date: T0 + 3600 },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const [first, second] = res.json().data.labels;
    expect(res.body).toBe(
      JSON.stringify({
        status_code: 200,
        data: {
          status: 'created',
          labels: [
            { id: first.id, name: 'Version 2.3 released', description: '', category: 'Releases', start_date: T0, end_date: T0 },
            { id: second.id, name: 'Spring sale', description: 'Everything -50%', category: '', start_date: T0 + 10, end_date: T0 + 3600 },
          ],
        },
      }),
    );
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('auto-creates a missing category once and reuses it by exact name', async () => {
    const [x, y] = await create([
      { name: 'A', category: 'Releases', start_date: T0 },
      { name: 'B', category: 'Releases', start_date: T0 },
    ]);
    await create([{ name: 'C', category: 'Releases', start_date: T0 }]);
    const cats = (await peekAll(t.store, `SELECT id, parent_id, starts_at FROM labels WHERE name = 'Releases'`)) as { parent_id: number | null; starts_at: number | null }[];
    expect(cats).toEqual([{ id: expect.any(Number), parent_id: null, starts_at: null }]);
    const core = await t.core.labels.get(await t.core.auth.actorForKey(a.keys.owner, { uuid: a.uuid }, 't'), x!.id);
    expect(core.parentId).toBe((cats[0] as unknown as { id: number }).id);
    expect(core.startsAt).toBe(T0 * 1000);
    expect(core.endsAt).toBe(T0 * 1000);
    expect(y!.category).toBe('Releases');
  });

  it('timed labels may repeat names, also case-insensitively, in one category', async () => {
    const made = await create([
      { name: 'Patch', category: 'Releases', start_date: T0 },
      { name: 'patch', category: 'Releases', start_date: T0 },
      { name: 'Patch', category: 'Releases', start_date: T0 },
    ]);
    expect(names(made)).toEqual(['Patch', 'patch', 'Patch']);
  });

  it('cuts over-long strings by characters without splitting a surrogate pair', async () => {
    const emoji = '😀';
    const [l] = await create([
      { name: `${'n'.repeat(254)}${emoji}${emoji}tail`, description: `${'d'.repeat(999)}${emoji}${emoji}`, category: `${'c'.repeat(254)}${emoji}x`, start_date: T0 },
    ]);
    expect(l!.name).toBe(`${'n'.repeat(254)}${emoji}`);
    expect([...l!.name]).toHaveLength(255);
    expect(l!.description).toBe(`${'d'.repeat(999)}${emoji}`);
    expect(l!.category).toBe(`${'c'.repeat(254)}${emoji}`);
    const [m] = await create([{ name: `${'x'.repeat(255)}${emoji}`, description: 'y'.repeat(5000), start_date: T0 }]);
    expect(m!.name).toBe('x'.repeat(255));
    expect(m!.description).toBe('y'.repeat(1000));
  });

  it('trims names and categories; a blank category is the top level; null means omitted', async () => {
    const [l] = await create([{ name: '  Launch  ', category: '   ', description: null, end_date: null, start_date: T0 }]);
    expect(l).toMatchObject({ name: 'Launch', category: '', description: '', end_date: T0 });
    const [m] = await create([{ name: 'X', category: ' Sales ', start_date: T0 }]);
    expect(m!.category).toBe('Sales');
  });

  it('code 4: every bad field is listed, one error per field, and nothing is created', async () => {
    const before = (await labelCount()).n;
    const res = await call('create', {
      labels: [
        { name: '', category: 'a\u0001b', start_date: 1.5, end_date: -1, color: '#fff' },
        { description: 5 },
        { name: 'ok', start_date: T0, end_date: T0 - 1 },
      ],
      extra: true,
    });
    await expectError(
      res,
      400,
      [4, 'labels.0.name must not be empty'],
      [4, 'labels.0.category must not contain control characters'],
      [4, 'labels.0.start_date must be an integer'],
      [4, 'labels.0.end_date must be at least 0'],
      [4, 'unknown field labels.0.color'],
      [4, 'labels.1.name is required'],
      [4, 'labels.1.description must be a string'],
      [4, 'labels.1.start_date is required'],
      [4, 'labels.2.end_date must not be before start_date'],
      [4, 'unknown field extra'],
    );
    expect((await labelCount()).n).toBe(before);
  });

  it('code 4: labels missing, not an array, or empty', async () => {
    await expectError(await call('create'), 400, [4, 'labels is required']);
    await expectError(await call('create', { labels: {} }), 400, [4, 'labels must be an array']);
    await expectError(await call('create', { labels: [] }), 400, [4, 'labels must contain at least one label']);
    await expectError(await call('create', { labels: [{ name: 'x', start_date: 99999999999999 }] }), 400, [4, 'labels.0.start_date must be at most 253402300799']);
  });

  it('code 7: more than 30 labels in one request creates nothing', async () => {
    const labels = Array.from({ length: 31 }, (_, i) => ({ name: `L${i}`, category: 'Bulk', start_date: T0 }));
    await expectError(await call('create', { labels }), 400, [7, 'at most 30 labels may be created in one request']);
    expect((await labelCount()).n).toBe(0);
    expect(await create(labels.slice(0, 30))).toHaveLength(30);
  });
});

describe('get', () => {
  let ids: Record<string, number>;
  beforeEach(async () => {
    const made = await create([
      { name: 'Beta', category: 'Releases', description: 'second', start_date: T0 + 100, end_date: T0 + 200 },
      { name: 'Alpha', category: 'Releases', start_date: T0 },
      { name: 'Sale', category: 'Sales', description: 'big', start_date: T0 + 100 },
      { name: 'Outage', start_date: T0 + 50, end_date: T0 + 60 },
    ]);
    ids = Object.fromEntries(made.map((l) => [l.name, l.id]));
  });

  it('returns every timed label of the app ordered by start_date, then id; categories are not labels', async () => {
    const res = await call('get');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status_code: 200,
      data: {
        status: 'complete',
        labels: [
          { id: ids.Alpha, name: 'Alpha', description: '', category: 'Releases', start_date: T0, end_date: T0 },
          { id: ids.Outage, name: 'Outage', description: '', category: '', start_date: T0 + 50, end_date: T0 + 60 },
          { id: ids.Beta, name: 'Beta', description: 'second', category: 'Releases', start_date: T0 + 100, end_date: T0 + 200 },
          { id: ids.Sale, name: 'Sale', description: 'big', category: 'Sales', start_date: T0 + 100, end_date: T0 + 100 },
        ],
      },
    });
    expect(await list(undefined, { key: b.keys.owner, app: b.uuid })).toEqual([]);
    expect(await list(null)).toHaveLength(4);
  });

  it('filters with gt, lt, gte, lte, eq, neq on dates (Unix seconds)', async () => {
    expect(names(await list({ start_date: { gt: T0 + 50 } }))).toEqual(['Beta', 'Sale']);
    expect(names(await list({ start_date: { gte: T0 + 50 } }))).toEqual(['Outage', 'Beta', 'Sale']);
    expect(names(await list({ start_date: { lt: T0 + 50 } }))).toEqual(['Alpha']);
    expect(names(await list({ start_date: { lte: T0 + 50 } }))).toEqual(['Alpha', 'Outage']);
    expect(names(await list({ start_date: { eq: T0 + 100 } }))).toEqual(['Beta', 'Sale']);
    expect(names(await list({ start_date: { neq: T0 + 100 } }))).toEqual(['Alpha', 'Outage']);
    expect(names(await list({ end_date: { gte: T0 + 60, lte: T0 + 100 } }))).toEqual(['Outage', 'Sale']);
    expect(names(await list({ end_date: { eq: [T0, T0 + 200] } }))).toEqual(['Alpha', 'Beta']);
    expect(names(await list({ end_date: { neq: [T0, T0 + 200] } }))).toEqual(['Outage', 'Sale']);
  });

  it('filters on id, name, description and category, arrays as in / not in, fields AND-ed', async () => {
    expect(names(await list({ id: { eq: ids.Sale } }))).toEqual(['Sale']);
    expect(names(await list({ id: { gt: ids.Alpha } }))).toEqual(['Outage', 'Sale']);
    expect(names(await list({ id: { neq: [ids.Alpha, ids.Beta] } }))).toEqual(['Outage', 'Sale']);
    expect(names(await list({ name: { eq: ['Alpha', 'Sale', 'nope'] } }))).toEqual(['Alpha', 'Sale']);
    expect(names(await list({ name: { gte: 'B', lt: 'P' } }))).toEqual(['Outage', 'Beta']);
    expect(names(await list({ name: { eq: 'alpha' } }))).toEqual([]);
    expect(names(await list({ description: { eq: 'big' } }))).toEqual(['Sale']);
    expect(names(await list({ category: { eq: 'Releases' } }))).toEqual(['Alpha', 'Beta']);
    expect(names(await list({ category: { eq: '' } }))).toEqual(['Outage']);
    expect(names(await list({ category: { neq: ['Releases', 'Sales'] } }))).toEqual(['Outage']);
    expect(names(await list({ category: { eq: 'Releases' }, start_date: { gt: T0 } }))).toEqual(['Beta']);
    expect(names(await list({ name: { eq: [] } }))).toEqual([]);
    expect(names(await list({ name: { neq: [] } }))).toHaveLength(4);
  });

  it('an empty operator object selects labels whose field is not null and not empty', async () => {
    expect(names(await list({ description: {} }))).toEqual(['Beta', 'Sale']);
    expect(names(await list({ category: {} }))).toEqual(['Alpha', 'Beta', 'Sale']);
    expect(names(await list({ id: {}, name: {}, start_date: {}, end_date: {} }))).toHaveLength(4);
  });

  it('code 4: unknown fields and operators are named, bad values too, all at once', async () => {
    await expectError(
      await call('get', { filter: { color: {}, name: { like: 'A', eq: 5 }, start_date: { gt: 'yesterday', eq: [T0, 'x'] }, category: [] } }),
      400,
      [4, 'filter.name.eq must be a string or an array of at most 1000 of them'],
      [4, 'filter.name.like is not a filter operator (gt, lt, gte, lte, eq, neq)'],
      [4, 'filter.category must be an object of operators (gt, lt, gte, lte, eq, neq)'],
      [4, 'filter.start_date.gt must be an integer'],
      [4, 'filter.start_date.eq must be an integer (Unix seconds) or an array of at most 1000 of them'],
      [4, 'filter.color is not a filterable field (id, name, description, category, start_date, end_date)'],
    );
    await expectError(await call('get', { filter: 'all' }), 400, [4, 'filter must be an object keyed by field']);
  });

  it('runs the filter in SQL, not over every label', async () => {
    const ran: string[] = [];
    const db = t.store.db;
    const original = db.all.bind(db);
    db.all = (<T>(sql: string, ...params: unknown[]) => (ran.push(sql), original<T>(sql, ...params))) as typeof db.all;
    try {
      expect(names(await list({ name: { eq: 'Sale' }, category: {} }))).toEqual(['Sale']);
    } finally {
      db.all = original;
    }
    expect(ran.some((q) => q.includes('l.name = ?') && q.includes("coalesce(p.name_key, '') IS NOT NULL"))).toBe(true);
  });
});

describe('edit', () => {
  let id: number;
  beforeEach(async () => {
    [{ id }] = (await create([{ name: 'Sale', category: 'Sales', description: 'd', start_date: T0, end_date: T0 + 3600 }])) as [Wire];
  });
  const edit = (label: Record<string, unknown>, o: CallOptions = {}) => call('edit', { label: { id, ...label } }, o);

  it('replaces only the fields it names', async () => {
    const res = await edit({ name: 'Big sale', description: '' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status_code: 200,
      data: { status: 'edited', label: { id, name: 'Big sale', description: '', category: 'Sales', start_date: T0, end_date: T0 + 3600 } },
    });
    expect((await edit({})).json().data.label.name).toBe('Big sale');
  });

  it('start_date without end_date makes a point event; both set a span', async () => {
    expect((await edit({ start_date: T0 + 5 })).json().data.label).toMatchObject({ start_date: T0 + 5, end_date: T0 + 5 });
    expect((await edit({ start_date: T0, end_date: T0 + 10 })).json().data.label).toMatchObject({ start_date: T0, end_date: T0 + 10 });
  });

  it('moves to another category (created if missing) or to the top level', async () => {
    expect((await edit({ category: 'Promotions' })).json().data.label.category).toBe('Promotions');
    expect(await categories()).toEqual(['Promotions']);
    expect((await edit({ category: '' })).json().data.label.category).toBe('');
    expect(await categories()).toEqual([]);
  });

  it('code 4: end_date without start_date, end before start, bad fields', async () => {
    await expectError(await edit({ end_date: T0 + 10 }), 400, [4, 'label.end_date cannot be given without start_date']);
    await expectError(await edit({ start_date: T0, end_date: T0 - 1 }), 400, [4, 'label.end_date must not be before start_date']);
    await expectError(await call('edit', { label: { name: 'x' } }), 400, [4, 'label.id is required']);
    await expectError(await edit({ name: '   ', tags: [] }), 400, [4, 'label.name must not be empty'], [4, 'unknown field label.tags']);
    await expectError(await call('edit'), 400, [4, 'label is required']);
    expect((await list())[0]).toMatchObject({ name: 'Sale', start_date: T0, end_date: T0 + 3600 });
  });

  it("code 5: an unknown id, another app's label, or a category is not a label of this app", async () => {
    await expectError(await call('edit', { label: { id: 999999, name: 'x' } }), 404, [5, 'label 999999 not found']);
    const [other] = await create([{ name: 'B', start_date: T0 }], { key: b.keys.owner, app: b.uuid });
    await expectError(await call('edit', { label: { id: other!.id, name: 'x' } }), 404, [5, `label ${other!.id} not found`]);
    const categoryId = id - 1;
    await expectError(await call('edit', { label: { id: categoryId, name: 'x' } }), 404, [5, `label ${categoryId} not found`]);
  });
});

describe('delete', () => {
  it('deletes labels and answers their ids', async () => {
    const [x, y, z] = await create([
      { name: 'X', category: 'C', start_date: T0 },
      { name: 'Y', category: 'C', start_date: T0 },
      { name: 'Z', start_date: T0 },
    ]);
    const res = await call('delete', { ids: [x!.id, z!.id, x!.id] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'deleted', ids: [x!.id, z!.id] } });
    expect(names(await list())).toEqual(['Y']);
    expect(y).toBeDefined();
  });

  it('code 4: no ids', async () => {
    await expectError(await call('delete'), 400, [4, 'ids is required']);
    await expectError(await call('delete', { ids: [] }), 400, [4, 'ids must contain at least one id']);
    await expectError(await call('delete', { ids: ['1', 0] }), 400, [4, 'ids.0 must be an integer'], [4, 'ids.1 must be greater than 0']);
  });

  it('code 5: an id that is not a label of this app names it, and nothing is deleted', async () => {
    const [x] = await create([{ name: 'X', category: 'C', start_date: T0 }]);
    const [other] = await create([{ name: 'B', start_date: T0 }], { key: b.keys.owner, app: b.uuid });
    await expectError(await call('delete', { ids: [x!.id, 424242] }), 404, [5, 'label 424242 not found']);
    await expectError(await call('delete', { ids: [x!.id, other!.id] }), 404, [5, `label ${other!.id} not found`]);
    await expectError(await call('delete', { ids: [x!.id - 1] }), 404, [5, `label ${x!.id - 1} not found`]);
    expect(names(await list())).toEqual(['X']);
    expect(await list(undefined, { key: b.keys.owner, app: b.uuid })).toHaveLength(1);
  });
});

describe('categories', () => {
  it('lists top-level labels that have children, sorted by name', async () => {
    await create([
      { name: 'x', category: 'Sales', start_date: T0 },
      { name: 'y', category: 'Releases', start_date: T0 },
      { name: 'z', start_date: T0 },
    ]);
    const owner = await t.core.auth.actorForKey(a.keys.owner, { uuid: a.uuid }, 't');
    await t.core.labels.create(owner, { name: 'Empty top-level label' });
    const res = await call('categories/get');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'complete', categories: ['Releases', 'Sales'] } });
    expect(await categories({ key: b.keys.viewer, app: b.uuid })).toEqual([]);
  });

  it('deletes a category with its labels', async () => {
    await create([
      { name: 'x', category: 'Sales', start_date: T0 },
      { name: 'y', category: 'Releases', start_date: T0 },
    ]);
    const res = await call('categories/delete', { category: 'Sales' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'deleted', category: 'Sales' } });
    expect(names(await list())).toEqual(['y']);
    expect(await categories()).toEqual(['Releases']);
    expect((await peek(t.store, `SELECT count(*) AS n FROM labels WHERE name = 'Sales'`))).toEqual({ n: 0 });
  });

  it('moves the labels to an existing category, then deletes the category', async () => {
    const [x] = await create([
      { name: 'x', category: 'Sales', start_date: T0 },
      { name: 'y', category: 'Promotions', start_date: T0 + 1 },
    ]);
    const res = await call('categories/delete', { category: 'Sales', move_labels_to_category: 'Promotions' });
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'deleted', category: 'Sales' } });
    expect((await list()).map((l) => [l.id, l.category])).toEqual([
      [x!.id, 'Promotions'],
      [x!.id + 2, 'Promotions'],
    ]);
    expect(await categories()).toEqual(['Promotions']);
  });

  it('renames a category when the target does not exist (the category label keeps its id)', async () => {
    const [x] = await create([{ name: 'x', category: 'Releses', start_date: T0 }]);
    const res = await call('categories/delete', { category: 'Releses', move_labels_to_category: 'Releases' });
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'deleted', category: 'Releses' } });
    expect(await categories()).toEqual(['Releases']);
    const renamed = (await peek(t.store, `SELECT id FROM labels WHERE name = 'Releases'`)) as { id: number };
    expect(renamed.id).toBe(x!.id - 1);
    const events = await t.core.admin.listEvents(a.workspaceId, 0, 100);
    expect(events.at(-1)).toMatchObject({ action: 'category.renamed', dialect: 'devtodev', labelId: renamed.id, before: { name: 'Releses' }, after: { name: 'Releases' } });
    // Only the case changes: still a rename in place.
    await call('categories/delete', { category: 'Releases', move_labels_to_category: 'RELEASES' });
    expect(await categories()).toEqual(['RELEASES']);
  });

  it('an empty target moves the labels to the top level', async () => {
    await create([{ name: 'x', category: 'Sales', start_date: T0 }]);
    await call('categories/delete', { category: 'Sales', move_labels_to_category: '' });
    expect((await list()).map((l) => l.category)).toEqual(['']);
    expect(await categories()).toEqual([]);
  });

  it('code 6: unknown category, a category of another app, or a childless label', async () => {
    await create([{ name: 'x', category: 'Sales', start_date: T0 }]);
    await create([{ name: 'y', category: 'Other', start_date: T0 }], { key: b.keys.owner, app: b.uuid });
    const owner = await t.core.auth.actorForKey(a.keys.owner, { uuid: a.uuid }, 't');
    await t.core.labels.create(owner, { name: 'Lonely' });
    await expectError(await call('categories/delete', { category: 'Nope' }), 404, [6, 'category "Nope" not found']);
    await expectError(await call('categories/delete', { category: 'Other' }), 404, [6, 'category "Other" not found']);
    await expectError(await call('categories/delete', { category: 'Lonely' }), 404, [6, 'category "Lonely" not found']);
    expect(await categories()).toEqual(['Sales']);
  });

  it('code 4: missing or empty category, a target equal to the category', async () => {
    await create([{ name: 'x', category: 'Sales', start_date: T0 }]);
    await expectError(await call('categories/delete'), 400, [4, 'category is required']);
    await expectError(await call('categories/delete', { category: ' ', move_labels_to_category: 5 }), 400, [4, 'category must not be empty'], [4, 'move_labels_to_category must be a string']);
    await expectError(await call('categories/delete', { category: 'Sales', move_labels_to_category: 'Sales' }), 400, [4, 'move_labels_to_category must differ from category']);
    expect(await categories()).toEqual(['Sales']);
  });

  it('code 4: moving untimed children onto a taken name changes nothing', async () => {
    const owner = await t.core.auth.actorForKey(a.keys.owner, { uuid: a.uuid }, 't');
    await create([
      { name: 'x', category: 'Sales', start_date: T0 },
      { name: 'y', category: 'Promotions', start_date: T0 },
    ]);
    const sales = (await peek(t.store, `SELECT id FROM labels WHERE name = 'Sales'`)) as { id: number };
    const promos = (await peek(t.store, `SELECT id FROM labels WHERE name = 'Promotions'`)) as { id: number };
    await t.core.labels.create(owner, { name: 'Folder', parentId: sales.id });
    await t.core.labels.create(owner, { name: 'FOLDER', parentId: promos.id });
    await expectError(await call('categories/delete', { category: 'Sales', move_labels_to_category: 'Promotions' }), 400, [
      4,
      'cannot move label "Folder": a label with this name already exists there',
    ]);
    expect((await list()).map((l) => l.category)).toEqual(['Sales', 'Promotions']);
  });
});

describe('category names differing only in case (decision: the existing category, its stored spelling shown)', () => {
  const raw = (op: string, body: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/labels/${op}`, headers: { 'content-type': 'application/json' }, payload: body });
  const creds = () => `"user_token":"${a.keys.owner}","app_id":"${a.uuid}"`;
  const categoryRows = async () => (await peekAll(t.store, `SELECT id, name FROM labels WHERE parent_id IS NULL AND starts_at IS NULL ORDER BY id`));

  it('create and edit file a label under the existing category whatever the case; the answer shows "Alpha"', async () => {
    const [x] = await create([{ name: 'x', category: 'Alpha', start_date: T0 }]);
    const before = (await categoryRows());
    // The exact bytes a devtodev client posts.
    const res = await raw('create', `{${creds()},"labels":[{"name":"y","category":"alpha","start_date":${T0}},{"name":"z","category":"ALPHA","start_date":${T0 + 1}}]}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().data.labels.map((l: Wire) => l.category)).toEqual(['Alpha', 'Alpha']);
    const [b1] = await create([{ name: 'b', category: 'Beta', start_date: T0 }]);
    const edited = await raw('edit', `{${creds()},"label":{"id":${b1!.id},"category":"aLpHa"}}`);
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().data.label).toMatchObject({ id: b1!.id, category: 'Alpha' });
    expect((await categoryRows())).toEqual([...before, expect.objectContaining({ name: 'Beta' })]);
    expect((await list()).map((l) => [l.name, l.category])).toEqual([
      ['x', 'Alpha'],
      ['y', 'Alpha'],
      ['b', 'Alpha'],
      ['z', 'Alpha'],
    ]);
    expect(await categories()).toEqual(['Alpha']);
    expect(x!.category).toBe('Alpha');
  });

  it('the filter on category matches ignoring case (eq, neq, lists)', async () => {
    await create([
      { name: 'x', category: 'Alpha', start_date: T0 },
      { name: 'y', category: 'Straße', start_date: T0 + 1 },
      { name: 'z', start_date: T0 + 2 },
    ]);
    const get = async (filter: string) => {
      const res = await raw('get', `{${creds()},"filter":${filter}}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data.labels.map((l: Wire) => [l.name, l.category]);
    };
    expect(await get('{"category":{"eq":"alpha"}}')).toEqual([['x', 'Alpha']]);
    expect(await get('{"category":{"eq":"STRASSE"}}')).toEqual([['y', 'Straße']]);
    expect(await get('{"category":{"eq":["ALPHA","nope"]}}')).toEqual([['x', 'Alpha']]);
    expect(await get('{"category":{"neq":"aLPHA"}}')).toEqual([['y', 'Straße'], ['z', '']]);
    expect(await get('{"category":{"neq":["alpha","straße"]}}')).toEqual([['z', '']]);
  });

  it('categories/delete of "alpha" deletes "Alpha" and answers its stored name', async () => {
    await create([{ name: 'x', category: 'Alpha', start_date: T0 }]);
    const res = await raw('categories/delete', `{${creds()},"category":"alpha"}`);
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'deleted', category: 'Alpha' } });
    expect(await list()).toEqual([]);
    expect(await categories()).toEqual([]);
  });

  it('move_labels_to_category resolves the target ignoring case: labels move into the existing "Alpha"', async () => {
    await create([
      { name: 'x', category: 'Alpha', start_date: T0 },
      { name: 'y', category: 'Sales', start_date: T0 + 1 },
    ]);
    const alpha = (await peek(t.store, `SELECT id FROM labels WHERE name = 'Alpha'`)) as { id: number };
    const res = await raw('categories/delete', `{${creds()},"category":"SALES","move_labels_to_category":"alpha"}`);
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'deleted', category: 'Sales' } });
    expect((await list()).map((l) => [l.name, l.category])).toEqual([
      ['x', 'Alpha'],
      ['y', 'Alpha'],
    ]);
    expect((await categoryRows())).toEqual([{ id: alpha.id, name: 'Alpha' }]);
  });

  it('a target that is the category itself in another case renames it; its stored spelling exactly is code 4', async () => {
    await create([{ name: 'x', category: 'Alpha', start_date: T0 }]);
    await expectError(await call('categories/delete', { category: 'ALPHA', move_labels_to_category: 'Alpha' }), 400, [4, 'move_labels_to_category must differ from category']);
    const res = await call('categories/delete', { category: 'ALPHA', move_labels_to_category: 'alpha' });
    expect(res.json()).toEqual({ status_code: 200, data: { status: 'deleted', category: 'Alpha' } });
    expect(await categories()).toEqual(['alpha']);
  });
});

describe('credentials and transport', () => {
  it('code 1: missing, malformed, unknown or revoked user_token', async () => {
    await expectError(await call('get', { user_token: undefined }), 401, [1, 'user_token is required']);
    await expectError(await call('get', { user_token: '' }), 401, [1, 'user_token is required']);
    await expectError(await call('get', { user_token: 42 }), 401, [1, 'user_token is invalid']);
    await expectError(await call('get', { user_token: 'f'.repeat(32) }), 401, [1, 'user_token is invalid']);
    const { info, key } = await t.core.admin.createApiKey({ userId: a.userIds.owner, workspaceId: a.workspaceId });
    expect((await call('get', {}, { key })).statusCode).toBe(200);
    await t.core.admin.revokeApiKey(info.id);
    await expectError(await call('get', {}, { key }), 401, [1, 'user_token is invalid']);
  });

  it('code 2: missing, malformed, unknown or foreign app_id; a user-wide key reaches every app of its user', async () => {
    await expectError(await call('get', { app_id: undefined }), 403, [2, 'app_id is required']);
    await expectError(await call('get', { app_id: 7 }), 403, [2, 'app_id must be an app uuid']);
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expectError(await call('get', {}, { app: unknown }), 403, [2, `app_id ${unknown} is unknown or not accessible with this token`]);
    await expectError(await call('get', {}, { app: b.uuid }), 403, [2, `app_id ${b.uuid} is unknown or not accessible with this token`]);
    await t.core.admin.setMember(b.workspaceId, a.userIds.owner, 'admin');
    await expectError(await call('get', {}, { app: b.uuid }), 403, [2, `app_id ${b.uuid} is unknown or not accessible with this token`]);
    const { key } = await t.core.admin.createApiKey({ userId: a.userIds.owner });
    await create([{ name: 'in A', start_date: T0 }], { key });
    await create([{ name: 'in B', start_date: T0 }], { key, app: b.uuid.toUpperCase() });
    expect(names(await list(undefined, { key: b.keys.owner, app: b.uuid }))).toEqual(['in B']);
    const c = await createTenant(t.core, 'Game C');
    await expectError(await call('get', {}, { key, app: c.uuid }), 403, [2, `app_id ${c.uuid} is unknown or not accessible with this token`]);
  });

  it('code 3: malformed JSON, a body that is not an object, another content type', async () => {
    const bad: [CallOptions, string][] = [
      [{ raw: '{"user_token": ' }, 'Body is not valid JSON'],
      [{ raw: '[1,2]' }, 'body must be a JSON object'],
      [{ raw: 'null' }, 'body must be a JSON object'],
      [{ raw: '"text"' }, 'body must be a JSON object'],
      [{ raw: '' }, 'Body must not be empty when Content-Type is application/json'],
      [{ raw: 'user_token=x', contentType: 'application/x-www-form-urlencoded' }, 'Content-Type must be application/json'],
      [{ raw: '{}', contentType: 'text/plain' }, 'Content-Type must be application/json'],
    ];
    for (const [o, msg] of bad) await expectError(await call('create', {}, o), 400, [3, msg]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/labels/get' });
    await expectError(res, 400, [3, 'body must be a JSON object']);
    expect((await labelCount()).n).toBe(0);
  });

  it('code 3: a body over the size limit', async () => {
    const big = await buildTestApp({ LABELMUX_BODY_LIMIT: '2048' });
    try {
      const res = await big.app.inject({ method: 'POST', url: '/api/v1/labels/get', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'y'.repeat(5000) }) });
      await expectError(res, 400, [3, 'request body is too large']);
    } finally {
      await big.close();
    }
  });

  it('code 10: members and viewers read but may not change labels or categories', async () => {
    const [x] = await create([{ name: 'x', category: 'Sales', start_date: T0 }]);
    for (const role of ['member', 'viewer'] as const) {
      const key = a.keys[role];
      expect(await list(undefined, { key })).toHaveLength(1);
      expect(await categories({ key })).toEqual(['Sales']);
      await expectError(await call('create', { labels: [{ name: 'y', start_date: T0 }] }, { key }), 403, [10, `the token's role may not change labels (role ${role} may not create labels)`]);
      await expectError(await call('edit', { label: { id: x!.id, name: 'y' } }, { key }), 403, [10, `the token's role may not change labels (role ${role} may not update labels)`]);
      await expectError(await call('delete', { ids: [x!.id] }, { key }), 403, [10, `the token's role may not change labels (role ${role} may not delete labels)`]);
      await expectError(await call('categories/delete', { category: 'Sales' }, { key }), 403, [10, `the token's role may not change labels (role ${role} may not delete labels)`]);
    }
    expect(await create([{ name: 'by admin', start_date: T0 }], { key: a.keys.admin })).toHaveLength(1);
    expect(names(await list())).toEqual(['x', 'by admin']);
  });

  it('credentials come before field validation', async () => {
    await expectError(await call('create', { user_token: 'nope', labels: 'x' }), 401, [1, 'user_token is invalid']);
    await expectError(await call('create', { app_id: undefined, labels: 'x' }), 403, [2, 'app_id is required']);
  });

  it('unknown routes: POST answers in devtodev shape, other methods get the JSON:API 404 document', async () => {
    await expectError(await call('categories/rename'), 404, [4, 'unknown operation /categories/rename']);
    await expectError(await call('get/', {}, { raw: 'not json' }), 404, [4, 'unknown operation /get/']);
    for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) {
      const res = await call('x/y', {}, { method, contentType: 'application/vnd.api+json' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toBe('application/vnd.api+json');
      expect(res.json()).toEqual({ jsonapi: { version: '1.0' }, errors: [{ status: '404', title: 'Not Found' }] });
    }
  });
});

describe('OpenAPI', () => {
  it('publishes the six operations and the error code table', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi/devtodev.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(Object.keys(doc.paths).sort()).toEqual(
      ['/labels/categories/delete', '/labels/categories/get', '/labels/create', '/labels/delete', '/labels/edit', '/labels/get'],
    );
    expect(doc.servers).toEqual([{ url: '/api/v1' }]);
    for (const row of ['| 1 | 401 |', '| 2 | 403 |', '| 3 | 400 |', '| 4 | 400 |', '| 5 | 404 |', '| 6 | 404 |', '| 7 | 400 |', '| 8 | 429 |', '| 9 | 429 |', '| 10 | 403 |']) {
      expect(doc.info.description).toContain(row);
    }
  });
});

describe('the shared core', () => {
  it('a devtodev label shows up as <category>/<name> in the Jotform tree, and moves when its category is renamed', async () => {
    const [x] = await create([{ name: 'Version 2.3 released', category: 'Releases', start_date: T0 }]);
    const tree = async () => {
      const res = await t.app.inject({ method: 'GET', url: '/API/user/labels', headers: { apikey: a.keys.owner } });
      expect(res.statusCode).toBe(200);
      return res.json().content as { sublabels: { id: string; name: string; sublabels: { id: string; name: string }[] }[] };
    };
    let root = await tree();
    expect(root.sublabels).toHaveLength(1);
    expect(root.sublabels[0]).toMatchObject({ name: 'Releases', sublabels: [{ id: String(x!.id), name: 'Version 2.3 released', sublabels: [] }] });
    await create([{ name: 'Sale', category: 'Promotions', start_date: T0 }]);
    await call('categories/delete', { category: 'Releases', move_labels_to_category: 'Launches' });
    root = await tree();
    expect(root.sublabels.map((l) => [l.name, l.sublabels.map((s) => s.name)])).toEqual([
      ['Launches', ['Version 2.3 released']],
      ['Promotions', ['Sale']],
    ]);
    await call('categories/delete', { category: 'Launches', move_labels_to_category: 'Promotions' });
    root = await tree();
    expect(root.sublabels.map((l) => [l.name, l.sublabels.map((s) => s.name)])).toEqual([['Promotions', ['Sale', 'Version 2.3 released']]]);
  });

  it('a label made elsewhere under a category is listed by categories/get; deleting the category deletes it too', async () => {
    const owner = await t.core.auth.actorForKey(a.keys.owner, { uuid: a.uuid }, 't');
    const folder = await t.core.labels.create(owner, { name: 'Folder' });
    await t.core.labels.create(owner, { name: 'Inside', parentId: folder.id });
    expect(await categories()).toEqual(['Folder']);
    expect(await list()).toEqual([]);
    await call('categories/delete', { category: 'Folder' });
    expect((await t.core.labels.list(owner)).map((l) => l.name)).toEqual([]);
  });

  it('every change writes one audit event with the devtodev dialect and the key', async () => {
    const [x] = await create([{ name: 'x', category: 'Sales', start_date: T0 }]);
    await call('edit', { label: { id: x!.id, name: 'y' } });
    await call('edit', { label: { id: x!.id, category: 'Promotions' } });
    await call('delete', { ids: [x!.id] });
    const events = await t.core.admin.listEvents(a.workspaceId, 0, 100);
    expect(events.map((e) => [e.action, e.dialect])).toEqual([
      ['label.created', 'devtodev'],
      ['label.created', 'devtodev'],
      ['label.updated', 'devtodev'],
      ['label.created', 'devtodev'],
      ['label.moved', 'devtodev'],
      ['label.deleted', 'devtodev'],
    ]);
    expect(events[1]).toMatchObject({ labelId: x!.id, before: null, after: { name: 'x', starts_at: T0 * 1000, ends_at: T0 * 1000 } });
    expect(events.every((e) => e.apiKeyId !== null && e.actorUserId === a.userIds.owner)).toBe(true);
  });
});
