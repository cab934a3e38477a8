// The benchmark's workloads: each pairs a labelmux request (through one dialect) with the raw baseline's
// baselines' request for the same query. Ids refer to the data bench/seed.ts or bench/grow.ts builds.
import type { GrownInfo } from './grow.js';
import type { LoadOptions } from './harness.js';
import { benchKey, benchUuid, LEAVES, MIDS, RELEASES, TOPS } from './seed.js';

export interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
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
  /** A whole-workspace answer (runs under the heavy-read limit). */
  heavy?: boolean;
  /** A run's length and a request's timeout, when not BENCH_DURATION and 10 s. */
  load?: LoadOptions;
  /** Concurrent connections, when not BENCH_CONNECTIONS (the 1-client tree measures latency, not throughput). */
  connections?: number;
  /** Builds the n-th request (writes vary names and resources per request). */
  labelmux: (n: number) => Req;
  baseline: (n: number) => Req;
}

const LABELS_PER_WS = TOPS * (1 + MIDS * (1 + LEAVES)) + 1 + RELEASES;

/** What the workloads address: the workspace under load, its key, and the labels and resources they use. */
export interface Target {
  ws: number;
  key: string;
  uuid: string;
  /** Read by every read workload (a tag with assignments). */
  leaf: number;
  /** The write workloads assign this one, so reads stay comparable. */
  assigned: number;
  /** The baselines' assigns, so neither server meets rows the other wrote. */
  baselineAssigned: number;
  /** A timed label (devtodev get by id). */
  timed: number;
  /** External ids 1..n are resources of the workspace. */
  externalIds: number;
  /** The baselines' resource ids for request n (internal ids, the same resources labelmux's requests take). */
  baseResource: (n: number) => number;
  /** Grown databases only: a user-wide key over every workspace, its user, and users to delete. */
  grown?: { userKey: string; userId: number; spareUsers: [number, number]; adminToken: string };
}

/** The seeded databases' target: the middle workspace at large scale, so nothing is warm by accident. */
export function target(workspaces: number, resourcesPerWs = 0): Target {
  const ws = Math.ceil(workspaces / 2);
  const first = (ws - 1) * LABELS_PER_WS + 1;
  // Topic 0 → Group 0.0 → Tag 0.0.0 is read; Tag 0.0.1 assigned by labelmux, Tag 0.0.2 by the baselines.
  const releases = first + TOPS * (1 + MIDS * (1 + LEAVES));
  return {
    ws, key: benchKey(ws), uuid: benchUuid(ws), leaf: first + 2, assigned: first + 3, baselineAssigned: first + 4, timed: releases + 1,
    externalIds: resourcesPerWs, baseResource: (n) => (n % resourcesPerWs) + 1 + (ws - 1) * resourcesPerWs,
  };
}

/** A grown database's target (bench/grow.ts), with the admin token the bench starts labelmux with. */
export function grownTarget(g: GrownInfo, adminToken: string): Target {
  const n = g.resourcesPerType;
  return {
    ws: g.ws, key: g.key, uuid: g.uuid, leaf: g.leaf, assigned: g.assigned, baselineAssigned: g.baselineAssigned, timed: g.timed,
    externalIds: n, baseResource: (i) => g.firstResource + (i % (n * 4)),
    grown: { userKey: g.userKey, userId: g.owner, spareUsers: g.spareUsers, adminToken },
  };
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

/**
 * Every workload, reads first: creates add labels (thousands per run at 1k), and reads must meet the level's
 * workspace, not one the write runs grew. On grown databases (`mixWrites`) the whole-workspace reads come first of
 * all, and one request in ten of every other read workload is a write (an assignment to the label the page reads
 * read), so whatever a server remembers about totals is recounted while it serves.
 */
/** Users one admin-delete run deletes: the grown database's 20,000 spare users cover both sides' runs twice over. */
const ADMIN_DELETES = 4000;

export function workloads(t: Target, mixWrites = false): Workload[] {
  const all = defined(t);
  if (!mixWrites) return [...all.filter((w) => w.kind === 'read'), ...all.filter((w) => w.kind === 'write')];
  // Whole-workspace answers take seconds at 100k labels: a few clients, runs of at least 15 s and a long timeout,
  // so each run completes several and none is abandoned and sent again.
  const mix = mixer(t);
  const heavyLoad = { duration: Math.max(15, Number(process.env.BENCH_DURATION ?? 5)), timeout: 120 };
  const order = (w: Workload) => (w.heavy ? 0 : w.kind === 'read' ? 1 : 2);
  return [...all]
    .sort((a, b) => order(a) - order(b))
    .map((w) =>
      w.heavy ? { ...w, connections: w.connections ?? 4, load: heavyLoad } : w.kind === 'read' ? { ...w, labelmux: mix(w.labelmux, 'labelmux'), baseline: mix(w.baseline, 'baseline') } : w,
    );
}

/**
 * One request in ten becomes an assignment of a new resource to the label the reads read, on every server: a
 * label's page then grows as fast (per request) on the baselines as on labelmux (each server has its own copy of
 * the database). With the baselines' writes going to another label, labelmux's read label reached 4,557
 * assignments in one run while the baselines' stayed at 200.
 */
function mixer(t: Target) {
  let seq = 0;
  return (read: (n: number) => Req, side: 'labelmux' | 'baseline') => (n: number): Req => {
    if (n % 10 !== 9) return read(n);
    if (side === 'baseline') return json('POST', `/b/assign-new?ws=${t.ws}`, { label: t.leaf, resource: `mix-${process.pid}-${++seq}` }, { 'x-bench-key': t.key });
    return json('PUT', `/API/label/${t.leaf}/add-resources`, { resources: [{ id: `mix-${process.pid}-${++seq}`, type: 'form' }] }, { apikey: t.key });
  };
}

function defined(t: Target): Workload[] {
  // One sequence for every create of every workload: they all land among the same top-level siblings.
  let seq = 0;
  const unique = (_n: number) => `bench-${process.pid}-${++seq}`;
  const resource = (n: number) => String((n % t.externalIds) + 1);
  const bk = { 'x-bench-key': t.key };
  const get = (path: string): Req => ({ method: 'GET', path, headers: bk });
  const post = (path: string, body: unknown): Req => json('POST', path, body, bk);
  const b = {
    create: (n: number) => post(`/b/labels?ws=${t.ws}`, { name: unique(n) }),
    /**
     * The baselines' side of an assign workload whose labelmux requests take resource(n * 4 + k): the same
     * resources, on a label of their own. Both servers then insert as many new rows per run (and find the same
     * ones already there on a rerun), and neither runs into rows the other inserted.
     */
    assign: (k: number) => (n: number) => post('/b/assign', { label: t.baselineAssigned, resource: t.baseResource(n * 4 + k) }),
    /** Assign on even requests, remove the same pair on odd ones. */
    toggle: (n: number) => post(n % 2 === 0 ? '/b/assign' : '/b/unassign', { label: t.baselineAssigned, resource: t.baseResource(n >> 1) }),
    /** toggle on the resources assign(k) takes: none of the other assign workloads' (the k-th of every four). */
    toggleAt: (k: number) => (n: number) => post(n % 2 === 0 ? '/b/assign' : '/b/unassign', { label: t.baselineAssigned, resource: t.baseResource((n >> 1) * 4 + k) }),
    // The reads below are answered per dialect (bench/baseline-answers.ts): under the contract, with what the
    // dialect's answer holds, in its envelope.
    tree: () => get(`/b/jotform/tree?ws=${t.ws}`),
    razunaLabels: () => get(`/b/razuna/labels?ws=${t.ws}`),
    livestormLabels: () => get(`/b/livestorm/labels?ws=${t.ws}`),
    livestormItems: () => get(`/b/livestorm/labels/${t.leaf}/items?ws=${t.ws}`),
    libraryByName: () => get(`/b/livestorm/library-by-name?ws=${t.ws}`),
    jotLabel: () => get(`/b/jotform/labels/${t.leaf}`),
    jotResources: () => get(`/b/jotform/labels/${t.leaf}/resources`),
    rzLabel: () => get(`/b/razuna/labels/${t.leaf}`),
    rzAssets: () => get(`/b/razuna/labels/${t.leaf}/assets`),
    /** devtodev's reads: POSTs whose JSON body carries the filter, as devtodev's clients send them. */
    dtdGet: () => post('/b/devtodev/get', { user_token: t.key, app_id: t.uuid, filter: { id: { eq: t.timed } } }),
    dtdSpan: () => post(`/b/devtodev/span?ws=${t.ws}`, { user_token: t.key, app_id: t.uuid, filter: { start_date: { gte: Date.UTC(2024, 0, 1) / 1000, lte: Date.UTC(2024, 0, 20) / 1000 } } }),
    categories: () => post(`/b/devtodev/categories?ws=${t.ws}`, { user_token: t.key, app_id: t.uuid }),
    limboPage: () => get(`/b/limbo/labels?ws=${t.ws}&page%5Bsize%5D=20`),
    limboPageCompany: () => get(`/b/limbo/labels?ws=${t.ws}&include=company&page%5Bsize%5D=20`),
    limboLabel: () => get(`/b/limbo/labels/${t.leaf}`),
    limboLabelProducts: () => get(`/b/limbo/labels/${t.leaf}/products?page%5Bsize%5D=20`),
    products: () => get(`/b/limbo/products?ws=${t.ws}&page%5Bsize%5D=20`),
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

  const list: Workload[] = [
    { ...w('livestorm', 'list labels (all)', 'read', false, () => ({ method: 'GET', path: `/api/workspaces/${t.ws}/labels`, headers: live }), b.livestormLabels), heavy: true },
    w('livestorm', 'create label', 'write', true, (n) => json('POST', `/api/workspaces/${t.ws}/labels`, { name: unique(n) }, live), b.create),
    // Each assign workload re-assigns once it has gone round a small workspace's resources (126 of a type at 1k):
    // its toggle, measured first, inserts and deletes a pair on every request at every size.
    w('livestorm', 'assign/remove label', 'write', true, (n) =>
      n % 2 === 0
        ? json('POST', `/api/workspaces/${t.ws}/library/${resource(n >> 1)}/labels`, { label_id: t.assigned }, live)
        : { method: 'DELETE', path: `/api/workspaces/${t.ws}/library/${resource(n >> 1)}/labels/${t.assigned}`, headers: live }, b.toggleAt(0)),
    w('livestorm', 'assign label', 'write', true, (n) => json('POST', `/api/workspaces/${t.ws}/library/${resource(n * 4)}/labels`, { label_id: t.assigned }, live), b.assign(0)),
    w('livestorm', "label's items (20)", 'read', false, () => ({ method: 'GET', path: `/api/workspaces/${t.ws}/library?label=${t.leaf}&limit=20&order=asc`, headers: live }), b.livestormItems),

    { ...w('jotform', 'full tree', 'read', false, () => ({ method: 'GET', path: '/API/user/labels', headers: jot }), b.tree), heavy: true },
    { ...w('jotform', 'full tree, 1 client', 'read', false, () => ({ method: 'GET', path: '/API/user/labels', headers: jot }), b.tree), connections: 1, heavy: true },
    w('jotform', 'get label', 'read', true, () => ({ method: 'GET', path: `/API/label/${t.leaf}`, headers: jot }), b.jotLabel),
    w('jotform', 'create label', 'write', true, (n) => json('POST', '/API/label', { name: unique(n) }, jot), b.create),
    w('jotform', 'add/remove-resources', 'write', true, (n) =>
      json('PUT', `/API/label/${t.assigned}/${n % 2 === 0 ? 'add' : 'remove'}-resources`, { resources: [{ id: resource(n >> 1), type: 'form' }] }, jot), b.toggleAt(1)),
    w('jotform', 'assign label', 'write', true, (n) => json('PUT', `/API/label/${t.assigned}/add-resources`, { resources: [{ id: resource(n * 4 + 1), type: 'form' }] }, jot), b.assign(1)),
    w('jotform', "label's resources (20)", 'read', false, () => ({ method: 'GET', path: `/API/label/${t.leaf}/resources?limit=20`, headers: jot }), b.jotResources),

    { ...w('razuna', 'getall (with paths)', 'read', false, () => ({ method: 'GET', path: rz('getall') }), b.razunaLabels), heavy: true },
    w('razuna', 'getlabel', 'read', true, () => ({ method: 'GET', path: rz('getlabel', { label_id: String(t.leaf) }) }), b.rzLabel),
    w('razuna', 'setlabel (create)', 'write', true, (n) => form(rz('setlabel'), { label_text: unique(n) }), b.create),
    w('razuna', 'setassetlabel', 'write', true, (n) => ({ method: 'GET', path: rz('setassetlabel', { label_id: String(t.assigned), asset_id: resource(n * 4 + 2), asset_type: 'img' }) }), b.assign(2)),
    w('razuna', 'getassetoflabel', 'read', false, () => ({ method: 'GET', path: rz('getassetoflabel', { label_id: String(t.leaf) }) }), b.rzAssets),

    w('devtodev', 'get by id', 'read', true, () => dtd('get', { filter: { id: { eq: t.timed } } }), b.dtdGet),
    w('devtodev', 'filter on dates', 'read', false, () => dtd('get', { filter: { start_date: { gte: Date.UTC(2024, 0, 1) / 1000, lte: Date.UTC(2024, 0, 20) / 1000 } } }), b.dtdSpan),
    w('devtodev', 'create label', 'write', true, (n) => dtd('create', { labels: [{ name: unique(n), category: 'Releases', start_date: 1_704_067_200 + n }] }), b.create),

    w('limbo', 'list (page of 20)', 'read', false, () => ({ method: 'GET', path: '/api/v1/labels?page%5Bsize%5D=20', headers: limbo }), b.limboPage),
    w('limbo', 'list include=company', 'read', false, () => ({ method: 'GET', path: '/api/v1/labels?include=company&page%5Bsize%5D=20', headers: limbo }), b.limboPageCompany),
    w('limbo', 'get label', 'read', true, () => ({ method: 'GET', path: `/api/v1/labels/${t.leaf}`, headers: limbo }), b.limboLabel),
    w('limbo', 'create label', 'write', true, (n) =>
      json('POST', '/api/v1/labels', { data: { type: 'labels', attributes: { name: unique(n) }, relationships: { company: { data: { type: 'companies', id: String(t.ws) } } } } }, { ...limbo, 'content-type': 'application/vnd.api+json' }), b.create),
    w('limbo', 'assign/remove product', 'write', true, (n) =>
      ({ ...json(n % 2 === 0 ? 'POST' : 'DELETE', `/api/v1/labels/${t.assigned}/relationships/products`, { data: [{ type: 'products', id: resource(n >> 1) }] }), headers: { ...limbo, 'content-type': 'application/vnd.api+json' } }), b.toggleAt(3)),
    w('limbo', 'assign product', 'write', true, (n) =>
      ({ ...json('POST', `/api/v1/labels/${t.assigned}/relationships/products`, { data: [{ type: 'products', id: resource(n * 4 + 3) }] }), headers: { ...limbo, 'content-type': 'application/vnd.api+json' } }), b.assign(3)),
    w('limbo', "label's products (20)", 'read', false, () => ({ method: 'GET', path: `/api/v1/labels/${t.leaf}/products?page%5Bsize%5D=20`, headers: limbo }), b.limboLabelProducts),
  ];
  // Added for grown databases: routes whose cost grew with the workspace on a grown database.
  const toggle = (n: number) => (n % 2 === 0 ? 'setassetlabel' : 'removeassetlabel');
  list.push(
    w('razuna', 'set/removeassetlabel', 'write', true, (n) => ({ method: 'GET', path: rz(toggle(n), { label_id: String(t.assigned), asset_id: resource(n >> 1), ...(n % 2 === 0 && { asset_type: 'img' }) }) }), b.toggle),
    w('devtodev', 'categories/get', 'read', false, () => dtd('categories/get', {}), b.categories),
    w('limbo', 'products (page of 20)', 'read', false, () => ({ method: 'GET', path: '/api/v1/products?page%5Bsize%5D=20', headers: limbo }), b.products),
    w('livestorm', 'library by name (20)', 'read', false, () => ({ method: 'GET', path: `/api/workspaces/${t.ws}/library?sort=name&order=asc&limit=20`, headers: live }), b.libraryByName),
  );
  const g = t.grown;
  if (g) {
    // labelmux deletes the even spare users, the baselines the odd ones, counting on across runs so no user
    // is deleted twice: each run deletes a fixed number (a 5 s run at 14k req/s had used up the 10,000 and
    // measured refusals of users already gone).
    const deleted = [0, 0];
    const spare = (k: 0 | 1) => g.spareUsers[0] + 2 * deleted[k]!++ + k;
    list.push(
      w('limbo', 'list by name, user-wide key', 'read', false, () => ({ method: 'GET', path: '/api/v1/labels?sort=name&page%5Bsize%5D=20', headers: { ...limbo, authorization: `Bearer ${g.userKey}` } }), () => get(`/b/limbo/labels-by-name?user=${g.userId}`)),
      {
        ...w('admin', 'delete a user', 'write', true, () => ({ method: 'DELETE', path: `/_admin/users/${spare(0)}`, headers: { authorization: `Bearer ${g.adminToken}` } }), () => ({ method: 'DELETE', path: `/b/users/${spare(1)}`, headers: bk })),
        load: { amount: ADMIN_DELETES },
      },
    );
  }
  return list;
}
