// The limbo dialect against its documented behaviour (docs/dialects.md, docs/dialects/limbo.md): labels, relationships, companies, products, roles,
// moves between companies. Every JSON:API answer is schema-validated by limbo-helper's call().
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, createTenant, FIXED_NOW } from './helper.js';
import { assertJsonApi, login, multiUser, setup, type Env } from './limbo-helper.js';

let e: Env;
beforeAll(async () => {
  e = await setup();
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

const BASE = 'http://localhost:80/api/v1';
const DATE = '2026-11-22T10:01:02.000000Z';
const ALL_TRUE = { download: true, copy_scan: true, on_demand_stream: true, non_interactive_stream: true };
const NOT_FOUND = { jsonapi: { version: '1.0' }, errors: [{ status: '404', title: 'Not Found' }] };
const FORBIDDEN = { jsonapi: { version: '1.0' }, errors: [{ detail: 'This action is unauthorized.', status: '403', title: 'Forbidden' }] };

/** The label resource object exactly as the seed shows it. */
const labelObject = (id: string, name: string, description: string | null, usage = ALL_TRUE, created = DATE, updated = DATE) => ({
  type: 'labels',
  id,
  attributes: { name, usage, description, 'created-at': created, 'updated-at': updated },
  relationships: {
    company: { links: { related: `${BASE}/labels/${id}/company`, self: `${BASE}/labels/${id}/relationships/company` } },
    products: { links: { related: `${BASE}/labels/${id}/products`, self: `${BASE}/labels/${id}/relationships/products` } },
  },
  links: { self: `${BASE}/labels/${id}` },
});
const labelDoc = (object: ReturnType<typeof labelObject>) => ({ data: object, jsonapi: { version: '1.0' }, links: { self: object.links.self } });

const createBody = (name: string, company: number | string, extra: Record<string, unknown> = {}) => ({
  data: { type: 'labels', attributes: { name, ...extra }, relationships: { company: { data: { type: 'companies', id: String(company) } } } },
});
const events = async (ws: number) => e.t.core.admin.listEvents(ws, 0, 1000);

describe('labels', () => {
  it('creates a label: 201, Location, the seed document, usage defaulting to all four flags', async () => {
    const res = await e.call('POST', '/api/v1/labels', { body: createBody('label name 3', e.a.workspaceId, { description: 'label 3 description' }) });
    expect(res.statusCode).toBe(201);
    const id = res.doc.data.id;
    expect(id).toMatch(/^[1-9][0-9]*$/);
    expect(res.headers.location).toBe(`${BASE}/labels/${id}`);
    expect(res.body).toBe(JSON.stringify(labelDoc(labelObject(id, 'label name 3', 'label 3 description'))));
    const [event] = await events(e.a.workspaceId);
    expect(event).toMatchObject({ action: 'label.created', dialect: 'limbo', labelId: Number(id), actorUserId: e.a.userIds.owner });
  });

  it('keeps the usage flags given and defaults the others to true; no description reads as null', async () => {
    const id = await e.label('Partial', { usage: { download: false, on_demand_stream: false } });
    const res = await e.call('GET', `/api/v1/labels/${id}`);
    expect(res.doc.data.attributes).toEqual({
      name: 'Partial',
      usage: { download: false, copy_scan: true, on_demand_stream: false, non_interactive_stream: true },
      description: null,
      'created-at': DATE,
      'updated-at': DATE,
    });
  });

  it('lists labels with meta.page and first/last links exactly like the seed', async () => {
    const id = await e.label('label name', { description: 'label description' });
    const res = await e.call('GET', '/api/v1/labels');
    expect(res.statusCode).toBe(200);
    const page = (n: number) => `${BASE}/labels?page%5Bnumber%5D=${n}&page%5Bsize%5D=20`;
    expect(res.body).toBe(
      JSON.stringify({
        data: [labelObject(id, 'label name', 'label description')],
        meta: { page: { currentPage: 1, from: 1, lastPage: 1, perPage: 20, to: 1, total: 1 } },
        jsonapi: { version: '1.0' },
        links: { first: page(1), last: page(1) },
      }),
    );
  });

  it('reads one label; a missing, foreign or malformed id is the 404 document', async () => {
    const id = await e.label('Mine');
    const foreign = await e.label('Theirs', { ws: e.b.workspaceId, key: e.b.keys.owner });
    expect((await e.call('GET', `/api/v1/labels/${id}`)).body).toBe(JSON.stringify(labelDoc(labelObject(id, 'Mine', null))));
    for (const path of [foreign, '999999', 'abc', '0', '-1', '1.5', '99999999999999999999']) {
      const res = await e.call('GET', `/api/v1/labels/${path}`);
      expect(res.statusCode, path).toBe(404);
      expect(res.doc).toEqual(NOT_FOUND);
    }
  });

  it('updates only what is sent: name, description, usage flags merged into the stored ones', async () => {
    const id = await e.label('Old', { usage: { download: false }, description: 'keep me' });
    e.t.clock.now += 5000;
    const res = await e.call('PATCH', `/api/v1/labels/${id}`, { body: { data: { type: 'labels', id, attributes: { name: 'New', usage: { copy_scan: false } } } } });
    expect(res.statusCode).toBe(200);
    const usage = { download: false, copy_scan: false, on_demand_stream: true, non_interactive_stream: true };
    expect(res.body).toBe(JSON.stringify(labelDoc(labelObject(id, 'New', 'keep me', usage, DATE, '2026-11-22T10:01:07.000000Z'))));
    const cleared = await e.call('PATCH', `/api/v1/labels/${id}`, { body: { data: { type: 'labels', id, attributes: { description: null } } } });
    expect(cleared.doc.data.attributes.description).toBeNull();
    expect(cleared.doc.data.attributes.name).toBe('New');
    const actions = (await events(e.a.workspaceId)).map((x) => x.action);
    expect(actions).toEqual(['label.created', 'label.updated', 'label.updated']);
  });

  it('a PATCH that changes nothing writes no event and keeps updated-at', async () => {
    const id = await e.label('Same');
    e.t.clock.now += 5000;
    const res = await e.call('PATCH', `/api/v1/labels/${id}`, { body: { data: { type: 'labels', id, attributes: { name: 'Same' } } } });
    expect(res.doc.data.attributes['updated-at']).toBe(DATE);
    expect(await events(e.a.workspaceId)).toHaveLength(1);
  });

  it('deletes: 204 with an empty body, then 404; its assignments go with it', async () => {
    await e.products(e.a.workspaceId, [{ id: 'p1', name: 'Album' }]);
    const id = await e.label('Doomed');
    await e.call('POST', `/api/v1/labels/${id}/relationships/products`, { body: { data: [{ type: 'products', id: 'p1' }] } });
    const res = await e.call('DELETE', `/api/v1/labels/${id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await e.call('GET', `/api/v1/labels/${id}`)).statusCode).toBe(404);
    expect((await e.call('DELETE', `/api/v1/labels/${id}`)).doc).toEqual(NOT_FOUND);
    const product = await e.t.core.resources.get(await actor(), { type: 'product', externalId: 'p1' });
    expect(product.labels).toEqual([]);
  });

  it('sibling names are unique, case-insensitively: 422 on the name', async () => {
    await e.label('Unique');
    const res = await e.call('POST', '/api/v1/labels', { body: createBody('UNIQUE', e.a.workspaceId) });
    expect(res.statusCode).toBe(422);
    expect(res.doc).toEqual({
      jsonapi: { version: '1.0' },
      errors: [{ detail: 'The name has already been taken.', source: { pointer: '/data/attributes/name' }, status: '422', title: 'Unprocessable Entity' }],
    });
  });

  it('creating in a company the credential does not see: 404 on the company relationship, nothing created', async () => {
    for (const company of [e.b.workspaceId, 999999, 'abc']) {
      const res = await e.call('POST', '/api/v1/labels', { body: createBody('Nope', company) });
      expect(res.statusCode).toBe(404);
      expect(res.doc).toEqual({
        jsonapi: { version: '1.0' },
        errors: [{ detail: 'The related resource does not exist.', source: { pointer: '/data/relationships/company' }, status: '404', title: 'Not Found' }],
      });
    }
    expect(await events(e.b.workspaceId)).toEqual([]);
  });
});

const actor = async (ws = e.a.workspaceId, key = e.a.keys.owner) => e.t.core.auth.actorForKey(key, { id: ws }, 'test');

describe('roles', () => {
  it('every role reads; only owners and admins create, update and delete (403 document)', async () => {
    const id = await e.label('Guarded');
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
      expect((await e.call('GET', `/api/v1/labels/${id}`, { key: e.a.keys[role] })).statusCode).toBe(200);
    }
    for (const role of ['member', 'viewer'] as const) {
      const key = e.a.keys[role];
      const created = await e.call('POST', '/api/v1/labels', { key, body: createBody(`By ${role}`, e.a.workspaceId) });
      expect(created.statusCode).toBe(403);
      expect(created.doc).toEqual(FORBIDDEN);
      const patched = await e.call('PATCH', `/api/v1/labels/${id}`, { key, body: { data: { type: 'labels', id, attributes: { name: 'x' } } } });
      expect(patched.doc).toEqual(FORBIDDEN);
      expect((await e.call('DELETE', `/api/v1/labels/${id}`, { key })).doc).toEqual(FORBIDDEN);
    }
    expect((await e.call('POST', '/api/v1/labels', { key: e.a.keys.admin, body: createBody('By admin', e.a.workspaceId) })).statusCode).toBe(201);
    expect(await events(e.a.workspaceId)).toHaveLength(2);
  });

  it('members change product linkage; viewers may not', async () => {
    await e.products(e.a.workspaceId, [{ id: 'p1' }]);
    const id = await e.label('Linked');
    const body = { data: [{ type: 'products', id: 'p1' }] };
    expect((await e.call('POST', `/api/v1/labels/${id}/relationships/products`, { key: e.a.keys.member, body })).statusCode).toBe(204);
    const viewer = await e.call('DELETE', `/api/v1/labels/${id}/relationships/products`, { key: e.a.keys.viewer, body });
    expect(viewer.statusCode).toBe(403);
    expect(viewer.doc).toEqual(FORBIDDEN);
  });
});

describe('moving a label to another company', () => {
  it('moves with its products: re-linked to the same ids there, created if missing; both logs record it', async () => {
    const { key } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'admin'],
    ]);
    await e.products(e.a.workspaceId, [{ id: 'p1', name: 'Album', status: 'live', attributes: { upc: '0001' } }, { id: 'p2', name: 'Single A' }]);
    await e.products(e.b.workspaceId, [{ id: 'p2', name: 'Single B' }]);
    const id = await e.label('Traveller', { key });
    await e.call('POST', `/api/v1/labels/${id}/relationships/products`, { key, body: { data: [{ type: 'products', id: 'p1' }, { type: 'products', id: 'p2' }] } });
    const res = await e.call('PATCH', `/api/v1/labels/${id}?include=company,products`, {
      key,
      body: { data: { type: 'labels', id, relationships: { company: { data: { type: 'companies', id: String(e.b.workspaceId) } } } } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.doc.data.relationships.company.data).toEqual({ type: 'companies', id: String(e.b.workspaceId) });
    // A user-wide key spans companies: its product ids name the company, here the target one.
    const inB = (x: string) => `${e.b.workspaceId}-${x}`;
    expect(res.doc.data.relationships.products.data).toEqual([{ type: 'products', id: inB('p1') }, { type: 'products', id: inB('p2') }]);
    expect(res.doc.included.map((r: any) => [r.type, r.id, r.attributes.name])).toEqual([
      ['companies', String(e.b.workspaceId), 'Beta Music'],
      ['products', inB('p1'), 'Album'],
      ['products', inB('p2'), 'Single B'],
    ]);
    const related = await e.call('GET', `/api/v1/labels/${id}/products`, { key });
    expect(related.doc.data.map((r: any) => [r.id, r.attributes.name, r.links.self])).toEqual([
      [inB('p1'), 'Album', `${BASE}/products/${inB('p1')}`],
      [inB('p2'), 'Single B', `${BASE}/products/${inB('p2')}`],
    ]);
    // B's own key now sees it; A's does not. The copied product keeps its attributes.
    expect((await e.call('GET', `/api/v1/labels/${id}`, { key: e.b.keys.viewer })).statusCode).toBe(200);
    expect((await e.call('GET', `/api/v1/labels/${id}`, { key: e.a.keys.owner })).statusCode).toBe(404);
    const copied = await e.call('GET', '/api/v1/products/p1', { key: e.b.keys.viewer });
    expect(copied.doc.data.attributes).toMatchObject({ name: 'Album', status: 'live', upc: '0001' });
    const aProduct = await e.t.core.resources.get(await actor(), { type: 'product', externalId: 'p1' });
    expect(aProduct.labels).toEqual([]);
    for (const ws of [e.a.workspaceId, e.b.workspaceId]) {
      const moved = (await events(ws)).filter((x) => x.action === 'label.moved');
      expect(moved).toHaveLength(1);
      expect(moved[0]).toMatchObject({ labelId: Number(id), before: { workspace_id: e.a.workspaceId }, after: { workspace_id: e.b.workspaceId } });
    }
  });

  it('needs owner/admin in the target company (403) and a company it sees (404); nothing moves', async () => {
    const { key } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'member'],
    ]);
    const id = await e.label('Stays', { key });
    const body = (ws: number) => ({ data: { type: 'labels', id, relationships: { company: { data: { type: 'companies', id: String(ws) } } } } });
    expect((await e.call('PATCH', `/api/v1/labels/${id}`, { key, body: body(e.b.workspaceId) })).doc).toEqual(FORBIDDEN);
    const other = await e.t.core.admin.createWorkspace('Hidden');
    const hidden = await e.call('PATCH', `/api/v1/labels/${id}`, { key, body: body(other.id) });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.doc.errors[0].source).toEqual({ pointer: '/data/relationships/company' });
    expect((await e.call('GET', `/api/v1/labels/${id}/relationships/company`, { key })).doc.data.id).toBe(String(e.a.workspaceId));
  });

  it('a label with sub-labels (made by another dialect) cannot move: 422', async () => {
    const { key } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'owner'],
    ]);
    const id = await e.label('Parent', { key });
    await e.t.core.labels.create(await actor(), { name: 'Child', parentId: Number(id) });
    const res = await e.call('PATCH', `/api/v1/labels/${id}/relationships/company`, { key, body: { data: { type: 'companies', id: String(e.b.workspaceId) } } });
    expect(res.statusCode).toBe(422);
    expect(res.doc.errors).toEqual([
      { detail: 'The company field cannot change: the label has sub-labels in its company.', source: { pointer: '/data' }, status: '422', title: 'Unprocessable Entity' },
    ]);
  });

  it('a name taken among the target company top-level labels is refused', async () => {
    const { key } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'owner'],
    ]);
    await e.label('Twin', { key, ws: e.b.workspaceId });
    const id = await e.label('Twin', { key });
    const res = await e.call('PATCH', `/api/v1/labels/${id}/relationships/company`, { key, body: { data: { type: 'companies', id: String(e.b.workspaceId) } } });
    expect(res.statusCode).toBe(422);
    expect(res.doc.errors[0]).toEqual({ detail: 'The company already has a label with this name.', source: { pointer: '/data' }, status: '422', title: 'Unprocessable Entity' });
  });
});

describe('relationships', () => {
  it('company: related resource and linkage documents', async () => {
    const id = await e.label('Rel');
    const related = await e.call('GET', `/api/v1/labels/${id}/company`);
    expect(related.body).toBe(
      JSON.stringify({
        data: { type: 'companies', id: String(e.a.workspaceId), attributes: { name: 'Acme Records' }, links: { self: `${BASE}/companies/${e.a.workspaceId}` } },
        jsonapi: { version: '1.0' },
        links: { self: `${BASE}/labels/${id}/company` },
      }),
    );
    const linkage = await e.call('GET', `/api/v1/labels/${id}/relationships/company`);
    expect(linkage.body).toBe(
      JSON.stringify({
        data: { type: 'companies', id: String(e.a.workspaceId) },
        jsonapi: { version: '1.0' },
        links: { self: `${BASE}/labels/${id}/relationships/company`, related: `${BASE}/labels/${id}/company` },
      }),
    );
    expect((await e.call('GET', '/api/v1/labels/999999/company')).doc).toEqual(NOT_FOUND);
  });

  it('PATCH relationships/company moves the label (204); a null or wrongly typed linkage is 422', async () => {
    const { key } = await multiUser(e, [
      [e.a.workspaceId, 'admin'],
      [e.b.workspaceId, 'owner'],
    ]);
    const id = await e.label('Hop', { key });
    const url = `/api/v1/labels/${id}/relationships/company`;
    const nulled = await e.call('PATCH', url, { key, body: { data: null } });
    expect(nulled.doc.errors).toEqual([{ detail: 'The company field is required.', source: { pointer: '/data' }, status: '422', title: 'Unprocessable Entity' }]);
    const typed = await e.call('PATCH', url, { key, body: { data: { type: 'products', id: '1' } } });
    expect(typed.doc.errors).toEqual([
      { detail: 'The company field must be a to-one relationship containing companies resources.', source: { pointer: '/data' }, status: '422', title: 'Unprocessable Entity' },
    ]);
    const missing = await e.call('PATCH', url, { key, body: { data: { type: 'companies', id: '999999' } } });
    expect(missing.doc.errors).toEqual([{ detail: 'The related resource does not exist.', source: { pointer: '/data' }, status: '404', title: 'Not Found' }]);
    const res = await e.call('PATCH', url, { key, body: { data: { type: 'companies', id: String(e.b.workspaceId) } } });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await e.call('GET', url, { key })).doc.data).toEqual({ type: 'companies', id: String(e.b.workspaceId) });
  });

  it('products: add, read (related and linkage, paged), remove, replace; each change is an event', async () => {
    await e.products(e.a.workspaceId, [
      { id: 'p1', name: 'Album', status: 'live' },
      { id: 'p2', name: 'Single', status: 'draft' },
      { id: 'p3', name: 'EP', status: 'draft' },
    ]);
    const id = await e.label('Catalogue');
    const url = `/api/v1/labels/${id}/relationships/products`;
    const ids = (...list: string[]) => ({ data: list.map((x) => ({ type: 'products', id: x })) });
    expect((await e.call('POST', url, { body: ids('p1', 'p2', 'p1') })).statusCode).toBe(204);
    expect((await e.call('POST', url, { body: ids('p2') })).statusCode).toBe(204); // already there: no-op
    const linkage = await e.call('GET', `${url}?page[size]=1&page[number]=2`);
    expect(linkage.body).toBe(
      JSON.stringify({
        data: [{ type: 'products', id: 'p2' }],
        meta: { page: { currentPage: 2, from: 2, lastPage: 2, perPage: 1, to: 2, total: 2 } },
        jsonapi: { version: '1.0' },
        links: {
          self: `${BASE}${url.slice(7)}`,
          related: `${BASE}/labels/${id}/products`,
          first: `${BASE}${url.slice(7)}?page%5Bnumber%5D=1&page%5Bsize%5D=1`,
          last: `${BASE}${url.slice(7)}?page%5Bnumber%5D=2&page%5Bsize%5D=1`,
          prev: `${BASE}${url.slice(7)}?page%5Bnumber%5D=1&page%5Bsize%5D=1`,
        },
      }),
    );
    const related = await e.call('GET', `/api/v1/labels/${id}/products?sort=-name`);
    expect(related.doc.data.map((p: any) => [p.id, p.attributes.name, p.attributes.status])).toEqual([
      ['p2', 'Single', 'draft'],
      ['p1', 'Album', 'live'],
    ]);
    expect((await e.call('DELETE', url, { body: ids('p1', 'p3') })).statusCode).toBe(204);
    expect((await e.call('GET', url)).doc.data).toEqual([{ type: 'products', id: 'p2' }]);
    expect((await e.call('PATCH', url, { body: ids('p3', 'p1') })).statusCode).toBe(204);
    expect((await e.call('GET', url)).doc.data).toEqual([
      { type: 'products', id: 'p1' },
      { type: 'products', id: 'p3' },
    ]);
    expect((await e.call('PATCH', url, { body: { data: [] } })).statusCode).toBe(204);
    expect((await e.call('GET', url)).doc.data).toEqual([]);
    const actions = (await events(e.a.workspaceId)).map((x) => x.action);
    expect(actions).toEqual(['label.created', 'label.assigned', 'label.assigned', 'label.unassigned', 'label.unassigned', 'label.assigned', 'label.assigned', 'label.unassigned', 'label.unassigned']);
  });

  it('an unknown (or other company) product id is 404 at its index, and nothing changes', async () => {
    await e.products(e.a.workspaceId, [{ id: 'p1' }]);
    await e.products(e.b.workspaceId, [{ id: 'theirs' }]);
    const id = await e.label('Strict');
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      const res = await e.call(method, `/api/v1/labels/${id}/relationships/products`, {
        body: { data: [{ type: 'products', id: 'p1' }, { type: 'products', id: 'theirs' }] },
      });
      expect(res.statusCode, method).toBe(404);
      expect(res.doc).toEqual({
        jsonapi: { version: '1.0' },
        errors: [{ detail: 'The related resource does not exist.', source: { pointer: '/data/1' }, status: '404', title: 'Not Found' }],
      });
    }
    expect((await e.call('GET', `/api/v1/labels/${id}/relationships/products`)).doc.data).toEqual([]);
    expect(await events(e.a.workspaceId)).toHaveLength(1);
  });
});

describe('companies and products', () => {
  it('companies are the workspaces the credential sees', async () => {
    const res = await e.call('GET', '/api/v1/companies');
    expect(res.body).toBe(
      JSON.stringify({
        data: [{ type: 'companies', id: String(e.a.workspaceId), attributes: { name: 'Acme Records' }, links: { self: `${BASE}/companies/${e.a.workspaceId}` } }],
        meta: { page: { currentPage: 1, from: 1, lastPage: 1, perPage: 20, to: 1, total: 1 } },
        jsonapi: { version: '1.0' },
        links: { first: `${BASE}/companies?page%5Bnumber%5D=1&page%5Bsize%5D=20`, last: `${BASE}/companies?page%5Bnumber%5D=1&page%5Bsize%5D=20` },
      }),
    );
    expect((await e.call('GET', `/api/v1/companies/${e.a.workspaceId}`)).doc.data.attributes).toEqual({ name: 'Acme Records' });
    for (const id of [String(e.b.workspaceId), '999999', 'x']) expect((await e.call('GET', `/api/v1/companies/${id}`)).doc).toEqual(NOT_FOUND);
    const { key } = await multiUser(e, [
      [e.b.workspaceId, 'viewer'],
      [e.a.workspaceId, 'viewer'],
    ]);
    const both = await e.call('GET', '/api/v1/companies?sort=-name', { key });
    expect(both.doc.data.map((c: any) => c.attributes.name)).toEqual(['Beta Music', 'Acme Records']);
  });

  it('products are resources of type product, with their free attributes; other types are not products', async () => {
    await e.products(e.a.workspaceId, [{ id: '42', name: 'Greatest Hits', status: 'live', attributes: { upc: '0724', 'release-date': '2024-01-01', id: 'shadow', 'bad key': 1 } }]);
    await e.t.core.admin.upsertResources(e.a.workspaceId, [{ type: 'form', externalId: 'f1', name: 'A form' }]);
    const res = await e.call('GET', '/api/v1/products/42');
    expect(res.body).toBe(
      JSON.stringify({
        data: {
          type: 'products',
          id: '42',
          attributes: { name: 'Greatest Hits', status: 'live', 'created-at': DATE, 'updated-at': DATE, upc: '0724', 'release-date': '2024-01-01' },
          links: { self: `${BASE}/products/42` },
        },
        jsonapi: { version: '1.0' },
        links: { self: `${BASE}/products/42` },
      }),
    );
    expect((await e.call('GET', '/api/v1/products')).doc.data.map((p: any) => p.id)).toEqual(['42']);
    expect((await e.call('GET', '/api/v1/products/f1')).doc).toEqual(NOT_FOUND);
    expect((await e.call('GET', '/api/v1/products/42', { key: e.b.keys.owner })).doc).toEqual(NOT_FOUND);
  });

  it('products: filters, sort, paging; each company’s product of one id is its own product, named <company>-<id>', async () => {
    await e.products(e.a.workspaceId, [
      { id: 'a', name: 'Zeta', status: 'live' },
      { id: 'b', name: 'alpha', status: 'draft' },
      { id: 'shared', name: 'From A', status: 'live' },
    ]);
    await e.products(e.b.workspaceId, [{ id: 'shared', name: 'From B', status: 'live' }, { id: 'c', name: 'Mid', status: 'live' }]);
    const { key } = await multiUser(e, [
      [e.a.workspaceId, 'viewer'],
      [e.b.workspaceId, 'viewer'],
    ]);
    const [A, B] = [(x: string) => `${e.a.workspaceId}-${x}`, (x: string) => `${e.b.workspaceId}-${x}`];
    const all = await e.call('GET', '/api/v1/products?sort=name', { key });
    expect(all.doc.data.map((p: any) => [p.id, p.attributes.name])).toEqual([
      [A('b'), 'alpha'],
      [A('shared'), 'From A'],
      [B('shared'), 'From B'],
      [B('c'), 'Mid'],
      [A('a'), 'Zeta'],
    ]);
    expect(all.doc.meta.page.total).toBe(5);
    // sort=id: by company, then external id.
    const live = await e.call('GET', '/api/v1/products?filter[status]=live&sort=-id&page[size]=2', { key });
    expect(live.doc.data.map((p: any) => p.id)).toEqual([B('shared'), B('c')]);
    expect(live.doc.meta.page).toEqual({ currentPage: 1, from: 1, lastPage: 2, perPage: 2, to: 2, total: 4 });
    expect((await e.call('GET', '/api/v1/products?filter[name]=ZETA', { key })).doc.data.map((p: any) => p.id)).toEqual([A('a')]);
    expect((await e.call('GET', '/api/v1/products?filter[name]=from%20b', { key })).doc.data.map((p: any) => p.id)).toEqual([B('shared')]);
    // Each company's product by its id; a bare external id only where one company has it.
    const one = await e.call('GET', `/api/v1/products/${B('shared')}`, { key });
    expect(one.doc.data).toMatchObject({ type: 'products', id: B('shared'), attributes: { name: 'From B' }, links: { self: `${BASE}/products/${B('shared')}` } });
    expect((await e.call('GET', `/api/v1/products/${A('shared')}`, { key })).doc.data.attributes.name).toBe('From A');
    expect((await e.call('GET', '/api/v1/products/shared', { key })).doc).toEqual(NOT_FOUND);
    expect((await e.call('GET', '/api/v1/products/c', { key })).doc.data).toMatchObject({ id: B('c'), attributes: { name: 'Mid' } });
    // A workspace key keeps bare ids, and reads the qualified form of its own company's products too.
    expect((await e.call('GET', '/api/v1/products?sort=id', { key: e.b.keys.viewer })).doc.data.map((p: any) => p.id)).toEqual(['c', 'shared']);
    expect((await e.call('GET', `/api/v1/products/${B('shared')}`, { key: e.b.keys.viewer })).doc.data).toMatchObject({ id: 'shared', attributes: { name: 'From B' } });
    expect((await e.call('GET', `/api/v1/products/${A('shared')}`, { key: e.b.keys.viewer })).doc).toEqual(NOT_FOUND);
  });
});

describe('one product id in two companies (credentials spanning companies)', () => {
  /** Product 1001 in A and in B, a label in each, and an OAuth access token of a user in both. */
  async function twoCompanies() {
    await e.products(e.a.workspaceId, [{ id: '1001', name: 'A album', status: 'live' }, { id: '7', name: 'A single' }]);
    await e.products(e.b.workspaceId, [{ id: '1001', name: 'B album', status: 'draft' }]);
    const { user, password } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'owner'],
    ]);
    const { access } = await login(e, user.email, password);
    const la = await e.label('Label A', { key: access, ws: e.a.workspaceId });
    const lb = await e.label('Label B', { key: access, ws: e.b.workspaceId });
    return { access, la, lb, A: (x: string) => `${e.a.workspaceId}-${x}`, B: (x: string) => `${e.b.workspaceId}-${x}` };
  }
  const rel = (id: string) => `/api/v1/labels/${id}/relationships/products`;
  const ids = (...list: string[]) => ({ data: list.map((x) => ({ type: 'products', id: x })) });

  it('a bare external id in linkage is the product of the label’s own company; linkage reads back qualified ids', async () => {
    const { access, la, lb, A, B } = await twoCompanies();
    expect((await e.call('POST', rel(la), { key: access, body: ids('1001') })).statusCode).toBe(204);
    expect((await e.call('POST', rel(lb), { key: access, body: ids('1001') })).statusCode).toBe(204);
    expect((await e.call('GET', rel(la), { key: access })).doc.data).toEqual([{ type: 'products', id: A('1001') }]);
    expect((await e.call('GET', rel(lb), { key: access })).doc.data).toEqual([{ type: 'products', id: B('1001') }]);
    expect((await e.call('GET', `/api/v1/labels/${lb}/products`, { key: access })).doc.data.map((p: any) => [p.id, p.attributes.name])).toEqual([[B('1001'), 'B album']]);
    // Qualified ids: add, replace and remove; the two forms of one product are one product.
    expect((await e.call('POST', rel(la), { key: access, body: ids(A('7'), '7') })).statusCode).toBe(204);
    expect((await e.call('GET', rel(la), { key: access })).doc.data).toEqual([
      { type: 'products', id: A('1001') },
      { type: 'products', id: A('7') },
    ]);
    expect((await e.call('PATCH', rel(la), { key: access, body: ids(A('7')) })).statusCode).toBe(204);
    expect((await e.call('GET', rel(la), { key: access })).doc.data).toEqual([{ type: 'products', id: A('7') }]);
    expect((await e.call('DELETE', rel(la), { key: access, body: ids(A('7')) })).statusCode).toBe(204);
    expect((await e.call('GET', rel(la), { key: access })).doc.data).toEqual([]);
    // The label's events name the product by its external id, in the label's company.
    expect((await events(e.b.workspaceId)).filter((x) => x.action === 'label.assigned').map((x) => x.after)).toEqual([{ resource: { type: 'product', id: '1001' } }]);
  });

  it('another company’s product (qualified with it) cannot be linked: 404 at its index, nothing changes', async () => {
    const { access, la, B } = await twoCompanies();
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      const res = await e.call(method, rel(la), { key: access, body: ids('1001', B('1001')) });
      expect(res.statusCode, method).toBe(404);
      expect(res.doc.errors).toEqual([{ detail: 'The related resource does not exist.', source: { pointer: '/data/1' }, status: '404', title: 'Not Found' }]);
    }
    expect((await e.call('GET', rel(la), { key: access })).doc.data).toEqual([]);
  });

  it('include=products: one included product per company, each label linked to its own', async () => {
    const { access, la, lb, A, B } = await twoCompanies();
    await e.call('POST', rel(la), { key: access, body: ids(A('1001')) });
    await e.call('POST', rel(lb), { key: access, body: ids(B('1001')) });
    const res = await e.call('GET', '/api/v1/labels?include=products&sort=id', { key: access });
    expect(res.doc.data.map((l: any) => [l.id, l.relationships.products.data])).toEqual([
      [la, [{ type: 'products', id: A('1001') }]],
      [lb, [{ type: 'products', id: B('1001') }]],
    ]);
    expect(res.doc.included.map((p: any) => [p.type, p.id, p.attributes.name, p.links.self])).toEqual([
      ['products', A('1001'), 'A album', `${BASE}/products/${A('1001')}`],
      ['products', B('1001'), 'B album', `${BASE}/products/${B('1001')}`],
    ]);
    const one = await e.call('GET', `/api/v1/labels/${lb}?include=products`, { key: access });
    expect(one.doc.included.map((p: any) => p.id)).toEqual([B('1001')]);
    // Product filters on labels stay per label: B's draft product matches only B's label.
    const drafts = await e.call('GET', '/api/v1/labels?filter[products][status]=draft', { key: access });
    expect(drafts.doc.data.map((l: any) => l.id)).toEqual([lb]);
    // A's workspace key sees the same label with the bare id it always had.
    const old = await e.call('GET', `/api/v1/labels/${la}?include=products`, { key: e.a.keys.viewer });
    expect(old.doc.data.relationships.products.data).toEqual([{ type: 'products', id: '1001' }]);
    expect(old.doc.included.map((p: any) => [p.id, p.links.self])).toEqual([['1001', `${BASE}/products/1001`]]);
  });

  it('GET /products/:id: each company’s product by its qualified id; the bare id is ambiguous here (404)', async () => {
    const { access, A, B } = await twoCompanies();
    expect((await e.call('GET', `/api/v1/products/${A('1001')}`, { key: access })).doc.data.attributes.name).toBe('A album');
    expect((await e.call('GET', `/api/v1/products/${B('1001')}`, { key: access })).doc.data.attributes.name).toBe('B album');
    expect((await e.call('GET', '/api/v1/products/1001', { key: access })).doc).toEqual(NOT_FOUND);
    expect((await e.call('GET', '/api/v1/products/7', { key: access })).doc.data.id).toBe(A('7'));
    expect((await e.call('GET', '/api/v1/products', { key: access })).doc.data.map((p: any) => p.id)).toEqual([A('1001'), B('1001'), A('7')]);
  });

  it('an external id shaped like a qualified id is still found, in the credential’s own form first', async () => {
    // "<company>-x" as an external id of that very company, beside product "x".
    const tricky = `${e.a.workspaceId}-x`;
    await e.products(e.a.workspaceId, [{ id: 'x', name: 'Plain x' }, { id: tricky, name: 'Tricky' }]);
    const { user, password } = await multiUser(e, [[e.a.workspaceId, 'owner']]);
    const { access } = await login(e, user.email, password);
    // The workspace key's own form is the bare id; the token's is the qualified one.
    expect((await e.call('GET', `/api/v1/products/${encodeURIComponent(tricky)}`, { key: e.a.keys.viewer })).doc.data.attributes.name).toBe('Tricky');
    expect((await e.call('GET', `/api/v1/products/${encodeURIComponent(tricky)}`, { key: access })).doc.data.attributes.name).toBe('Plain x');
    expect((await e.call('GET', `/api/v1/products/${e.a.workspaceId}-${encodeURIComponent(tricky)}`, { key: access })).doc.data.attributes.name).toBe('Tricky');
    const id = await e.label('Tricky label');
    expect((await e.call('POST', rel(id), { body: ids(tricky) })).statusCode).toBe(204);
    expect((await e.call('GET', rel(id), { key: access })).doc.data).toEqual([{ type: 'products', id: `${e.a.workspaceId}-${tricky}` }]);
  });
});

describe('authentication', () => {
  const UNAUTHENTICATED = { jsonapi: { version: '1.0' }, errors: [{ detail: 'Unauthenticated.', status: '401', title: 'Unauthorized' }] };

  it('missing, malformed, unknown and revoked credentials are 401 on every endpoint', async () => {
    const revoked = await e.t.core.admin.createApiKey({ userId: e.a.userIds.owner, workspaceId: e.a.workspaceId });
    await e.t.core.admin.revokeApiKey(revoked.info.id);
    const keys: (string | null)[] = [null, 'nope', '0'.repeat(32), revoked.key, 'x'.repeat(43)];
    for (const key of keys) {
      for (const [method, url] of [['GET', '/api/v1/labels'], ['POST', '/api/v1/labels'], ['GET', '/api/v1/companies'], ['DELETE', '/api/v1/labels/1']]) {
        const res = await e.call(method!, url!, { key });
        expect(res.statusCode, `${method} ${url} ${key}`).toBe(401);
        expect(res.doc).toEqual(UNAUTHENTICATED);
      }
    }
    const basic = await e.call('GET', '/api/v1/labels', { key: null, headers: { authorization: `Basic ${e.a.keys.owner}` } });
    expect(basic.statusCode).toBe(401);
  });

  it('a workspace key grants its one workspace; a user-wide key all of its user', async () => {
    const { user, key } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'owner'],
    ]);
    const scoped = (await e.t.core.admin.createApiKey({ userId: user.id, workspaceId: e.b.workspaceId })).key;
    await e.label('In A', { key });
    await e.label('In B', { key, ws: e.b.workspaceId });
    const names = async (k: string) => (await e.call('GET', '/api/v1/labels?sort=name', { key: k })).doc.data.map((l: any) => l.attributes.name);
    expect(await names(key)).toEqual(['In A', 'In B']);
    expect(await names(scoped)).toEqual(['In B']);
    expect(await names(e.a.keys.viewer)).toEqual(['In A']);
  });

  it('deleting the user stops its keys at once', async () => {
    const { user, key } = await multiUser(e, [[e.a.workspaceId, 'owner']]);
    expect((await e.call('GET', '/api/v1/labels', { key })).statusCode).toBe(200);
    await e.t.core.admin.deleteUser(user.id);
    expect((await e.call('GET', '/api/v1/labels', { key })).statusCode).toBe(401);
  });

  it('labels made before now keep their created-at', async () => {
    const id = await e.label('Early');
    e.t.clock.now = FIXED_NOW + 86_400_000;
    expect((await e.call('GET', `/api/v1/labels/${id}`)).doc.data.attributes['created-at']).toBe(DATE);
  });
});

describe('mounting', () => {
  it('a configured prefix moves every route and every link', async () => {
    const t = await buildTestApp({ LABELMUX_LIMBO_PREFIX: '/beat' });
    try {
      const tenant = await createTenant(t.core, 'Prefixed');
      const headers = { authorization: `Bearer ${tenant.keys.owner}`, 'content-type': 'application/vnd.api+json' };
      const payload = { data: { type: 'labels', attributes: { name: 'P' }, relationships: { company: { data: { type: 'companies', id: String(tenant.workspaceId) } } } } };
      const res = await t.app.inject({ method: 'POST', url: '/beat/api/v1/labels', headers, payload });
      expect(res.statusCode).toBe(201);
      expect(res.headers.location).toBe(`http://localhost:80/beat/api/v1/labels/${res.json().data.id}`);
      assertJsonApi(res.json());
      const list = await t.app.inject({ method: 'GET', url: '/beat/api/v1/labels', headers });
      expect(list.json().links.first).toBe('http://localhost:80/beat/api/v1/labels?page%5Bnumber%5D=1&page%5Bsize%5D=20');
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/labels', headers })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: '/beat/oauth/token', payload: {} })).statusCode).toBe(400);
    } finally {
      await t.close();
    }
  });
});
