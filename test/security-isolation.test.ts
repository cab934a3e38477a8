// Cross-workspace isolation (OWASP API1:2023, Broken Object Level Authorization) on every route of every
// dialect, enumerated from the app's route table (Razuna: every label.cfc method of its method table), so a
// new route is covered without touching this file: a route of a known dialect gets the dialect's generic
// request (its path parameters filled with workspace A's objects, the body the route's suffix implies).
//
// For each route, credentials of workspace B (B's workspace key, B's user-wide key, for limbo B's access
// token too) are presented against workspace A's objects, in each way the dialect can name them:
//  - "A's workspace": the request names A's workspace (Livestorm path id, devtodev app_id, Razuna key prefix)
//    and A's objects;
//  - "own workspace": the request names B's own workspace but A's objects (label, item, asset, category ids).
// Every answer must be a refusal in the dialect's shape where a foreign object is named (or, where the
// vendor's way is lenient — Razuna's list reads and `remove` — an answer without A's data), carry none of
// A's data, and leave A's labels, assignments, resources and events exactly as they were. A control request
// — the same request with A's own credential, rolled back afterwards — must be accepted, so the refusal is
// owed to isolation, not to a malformed request.
//
// Then revoked keys, keys of deleted users and expired access tokens are refused on every route of every
// dialect, as unauthenticated, changing nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHODS } from '../src/dialects/razuna/methods.js';
import type { SqliteStore } from '../src/db/index.js';
import type { RouteEntry } from '../src/http/types.js';
import { type Answer, SHAPES, oauth, razunaValue } from './dialect-shapes.js';
import { workspaceFingerprint } from './fuzz-support.js';
import { buildWorld, type World } from './reliability-world.js';
import { onPostgres, peekAll } from './test-store.js';

const JSONAPI = 'application/vnd.api+json';

interface Case {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** The request names an object of A (not only a list of the caller's own): it must be refused. */
  mustRefuse: boolean;
  /** How the request names A: the workspace itself, or A's objects from the caller's own workspace. */
  variant: 'A-workspace' | 'own-workspace';
}

/** The presented credential and the workspace it belongs to. */
interface Cred {
  name: string;
  key: string;
  workspaceId: number;
  uuid: string;
}

/** Workspace A's objects, as requests name them. */
interface Targets {
  workspaceId: number;
  uuid: string;
  top: number;
  annotation: number;
  category: string;
  item: string;
  asset: string;
  form: string;
  product: string;
}

let w: World;
let A: Targets;
const covered: Record<string, number> = {};
let requests = 0;

beforeAll(async () => {
  w = await buildWorld();
  // Objects only A has (B has items 1-3, form 230000000000001, a1, p1 too, with its own ids).
  await w.core.admin.upsertResources(w.a.workspaceId, [
    { type: 'library_item', externalId: '77', name: 'Alpha secret item' },
    { type: 'img', externalId: 'alpha-img', name: 'Alpha secret image' },
    { type: 'form', externalId: '770000000000077', name: 'Alpha secret form' },
    { type: 'product', externalId: 'alpha-product', name: 'Alpha secret product', status: 'active' },
  ]);
  const names = (
    await peekAll<{ name: string }>(
      w.store,
      'SELECT name FROM labels WHERE workspace_id = ? UNION SELECT name FROM resources WHERE workspace_id = ? AND name IS NOT NULL UNION SELECT name FROM workspaces WHERE id = ?',
      w.a.workspaceId, w.a.workspaceId, w.a.workspaceId,
    )
  ).map((r) => r.name);
  expect(names.every((n) => n.startsWith('Alpha'))).toBe(true);
  secrets = [...names, w.a.uuid, w.a.uuid.replaceAll('-', ''), w.a.ownerEmail];
  A = {
    workspaceId: w.a.workspaceId,
    uuid: w.a.uuid,
    top: w.a.labels.top,
    annotation: w.a.labels.annotation,
    category: 'Alpha releases',
    item: '77',
    asset: 'alpha-img',
    form: '770000000000077',
    product: 'alpha-product',
  };
});
afterAll(async () => {
  console.info(`isolation: ${JSON.stringify({ routesCovered: covered, requests })}`);
  await w?.close();
});

const json = (v: unknown) => JSON.stringify(v);
const fill = (url: string, params: Record<string, string | number>) =>
  url.replace(/:([A-Za-z]+)/g, (_m, p: string) => {
    if (!(p in params)) throw new Error(`no isolation value for path parameter :${p} of ${url}; add one to the dialect's builder`);
    return encodeURIComponent(String(params[p]));
  });

// ---- per dialect: the generic request for a route, naming A's objects the dialect's ways ----

function jotformCases(r: RouteEntry, c: Cred): Case[] {
  const suffix = r.url.replace(/^.*\/API(\/v1)?/, '');
  const body =
    r.method === 'POST' ? { name: 'Hijack', parent: String(A.top) } : suffix.endsWith('-resources') ? { resources: [{ id: A.form, type: 'form' }] } : r.method === 'PUT' ? { name: 'Hijack', color: '#000000' } : undefined;
  const url = fill(r.url, { id: A.top });
  // Jotform requests cannot name a workspace: the key's own is used, and every foreign id is refused.
  const mustRefuse = r.url.includes(':id') || r.method === 'POST';
  return [{ method: r.method, url, headers: { apikey: c.key, ...(body && { 'content-type': 'application/json' }) }, ...(body && { payload: json(body) }), mustRefuse, variant: 'A-workspace' }];
}

function livestormCases(r: RouteEntry, c: Cred): Case[] {
  const body = r.url.endsWith('/library/:itemId/labels') ? { label_id: A.top } : r.method === 'POST' || r.method === 'PATCH' ? { name: 'Hijack' } : undefined;
  const headers = { authorization: `Bearer lnx_${c.key}`, ...(body && { 'content-type': 'application/json' }) };
  const payload = body && { payload: json(body) };
  const namesObject = /:labelId|:itemId/.test(r.url) || r.url.endsWith('/library/:itemId/labels');
  return [
    { method: r.method, url: fill(r.url, { id: A.workspaceId, labelId: A.top, itemId: A.item }), headers, ...payload, mustRefuse: true, variant: 'A-workspace' },
    { method: r.method, url: fill(r.url, { id: c.workspaceId, labelId: A.top, itemId: A.item }), headers, ...payload, mustRefuse: namesObject, variant: 'own-workspace' },
  ];
}

function devtodevCases(r: RouteEntry, c: Cred): Case[] {
  const op = r.url.replace(/^.*\/api\/v1\/labels\//, '');
  const bodies: Record<string, { body: object; names: boolean }> = {
    get: { body: { filter: { id: { eq: [A.annotation] } } }, names: false },
    create: { body: { labels: [{ name: 'Hijack', category: 'Hijacked', start_date: 1_795_000_000 }] }, names: false },
    edit: { body: { label: { id: A.annotation, name: 'Hijack' } }, names: true },
    delete: { body: { ids: [A.annotation] }, names: true },
    'categories/get': { body: {}, names: false },
    'categories/delete': { body: { category: A.category }, names: true },
  };
  const { body, names } = bodies[op] ?? { body: {}, names: false };
  const req = (appId: string) => ({ method: r.method, url: r.url, headers: { 'content-type': 'application/json' }, payload: json({ user_token: c.key, app_id: appId, ...body }) });
  return [
    { ...req(A.uuid), mustRefuse: true, variant: 'A-workspace' },
    { ...req(c.uuid), mustRefuse: names, variant: 'own-workspace' },
  ];
}

/** Razuna: one route, many methods; each method's arguments name A's objects. */
function razunaCases(r: RouteEntry, c: Cred): Case[] {
  const args: Record<string, string> = {
    label_id: String(A.top),
    label_text: 'Hijack',
    asset_id: A.asset,
    asset_type: 'img',
    searchfor: 'alpha',
    label_type: 'assets',
  };
  // Methods that change a named label refuse a foreign one; reads answer without it (an unknown label is
  // simply absent) and `remove` ignores unknown ids, as the vendor's do.
  const refusing = new Set(['setlabel', 'setassetlabel', 'removeassetlabel']);
  return [...METHODS.values()].flatMap((m) => {
    const params = new URLSearchParams({ method: m.name, ...Object.fromEntries(m.required.map((a) => [a, args[a] ?? '1'])) });
    if (m.name === 'setlabel') params.set('label_id', String(A.top));
    const make = (apiKey: string, variant: Case['variant'], mustRefuse: boolean): Case => {
      const p = new URLSearchParams(params);
      p.set('api_key', apiKey);
      return r.method === 'POST'
        ? { method: 'POST', url: r.url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: p.toString(), mustRefuse, variant }
        : { method: r.method, url: `${r.url}?${p.toString()}`, headers: {}, mustRefuse, variant };
    };
    return [make(`${A.workspaceId}-${c.key}`, 'A-workspace', true), make(c.key, 'own-workspace', refusing.has(m.name))];
  });
}

function limboCases(r: RouteEntry, c: Cred): Case[] {
  if (r.url.endsWith('/oauth/token')) {
    // B's password cannot log in as A: the password grant for A's email with B's owner password.
    return [{ method: 'POST', url: r.url, headers: { 'content-type': 'application/json' }, payload: json({ grant_type: 'password', email: w.a.ownerEmail, password: 'not A\u2019s password' }), mustRefuse: true, variant: 'A-workspace' }];
  }
  const path = r.url.replace(/^.*\/api\/v1/, '');
  let body: object | undefined;
  if (path === '/labels' && r.method === 'POST') body = { data: { type: 'labels', attributes: { name: 'Hijack' }, relationships: { company: { data: { type: 'companies', id: String(A.workspaceId) } } } } };
  else if (path === '/labels/:id' && r.method === 'PATCH') body = { data: { type: 'labels', id: String(A.top), attributes: { name: 'Hijack' } } };
  else if (path.endsWith('/relationships/company') && r.method === 'PATCH') body = { data: { type: 'companies', id: String(A.workspaceId) } };
  else if (path.endsWith('/relationships/products') && r.method !== 'GET' && r.method !== 'HEAD') body = { data: [{ type: 'products', id: A.product }] };
  const id = path.startsWith('/companies') ? A.workspaceId : path.startsWith('/products') ? A.product : A.top;
  const headers = { authorization: `Bearer ${c.key}`, accept: JSONAPI, ...(body && { 'content-type': JSONAPI }) };
  // Lists (/labels, /companies, /products) answer the caller's own things; everything else names A's.
  const names = r.url.includes(':id') || r.method === 'POST';
  return [{ method: r.method, url: fill(r.url, { id }), headers, ...(body && { payload: json(body) }), mustRefuse: names, variant: 'A-workspace' }];
}

const BUILDERS: Record<string, (r: RouteEntry, c: Cred) => Case[]> = { jotform: jotformCases, livestorm: livestormCases, devtodev: devtodevCases, razuna: razunaCases, limbo: limboCases };

/**
 * A's data in any form an answer could leak it: label, resource and workspace names, the uuid (also as
 * Jotform's root label id), the owner's email — unless the request carried it itself (errors echo input).
 */
const leaks = (body: string, request: string) => secrets.some((secret) => body.includes(secret) && !request.includes(secret));
let secrets: string[] = [];

function answer(res: { statusCode: number; headers: Answer['headers']; body: string }): Answer {
  return { statusCode: res.statusCode, headers: res.headers, body: res.body };
}

/** Sends a case; returns the answer and whether it was refused, after the checks every case gets. */
async function send(dialect: string, r: RouteEntry, c: Case) {
  const res = await w.app.inject({ method: c.method as 'GET', url: c.url, headers: c.headers, ...(c.payload !== undefined && { payload: c.payload }) });
  requests++;
  const what = `${dialect} ${c.variant} ${c.method} ${c.url.slice(0, 200)} ${c.payload ?? ''} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, what).toBeLessThan(500);
  const shape = r.url.endsWith('/oauth/token') ? oauth : SHAPES[dialect]!;
  if (c.method === 'HEAD') return { res, refused: res.statusCode >= 400, what };
  const a = answer(res);
  const refused = shape.refused(a);
  if (refused) expect(() => shape.check(a), what).not.toThrow();
  return { res, refused, what };
}

const routes = (dialect: string) => w.app.routeTable.filter((r) => r.frontEnd === dialect);

describe('isolation (OWASP API1, BOLA): workspace B against workspace A on every route', () => {
  it('every front end with routes (but the admin API) has an isolation builder', () => {
    const frontEnds = new Set(w.app.routeTable.map((r) => r.frontEnd).filter((f) => f !== 'admin'));
    expect([...frontEnds].sort()).toEqual(Object.keys(BUILDERS).sort());
  });

  for (const dialect of Object.keys(BUILDERS)) {
    it(`${dialect}: every route refuses B's credentials on A's objects and changes nothing in A`, async () => {
      const list = routes(dialect);
      expect(list.length, `${dialect} has routes in the route table`).toBeGreaterThan(0);
      const creds: Cred[] = [
        { name: 'B workspace key', key: w.b.keys.owner, workspaceId: w.b.workspaceId, uuid: w.b.uuid },
        { name: 'B user-wide key', key: w.b.userWideKey, workspaceId: w.b.workspaceId, uuid: w.b.uuid },
        ...(dialect === 'limbo' ? [{ name: 'B access token', key: w.b.accessToken, workspaceId: w.b.workspaceId, uuid: w.b.uuid }] : []),
      ];
      const before = (await workspaceFingerprint(w.store, A.workspaceId));
      for (const r of list) {
        for (const c of creds) {
          for (const k of BUILDERS[dialect]!(r, c)) {
            const { res, refused, what } = await send(dialect, r, k);
            // HEAD answers carry no body: a refusal shows in the status, except Razuna's (200 for every outcome).
            if (k.mustRefuse && (k.method !== 'HEAD' || dialect !== 'razuna')) expect(refused, `not refused: ${c.name}: ${what}`).toBe(true);
            expect(leaks(res.body, `${k.url} ${k.payload ?? ''}`), `A's data leaked: ${c.name}: ${what}`).toBe(false);
            expect((await workspaceFingerprint(w.store, A.workspaceId)), `A changed: ${c.name}: ${what}`).toBe(before);
          }
        }
        covered[dialect] = (covered[dialect] ?? 0) + 1;
      }
    });

    // The controls write through A's credential inside a transaction the test rolls back: SQLite's one connection only.
    it.skipIf(onPostgres)(`${dialect}: the same requests with A's own credential are accepted (controls, rolled back)`, async () => {
      const own: Cred = { name: 'A owner key', key: dialect === 'limbo' ? w.a.accessToken : w.a.keys.owner, workspaceId: A.workspaceId, uuid: A.uuid };
      for (const r of routes(dialect)) {
        if (r.url.endsWith('/oauth/token')) continue; // its control is a good password: the login tests cover it
        for (const k of BUILDERS[dialect]!(r, own)) {
          if (!k.mustRefuse || k.variant !== 'A-workspace' || k.method === 'HEAD') continue;
          // Writes commit in groups at the end of an event-loop turn (a quota flush may have one open).
          const { sqlite } = w.store as SqliteStore;
          while (sqlite.inTransaction) await new Promise((done) => setImmediate(done));
          sqlite.exec('BEGIN');
          try {
            const { refused, what } = await send(dialect, r, k);
            expect(refused, `the control was refused, so the isolation case proves nothing: ${what}`).toBe(false);
          } finally {
            sqlite.exec('ROLLBACK');
          }
        }
      }
    });
  }
});

describe('revoked keys, deleted users and expired tokens are refused on every route of every dialect', () => {
  for (const dialect of Object.keys(BUILDERS)) {
    it(`${dialect}: refused as unauthenticated, changing nothing`, async () => {
      const dead: Cred[] = [
        { name: 'revoked key', key: w.revokedKey, workspaceId: A.workspaceId, uuid: A.uuid },
        { name: 'deleted user key', key: w.deletedUserKey, workspaceId: A.workspaceId, uuid: A.uuid },
        { name: 'expired access token', key: w.expiredToken, workspaceId: A.workspaceId, uuid: A.uuid },
      ];
      const before = (await workspaceFingerprint(w.store, A.workspaceId));
      for (const r of routes(dialect)) {
        if (r.url.endsWith('/oauth/token')) continue; // takes a password, not a key
        for (const c of dead) {
          for (const k of BUILDERS[dialect]!(r, c)) {
            if (k.variant !== 'A-workspace') continue;
            const { res, refused, what } = await send(dialect, r, k);
            if (k.method !== 'HEAD' || dialect !== 'razuna') expect(refused, `${c.name} accepted: ${what}`).toBe(true);
            expect(unauthenticated(dialect, res), `${c.name} not refused as unauthenticated: ${what}`).toBe(true);
            expect((await workspaceFingerprint(w.store, A.workspaceId)), `A changed: ${c.name}: ${what}`).toBe(before);
          }
        }
      }
    });
  }
});

/** The dialect's "who are you?" answer (not a 404 or 403 that would admit the credential exists). */
function unauthenticated(dialect: string, res: { statusCode: number; headers: Answer['headers']; body: string }): boolean {
  if (dialect === 'razuna') {
    if (res.statusCode !== 200) return false;
    if (!res.body) return true; // HEAD
    const v = razunaValue(answer(res));
    const message = v.kind === 'recordset' ? v.firstRow[1] : String(v.fields.message);
    return /^Login not valid!/.test(message ?? '');
  }
  if (dialect === 'devtodev') return res.statusCode === 401 && res.body.includes('"code":1');
  return res.statusCode === 401;
}
