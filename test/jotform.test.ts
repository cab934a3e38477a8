// The Jotform dialect against its documented behaviour (docs/dialects.md, docs/dialects/jotform.md), driven through the official `jotform` npm client
// over real HTTP, and through raw requests for the header-key form and the error bodies.
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';
import { peek } from './test-store.js';

// The official client (CommonJS); its generic get/post/put/delete return the envelope.
interface JotformClient {
  get(url: string, config?: object): Promise<Envelope>;
  post(url: string, body?: unknown, config?: object): Promise<Envelope>;
  postForm(url: string, body?: unknown, config?: object): Promise<Envelope>;
  put(url: string, body?: unknown, config?: object): Promise<Envelope>;
  delete(url: string, config?: object): Promise<Envelope>;
}
interface Envelope {
  responseCode: number;
  message: string;
  content: any;
  duration: string;
  'limit-left': number;
  resultSet?: { offset: number; limit: number; count: number };
}
const require = createRequire(import.meta.url);
const Client = (require('jotform/dist/client.js') as { default: new (key: string, opt: { baseURL: string }) => JotformClient }).default;

let t: TestApp;
let a: Tenant;
let b: Tenant;
let base: string;
let client: JotformClient;

const setup = async (env: Record<string, string> = {}) => {
  t = await buildTestApp(env);
  a = await createTenant(t.core, 'Acme');
  b = await createTenant(t.core, 'Beta');
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  client = new Client(a.keys.owner, { baseURL: `${base}/API` });
};

const raw = (method: string, url: string, opts: { key?: string | null; body?: unknown; form?: string; headers?: Record<string, string> } = {}) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(opts.key !== null && { apikey: opts.key ?? a.keys.owner }),
      ...(opts.body !== undefined && { 'content-type': 'application/json' }),
      ...(opts.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
      ...opts.headers,
    },
    ...(opts.body !== undefined && { payload: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }),
    ...(opts.form !== undefined && { payload: opts.form }),
  });

const rootIdOf = (tenant: Tenant) => tenant.uuid.replaceAll('-', '');
const eventCount = async () => (await t.core.admin.listEvents(a.workspaceId, 0, 10_000)).length;

describe('through the official jotform client', () => {
  beforeEach(() => setup());
  afterEach(() => t.close());

  it('creates (JSON and form), reads, updates, lists the tree, and deletes', async () => {
    const created = await client.post('label', { name: 'Marketing', color: '#22C55E' });
    expect(created).toMatchObject({ responseCode: 200, message: 'success' });
    const id = created.content.id as string;
    expect(created.content).toEqual({
      id, name: 'Marketing', color: '#22c55e', parent: rootIdOf(a), owner: expect.stringMatching(/^owner\./),
      created_at: '2026-11-22 10:01:02', updated_at: '2026-11-22 10:01:02',
    });
    const sub = await client.postForm('label', new URLSearchParams({ name: 'Social', parentID: id }).toString());
    expect(sub.content).toMatchObject({ name: 'Social', parent: id, color: '#6366f1' }); // the default color, as Livestorm shows it
    expect((await client.get(`label/${id}`)).content.name).toBe('Marketing');
    const updated = await client.put(`label/${id}`, { name: 'Brand', color: '#abc' });
    expect(updated.content).toMatchObject({ id, name: 'Brand', color: '#aabbcc' });
    const tree = (await client.get('user/labels')).content;
    expect(tree).toMatchObject({ id: rootIdOf(a), name: 'Acme', parent: null });
    expect(tree.sublabels).toHaveLength(1);
    expect(tree.sublabels[0]).toMatchObject({ id, name: 'Brand', sublabels: [{ name: 'Social', parent: id, sublabels: [] }] });
    expect((await client.delete(`label/${id}`)).content).toBe(true);
    expect((await client.get('user/labels')).content.sublabels).toEqual([]);
  });

  it('adds, lists and removes resources', async () => {
    const id = (await client.post('label', { name: 'Forms' })).content.id;
    const added = await client.put(`label/${id}/add-resources`, { resources: [{ id: '232143945675058', type: 'form' }, { id: '5', type: 'sheet' }] });
    expect(added.content).toEqual([{ id: '232143945675058', type: 'form' }, { id: '5', type: 'sheet' }]);
    const again = await client.put(`label/${id}/add-resources`, { resources: [{ id: '232143945675058', type: 'form' }] });
    expect(again.content).toEqual([{ id: '232143945675058', type: 'form' }]);
    const list = await client.get(`label/${id}/resources`, { params: { orderby: 'id', direction: 'DESC' } });
    expect(list.content.map((r: { id: string }) => r.id)).toEqual(['5', '232143945675058']);
    expect(list.resultSet).toEqual({ offset: 0, limit: 20, count: 2 });
    const removed = await client.put(`label/${id}/remove-resources`, { resources: [{ id: '5', type: 'sheet' }, { id: '404', type: 'form' }] });
    expect(removed.content).toEqual([{ id: '5', type: 'sheet' }]);
    expect((await client.get(`label/${id}/resources`)).content).toHaveLength(1);
  });

  it('the client sees API errors as rejections carrying the vendor body', async () => {
    const e = await client.get('label/999999').catch((err: { response: { status: number; data: Envelope } }) => err);
    expect((e as { response: { status: number } }).response.status).toBe(401);
    expect((e as { response: { data: Envelope } }).response.data.message).toBe("You're not authorized to use (/label-id) ");
  });

  it('serves /API/v1 as well as /API', async () => {
    const v1 = new Client(a.keys.owner, { baseURL: `${base}/API/v1` });
    const id = (await v1.post('label', { name: 'Versioned' })).content.id;
    expect((await client.get(`label/${id}`)).content.name).toBe('Versioned');
    expect((await v1.get('user/labels')).content.sublabels[0].id).toBe(id);
  });
});

describe('wire format and errors', () => {
  beforeEach(() => setup());
  afterEach(() => t.close());

  it('envelope: members in order, responseCode = HTTP status, duration in ms, limit-left counting down', async () => {
    const first = await raw('GET', '/API/user/labels');
    expect(first.statusCode).toBe(200);
    expect(Object.keys(first.json())).toEqual(['responseCode', 'message', 'content', 'duration', 'limit-left']);
    expect(first.json().duration).toMatch(/^\d+\.\d{2}ms$/);
    const second = await raw('GET', '/API/user/labels');
    expect(second.json()['limit-left']).toBe(first.json()['limit-left'] - 1);
    expect(first.json()['limit-left']).toBe(99_999);
  });

  it('key in the APIKEY header or the apiKey query parameter; the header wins', async () => {
    expect((await raw('GET', `/API/user/labels?apiKey=${a.keys.owner}`, { key: null })).statusCode).toBe(200);
    expect((await raw('GET', `/API/user/labels?apiKey=${'0'.repeat(32)}`)).statusCode).toBe(200);
    expect((await raw('GET', `/API/user/labels?apiKey=${a.keys.owner}`, { key: '0'.repeat(32) })).statusCode).toBe(401);
  });

  it('the same 401 for a bad key, a missing label, another workspace label and a non-id', async () => {
    const theirs = (await raw('POST', '/API/label', { key: b.keys.owner, body: { name: 'Theirs' } })).json().content.id;
    const bodies = [];
    for (const [url, key] of [
      ['/API/label/1', 'nope'],
      ['/API/label/1', null],
      ['/API/label/999999', undefined],
      [`/API/label/${theirs}`, undefined],
      ['/API/label/abc', undefined],
      ['/API/label/-3', undefined],
      ['/API/label/99999999999999999999', undefined],
      [`/API/label/${rootIdOf(b)}`, undefined],
    ] as const) {
      const res = await raw('GET', url, { key });
      expect(res.statusCode, url).toBe(401);
      const { duration, 'limit-left': _left, ...rest } = res.json();
      expect(duration).toMatch(/ms$/);
      bodies.push(rest);
    }
    for (const body of bodies) {
      expect(body).toEqual({ responseCode: 401, message: "You're not authorized to use (/label-id) ", content: '', info: expect.stringMatching(/\/docs#label-id$/) });
    }
    const res = await raw('GET', '/API/user/labels', { key: 'bad' });
    expect(res.json().message).toBe("You're not authorized to use (/user-labels) ");
    expect((await raw('PUT', '/API/label/999/add-resources', { body: { resources: [{ id: '1', type: 'form' }] } })).json().message).toBe(
      "You're not authorized to use (/label-id-add-resources) ",
    );
  });

  it('403 for a role that may not, 404 for unknown routes', async () => {
    let res = await raw('POST', '/API/label', { key: a.keys.viewer, body: { name: 'X' } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ responseCode: 403, message: 'Forbidden to use /label ', content: '' });
    const id = (await raw('POST', '/API/label', { body: { name: 'Mine' } })).json().content.id;
    res = await raw('DELETE', `/API/label/${id}`, { key: a.keys.member });
    expect(res.json().message).toBe('Forbidden to use /label-id ');
    res = await raw('PUT', `/API/label/${id}/add-resources`, { key: a.keys.viewer, body: { resources: [{ id: '1', type: 'form' }] } });
    expect(res.statusCode).toBe(403);
    res = await raw('PUT', `/API/label/${id}/add-resources`, { key: a.keys.member, body: { resources: [{ id: '1', type: 'form' }] } });
    expect(res.statusCode).toBe(200);
    res = await raw('GET', '/API/forms/123');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ responseCode: 404, message: 'Requested URL (/forms/123) is not available!', content: '' });
  });

  it('the virtual root label', async () => {
    const root = rootIdOf(a);
    const res = await raw('GET', `/API/label/${root}`);
    expect(res.json().content).toMatchObject({ id: root, name: 'Acme', parent: null });
    const top = (await raw('POST', '/API/label', { body: { name: 'Top', parent: root } })).json().content;
    expect(top.parent).toBe(root);
    const child = (await raw('POST', '/API/label', { body: { name: 'Child', parent_id: Number(top.id) } })).json().content;
    expect(child.parent).toBe(top.id);
    expect((await raw('PUT', `/API/label/${child.id}`, { body: { parentId: root } })).json().content.parent).toBe(root);
    for (const [method, body] of [['PUT', { name: 'Renamed' }], ['DELETE', undefined]] as const) {
      const r = await raw(method, `/API/label/${root}`, { body });
      expect(r.statusCode).toBe(400);
      expect(r.json().message).toMatch(/^The root label cannot be/);
    }
    expect((await raw('PUT', `/API/label/${root}/add-resources`, { body: { resources: [{ id: '1', type: 'form' }] } })).statusCode).toBe(400);
  });

  it('the tree nests every label under its parent, siblings ordered by name', async () => {
    for (const name of ['b', 'C', 'a']) await raw('POST', '/API/label', { body: { name } });
    const c = (await raw('GET', '/API/user/labels')).json().content.sublabels.find((l: { name: string }) => l.name === 'C');
    for (const name of ['z', 'Y']) await raw('POST', '/API/label', { body: { name, parent: c.id } });
    const tree = (await raw('GET', '/API/user/labels')).json().content;
    expect(tree.sublabels.map((l: { name: string }) => l.name)).toEqual(['a', 'b', 'C']);
    expect(tree.sublabels[2].sublabels.map((l: { name: string }) => l.name)).toEqual(['Y', 'z']);
  });

  it('accepts multipart bodies', async () => {
    const boundary = '----labelmux';
    const payload = [`--${boundary}`, 'Content-Disposition: form-data; name="name"', '', 'From multipart', `--${boundary}`, 'Content-Disposition: form-data; name="color"', '', '#123456', `--${boundary}--`, ''].join('\r\n');
    const ok = await t.app.inject({ method: 'POST', url: '/API/label', headers: { apikey: a.keys.owner, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().content).toMatchObject({ name: 'From multipart', color: '#123456' });
    const broken = await t.app.inject({ method: 'POST', url: '/API/label', headers: { apikey: a.keys.owner, 'content-type': 'multipart/form-data' }, payload: 'x' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ responseCode: 400, message: 'Malformed multipart/form-data body', content: '' });
  });

  it('bad input answers 400 naming the field and writes nothing', async () => {
    const id = (await raw('POST', '/API/label', { body: { name: 'Parent' } })).json().content.id;
    const child = (await raw('POST', '/API/label', { body: { name: 'Child', parent: id } })).json().content.id;
    const theirs = (await raw('POST', '/API/label', { key: b.keys.owner, body: { name: 'Theirs' } })).json().content.id;
    const events = await eventCount();
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/API/label', {}, /^name is required$/],
      ['POST', '/API/label', { name: '' }, /^name is required$/],
      ['POST', '/API/label', { name: 'x'.repeat(10_000) }, /^name must be at most 255 characters$/],
      ['POST', '/API/label', { name: 7 }, /^name must be a string$/],
      ['POST', '/API/label', { name: 'X', color: 'blue' }, /^color must be a hex color/],
      ['POST', '/API/label', { name: 'X', parent: '999999' }, /^parent 999999 is not one of your labels$/],
      ['POST', '/API/label', { name: 'X', parent: theirs }, /^parent \d+ is not one of your labels$/],
      ['POST', '/API/label', { name: 'X', parent: 'abc' }, /^parent must be a label id$/],
      ['POST', '/API/label', { name: 'X', parentId: -1 }, /^parentId must be a label id$/],
      ['POST', '/API/label', { name: 'X', parent_id: '', parentID: 'x' }, /^parentID must be a label id$/],
      ['POST', '/API/label', { name: 'X', color: null }, /^color must be a hex color/],
      ['POST', '/API/label', { name: 'parent' }, /^name: a label named "parent" already exists/],
      ['PUT', `/API/label/${id}`, { parent: child }, /^parent: .*cycle$/],
      ['PUT', `/API/label/${id}`, { parent: id }, /own parent/],
      ['PUT', `/API/label/${id}/add-resources`, {}, /^resources is required$/],
      ['PUT', `/API/label/${id}/add-resources`, { resources: 'x' }, /^resources must be an array/],
      ['PUT', `/API/label/${id}/add-resources`, { resources: [] }, /^resources must not be empty$/],
      ['PUT', `/API/label/${id}/add-resources`, { resources: [{ id: '1' }] }, /^resource type must be a string$/],
      ['PUT', `/API/label/${id}/add-resources`, { resources: [{ id: '1', type: 'Form!' }] }, /^resource type must match/],
      ['PUT', `/API/label/${id}/add-resources`, { resources: [{ id: {}, type: 'form' }] }, /^resource id must be a string$/],
      ['PUT', `/API/label/${id}/add-resources`, { resources: Array.from({ length: 5000 }, (_, k) => ({ id: String(k), type: 'form' })) }, /at most 1000 items$/],
      ['PUT', `/API/label/${id}/add-resources`, '{"resources": [', /^Body is not valid JSON$/],
    ];
    for (const [method, url, body, message] of cases) {
      const res = await raw(method, url, { body });
      expect(res.statusCode, `${method} ${url} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(res.json()).toMatchObject({ responseCode: 400, content: '' });
      expect(res.json().message).toMatch(message);
    }
    expect(await eventCount()).toBe(events);
    expect((await raw('GET', `/API/label/${id}/resources`)).json().content).toEqual([]);
  });

  it('a rejected add-resources call adds none of its resources', async () => {
    const id = (await raw('POST', '/API/label', { body: { name: 'L' } })).json().content.id;
    const res = await raw('PUT', `/API/label/${id}/add-resources`, { body: { resources: [{ id: '1', type: 'form' }, { id: '', type: 'form' }] } });
    expect(res.statusCode).toBe(400);
    expect((await raw('GET', `/API/label/${id}/resources`)).json().content).toEqual([]);
  });

  it('deleting cascades to sublabels and assignments', async () => {
    const id = (await raw('POST', '/API/label', { body: { name: 'P' } })).json().content.id;
    const child = (await raw('POST', '/API/label', { body: { name: 'C', parent: id } })).json().content.id;
    await raw('PUT', `/API/label/${child}/add-resources`, { body: { resources: [{ id: '9', type: 'form' }] } });
    expect((await raw('DELETE', `/API/label/${id}`)).json().content).toBe(true);
    expect((await raw('GET', `/API/label/${child}`)).statusCode).toBe(401);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM assignments'))).toEqual({ n: 0 });
  });

  it('lists resources with offset, limit, orderby, direction, type and status, attributes included', async () => {
    const id = (await raw('POST', '/API/label', { body: { name: 'L' } })).json().content.id;
    await t.core.admin.upsertResources(a.workspaceId, [
      { type: 'form', externalId: '3', name: 'Gamma', status: 'ENABLED', attributes: { url: 'https://form/3' } },
      { type: 'form', externalId: '1', name: 'alpha', status: 'DISABLED' },
      { type: 'sheet', externalId: '2', name: 'Beta', status: 'ENABLED' },
    ]);
    await raw('PUT', `/API/label/${id}/add-resources`, { body: { resources: [{ id: '3', type: 'form' }, { id: '1', type: 'form' }, { id: '2', type: 'sheet' }] } });
    const q = async (qs: string) => (await raw('GET', `/API/label/${id}/resources?${qs}`)).json();
    expect((await q('orderby=title')).content.map((r: { title: string }) => r.title)).toEqual(['alpha', 'Beta', 'Gamma']);
    expect((await q('orderby=id&direction=desc')).content.map((r: { id: string }) => r.id)).toEqual(['3', '2', '1']);
    expect((await q('type=form&orderby=id')).content.map((r: { id: string }) => r.id)).toEqual(['1', '3']);
    expect((await q('status=ENABLED&orderby=id')).content.map((r: { id: string }) => r.id)).toEqual(['2', '3']);
    const page = await q('orderby=id&offset=1&limit=1');
    expect(page.content.map((r: { id: string }) => r.id)).toEqual(['2']);
    expect(page.resultSet).toEqual({ offset: 1, limit: 1, count: 1 });
    expect((await q('type=form&orderby=id')).content[1]).toEqual({
      url: 'https://form/3', id: '3', type: 'form', title: 'Gamma', status: 'ENABLED', created_at: '2026-11-22 10:01:02', updated_at: '2026-11-22 10:01:02',
    });
    for (const [qs, message] of [
      ['limit=0', 'limit must be between 1 and 1000'],
      ['limit=1001', 'limit must be between 1 and 1000'],
      ['offset=-1', 'offset must be 0 or more'],
      ['orderby=size', 'orderby must be one of created_at, id, type, title, optionally followed by ,ASC or ,DESC'],
      ['direction=UP', 'direction must be ASC or DESC'],
    ]) {
      const res = await raw('GET', `/API/label/${id}/resources?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json().message).toBe(message);
    }
  });

  it('labels are shared with the Livestorm dialect: same ids both ways', async () => {
    const jot = (await raw('POST', '/API/label', { body: { name: 'From Jotform' } })).json().content;
    const live = await t.app.inject({ method: 'GET', url: `/api/workspaces/${a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${a.keys.owner}` } });
    expect(live.json().labels).toContainEqual(expect.objectContaining({ id: Number(jot.id), name: 'From Jotform' }));
    const created = await t.app.inject({
      method: 'POST', url: `/api/workspaces/${a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${a.keys.owner}` }, payload: { name: 'From Livestorm' },
    });
    const tree = (await raw('GET', '/API/user/labels')).json().content;
    expect(tree.sublabels).toContainEqual(expect.objectContaining({ id: String(created.json().label.id), name: 'From Livestorm', parent: rootIdOf(a) }));
  });
});

describe('daily quota', () => {
  beforeAll(() => setup({ LABELMUX_JOTFORM_DAILY_LIMIT: '3' }));
  afterAll(() => t.close());

  it('counts calls per key and answers 429 past the quota, until the UTC day rolls over', async () => {
    const lefts = [];
    for (let k = 0; k < 3; k++) lefts.push((await raw('GET', '/API/user/labels')).json()['limit-left']);
    expect(lefts).toEqual([2, 1, 0]);
    const res = await raw('GET', '/API/user/labels');
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ responseCode: 429, message: "You've exceeded your daily API call limit.", content: '', 'limit-left': 0 });
    expect((await raw('GET', '/API/user/labels', { key: a.keys.admin })).statusCode).toBe(200);
    t.clock.now += 24 * 3600 * 1000;
    expect((await raw('GET', '/API/user/labels')).json()['limit-left']).toBe(2);
  });
});

describe('daily quota far from the limit', () => {
  beforeAll(() => setup());

  it('is counted in memory between writes and written to the store when the server closes', async () => {
    const lefts = [];
    for (let k = 0; k < 5; k++) lefts.push((await raw('GET', '/API/user/labels')).json()['limit-left']);
    expect(lefts).toEqual([99_999, 99_998, 99_997, 99_996, 99_995]);
    await t.app.close();
    const row = (await peek(t.store, `SELECT count FROM counters WHERE scope = 'jotform-calls'`)) as { count: number };
    await t.store.close();
    expect(row.count).toBe(5);
  });
});
