// Each document's create → read → assign → list → delete flow through the oazapfts clients
// (test/sdk/oazapfts/<name>.ts, explicit mode: every call resolves to {status, data} typed per documented
// status; `ok()` from @oazapfts/runtime keeps the 2xx data and throws otherwise). Calls go by operationId
// and the base URL is the document's first server, so the flows follow the documents when paths move;
// `tsc` checks every call against the generated signatures (test/sdk-generators.test.ts runs it).
import { ok, type Defaults } from '@oazapfts/runtime';
import { expect } from 'vitest';
import { conformance, loadDocument, serverUrl } from './conformance.js';
import * as admin from './oazapfts/admin.js';
import * as devtodev from './oazapfts/devtodev.js';
import * as jotform from './oazapfts/jotform.js';
import * as limbo from './oazapfts/limbo.js';
import * as livestorm from './oazapfts/livestorm.js';
import * as razuna from './oazapfts/razuna.js';
import type { Env, Flows } from './flows.js';

const JSONAPI = 'application/vnd.api+json';
const generatedBase = new WeakMap<object, string>();

/** Points a generated module at the listening server with the given headers and response checks. */
function connect(client: { defaults: Defaults }, name: string, env: Env, headers: Record<string, string>) {
  if (!generatedBase.has(client.defaults)) generatedBase.set(client.defaults, client.defaults.baseUrl);
  expect(generatedBase.get(client.defaults), `${name}: the generated default base URL is the document's first server`).toBe(loadDocument(name).servers?.[0]?.url);
  const c = conformance(name);
  Object.assign(client.defaults, { baseUrl: serverUrl(name, env.origin), headers, fetch: c.fetch });
  return c;
}

/**
 * oazapfts's runtime asks for application/json and sends every JSON body as application/json, whatever
 * media type the document gives; limbo, like the vendor's laravel-json-api, answers those with 406 and 415.
 * This fetch puts the JSON:API media type back on every request.
 */
const jsonApi =
  (next: typeof fetch): typeof fetch =>
  (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('accept', JSONAPI);
    if (init?.body != null) headers.set('content-type', JSONAPI);
    return next(input, { ...init, headers });
  };

let adminChecks: ReturnType<typeof conformance> | undefined;
const adminClient = (env: Env) => (adminChecks ??= connect(admin, 'admin', env, { authorization: `Bearer ${env.adminToken}` }));

/** A workspace with an owner and a workspace key, made through the admin client. */
async function tenant(env: Env, name: string) {
  adminClient(env);
  const { workspace } = await ok(admin.createWorkspace({ body: { name } }));
  const { user } = await ok(admin.createUser({ body: { email: `${name.toLowerCase()}@oazapfts.test`, name } }));
  await ok(admin.setMember({ id: workspace.id, userId: user.id, body: { role: 'owner' } }));
  const { api_key } = await ok(admin.createApiKey({ body: { user_id: user.id, workspace_id: workspace.id } }));
  return { workspace, user, key: api_key.key! };
}

export const flows: Flows = {
  async admin(env) {
    const c = adminClient(env);
    const from = c.checked.length;
    const { workspace, user } = await tenant(env, 'OazAdmin');
    expect((await ok(admin.listWorkspaces())).workspaces.map((w) => w.id)).toContain(workspace.id);
    const up = await ok(admin.upsertResources({ id: workspace.id, body: { resources: [{ type: 'form', id: 'f1', name: 'Form' }] } }));
    expect(up).toEqual({ upserted: 1 });
    expect((await ok(admin.listEvents({ id: workspace.id, limit: 10 }))).events).toEqual([]);
    expect((await ok(admin.exportWorkspace({ id: workspace.id }))).format).toBe('labelmux-workspace');
    const again = await admin.createUser({ body: { email: 'oazadmin@oazapfts.test', name: 'again' } });
    expect(again.status).toBe(409);
    if (again.status === 409) expect(again.data.title).toBe('Conflict');
    expect((await admin.deleteUser({ id: user.id })).status).toBe(204);
    return c.checked.slice(from);
  },

  async jotform(env) {
    const { key } = await tenant(env, 'OazJot');
    const c = connect(jotform, 'jotform', env, { APIKEY: key });
    const created = await ok(jotform.createLabel({ newLabelInput: { name: 'Forms', color: '#22c55e' } }));
    const id = created.content.id;
    expect((await ok(jotform.getLabel({ id }))).content.name).toBe('Forms');
    // The document's second server (/API/v1, where official clients call) serves the same operations.
    const v1 = new URL(jotform.servers.v1, env.origin).href;
    expect((await ok(jotform.createLabel({ newLabelInput: { name: 'Contact', parent: id } }, { baseUrl: v1 }))).content.parent).toBe(id);
    const added = await ok(jotform.addLabelResources({ id, resourceListInput: { resources: [{ id: '232143945675058', type: 'form' }] } }));
    expect(added.content).toEqual([{ id: '232143945675058', type: 'form' }]);
    const listed = await ok(jotform.getLabelResources({ id, limit: 10, orderby: 'id' }));
    expect(listed.content.map((r) => r.id)).toEqual(['232143945675058']);
    expect((await ok(jotform.getUserLabels())).content.sublabels[0]!.sublabels.map((l) => l.name)).toEqual(['Contact']);
    expect((await ok(jotform.deleteLabel({ id }))).content).toBe(true);
    const gone = await jotform.getLabel({ id });
    expect(gone.status).toBe(401);
    if (gone.status === 401) expect(gone.data.responseCode).toBe(401);
    return c.checked;
  },

  async razuna(env) {
    const { key, workspace } = await tenant(env, 'OazRaz');
    const c = connect(razuna, 'razuna', env, {});
    // POST form calls, typed per method; the answer is the union of every method's shapes, narrowed here.
    const api_key = `${workspace.id}-${key}`;
    // A call without its method's required arguments does not typecheck (tsc reports an unused directive).
    // @ts-expect-error setassetlabel needs label_id, asset_id and asset_type
    const incomplete: razuna.Call = { method: 'setassetlabel', api_key };
    void incomplete;
    const set = (await ok(razuna.call({ call: { method: 'setlabel', api_key, label_text: 'pictures' } }))) as razuna.Status;
    expect(set.responsecode).toBe(0);
    const id = set.label_id!;
    expect(await ok(razuna.call({ call: { method: 'getlabel', api_key, label_id: id } }))).toEqual({ COLUMNS: ['label_id', 'label_text', 'label_path'], DATA: [[id, 'pictures', 'pictures']] });
    expect(await ok(razuna.call({ call: { method: 'setassetlabel', api_key, label_id: id, asset_id: 'a1', asset_type: 'img' } }))).toMatchObject({ responsecode: 0 });
    const assets = (await ok(razuna.call({ call: { method: 'getassetoflabel', api_key, label_id: id, __BDQUERYFORMAT: 'column' } }))) as razuna.AssetsColumns;
    expect(assets.DATA.id).toEqual(['a1']);
    expect(await ok(razuna.call({ call: { method: 'remove', api_key, label_id: id } }))).toMatchObject({ message: 'Label(s) successfully removed' });
    // The GET form takes the key as its api_key query parameter (oazapfts does not send an apiKey scheme).
    expect(await ok(razuna.callGet({ method: 'getall', apiKey: api_key }))).toMatchObject({ COLUMNS: ['label_id', 'label_text', 'label_path'] });
    return c.checked;
  },

  async livestorm(env) {
    const { key, workspace } = await tenant(env, 'OazLive');
    const id = workspace.id;
    await ok(admin.upsertResources({ id: workspace.id, body: { resources: [{ type: 'library_item', id: '42', name: 'Intro video' }] } }));
    const c = connect(livestorm, 'livestorm', env, { authorization: `Bearer lnx_${key}` });
    const { label } = await ok(livestorm.createLabel({ id, body: { name: 'Onboarding', color: '#22c55e' } }));
    expect((await ok(livestorm.listLabels({ id }))).labels.map((l) => l.name)).toEqual(['Onboarding']);
    const assigned = await ok(livestorm.assignLabels({ id, itemId: '42', body: { label_id: label.id } }));
    expect(assigned.labels.map((l) => l.id)).toEqual([label.id]);
    expect((await ok(livestorm.listLibrary({ id, label: String(label.id) }))).items.map((i) => i.id)).toEqual([42]);
    expect(await ok(livestorm.deleteLabel({ id, labelId: label.id }))).toEqual({ ok: true });
    const dup = await livestorm.createLabel({ id, body: { name: '' } });
    expect(dup.status).toBe(400);
    return c.checked;
  },

  async devtodev(env) {
    const { key, workspace } = await tenant(env, 'OazDev');
    const c = connect(devtodev, 'devtodev', env, {});
    const auth = { user_token: key, app_id: workspace.uuid };
    const created = await ok(devtodev.createLabels({ body: { ...auth, labels: [{ name: 'Release 2.3', category: 'Releases', start_date: 1_790_000_000 }] } }));
    const id = created.data.labels[0]!.id;
    expect((await ok(devtodev.getLabels({ body: { ...auth, filter: { id: { eq: id } } } }))).data.labels.map((l) => l.name)).toEqual(['Release 2.3']);
    expect((await ok(devtodev.editLabel({ body: { ...auth, label: { id, category: 'Launches' } } }))).data.label.category).toBe('Launches');
    expect((await ok(devtodev.getCategories({ body: auth }))).data.categories).toEqual(['Launches']);
    expect((await ok(devtodev.deleteLabels({ body: { ...auth, ids: [id] } }))).data.ids).toEqual([id]);
    const missing = await devtodev.editLabel({ body: { ...auth, label: { id, name: 'x' } } });
    expect(missing.status).toBe(404);
    if (missing.status === 404) expect(missing.data.errors[0]!.code).toBe(5);
    return c.checked;
  },

  async limbo(env) {
    const { key, workspace } = await tenant(env, 'OazLimbo');
    await ok(admin.upsertResources({ id: workspace.id, body: { resources: [{ type: 'product', id: '9001', name: 'Debut Album', status: 'live' }] } }));
    const c = connect(limbo, 'limbo', env, { authorization: `Bearer ${key}` });
    limbo.defaults.fetch = jsonApi(c.fetch);
    const company = { data: { type: 'companies' as const, id: String(workspace.id) } };
    const created = await ok(limbo.createLabel({ labelCreateDocument: { data: { type: 'labels', attributes: { name: 'Releases' }, relationships: { company } } } }));
    const id = created.data.id;
    expect((await ok(limbo.getLabel({ id, include: 'company' }))).data.attributes!.name).toBe('Releases');
    expect((await limbo.addLabelProducts({ id, productLinkage: { data: [{ type: 'products', id: '9001' }] } })).status).toBe(204);
    expect((await ok(limbo.getLabelProducts({ id }))).data.map((p) => p.id)).toEqual(['9001']);
    expect((await ok(limbo.listLabels({ filterName: 'Releases' }))).data.map((l) => l.id)).toEqual([id]);
    expect((await limbo.deleteLabel({ id })).status).toBe(204);
    const gone = await limbo.getLabel({ id });
    expect(gone.status).toBe(404);
    if (gone.status === 404) expect(gone.data.errors[0]!.status).toBe('404');
    return c.checked;
  },
};
