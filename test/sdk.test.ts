// Generated clients: for each committed document, the types openapi-typescript made from it
// (test/generated/<name>.ts, kept in step by test/openapi.test.ts) drive a typed openapi-fetch client
// through create → read → assign → list → delete against a listening server. `tsc` checks every call
// against the generated types; at run time every response (status, content type, body) is checked against
// the schema its document gives for that operation and status (test/sdk/conformance.ts). Other generators'
// clients: test/sdk-generators.test.ts.
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { paths as AdminPaths } from '../src/sandbox/admin-api.js';
import type { paths as DevtodevPaths } from './generated/devtodev.js';
import type { paths as JotformPaths } from './generated/jotform.js';
import type { paths as LimboPaths } from './generated/limbo.js';
import type { paths as LivestormPaths } from './generated/livestorm.js';
import type { paths as RazunaPaths } from './generated/razuna.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helper.js';
import { conformance, serverUrl } from './sdk/conformance.js';

const JSONAPI = 'application/vnd.api+json';

let t: TestApp;
let base: string;
/** Typed admin client: sets up each dialect's tenant. */
let admin: ReturnType<typeof createClient<AdminPaths>>;
let adminChecks: ReturnType<typeof conformance>;

beforeAll(async () => {
  t = await buildTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  adminChecks = conformance('admin');
  admin = createClient<AdminPaths>({ baseUrl: serverUrl('admin', base), headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  admin.use(adminChecks.middleware);
});
afterAll(() => t.close());

/** A workspace with an owner and a workspace key, made through the typed admin client. */
async function tenant(name: string) {
  const ws = await admin.POST('/_admin/workspaces', { body: { name } });
  const workspace = ws.data!.workspace;
  const user = (await admin.POST('/_admin/users', { body: { email: `${name.toLowerCase()}@sdk.test`, name } })).data!.user;
  await admin.PUT('/_admin/workspaces/{id}/members/{userId}', { params: { path: { id: workspace.id, userId: user.id } }, body: { role: 'owner' } });
  const key = (await admin.POST('/_admin/api-keys', { body: { user_id: user.id, workspace_id: workspace.id } })).data!.api_key.key!;
  return { workspace, user, key };
}

describe('typed clients from the committed documents', () => {
  it('admin: create → read → assign (member, resources) → list events → delete', async () => {
    const { workspace, user } = await tenant('Adminflow');
    const list = await admin.GET('/_admin/workspaces');
    expect(list.data!.workspaces.map((w) => w.id)).toContain(workspace.id);
    const up = await admin.PUT('/_admin/workspaces/{id}/resources', { params: { path: { id: workspace.id } }, body: { resources: [{ type: 'form', id: 'f1', name: 'Form' }] } });
    expect(up.data).toEqual({ upserted: 1 });
    const events = await admin.GET('/_admin/workspaces/{id}/events', { params: { path: { id: workspace.id }, query: { limit: 10 } } });
    expect(events.data!.events).toEqual([]);
    const exported = await admin.GET('/_admin/workspaces/{id}/export', { params: { path: { id: workspace.id } } });
    expect(exported.data!.format).toBe('labelmux-workspace');
    const bad = await admin.POST('/_admin/users', { body: { email: `adminflow@sdk.test`, name: 'again' } });
    expect(bad.error).toMatchObject({ status: 409, title: 'Conflict' });
    expect((await admin.DELETE('/_admin/users/{id}', { params: { path: { id: user.id } } })).response.status).toBe(204);
    expect(adminChecks.checked).toEqual(expect.arrayContaining(['createUser 409', 'deleteUser 204', 'exportWorkspace 200']));
  });

  it('jotform: create → read → assign → list → delete, on both servers', async () => {
    const { key } = await tenant('Jotflow');
    const c = conformance('jotform');
    const jf = createClient<JotformPaths>({ baseUrl: serverUrl('jotform', base), headers: { APIKEY: key } });
    const v1 = createClient<JotformPaths>({ baseUrl: serverUrl('jotform', base, 1), headers: { APIKEY: key } });
    jf.use(c.middleware);
    v1.use(c.middleware);
    const created = await jf.POST('/label', { body: { name: 'Forms', color: '#22c55e' } });
    const id = created.data!.content.id;
    const child = await v1.POST('/label', { body: { name: 'Contact', parent: id } });
    expect(child.data!.content.parent).toBe(id);
    expect((await jf.GET('/label/{id}', { params: { path: { id } } })).data!.content.name).toBe('Forms');
    const added = await jf.PUT('/label/{id}/add-resources', { params: { path: { id } }, body: { resources: [{ id: '232143945675058', type: 'form' }] } });
    expect(added.data!.content).toEqual([{ id: '232143945675058', type: 'form' }]);
    const listed = await jf.GET('/label/{id}/resources', { params: { path: { id }, query: { limit: 10, orderby: 'id' } } });
    expect(listed.data!.content.map((r) => r.id)).toEqual(['232143945675058']);
    const tree = await jf.GET('/user/labels');
    expect(tree.data!.content.sublabels[0]!.sublabels[0]!.name).toBe('Contact');
    expect((await jf.DELETE('/label/{id}', { params: { path: { id } } })).data!.content).toBe(true);
    const gone = await jf.GET('/label/{id}', { params: { path: { id } } });
    expect(gone.error).toMatchObject({ responseCode: 401 });
    expect(c.checked).toEqual(['createLabel 200', 'createLabel 200', 'getLabel 200', 'addLabelResources 200', 'getLabelResources 200', 'getUserLabels 200', 'deleteLabel 200', 'getLabel 401']);
  });

  it('razuna: setlabel → getlabel → setassetlabel → getassetoflabel → remove', async () => {
    const { key, workspace } = await tenant('Razflow');
    const c = conformance('razuna');
    const rz = createClient<RazunaPaths>({ baseUrl: serverUrl('razuna', base) });
    rz.use(c.middleware);
    const api_key = `${workspace.id}-${key}`;
    // The POST form, typed per method (the GET form's key is a security scheme the types leave out).
    type Call = RazunaPaths['/label.cfc']['post']['requestBody']['content']['application/x-www-form-urlencoded'];
    const form = { bodySerializer: (body: Call) => new URLSearchParams(body as Record<string, string>), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const call = (body: Call) => rz.POST('/label.cfc', { body, ...form });
    // A call without its method's required arguments does not typecheck (tsc reports an unused directive).
    // @ts-expect-error setassetlabel needs label_id, asset_id and asset_type
    const incomplete: Call = { method: 'setassetlabel', api_key };
    void incomplete;
    const set = await call({ method: 'setlabel', api_key, label_text: 'pictures' });
    const struct = set.data as { responsecode: number; label_id: string };
    expect(struct.responsecode).toBe(0);
    const id = struct.label_id;
    await call({ method: 'setlabel', api_key, label_text: 'color', label_parent: id });
    expect((await call({ method: 'getlabel', api_key, label_id: id })).data).toEqual({ COLUMNS: ['label_id', 'label_text', 'label_path'], DATA: [[id, 'pictures', 'pictures']] });
    expect(((await call({ method: 'setassetlabel', api_key, label_id: id, asset_id: 'a1', asset_type: 'img' })).data as { responsecode: number }).responsecode).toBe(0);
    const assets = await call({ method: 'getassetoflabel', api_key, label_id: id, __BDQUERYFORMAT: 'column' });
    expect((assets.data as { DATA: Record<string, string[]> }).DATA.id).toEqual(['a1']);
    const all = await call({ method: 'getall', api_key });
    expect((all.data as { DATA: string[][] }).DATA.map((r) => r[2])).toEqual(['pictures', 'pictures/color']);
    expect(((await call({ method: 'remove', api_key, label_id: id })).data as { message: string }).message).toBe('Label(s) successfully removed');
    const denied = await rz.GET('/label.cfc', { params: { query: { method: 'getall' } } });
    expect(denied.data).toMatchObject({ COLUMNS: ['responsecode', 'message'] });
    expect(c.checked).toEqual([...Array<string>(7).fill('call 200'), 'callGet 200']);
  });

  it('livestorm: create → read → assign → list → delete', async () => {
    const { key, workspace } = await tenant('Liveflow');
    await admin.PUT('/_admin/workspaces/{id}/resources', { params: { path: { id: workspace.id } }, body: { resources: [{ type: 'library_item', id: '42', name: 'Intro video' }] } });
    const c = conformance('livestorm');
    const ls = createClient<LivestormPaths>({ baseUrl: serverUrl('livestorm', base), headers: { authorization: `Bearer lnx_${key}` } });
    ls.use(c.middleware);
    const id = workspace.id;
    const created = await ls.POST('/workspaces/{id}/labels', { params: { path: { id } }, body: { name: 'Onboarding', color: '#22c55e' } });
    const labelId = created.data!.label.id;
    expect((await ls.GET('/workspaces/{id}/labels', { params: { path: { id } } })).data!.labels.map((l) => l.name)).toEqual(['Onboarding']);
    const assigned = await ls.POST('/workspaces/{id}/library/{itemId}/labels', { params: { path: { id, itemId: '42' } }, body: { label_id: labelId } });
    expect(assigned.data!.labels.map((l) => l.id)).toEqual([labelId]);
    const items = await ls.GET('/workspaces/{id}/library', { params: { path: { id }, query: { label: String(labelId) } } });
    expect(items.data!.items.map((i) => i.id)).toEqual([42]);
    expect((await ls.DELETE('/workspaces/{id}/labels/{labelId}', { params: { path: { id, labelId } } })).data).toEqual({ ok: true });
    const dup = await ls.POST('/workspaces/{id}/labels', { params: { path: { id } }, body: {} as { name: string } });
    expect(dup.error).toEqual({ error: 'Name is required' });
    expect(c.checked).toEqual(['createLabel 201', 'listLabels 200', 'assignLabels 200', 'listLibrary 200', 'deleteLabel 200', 'createLabel 400']);
  });

  it('devtodev: create → read → assign (to another category) → list categories → delete', async () => {
    const { key, workspace } = await tenant('Devflow');
    const c = conformance('devtodev');
    const dd = createClient<DevtodevPaths>({ baseUrl: serverUrl('devtodev', base) });
    dd.use(c.middleware);
    const auth = { user_token: key, app_id: workspace.uuid };
    const created = await dd.POST('/labels/create', { body: { ...auth, labels: [{ name: 'Release 2.3', category: 'Releases', start_date: 1_790_000_000 }] } });
    const id = created.data!.data.labels[0]!.id;
    const read = await dd.POST('/labels/get', { body: { ...auth, filter: { id: { eq: id } } } });
    expect(read.data!.data.labels.map((l) => l.name)).toEqual(['Release 2.3']);
    const moved = await dd.POST('/labels/edit', { body: { ...auth, label: { id, category: 'Launches' } } });
    expect(moved.data!.data.label.category).toBe('Launches');
    expect((await dd.POST('/labels/categories/get', { body: auth })).data!.data.categories).toEqual(['Launches']);
    expect((await dd.POST('/labels/delete', { body: { ...auth, ids: [id] } })).data!.data.ids).toEqual([id]);
    const missing = await dd.POST('/labels/edit', { body: { ...auth, label: { id, name: 'x' } } });
    expect(missing.error).toMatchObject({ errors: [{ code: 5 }] });
    expect(c.checked).toEqual(['createLabels 200', 'getLabels 200', 'editLabel 200', 'getCategories 200', 'deleteLabels 200', 'editLabel 404']);
  });

  it('limbo: create → read → assign products → list → delete', async () => {
    const { key, workspace } = await tenant('Limboflow');
    await admin.PUT('/_admin/workspaces/{id}/resources', { params: { path: { id: workspace.id } }, body: { resources: [{ type: 'product', id: '9001', name: 'Debut Album', status: 'live' }] } });
    const c = conformance('limbo');
    const lb = createClient<LimboPaths>({ baseUrl: serverUrl('limbo', base), headers: { authorization: `Bearer ${key}`, accept: JSONAPI, 'content-type': JSONAPI } });
    lb.use(c.middleware);
    const company = { data: { type: 'companies' as const, id: String(workspace.id) } };
    const created = await lb.POST('/api/v1/labels', { body: { data: { type: 'labels', attributes: { name: 'Releases' }, relationships: { company } } } });
    const id = created.data!.data.id;
    const read = await lb.GET('/api/v1/labels/{id}', { params: { path: { id }, query: { include: 'company' } } });
    expect(read.data!.data.attributes!.name).toBe('Releases');
    const linked = await lb.POST('/api/v1/labels/{id}/relationships/products', { params: { path: { id } }, body: { data: [{ type: 'products', id: '9001' }] } });
    expect(linked.response.status).toBe(204);
    const products = await lb.GET('/api/v1/labels/{id}/products', { params: { path: { id } } });
    expect(products.data!.data.map((p) => p.id)).toEqual(['9001']);
    const list = await lb.GET('/api/v1/labels', { params: { query: { 'filter[name]': 'Releases' } } });
    expect(list.data!.data.map((l) => l.id)).toEqual([id]);
    expect((await lb.DELETE('/api/v1/labels/{id}', { params: { path: { id } } })).response.status).toBe(204);
    const gone = await lb.GET('/api/v1/labels/{id}', { params: { path: { id } } });
    expect(gone.error).toMatchObject({ errors: [{ status: '404' }] });
    expect(c.checked).toEqual(['createLabel 201', 'getLabel 200', 'addLabelProducts 204', 'getLabelProducts 200', 'listLabels 200', 'deleteLabel 204', 'getLabel 404']);
  });
});
