// Each document's create → read → assign → list → delete flow through the swagger-typescript-api fetch
// clients (test/sdk/swagger-typescript-api/<name>.ts: one `Api` class per document, one method per
// operationId; a call resolves to the Response with a typed `data`, and rejects with the Response, its
// `error` typed by the documented error schema, for any non-2xx status). The base URL is the document's
// first server, so the flows follow the documents when paths move; `tsc` checks every call against the
// generated signatures (test/sdk-generators.test.ts runs it).
import { expect } from 'vitest';
import { conformance, loadDocument, serverUrl } from './conformance.js';
import type { Env, Flows } from './flows.js';
import * as admin from './swagger-typescript-api/admin.js';
import * as devtodev from './swagger-typescript-api/devtodev.js';
import * as jotform from './swagger-typescript-api/jotform.js';
import * as limbo from './swagger-typescript-api/limbo.js';
import * as livestorm from './swagger-typescript-api/livestorm.js';
import * as razuna from './swagger-typescript-api/razuna.js';

const JSONAPI = 'application/vnd.api+json';

type Params = { headers?: HeadersInit; format?: 'json' };
type ApiClass<T> = new (config?: { baseUrl?: string; baseApiParams?: Params; customFetch?: typeof fetch }) => T & { baseUrl: string };

/** A client of one document on the listening server, with the given request parameters and response checks. */
function connect<T>(Api: ApiClass<T>, name: string, env: Env, params: Params) {
  expect(new Api().baseUrl, `${name}: the generated default base URL is the document's first server`).toBe(loadDocument(name).servers?.[0]?.url);
  const checks = conformance(name);
  return { api: new Api({ baseUrl: serverUrl(name, env.origin), baseApiParams: params, customFetch: checks.fetch }), checks };
}

/** The rejected Response of a call that must fail, its `error` typed by the operation's error schema. */
async function failure<D, E>(call: Promise<admin.HttpResponse<D, E>>): Promise<admin.HttpResponse<D, E>> {
  const outcome = await call.then(
    () => undefined,
    (res: admin.HttpResponse<D, E>) => res,
  );
  if (!outcome) throw new Error('the call succeeded');
  return outcome;
}

let adminClient: ReturnType<typeof connect<admin.Api<unknown>>> | undefined;
const adminOf = (env: Env) => (adminClient ??= connect(admin.Api, 'admin', env, { headers: { authorization: `Bearer ${env.adminToken}` } }));

/** A workspace with an owner and a workspace key, made through the admin client. */
async function tenant(env: Env, name: string) {
  const { api } = adminOf(env);
  const { workspace } = (await api.createWorkspace({ name })).data;
  const { user } = (await api.createUser({ email: `${name.toLowerCase()}@swagger-typescript-api.test`, name })).data;
  await api.setMember(workspace.id, user.id, { role: 'owner' });
  const { api_key } = (await api.createApiKey({ user_id: user.id, workspace_id: workspace.id })).data;
  return { workspace, user, key: api_key.key! };
}

export const flows: Flows = {
  async admin(env) {
    const { api, checks } = adminOf(env);
    const from = checks.checked.length;
    const { workspace, user } = await tenant(env, 'StaAdmin');
    expect((await api.listWorkspaces()).data.workspaces.map((w) => w.id)).toContain(workspace.id);
    expect((await api.upsertResources(workspace.id, { resources: [{ type: 'form', id: 'f1', name: 'Form' }] })).data).toEqual({ upserted: 1 });
    expect((await api.listEvents(workspace.id, { limit: 10 })).data.events).toEqual([]);
    expect((await api.exportWorkspace(workspace.id)).data.format).toBe('labelmux-workspace');
    const again = await failure(api.createUser({ email: 'staadmin@swagger-typescript-api.test', name: 'again' }));
    expect(again.error).toMatchObject({ status: 409, title: 'Conflict' });
    expect((await api.deleteUser(user.id)).status).toBe(204);
    return checks.checked.slice(from);
  },

  async jotform(env) {
    const { key } = await tenant(env, 'StaJot');
    const { api, checks } = connect(jotform.Api, 'jotform', env, { headers: { APIKEY: key } });
    const id = (await api.createLabel({ name: 'Forms', color: '#22c55e' })).data.content.id;
    expect((await api.getLabel(id)).data.content.name).toBe('Forms');
    // The document's second server (/API/v1, where official clients call) serves the same operations; the
    // generated client knows only the first, so its URL comes from the document.
    const v1 = new jotform.Api({ baseUrl: serverUrl('jotform', env.origin, 1), baseApiParams: { headers: { APIKEY: key } }, customFetch: checks.fetch });
    expect((await v1.createLabel({ name: 'Contact', parent: id })).data.content.parent).toBe(id);
    const added = await api.addLabelResources(id, { resources: [{ id: '232143945675058', type: 'form' }] });
    expect(added.data.content).toEqual([{ id: '232143945675058', type: 'form' }]);
    expect((await api.getLabelResources(id, { limit: 10, orderby: 'id' })).data.content.map((r) => r.id)).toEqual(['232143945675058']);
    expect((await api.getUserLabels()).data.content.sublabels[0]!.sublabels.map((l) => l.name)).toEqual(['Contact']);
    expect((await api.deleteLabel(id)).data.content).toBe(true);
    expect((await failure(api.getLabel(id))).error).toMatchObject({ responseCode: 401 });
    return checks.checked;
  },

  async razuna(env) {
    const { key, workspace } = await tenant(env, 'StaRaz');
    const { api, checks } = connect(razuna.Api, 'razuna', env, {});
    // POST form calls, typed per method; the answer is the union of every method's shapes, narrowed here.
    const api_key = `${workspace.id}-${key}`;
    // A call without its method's required arguments does not typecheck (tsc reports an unused directive).
    // @ts-expect-error setassetlabel needs label_id, asset_id and asset_type
    const incomplete: Parameters<typeof api.call>[0] = { method: 'setassetlabel', api_key };
    void incomplete;
    const set = (await api.call({ method: 'setlabel', api_key, label_text: 'pictures' })).data as razuna.Status;
    expect(set.responsecode).toBe(0);
    const id = set.label_id!;
    expect((await api.call({ method: 'getlabel', api_key, label_id: id })).data).toEqual({ COLUMNS: ['label_id', 'label_text', 'label_path'], DATA: [[id, 'pictures', 'pictures']] });
    expect((await api.call({ method: 'setassetlabel', api_key, label_id: id, asset_id: 'a1', asset_type: 'img' })).data).toMatchObject({ responsecode: 0 });
    const assets = (await api.call({ method: 'getassetoflabel', api_key, label_id: id, __BDQUERYFORMAT: 'column' })).data as razuna.AssetsColumns;
    expect(assets.DATA.id).toEqual(['a1']);
    expect((await api.call({ method: 'remove', api_key, label_id: id })).data).toMatchObject({ message: 'Label(s) successfully removed' });
    // The GET form takes the key as its api_key query parameter (the securityWorker can only add fetch options).
    expect((await api.callGet({ method: 'getall', api_key })).data).toMatchObject({ COLUMNS: ['label_id', 'label_text', 'label_path'] });
    return checks.checked;
  },

  async livestorm(env) {
    const { key, workspace } = await tenant(env, 'StaLive');
    const id = workspace.id;
    await adminOf(env).api.upsertResources(workspace.id, { resources: [{ type: 'library_item', id: '42', name: 'Intro video' }] });
    const { api, checks } = connect(livestorm.Api, 'livestorm', env, { headers: { authorization: `Bearer lnx_${key}` } });
    const { label } = (await api.createLabel(id, { name: 'Onboarding', color: '#22c55e' })).data;
    expect((await api.listLabels(id)).data.labels.map((l) => l.name)).toEqual(['Onboarding']);
    expect((await api.assignLabels(id, '42', { label_id: label.id })).data.labels.map((l) => l.id)).toEqual([label.id]);
    expect((await api.listLibrary(id, { label: String(label.id) })).data.items.map((i) => i.id)).toEqual([42]);
    expect((await api.deleteLabel(id, label.id)).data).toEqual({ ok: true });
    expect((await failure(api.createLabel(id, { name: '' }))).status).toBe(400);
    return checks.checked;
  },

  async devtodev(env) {
    const { key, workspace } = await tenant(env, 'StaDev');
    const { api, checks } = connect(devtodev.Api, 'devtodev', env, {});
    const auth = { user_token: key, app_id: workspace.uuid };
    const created = await api.createLabels({ ...auth, labels: [{ name: 'Release 2.3', category: 'Releases', start_date: 1_790_000_000 }] });
    const id = created.data.data.labels[0]!.id;
    expect((await api.getLabels({ ...auth, filter: { id: { eq: id } } })).data.data.labels.map((l) => l.name)).toEqual(['Release 2.3']);
    expect((await api.editLabel({ ...auth, label: { id, category: 'Launches' } })).data.data.label.category).toBe('Launches');
    expect((await api.getCategories(auth)).data.data.categories).toEqual(['Launches']);
    expect((await api.deleteLabels({ ...auth, ids: [id] })).data.data.ids).toEqual([id]);
    expect((await failure(api.editLabel({ ...auth, label: { id, name: 'x' } }))).error).toMatchObject({ errors: [{ code: 5 }] });
    return checks.checked;
  },

  async limbo(env) {
    const { key, workspace } = await tenant(env, 'StaLimbo');
    await adminOf(env).api.upsertResources(workspace.id, { resources: [{ type: 'product', id: '9001', name: 'Debut Album', status: 'live' }] });
    // The generated calls parse only application/json answers (their `format` is left out for JSON:API
    // ones, so `data` would stay null though typed as the document): ask for JSON parsing on every call.
    const { api, checks } = connect(limbo.Api, 'limbo', env, { headers: { authorization: `Bearer ${key}`, accept: JSONAPI }, format: 'json' });
    const company = { data: { type: 'companies' as const, id: String(workspace.id) } };
    const id = (await api.createLabel({ data: { type: 'labels', attributes: { name: 'Releases' }, relationships: { company } } })).data.data.id;
    expect((await api.getLabel(id, { include: 'company' })).data.data.attributes!.name).toBe('Releases');
    expect((await api.addLabelProducts(id, { data: [{ type: 'products', id: '9001' }] })).status).toBe(204);
    expect((await api.getLabelProducts(id)).data.data.map((p) => p.id)).toEqual(['9001']);
    expect((await api.listLabels({ 'filter[name]': 'Releases' })).data.data.map((l) => l.id)).toEqual([id]);
    expect((await api.deleteLabel(id)).status).toBe(204);
    expect((await failure(api.getLabel(id))).error).toMatchObject({ errors: [{ status: '404' }] });
    return checks.checked;
  },
};
