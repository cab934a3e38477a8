// The benchmark's workloads: each pairs a labelmux request (through one dialect) with the raw baseline's
// request for the same query. Ids refer to the data bench/seed.ts builds.
import { benchKey, benchUuid, LEAVES, MIDS, RELEASES, TOPS } from './seed.js';

export interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Workload {
  dialect: string;
  name: string;
  kind: 'read' | 'write';
  /** Single-label operations carry the p99 < 15 ms target. */
  single: boolean;
  /** Concurrent connections, when not BENCH_CONNECTIONS (the 1-client tree measures latency, not throughput). */
  connections?: number;
  /** Builds the n-th request (writes vary names and resources per request). */
  labelmux: (n: number) => Req;
  baseline: (n: number) => Req;
}

const LABELS_PER_WS = TOPS * (1 + MIDS * (1 + LEAVES)) + 1 + RELEASES;

/** The workspace the load targets (the middle one at large scale, so nothing is warm by accident). */
export function target(workspaces: number) {
  const ws = Math.ceil(workspaces / 2);
  const first = (ws - 1) * LABELS_PER_WS + 1;
  const leaf = first + 2; // Topic 0 → Group 0.0 → Tag 0.0.0: read by every read workload
  const assigned = first + 3; // Tag 0.0.1: the write workloads assign this one, so reads stay comparable
  const baselineAssigned = first + 4; // Tag 0.0.2: the baseline's assigns, so neither server meets rows the other wrote
  const releases = first + TOPS * (1 + MIDS * (1 + LEAVES));
  return { ws, key: benchKey(ws), uuid: benchUuid(ws), leaf, assigned, baselineAssigned, releases };
}

const json = (method: Req['method'], path: string, body: unknown, headers: Record<string, string> = {}): Req => ({
  method,
  path,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const form = (path: string, fields: Record<string, string>): Req => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** Every workload, reads first: creates add top-level labels, and whole-workspace reads must not see them. */
export function workloads(workspaces: number, resourcesPerWs: number): Workload[] {
  const all = defined(workspaces, resourcesPerWs);
  return [...all.filter((w) => w.kind === 'read'), ...all.filter((w) => w.kind === 'write')];
}

function defined(workspaces: number, resourcesPerWs: number): Workload[] {
  const t = target(workspaces);
  // One sequence for every create of every workload: they all land among the same top-level siblings.
  let seq = 0;
  const unique = (_n: number) => `bench-${process.pid}-${++seq}`;
  const resource = (n: number) => String((n % resourcesPerWs) + 1);
  const b = {
    page: (): Req => ({ method: 'GET', path: `/b/labels?ws=${t.ws}` }),
    all: (): Req => ({ method: 'GET', path: `/b/labels/all?ws=${t.ws}` }),
    one: (): Req => ({ method: 'GET', path: `/b/labels/${t.leaf}` }),
    create: (n: number) => json('POST', `/b/labels?ws=${t.ws}`, { name: unique(n) }),
    /**
     * The baseline's side of an assign workload whose labelmux requests take resource(n * 4 + k): the same
     * resources, on a label of its own. Both servers then insert as many new rows per run (and find the same
     * ones already there on a rerun), and neither runs into rows the other inserted.
     */
    assign: (k: number) => (n: number) => json('POST', '/b/assign', { label: t.baselineAssigned, resource: Number(resource(n * 4 + k)) + (t.ws - 1) * resourcesPerWs }),
    resources: (): Req => ({ method: 'GET', path: `/b/labels/${t.leaf}/resources` }),
    span: (): Req => ({ method: 'GET', path: `/b/span?ws=${t.ws}&from=${Date.UTC(2024, 0, 1) / 1000}&to=${Date.UTC(2024, 0, 20) / 1000}` }),
    tree: (): Req => ({ method: 'GET', path: `/b/tree?ws=${t.ws}` }),
  };
  const live = { authorization: `Bearer lnx_${t.key}` };
  const jot = { apikey: t.key };
  const limbo = { authorization: `Bearer ${t.key}`, accept: 'application/vnd.api+json' };
  const rz = (method: string, extra: Record<string, string> = {}) =>
    `/global/api2/label.cfc?${new URLSearchParams({ method, api_key: `${t.ws}-${t.key}`, ...extra })}`;
  const dtd = (op: string, body: object) => json('POST', `/api/v1/labels/${op}`, { user_token: t.key, app_id: t.uuid, ...body });
  const w = (dialect: string, name: string, kind: Workload['kind'], single: boolean, labelmux: Workload['labelmux'], baseline: Workload['baseline']): Workload => ({
    dialect, name, kind, single, labelmux, baseline,
  });

  return [
    w('livestorm', 'list labels (all)', 'read', false, () => ({ method: 'GET', path: `/api/workspaces/${t.ws}/labels`, headers: live }), b.all),
    w('livestorm', 'create label', 'write', true, (n) => json('POST', `/api/workspaces/${t.ws}/labels`, { name: unique(n) }, live), b.create),
    w('livestorm', 'assign label', 'write', true, (n) => json('POST', `/api/workspaces/${t.ws}/library/${resource(n * 4)}/labels`, { label_id: t.assigned }, live), b.assign(0)),
    w('livestorm', "label's items (20)", 'read', false, () => ({ method: 'GET', path: `/api/workspaces/${t.ws}/library?label=${t.leaf}&limit=20&order=asc`, headers: live }), b.resources),

    w('jotform', 'full tree', 'read', false, () => ({ method: 'GET', path: '/API/user/labels', headers: jot }), b.tree),
    { ...w('jotform', 'full tree, 1 client', 'read', false, () => ({ method: 'GET', path: '/API/user/labels', headers: jot }), b.tree), connections: 1 },
    w('jotform', 'get label', 'read', true, () => ({ method: 'GET', path: `/API/label/${t.leaf}`, headers: jot }), b.one),
    w('jotform', 'create label', 'write', true, (n) => json('POST', '/API/label', { name: unique(n) }, jot), b.create),
    w('jotform', 'assign label', 'write', true, (n) => json('PUT', `/API/label/${t.assigned}/add-resources`, { resources: [{ id: resource(n * 4 + 1), type: 'form' }] }, jot), b.assign(1)),
    w('jotform', "label's resources (20)", 'read', false, () => ({ method: 'GET', path: `/API/label/${t.leaf}/resources?limit=20`, headers: jot }), b.resources),

    w('razuna', 'getall (with paths)', 'read', false, () => ({ method: 'GET', path: rz('getall') }), b.all),
    w('razuna', 'getlabel', 'read', true, () => ({ method: 'GET', path: rz('getlabel', { label_id: String(t.leaf) }) }), b.one),
    w('razuna', 'setlabel (create)', 'write', true, (n) => form(rz('setlabel'), { label_text: unique(n) }), b.create),
    w('razuna', 'setassetlabel', 'write', true, (n) => ({ method: 'GET', path: rz('setassetlabel', { label_id: String(t.assigned), asset_id: resource(n * 4 + 2), asset_type: 'img' }) }), b.assign(2)),
    w('razuna', 'getassetoflabel', 'read', false, () => ({ method: 'GET', path: rz('getassetoflabel', { label_id: String(t.leaf) }) }), b.resources),

    w('devtodev', 'get by id', 'read', true, () => dtd('get', { filter: { id: { eq: t.releases + 1 } } }), b.one),
    w('devtodev', 'filter on dates', 'read', false, () => dtd('get', { filter: { start_date: { gte: Date.UTC(2024, 0, 1) / 1000, lte: Date.UTC(2024, 0, 20) / 1000 } } }), b.span),
    w('devtodev', 'create label', 'write', true, (n) => dtd('create', { labels: [{ name: unique(n), category: 'Releases', start_date: 1_704_067_200 + n }] }), b.create),

    w('limbo', 'list (page of 20)', 'read', false, () => ({ method: 'GET', path: '/api/v1/labels?page%5Bsize%5D=20', headers: limbo }), b.page),
    w('limbo', 'list include=company', 'read', false, () => ({ method: 'GET', path: '/api/v1/labels?include=company&page%5Bsize%5D=20', headers: limbo }), b.page),
    w('limbo', 'get label', 'read', true, () => ({ method: 'GET', path: `/api/v1/labels/${t.leaf}`, headers: limbo }), b.one),
    w('limbo', 'create label', 'write', true, (n) =>
      json('POST', '/api/v1/labels', { data: { type: 'labels', attributes: { name: unique(n) }, relationships: { company: { data: { type: 'companies', id: String(t.ws) } } } } }, { ...limbo, 'content-type': 'application/vnd.api+json' }), b.create),
    w('limbo', 'assign product', 'write', true, (n) =>
      ({ ...json('POST', `/api/v1/labels/${t.assigned}/relationships/products`, { data: [{ type: 'products', id: resource(n * 4 + 3) }] }), headers: { ...limbo, 'content-type': 'application/vnd.api+json' } }), b.assign(3)),
    w('limbo', "label's products (20)", 'read', false, () => ({ method: 'GET', path: `/api/v1/labels/${t.leaf}/products?page%5Bsize%5D=20`, headers: limbo }), b.resources),
  ];
}
