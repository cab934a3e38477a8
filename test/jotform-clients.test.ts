// The Jotform dialect against what real JavaScript clients send: @wojtekmaj/jotform (fetch; POST bodies as
// multipart form data built by object-to-formdata, which turns null into an empty field; PUT bodies as JSON;
// the key and `orderby=<field>,<DIRECTION>` in the query) and the old official Node client (`request`,
// `?apiKey=<key>&orderby=<field>,<DIRECTION>` unencoded). Plus the daily call count each caller is told,
// and the one default color every dialect shows.
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQuota } from '../src/core/quota.js';
import { devtodevLimits } from '../src/dialects/devtodev/limits.js';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';
import { peekAll } from './test-store.js';

const require = createRequire(import.meta.url);

let t: TestApp;
let a: Tenant;
let base: string;

const setup = async (env: Record<string, string> = {}) => {
  t = await buildTestApp(env);
  a = await createTenant(t.core, 'Acme');
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
};
const rootId = () => a.uuid.replaceAll('-', '');
const eventCount = async () => (await t.core.admin.listEvents(a.workspaceId, 0, 10_000)).length;

/** What @wojtekmaj/jotform's getRequestUrl builds: other parameters, then orderby(+direction), then apiKey. */
function wojtekmajUrl(endPoint: string, params: Record<string, string | number | undefined> = {}, version = 'latest') {
  const { orderby, direction, ...other } = params;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(other)) if (v !== undefined) search.append(k, String(v));
  if (orderby) search.append('orderby', direction ? `${orderby},${direction}` : String(orderby));
  search.append('apiKey', a.keys.owner);
  return `${base}/API${version === 'latest' ? '' : `/v${version}`}${endPoint}?${search.toString()}`;
}
/** object-to-formdata's serialize for a flat object: undefined left out, null an empty field. */
function formData(body: Record<string, unknown>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(body)) if (v !== undefined) fd.append(k, v === null ? '' : String(v));
  return fd;
}
/** @wojtekmaj/jotform's sendRequest: `accept: application/json`; POST multipart, PUT JSON. */
async function wojtekmaj(method: 'get' | 'post' | 'put' | 'delete', url: string, body?: Record<string, unknown>) {
  const headers: Record<string, string> = { accept: 'application/json' };
  const init: RequestInit = { method, headers };
  if (body && method === 'post') init.body = formData(body);
  if (body && method === 'put') {
    init.body = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as { responseCode: number; message: string; content: any; 'limit-left': number } };
}

const inject = (method: string, url: string, opts: { json?: unknown; form?: string; key?: string } = {}) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: {
      apikey: opts.key ?? a.keys.owner,
      ...(opts.json !== undefined && { 'content-type': 'application/json' }),
      ...(opts.form !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }),
    },
    ...(opts.json !== undefined && { payload: JSON.stringify(opts.json) }),
    ...(opts.form !== undefined && { payload: opts.form }),
  });
const create = async (body: Record<string, unknown>) => (await inject('POST', '/API/label', { json: body })).json().content;

describe('sorting label resources as the JavaScript clients send it', () => {
  let id: string;
  beforeEach(async () => {
    await setup();
    id = (await create({ name: 'L' })).id;
    await t.core.admin.upsertResources(a.workspaceId, [
      { type: 'form', externalId: '3', name: 'Gamma' },
      { type: 'form', externalId: '1', name: 'alpha' },
      { type: 'sheet', externalId: '2', name: 'Beta' },
    ]);
    await inject('PUT', `/API/label/${id}/add-resources`, { json: { resources: [{ id: '3', type: 'form' }, { id: '1', type: 'form' }, { id: '2', type: 'sheet' }] } });
  });
  afterEach(() => t.close());
  const ids = (content: { id: string }[]) => content.map((r) => r.id);

  it('@wojtekmaj/jotform: orderby=<field>%2C<DIRECTION> with the key in the query, under /API and /API/v1', async () => {
    const url = wojtekmajUrl(`/label/${id}/resources`, { offset: 0, limit: 20, orderby: 'id', direction: 'DESC' });
    expect(url).toContain('orderby=id%2CDESC&apiKey=');
    const res = await wojtekmaj('get', url);
    expect(res.status).toBe(200);
    expect(ids(res.body.content)).toEqual(['3', '2', '1']);
    expect(ids((await wojtekmaj('get', wojtekmajUrl(`/label/${id}/resources`, { orderby: 'title', direction: 'ASC' }, '1'))).body.content)).toEqual(['1', '2', '3']);
    expect(ids((await wojtekmaj('get', wojtekmajUrl(`/label/${id}/resources`, { orderby: 'id' }))).body.content)).toEqual(['1', '2', '3']);
  });

  it('the old official Node client: ?apiKey=<key>&orderby=<field>,<DIRECTION> unencoded', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/API/v1/label/${id}/resources?apiKey=${a.keys.owner}&offset=0&limit=2&orderby=title,DESC` });
    expect(res.statusCode).toBe(200);
    expect(res.json().content.map((r: { title: string }) => r.title)).toEqual(['Gamma', 'Beta']);
  });

  it('any letter case and spaces; a direction inside orderby wins over `direction`, which alone still works', async () => {
    const q = async (qs: string) => ids((await inject('GET', `/API/label/${id}/resources?${qs}`)).json().content);
    expect(await q('orderby=ID,desc')).toEqual(['3', '2', '1']);
    expect(await q('orderby=Title,%20Asc')).toEqual(['1', '2', '3']);
    expect(await q('orderby=id,DESC&direction=ASC')).toEqual(['3', '2', '1']);
    expect(await q('orderby=id,ASC&direction=DESC')).toEqual(['1', '2', '3']);
    expect(await q('orderby=id&direction=desc')).toEqual(['3', '2', '1']);
    expect(await q('direction=DESC')).toHaveLength(3); // created_at, then id
  });

  it('a bad field or direction is 400 naming the parameter, whichever way it is sent', async () => {
    for (const [qs, message] of [
      ['orderby=id,UP', 'orderby direction must be ASC or DESC'],
      ['orderby=size,DESC', 'orderby must be one of created_at, id, type, title, optionally followed by ,ASC or ,DESC'],
      ['orderby=id,DESC,ASC', 'orderby must be one of created_at, id, type, title, optionally followed by ,ASC or ,DESC'],
      ['orderby=', 'orderby must be one of created_at, id, type, title, optionally followed by ,ASC or ,DESC'],
      ['orderby=id,DESC&direction=UP', 'direction must be ASC or DESC'],
    ]) {
      const res = await inject('GET', `/API/label/${id}/resources?${qs}`);
      expect(res.statusCode, qs).toBe(400);
      expect(res.json()).toMatchObject({ responseCode: 400, message, content: '' });
    }
  });
});

describe('an empty parent is the top level', () => {
  beforeEach(() => setup());
  afterEach(() => t.close());

  it('@wojtekmaj/jotform createLabel({ name, parent: null }): a multipart body with an empty parent field', async () => {
    const res = await wojtekmaj('post', wojtekmajUrl('/label'), { name: 'Top', color: undefined, parent: null });
    expect(res.status).toBe(200);
    expect(res.body.content).toMatchObject({ name: 'Top', parent: rootId(), color: '#6366f1' });
  });

  it('@wojtekmaj/jotform updateLabel(id, { parent: null }): JSON null moves the label to the top level', async () => {
    const top = await create({ name: 'Top' });
    const child = await create({ name: 'Child', parent: top.id });
    expect(child.parent).toBe(top.id);
    const res = await wojtekmaj('put', wojtekmajUrl(`/label/${child.id}`), { parent: null });
    expect(res.body.content).toMatchObject({ id: child.id, parent: rootId() });
  });

  it('empty `parent=` and empty aliases, in urlencoded, multipart and JSON bodies, on create and update', async () => {
    const top = await create({ name: 'Top' });
    let n = 0;
    for (const alias of ['parent', 'parent_id', 'parentID', 'parentId']) {
      const made = (await inject('POST', '/API/label', { form: `name=Form${++n}&${alias}=` })).json();
      expect(made.content, alias).toMatchObject({ parent: rootId() });
      expect((await create({ name: `Json${n}`, [alias]: null })).parent, alias).toBe(rootId());
      const child = await create({ name: `Child${n}`, parent: top.id });
      const moved = (await inject('PUT', `/API/label/${child.id}`, { form: `${alias}=` })).json();
      expect(moved.content, alias).toMatchObject({ parent: rootId() });
    }
    const multipart = await wojtekmaj('post', wojtekmajUrl('/label'), { name: 'Multi', parent_id: null });
    expect(multipart.body.content.parent).toBe(rootId());
  });

  it('the first alias present wins, in the order parent, parent_id, parentID, parentId; every one present is checked', async () => {
    const top = await create({ name: 'Top' });
    expect((await create({ name: 'A', parent: '', parent_id: top.id })).parent).toBe(rootId());
    expect((await create({ name: 'B', parent_id: top.id, parentId: '' })).parent).toBe(top.id);
    expect((await create({ name: 'C', parentID: null, parentId: top.id })).parent).toBe(rootId());
    const res = await inject('POST', '/API/label', { json: { name: 'D', parent: top.id, parentId: 'x' } });
    expect(res.json()).toMatchObject({ responseCode: 400, message: 'parentId must be a label id' });
    for (const body of [{ name: 'E', parent: 0 }, { name: 'E', parent: '0' }]) {
      expect((await inject('POST', '/API/label', { json: body })).json()).toMatchObject({ responseCode: 400, message: 'parent must be a label id' });
    }
  });
});

describe('fields the vendor does not know are ignored; known ones are still checked', () => {
  beforeEach(() => setup());
  afterEach(() => t.close());

  it('GET → PUT of the same label object succeeds and writes nothing; a changed field in it is applied', async () => {
    const top = await create({ name: 'Top', color: '#22c55e' });
    const child = await create({ name: 'Child', parent: top.id });
    const events = await eventCount();
    t.clock.now += 60_000; // a write would show in updated_at
    for (const id of [top.id, child.id]) {
      const got = (await inject('GET', `/API/label/${id}`)).json().content;
      const res = await inject('PUT', `/API/label/${id}`, { json: got });
      expect(res.statusCode).toBe(200);
      expect(res.json().content).toEqual(got);
    }
    const tree = (await inject('GET', '/API/user/labels')).json().content;
    const node = tree.sublabels[0]; // Top, with its sublabels
    expect((await inject('PUT', `/API/label/${node.id}`, { json: node })).json().content).toEqual((await inject('GET', `/API/label/${node.id}`)).json().content);
    expect(await eventCount()).toBe(events);
    const renamed = await inject('PUT', `/API/label/${child.id}`, { json: { ...(await inject('GET', `/API/label/${child.id}`)).json().content, name: 'Renamed' } });
    expect(renamed.json().content).toMatchObject({ id: child.id, name: 'Renamed', parent: top.id });
    expect(await eventCount()).toBe(events + 1);
  });

  it('extra fields on create (JSON, form), add-resources and remove-resources are ignored', async () => {
    const made = await create({ name: 'X', id: '999', owner: 'someone@example.com', sublabels: [], extra: { a: 1 } });
    expect(made).toMatchObject({ name: 'X', owner: expect.stringMatching(/^owner\./) });
    expect(made.id).not.toBe('999');
    expect((await inject('POST', '/API/label', { form: 'name=Y&bogus=1&created_at=yesterday' })).json().content.name).toBe('Y');
    const body = { resources: [{ id: '7', type: 'form', title: 'Seven', status: 'ENABLED' }], note: 'x' };
    expect((await inject('PUT', `/API/label/${made.id}/add-resources`, { json: body })).json().content).toEqual([{ id: '7', type: 'form' }]);
    expect((await inject('PUT', `/API/label/${made.id}/remove-resources`, { json: body })).json().content).toEqual([{ id: '7', type: 'form' }]);
  });

  it('a known field with a wrong value is still refused, naming it, and nothing is written', async () => {
    const label = await create({ name: 'L' });
    const events = await eventCount();
    for (const [body, message] of [
      [{ ...label, color: 'blue' }, /^color must be a hex color/],
      [{ ...label, name: 5 }, /^name must be a string$/],
      [{ ...label, parent: 'abc' }, /^parent must be a label id$/],
      [{ ...label, color: null }, /^color must be a hex color/],
    ] as const) {
      const res = await inject('PUT', `/API/label/${label.id}`, { json: body });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(message);
    }
    const bad = await inject('PUT', `/API/label/${label.id}/add-resources`, { json: { resources: [{ id: '1', type: 'Form!', title: 'x' }] } });
    expect(bad.json().message).toMatch(/^resource type must match/);
    expect(await eventCount()).toBe(events);
  });

  it('unknown query parameters are ignored on every route (a cache buster, say); known ones are checked', async () => {
    const label = await create({ name: 'L' });
    for (const url of ['/API/user/labels?_=1764757200000', `/API/label/${label.id}?_=1`, `/API/v1/label/${label.id}/resources?_=1&foo=bar`, `/API/label/${rootId()}?nocache=1`]) {
      expect((await inject('GET', url)).statusCode, url).toBe(200);
    }
    expect((await inject('PUT', `/API/label/${label.id}?_=1`, { json: { name: 'M' } })).json().content.name).toBe('M');
    const res = await inject('GET', `/API/label/${label.id}/resources?_=1&limit=0`);
    expect(res.json()).toMatchObject({ responseCode: 400, message: 'limit must be between 1 and 1000' });
  });
});

describe('request schemas as strict as the server', () => {
  beforeEach(() => setup());
  afterEach(() => t.close());

  it('create requires name, update does not; parentID and parentId are accepted but not documented', async () => {
    const doc = (await t.app.inject({ url: '/openapi/jotform.json' })).json();
    const schemaOf = (path: string, method: string) => {
      const ref: string = doc.paths[path][method].requestBody.content['application/json'].schema.$ref;
      return doc.components.schemas[ref.split('/').pop()!];
    };
    // Paths are relative to the document's servers, /API and /API/v1.
    expect(doc.servers.map((s: { url: string }) => s.url)).toEqual(['/API', '/API/v1']);
    expect(schemaOf('/label', 'post').required).toEqual(['name']);
    expect(schemaOf('/label/{id}', 'put').required).toBeUndefined();
    for (const [path, method] of [['/label', 'post'], ['/label/{id}', 'put']] as const) {
      expect(Object.keys(schemaOf(path, method).properties)).toEqual(['name', 'color', 'parent', 'parent_id']);
    }
    const top = await create({ name: 'Top' });
    expect((await inject('POST', '/API/label', { form: `name=Sub&parentId=${top.id}` })).json().content.parent).toBe(top.id);
    const missing = await wojtekmaj('post', wojtekmajUrl('/label'), { color: '#22c55e' });
    expect(missing.body).toMatchObject({ responseCode: 400, message: 'name is required' });
  });
});

describe('limit-left: each caller is told its own count', () => {
  afterEach(() => t.close());

  it('concurrent calls of one key see distinct, consecutive values, far from the quota and near it', async () => {
    await setup();
    const burst = (n: number) => Promise.all(Array.from({ length: n }, () => inject('GET', '/API/user/labels').then((r) => r.json()['limit-left'] as number)));
    const lefts = await burst(25);
    for (let i = 0; i < 3; i++) lefts.push(...(await burst(1))); // counted in memory
    // Calls counted in memory are being written (the store has not answered yet) while more calls come in.
    const consume = t.store.consume;
    let release = () => {};
    const answered = new Promise<void>((r) => (release = r));
    t.store.consume = async (...args) => (await answered, consume(...args));
    const flushed = t.core.quota.flush();
    lefts.push(...(await burst(10)));
    release();
    await flushed;
    t.store.consume = consume;
    lefts.push(...(await burst(5)));
    expect(lefts.sort((x, y) => y - x)).toEqual(Array.from({ length: 43 }, (_, i) => 99_999 - i));
    await t.close();
    await setup({ LABELMUX_JOTFORM_DAILY_LIMIT: '20' });
    const near = await Promise.all(Array.from({ length: 30 }, () => inject('GET', '/API/user/labels').then((r) => ({ status: r.statusCode, left: r.json()['limit-left'] as number }))));
    const allowed = near.filter((r) => r.status === 200).map((r) => r.left);
    expect(allowed.sort((x, y) => y - x)).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
    expect(near.filter((r) => r.status === 429)).toHaveLength(10);
  });

  it('a 404 shows the key\'s calls left without counting one; with a bad key or none, the full quota', async () => {
    await setup({ LABELMUX_JOTFORM_DAILY_LIMIT: '1000' });
    for (let i = 0; i < 5; i++) await inject('GET', '/API/user/labels');
    const notFound = await inject('GET', '/API/no/such/route');
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toMatchObject({ responseCode: 404, 'limit-left': 995 });
    expect((await t.app.inject({ url: `/API/nothing?apiKey=${a.keys.owner}` })).json()['limit-left']).toBe(995);
    expect((await inject('GET', '/API/user/labels')).json()['limit-left']).toBe(994);
    expect((await inject('GET', '/API/nothing', { key: '0'.repeat(32) })).json()['limit-left']).toBe(1000);
    expect((await t.app.inject({ url: '/API/nothing' })).json()['limit-left']).toBe(1000);
    // After a restart (a new quota over the same store), the count comes from the store.
    await t.core.quota.flush();
    const restarted = createQuota(t.store, () => t.clock.now);
    expect(await restarted.left('jotform-calls', `key:${(await t.core.auth.authenticate(a.keys.owner)).apiKeyId}`, 1000)).toBe(994);
  });
});

describe('one default color, whichever dialect creates or shows the label', () => {
  beforeEach(() => setup());
  afterEach(() => t.close());
  const livestormLabels = async () =>
    (await t.app.inject({ url: `/api/workspaces/${a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${a.keys.owner}` } })).json().labels as { id: number; color: string }[];

  it('a label created without a color stores #6366f1 (Jotform, Livestorm, devtodev annotations), shown alike', async () => {
    const j = await create({ name: 'From Jotform' });
    expect(j.color).toBe('#6366f1');
    await t.app.inject({ method: 'POST', url: `/api/workspaces/${a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${a.keys.owner}` }, payload: { name: 'From Livestorm' } });
    const actor = await t.core.auth.actorForKey(a.keys.owner, { id: a.workspaceId }, 'devtodev');
    await t.core.timedLabels.create(actor, [{ name: 'Release', category: 'Events', startsAt: 1_700_000_000_000 }], devtodevLimits(10, 10));
    const stored = (await peekAll(t.store, 'SELECT name, color FROM labels ORDER BY id'));
    expect(stored).toEqual(['From Jotform', 'From Livestorm', 'Events', 'Release'].map((name) => ({ name, color: '#6366f1' })));
    expect((await livestormLabels()).map((l) => l.color)).toEqual(Array(4).fill('#6366f1'));
    const tree = (await inject('GET', '/API/user/labels')).json().content;
    expect(tree.color).toBeNull(); // the virtual root label is no stored label and has no color
    expect(tree.sublabels.map((l: { color: string }) => l.color)).toEqual(Array(3).fill('#6366f1'));
  });

  it('rows stored with no color (before the default was stored) show the default in every dialect', async () => {
    const j = await create({ name: 'Old' });
    (await t.store.db.run('UPDATE labels SET color = NULL'));
    expect((await inject('GET', `/API/label/${j.id}`)).json().content.color).toBe('#6366f1');
    expect((await livestormLabels())[0]!.color).toBe('#6366f1');
  });
});

describe('the npm `jotform` client (the snippet in docs/dialects/jotform.md)', () => {
  beforeEach(() => setup());
  afterEach(() => t.close());

  it('creates, nests, assigns and lists sorted, with baseURL pointed at labelmux', async () => {
    const KEY = a.keys.owner;
    const BASE = base;
    // --- the snippet, as documented (KEY and BASE set above) ---
    const Client = require('jotform/dist/client.js').default;
    const jotform = new Client(KEY, { baseURL: `${BASE}/API` });

    const { content: label } = await jotform.post('label', { name: 'Marketing' }); // JSON body
    await jotform.postForm('label', new URLSearchParams({ name: 'Social', parent: label.id }).toString());
    await jotform.put(`label/${label.id}/add-resources`, { resources: [{ id: '232143945675058', type: 'form' }, { id: '7', type: 'sheet' }] });
    const page = await jotform.get(`label/${label.id}/resources`, { params: { orderby: 'id', direction: 'DESC', limit: 100 } });
    const tree = await jotform.get('user/labels');
    // --- end of the snippet ---
    expect(label).toMatchObject({ name: 'Marketing', color: '#6366f1', parent: rootId() });
    expect(page.content.map((r: { id: string }) => r.id)).toEqual(['7', '232143945675058']);
    expect(page['limit-left']).toBe(99_996); // the fourth call of the day
    expect(tree.content.sublabels[0]).toMatchObject({ name: 'Marketing', sublabels: [{ name: 'Social', parent: label.id }] });
    await expect(jotform.post('label', { color: '#22c55e' })).rejects.toMatchObject({ response: { status: 400, data: { message: 'name is required' } } });
  });
});
