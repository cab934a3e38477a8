// The Livestorm Nexus dialect against its documented behaviour (docs/dialects.md, docs/dialects/livestorm.md): every endpoint, every error row, bad input.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, createTenant, FIXED_NOW, type Tenant, type TestApp } from './helper.js';
import { peek } from './test-store.js';

let t: TestApp;
let a: Tenant;
let b: Tenant;

beforeEach(async () => {
  t = await buildTestApp();
  a = await createTenant(t.core, 'Acme');
  b = await createTenant(t.core, 'Beta');
});
afterEach(() => t.close());

const SECONDS = Math.floor(FIXED_NOW / 1000);

function call(method: string, url: string, opts: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== null) headers.authorization = `Bearer lnx_${opts.key ?? a.keys.owner}`;
  if (opts.body !== undefined) headers['content-type'] ??= 'application/json';
  return t.app.inject({
    method: method as 'GET',
    url,
    headers,
    ...(opts.body !== undefined && { payload: JSON.stringify(opts.body) }),
    ...(opts.raw !== undefined && { payload: opts.raw }),
  });
}

const labelsUrl = (ws = a.workspaceId) => `/api/workspaces/${ws}/labels`;
const create = async (name: string, color?: string, key?: string) => {
  const res = await call('POST', labelsUrl(), { body: color ? { name, color } : { name }, ...(key && { key }) });
  return res;
};
const createId = async (name: string) => (await create(name)).json().label.id as number;
const eventCount = async (ws = a.workspaceId) => (await t.core.admin.listEvents(ws, 0, 1000)).length;

describe('labels', () => {
  it('creates a label: 201 with exactly the documented fields', async () => {
    const res = await create('Marketing', '#22c55e');
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toBe(`{"label":{"id":${res.json().label.id},"name":"Marketing","color":"#22c55e","created_at":${SECONDS}}}`);
  });

  it('defaults the color to #6366f1, stores colors lowercase and expands #rgb', async () => {
    expect((await create('Internal')).json().label.color).toBe('#6366f1');
    expect((await create('Loud', '#F59E0B')).json().label.color).toBe('#f59e0b');
    expect((await create('Short', '#AbC')).json().label.color).toBe('#aabbcc');
  });

  it('lists every label of the workspace, flat, ordered by creation then id, with the creator name', async () => {
    const first = await createId('Marketing');
    t.clock.now += 1000;
    const second = await createId('Internal');
    const parent = await t.core.labels.create(await actor(), { name: 'Parent' });
    await t.core.labels.create(await actor(), { name: 'Nested', parentId: parent.id });
    const res = await call('GET', labelsUrl());
    expect(res.statusCode).toBe(200);
    const { labels } = res.json();
    expect(labels.map((l: { id: number }) => l.id).slice(0, 2)).toEqual([first, second]);
    expect(labels.map((l: { name: string }) => l.name)).toEqual(['Marketing', 'Internal', 'Parent', 'Nested']);
    expect(labels[0]).toEqual({ id: first, name: 'Marketing', color: '#6366f1', created_by_name: `owner ${a.workspaceId}`, created_at: SECONDS });
    expect(labels[1].created_at).toBe(SECONDS + 1);
  });

  it('answers the literal seed example shapes', async () => {
    const res = await create('Marketing', '#22c55e');
    const { label } = res.json();
    expect(Object.keys(label)).toEqual(['id', 'name', 'color', 'created_at']);
    const list = (await call('GET', labelsUrl())).json();
    expect(Object.keys(list.labels[0])).toEqual(['id', 'name', 'color', 'created_by_name', 'created_at']);
  });

  it('every role may list labels', async () => {
    await createId('Marketing');
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
      const res = await call('GET', labelsUrl(), { key: a.keys[role] });
      expect(res.statusCode).toBe(200);
      expect(res.json().labels).toHaveLength(1);
    }
  });

  it('created_by_name is null once the creator is deleted', async () => {
    await create('Marketing', undefined, a.keys.admin);
    await t.core.admin.deleteUser(a.userIds.admin);
    expect((await call('GET', labelsUrl())).json().labels[0].created_by_name).toBeNull();
  });

  it('updates only what is sent', async () => {
    const id = await createId('Marketing');
    t.clock.now += 5000;
    let res = await call('PATCH', `${labelsUrl()}/${id}`, { body: { name: 'Brand' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ label: { id, name: 'Brand', color: '#6366f1', created_at: SECONDS } });
    res = await call('PATCH', `${labelsUrl()}/${id}`, { body: { color: '#F59E0B' } });
    expect(res.json()).toEqual({ label: { id, name: 'Brand', color: '#f59e0b', created_at: SECONDS } });
    res = await call('PATCH', `${labelsUrl()}/${id}`, { body: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json().label.name).toBe('Brand');
  });

  it('renaming to the same name in another case is allowed', async () => {
    const id = await createId('Marketing');
    const res = await call('PATCH', `${labelsUrl()}/${id}`, { body: { name: 'MARKETING' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().label.name).toBe('MARKETING');
  });

  it('deletes a label: {"ok":true}, then 404', async () => {
    const id = await createId('Marketing');
    const res = await call('DELETE', `${labelsUrl()}/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"ok":true}');
    expect((await call('DELETE', `${labelsUrl()}/${id}`)).json()).toEqual({ error: 'Label not found' });
    expect((await call('GET', labelsUrl())).json()).toEqual({ labels: [] });
  });

  it('deleting cascades to the subtree and to every assignment', async () => {
    const id = await createId('Parent');
    const child = await t.core.labels.create(await actor(), { name: 'Child', parentId: id });
    await items('1', '2');
    await call('POST', itemLabels('1'), { body: { label_ids: [id, child.id] } });
    await call('POST', itemLabels('2'), { body: { label_id: child.id } });
    expect((await call('DELETE', `${labelsUrl()}/${id}`)).statusCode).toBe(200);
    expect((await call('GET', `/api/workspaces/${a.workspaceId}/library/1`)).json().item.labels).toEqual([]);
    expect((await call('GET', `/api/workspaces/${a.workspaceId}/library/2`)).json().item.labels).toEqual([]);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM assignments'))).toEqual({ n: 0 });
    expect((await call('GET', labelsUrl())).json().labels).toEqual([]);
  });
});

describe('label errors', () => {
  it('400 Name is required: missing, empty, blank, null, no body', async () => {
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: null }, { color: '#22c55e' }]) {
      const res = await call('POST', labelsUrl(), { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toEqual({ error: 'Name is required' });
    }
    const res = await call('POST', labelsUrl());
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Name is required' });
  });

  it('400 for other bad input, with a message naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 42 }, 'name must be a string'],
      [{ name: 'x'.repeat(10_000) }, 'name must be at most 255 characters'],
      [{ name: 'bad\u0000name' }, 'name must not contain control characters'],
      [{ name: 'Ok', color: 'red' }, 'color must be a hex color like #22c55e'],
      [{ name: 'Ok', color: 12 }, 'color must be a hex color like #22c55e'],
      [{ name: 'Ok', color: null }, 'color must be a hex color like #22c55e'],
      [[{ name: 'Ok' }], 'body must be a JSON object'],
      ['Ok', 'body must be a JSON object'],
    ];
    for (const [body, error] of cases) {
      const res = await call('POST', labelsUrl(), { body });
      expect(res.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.json()).toEqual({ error });
    }
    const id = await createId('Marketing');
    const patchCases: [unknown, string][] = [
      [{ name: '' }, 'Name is required'],
      [{ name: null }, 'Name is required'],
      [{ name: 42 }, 'name must be a string'],
      [{ name: 'x'.repeat(10_000) }, 'name must be at most 255 characters'],
      [{ color: 'red' }, 'color must be a hex color like #22c55e'],
      [{ color: null }, 'color must be a hex color like #22c55e'],
      [[], 'body must be a JSON object'],
    ];
    for (const [body, error] of patchCases) {
      const res = await call('PATCH', `${labelsUrl()}/${id}`, { body });
      expect(res.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.json()).toEqual({ error });
    }
  });

  it('400 for malformed JSON, 415 for another content type, 413 for a huge body', async () => {
    let res = await call('POST', labelsUrl(), { raw: '{"name": "x"', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'Body is not valid JSON' });
    res = await call('POST', labelsUrl(), { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error).toMatch(/Content-Type/);
    res = await call('POST', labelsUrl(), { raw: 'x', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(415);
    res = await call('POST', labelsUrl(), { raw: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: 'Request body is too large' });
  });

  it('409 when the name exists, compared case-insensitively, on create and rename, across the workspace', async () => {
    await createId('Marketing');
    for (const name of ['Marketing', 'marketing', ' MARKETING ']) {
      const res = await create(name);
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ error: 'A label with this name already exists' });
    }
    const other = await createId('Sales');
    const res = await call('PATCH', `${labelsUrl()}/${other}`, { body: { name: 'MARKETING' } });
    expect(res.statusCode).toBe(409);
    // Livestorm names are unique in the whole workspace, so a nested label's name is taken too.
    const parent = await t.core.labels.create(await actor(), { name: 'Parent' });
    await t.core.labels.create(await actor(), { name: 'Nested', parentId: parent.id });
    expect((await create('nested')).statusCode).toBe(409);
    // Another workspace may use the same name.
    expect((await call('POST', labelsUrl(b.workspaceId), { key: b.keys.owner, body: { name: 'Marketing' } })).statusCode).toBe(201);
  });

  it('two concurrent creates of the same name: exactly one wins', async () => {
    const results = await Promise.all(['Launch', 'launch', 'LAUNCH', 'Launch'].map((n) => create(n)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    expect((await call('GET', labelsUrl())).json().labels).toHaveLength(1);
  });

  it('403 for members and viewers on create, update, delete, with the vendor texts; admins may', async () => {
    const id = await createId('Marketing');
    for (const role of ['member', 'viewer'] as const) {
      const key = a.keys[role];
      expect((await call('POST', labelsUrl(), { key, body: { name: 'X' } })).json()).toEqual({ error: 'Only owners and admins can create labels' });
      expect((await call('PATCH', `${labelsUrl()}/${id}`, { key, body: { name: 'X' } })).json()).toEqual({ error: 'Only owners and admins can update labels' });
      const del = await call('DELETE', `${labelsUrl()}/${id}`, { key });
      expect(del.statusCode).toBe(403);
      expect(del.json()).toEqual({ error: 'Only owners and admins can delete labels' });
    }
    const admin = a.keys.admin;
    expect((await call('POST', labelsUrl(), { key: admin, body: { name: 'Y' } })).statusCode).toBe(201);
    expect((await call('PATCH', `${labelsUrl()}/${id}`, { key: admin, body: { name: 'Z' } })).statusCode).toBe(200);
    expect((await call('DELETE', `${labelsUrl()}/${id}`, { key: admin })).statusCode).toBe(200);
  });

  it('404 Label not found for unknown, foreign, non-numeric, negative and huge ids', async () => {
    const foreign = (await call('POST', labelsUrl(b.workspaceId), { key: b.keys.owner, body: { name: 'Theirs' } })).json().label.id;
    for (const id of ['999999', String(foreign), 'abc', '-1', '0', '1.5', '99999999999999999999', '1e3', '%20']) {
      for (const [method, body] of [['PATCH', { name: 'X' }], ['DELETE', undefined]] as const) {
        const res = await call(method, `${labelsUrl()}/${id}`, { body });
        expect(res.statusCode, `${method} ${id}`).toBe(404);
        expect(res.json()).toEqual({ error: 'Label not found' });
      }
    }
    expect((await call('GET', labelsUrl(b.workspaceId), { key: b.keys.owner })).json().labels[0].name).toBe('Theirs');
  });

  it('401 Unauthorized for a missing, malformed, unknown or revoked key — whatever the path', async () => {
    const paths = [labelsUrl(), `${labelsUrl()}/1`, `/api/workspaces/${b.workspaceId}/labels`, '/api/workspaces/abc/labels', '/api/workspaces/1/nothing', `/api/workspaces/${a.workspaceId}/library`];
    for (const path of paths) {
      for (const auth of [undefined, 'Bearer', 'Bearer lnx_', 'Bearer lnx_nothex', `Bearer lnx_${'0'.repeat(32)}`, `Basic ${a.keys.owner}`]) {
        const res = await t.app.inject({ method: 'GET', url: path, headers: auth ? { authorization: auth } : {} });
        expect(res.statusCode, `${path} ${auth}`).toBe(401);
        expect(res.json()).toEqual({ error: 'Unauthorized' });
      }
    }
    const { info, key } = await t.core.admin.createApiKey({ userId: a.userIds.owner, workspaceId: a.workspaceId });
    expect((await call('GET', labelsUrl(), { key })).statusCode).toBe(200);
    await t.core.admin.revokeApiKey(info.id);
    expect((await call('GET', labelsUrl(), { key })).statusCode).toBe(401);
  });

  it('accepts the bare key as well as the lnx_ form', async () => {
    const res = await t.app.inject({ method: 'GET', url: labelsUrl(), headers: { authorization: `Bearer ${a.keys.owner}` } });
    expect(res.statusCode).toBe(200);
  });

  it('404 Workspace not found for another workspace, an unknown one or a non-id, on every route', async () => {
    const routes = [
      ['GET', 'labels'], ['POST', 'labels'], ['PATCH', 'labels/1'], ['DELETE', 'labels/1'], ['GET', 'library'],
      ['GET', 'library/1'], ['POST', 'library/1/labels'], ['DELETE', 'library/1/labels/1'],
    ] as const;
    for (const ws of [String(b.workspaceId), '999', 'abc', '-2', '0']) {
      for (const [method, path] of routes) {
        const res = await call(method, `/api/workspaces/${ws}/${path}`, { body: method === 'POST' || method === 'PATCH' ? { name: 'X', label_id: 1 } : undefined });
        expect(res.statusCode, `${method} ${ws}/${path}`).toBe(404);
        expect(res.json()).toEqual({ error: 'Workspace not found' });
      }
    }
  });

  it('unknown routes under the mount answer 404 in the Livestorm shape', async () => {
    const res = await call('GET', '/api/workspaces/1/rooms');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Not found' });
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('rejected requests change nothing and write no event', async () => {
    const id = await createId('Marketing');
    const before = { labels: (await call('GET', labelsUrl())).json(), events: await eventCount() };
    await create('marketing');
    await create('');
    await call('POST', labelsUrl(), { body: { name: 'New', color: 'nope' } });
    await call('PATCH', `${labelsUrl()}/${id}`, { body: { name: 'Renamed', color: 'nope' } });
    await call('PATCH', `${labelsUrl()}/${id}`, { body: { name: 'Renamed', color: null } });
    await call('PATCH', `${labelsUrl()}/${id}`, { key: a.keys.viewer, body: { name: 'Renamed' } });
    await call('DELETE', `${labelsUrl()}/${id}`, { key: a.keys.member });
    await call('POST', itemLabels('nope'), { body: { label_id: id } });
    expect({ labels: (await call('GET', labelsUrl())).json(), events: await eventCount() }).toEqual(before);
  });
});

// ---- library -------------------------------------------------------------------------------------------

const itemLabels = (item: string, ws = a.workspaceId) => `/api/workspaces/${ws}/library/${item}/labels`;

async function items(...ids: string[]) {
  await t.core.admin.upsertResources(
    a.workspaceId,
    ids.map((id, i) => ({ type: 'library_item', externalId: id, name: `Item ${id}`, attributes: { description: `About ${id}`, mime_type: 'video/mp4', size: (i + 1) * 100, duration: 60 } })),
  );
}

async function actor() {
  return t.core.auth.actorForKey(a.keys.owner, { id: a.workspaceId }, 'livestorm');
}

describe('library', () => {
  it('gets one item with the documented fields and its labels', async () => {
    await items('42');
    const id = await createId('Marketing');
    await call('POST', itemLabels('42'), { body: { label_id: id } });
    const res = await call('GET', `/api/workspaces/${a.workspaceId}/library/42`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      item: {
        id: 42, workspace_id: a.workspaceId, name: 'Item 42', description: 'About 42', mime_type: 'video/mp4', size: 100, duration: 60,
        labels: [{ id, name: 'Marketing', color: '#6366f1' }], created_at: SECONDS, updated_at: SECONDS,
      },
    });
  });

  it('fields a resource lacks are null; non-numeric item ids stay strings', async () => {
    await t.core.admin.upsertResources(a.workspaceId, [{ type: 'library_item', externalId: 'rec-7' }]);
    const { item } = (await call('GET', `/api/workspaces/${a.workspaceId}/library/rec-7`)).json();
    expect(item).toMatchObject({ id: 'rec-7', name: null, description: null, mime_type: null, size: null, duration: null, labels: [] });
  });

  it('404 Item not found for unknown items, items of another workspace and other resource types', async () => {
    await t.core.admin.upsertResources(b.workspaceId, [{ type: 'library_item', externalId: '5' }]);
    await t.core.admin.upsertResources(a.workspaceId, [{ type: 'form', externalId: '6' }]);
    const id = await createId('Marketing');
    for (const item of ['5', '6', 'x'.repeat(300), '999']) {
      for (const [method, url, body] of [
        ['GET', `/api/workspaces/${a.workspaceId}/library/${item}`, undefined],
        ['POST', itemLabels(item), { label_id: id }],
        ['DELETE', `${itemLabels(item)}/${id}`, undefined],
      ] as const) {
        const res = await call(method, url, { body });
        expect(res.statusCode, `${method} ${item}`).toBe(404);
        expect(res.json()).toEqual({ error: 'Item not found' });
      }
    }
  });

  it('lists items with total, newest first by default, with limit and offset', async () => {
    for (const id of ['1', '2', '3']) {
      await items(id);
      t.clock.now += 1000;
    }
    let res = await call('GET', `/api/workspaces/${a.workspaceId}/library`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(3);
    expect(res.json().items.map((i: { id: number }) => i.id)).toEqual([3, 2, 1]);
    res = await call('GET', `/api/workspaces/${a.workspaceId}/library?limit=2&offset=1&order=asc`);
    expect(res.json().items.map((i: { id: number }) => i.id)).toEqual([2, 3]);
    expect(res.json().total).toBe(3);
  });

  it('filters by label and search, sorts by name and size', async () => {
    await t.core.admin.upsertResources(a.workspaceId, [
      { type: 'library_item', externalId: '1', name: 'Zebra 100%', attributes: { size: 5 } },
      { type: 'library_item', externalId: '2', name: 'apple', attributes: { size: 50 } },
      { type: 'library_item', externalId: '3', name: 'Mango_1', attributes: { size: 1 } },
    ]);
    const id = await createId('Fruit');
    await call('POST', itemLabels('2'), { body: { label_id: id } });
    await call('POST', itemLabels('3'), { body: { label_id: id } });
    const q = async (qs: string) => (await call('GET', `/api/workspaces/${a.workspaceId}/library?${qs}`)).json();
    expect((await q(`label=${id}&sort=name&order=asc`)).items.map((i: { id: number }) => i.id)).toEqual([2, 3]);
    expect((await q(`label=${id}`)).total).toBe(2);
    expect((await q('sort=name&order=asc')).items.map((i: { name: string }) => i.name)).toEqual(['apple', 'Mango_1', 'Zebra 100%']);
    expect((await q('sort=size&order=desc')).items.map((i: { id: number }) => i.id)).toEqual([2, 1, 3]);
    expect((await q('search=ZEB')).items.map((i: { id: number }) => i.id)).toEqual([1]);
    // LIKE metacharacters are literal.
    expect((await q('search=%25')).items.map((i: { id: number }) => i.id)).toEqual([1]);
    expect((await q('search=_')).items.map((i: { id: number }) => i.id)).toEqual([3]);
    expect((await q("search=' OR 1=1 --")).total).toBe(0);
  });

  // PostgreSQL's JSON operators refuse a document holding \u0000: the size order must still answer.
  it('sorts by size when an item\'s attributes hold \\u0000, in the size member or another', async () => {
    await t.core.admin.upsertResources(a.workspaceId, [
      { type: 'library_item', externalId: '1', name: 'One', attributes: { size: 5, description: 'a\u0000b' } },
      { type: 'library_item', externalId: '2', name: 'Two', attributes: { size: 50 } },
      { type: 'library_item', externalId: '3', name: 'Three', attributes: { size: 'x\u0000' } },
      { type: 'library_item', externalId: '4', name: 'Four', attributes: { note: '\\u0000' } },
    ]);
    const res = await call('GET', `/api/workspaces/${a.workspaceId}/library?sort=size&order=asc`);
    expect(res.statusCode).toBe(200);
    // No size first, then numbers, then text (the order on both databases).
    expect(res.json().items.map((i: { id: number }) => i.id)).toEqual([4, 1, 2, 3]);
  });

  it('400 for bad query parameters, 404 for an unknown or foreign label filter', async () => {
    const url = `/api/workspaces/${a.workspaceId}/library`;
    const bad: [string, string][] = [
      ['limit=0', 'limit must be between 1 and 100'],
      ['limit=101', 'limit must be between 1 and 100'],
      ['limit=abc', 'limit must be a number'],
      ['offset=-1', 'offset must be 0 or more'],
      ['sort=size2', 'sort must be one of "date", "name", "size"'],
      ['order=up', 'order must be one of "asc", "desc"'],
      ['label=abc', 'label must be a label id'],
    ];
    for (const [qs, error] of bad) {
      const res = await call('GET', `${url}?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json()).toEqual({ error });
    }
    const foreign = (await call('POST', labelsUrl(b.workspaceId), { key: b.keys.owner, body: { name: 'Theirs' } })).json().label.id;
    for (const label of ['999999', String(foreign)]) {
      const res = await call('GET', `${url}?label=${label}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Label not found' });
    }
  });

  it('assigns with label_id or label_ids; returns the item labels; assigning twice is fine', async () => {
    await items('42');
    const m = await createId('Marketing');
    const i = await createId('Internal');
    let res = await call('POST', itemLabels('42'), { body: { label_id: m } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ labels: [{ id: m, name: 'Marketing', color: '#6366f1' }] });
    res = await call('POST', itemLabels('42'), { body: { label_ids: [m, i, m] } });
    expect(res.json().labels.map((l: { id: number }) => l.id)).toEqual([m, i]);
    res = await call('POST', itemLabels('42'), { body: { label_id: m } });
    expect(res.json().labels).toHaveLength(2);
  });

  it('members may assign and remove; viewers may not', async () => {
    await items('42');
    const m = await createId('Marketing');
    expect((await call('POST', itemLabels('42'), { key: a.keys.member, body: { label_id: m } })).statusCode).toBe(200);
    expect((await call('DELETE', `${itemLabels('42')}/${m}`, { key: a.keys.member })).statusCode).toBe(200);
    const res = await call('POST', itemLabels('42'), { key: a.keys.viewer, body: { label_id: m } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ error: 'Only owners, admins and members can assign labels' });
    expect((await call('DELETE', `${itemLabels('42')}/${m}`, { key: a.keys.viewer })).statusCode).toBe(403);
  });

  it('bad assignment bodies: 400 naming the field; unknown or foreign labels 404, nothing assigned', async () => {
    await items('42');
    const m = await createId('Marketing');
    const bad: [unknown, string][] = [
      [{}, 'give exactly one of label_id or label_ids'],
      [{ label_id: m, label_ids: [m] }, 'give exactly one of label_id or label_ids'],
      [{ label_id: String(m) }, 'label_id must be a number'],
      [{ label_id: -1 }, 'label_id must be greater than 0'],
      [{ label_id: 1.5 }, 'label_id must be an integer'],
      [{ label_ids: [] }, 'label_ids must be at least 1'],
      [{ label_ids: 'x' }, 'label_ids must be an array'],
      [{ label_ids: Array.from({ length: 101 }, (_, k) => k + 1) }, 'label_ids must be at most 100'],
    ];
    for (const [body, error] of bad) {
      const res = await call('POST', itemLabels('42'), { body });
      expect(res.statusCode, JSON.stringify(body).slice(0, 50)).toBe(400);
      expect(res.json()).toEqual({ error });
    }
    const foreign = (await call('POST', labelsUrl(b.workspaceId), { key: b.keys.owner, body: { name: 'Theirs' } })).json().label.id;
    for (const body of [{ label_id: 999999 }, { label_id: foreign }, { label_ids: [m, foreign] }]) {
      const res = await call('POST', itemLabels('42'), { body });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Label not found' });
    }
    expect((await call('GET', `/api/workspaces/${a.workspaceId}/library/42`)).json().item.labels).toEqual([]);
  });

  it('removes an assignment: ok also when it was not assigned; unknown label 404', async () => {
    await items('42');
    const m = await createId('Marketing');
    await call('POST', itemLabels('42'), { body: { label_id: m } });
    for (let k = 0; k < 2; k++) {
      const res = await call('DELETE', `${itemLabels('42')}/${m}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ ok: true });
    }
    for (const id of ['999999', 'abc', '-4']) {
      const res = await call('DELETE', `${itemLabels('42')}/${id}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Label not found' });
    }
  });
});

describe('events', () => {
  it('each change writes exactly one event, naming the dialect, actor and key', async () => {
    await items('42');
    const id = await createId('Marketing');
    await call('PATCH', `${labelsUrl()}/${id}`, { body: { name: 'Brand' } });
    await call('PATCH', `${labelsUrl()}/${id}`, { body: {} }); // no change, no event
    await call('POST', itemLabels('42'), { body: { label_id: id } });
    await call('POST', itemLabels('42'), { body: { label_id: id } }); // already assigned, no event
    await call('DELETE', `${itemLabels('42')}/${id}`);
    await call('DELETE', `${labelsUrl()}/${id}`);
    const events = await t.core.admin.listEvents(a.workspaceId, 0, 100);
    expect(events.map((e) => e.action)).toEqual(['label.created', 'label.updated', 'label.assigned', 'label.unassigned', 'label.deleted']);
    for (const e of events) {
      expect(e).toMatchObject({ dialect: 'livestorm', actorUserId: a.userIds.owner, labelId: id, at: FIXED_NOW });
      expect(e.apiKeyId).toBeTypeOf('number');
    }
    expect(events[1]!.before).toMatchObject({ name: 'Marketing' });
    expect(events[1]!.after).toMatchObject({ name: 'Brand' });
    expect(events[0]!.before).toBeNull();
    expect(events[4]!.after).toBeNull();
  });
});

describe('text with U+0000', () => {
  // PostgreSQL text cannot hold the NUL character: there a value carrying one is refused as the client's
  // mistake (400 in Livestorm's shape, nothing written); SQLite stores and searches it. Never a 500.
  it('in a search or a description is answered without a 500, and a refusal writes nothing', async () => {
    const search = await call('GET', `/api/workspaces/${a.workspaceId}/library?search=a%00b`);
    expect([200, 400]).toContain(search.statusCode);
    if (search.statusCode === 400) expect(search.json()).toEqual({ error: expect.stringMatching(/NUL/) });
    const before = await eventCount();
    const created = await call('POST', labelsUrl(), { body: { name: 'Nul', description: 'a\u0000b' } });
    expect([201, 400]).toContain(created.statusCode);
    if (created.statusCode === 400) {
      expect(created.json()).toEqual({ error: expect.stringMatching(/NUL/) });
      expect(await eventCount()).toBe(before);
    }
  });
});
