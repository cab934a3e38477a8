// limbo query parameters: every filter, sort, page (meta.page and links), include (compound documents),
// sparse fieldsets, and a 400 "Invalid Query Parameter" naming anything unsupported.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { multiUser, setup, type Env } from './limbo-helper.js';

let e: Env;
beforeAll(async () => {
  e = await setup();
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

const BASE = 'http://localhost:80/api/v1';
const names = async (query: string, key?: string) => {
  const res = await e.call('GET', `/api/v1/labels${query}`, key ? { key } : {});
  expect(res.statusCode, res.body).toBe(200);
  return res.doc.data.map((l: any) => l.attributes?.name ?? l.id);
};
const invalid = (parameter: string, detail: string) => ({ detail, source: { parameter }, status: '400', title: 'Invalid Query Parameter' });

/** Three labels in A: two with products. */
async function catalogue() {
  await e.products(e.a.workspaceId, [
    { id: 'p1', name: 'Greatest Hits', status: 'live' },
    { id: 'p2', name: 'B-Sides', status: 'draft' },
  ]);
  const ids: string[] = [];
  for (const name of ['Bravo', 'alpha', 'Charlie']) {
    ids.push(await e.label(name));
    e.t.clock.now += 1000;
  }
  const link = (id: string, ...products: string[]) =>
    e.call('POST', `/api/v1/labels/${id}/relationships/products`, { body: { data: products.map((p) => ({ type: 'products', id: p })) } });
  await link(ids[0]!, 'p1', 'p2');
  await link(ids[1]!, 'p2');
  return ids;
}

describe('filters', () => {
  it('filter[name] is exact (case-insensitive); filter[id] and filter[label-ids] select ids, intersected', async () => {
    const [bravo, alpha, charlie] = await catalogue();
    expect(await names('?filter[name]=BRAVO')).toEqual(['Bravo']);
    expect(await names('?filter[name]=brav')).toEqual([]);
    expect(await names(`?filter[id]=${alpha}`)).toEqual(['alpha']);
    expect(await names(`?filter[label-ids]=${charlie},${bravo},999999`)).toEqual(['Bravo', 'Charlie']);
    expect(await names(`?filter[label-ids]=${charlie},${bravo}&filter[id]=${bravo},${alpha}`)).toEqual(['Bravo']);
  });

  it('filter[products][name|status], filter[has-products], filter[has-company]', async () => {
    await catalogue();
    expect(await names('?filter[products][name]=b-sides&sort=name')).toEqual(['alpha', 'Bravo']);
    expect(await names('?filter[products][status]=live')).toEqual(['Bravo']);
    expect(await names('?filter[products][name]=B-Sides&filter[products][status]=live')).toEqual([]);
    expect(await names('?filter[has-products]=true&sort=name')).toEqual(['alpha', 'Bravo']);
    expect(await names('?filter[has-products]=false')).toEqual(['Charlie']);
    expect(await names('?filter[has-products]=0')).toEqual(['Charlie']);
    expect(await names('?filter[has-company]=true&sort=name')).toEqual(['alpha', 'Bravo', 'Charlie']);
    expect(await names('?filter[has-company]=false')).toEqual([]);
  });

  it('labels made by other dialects (nested ones too) are listed; other workspaces never are', async () => {
    await e.label('Top');
    const actor = await e.t.core.auth.actorForKey(e.a.keys.owner, { id: e.a.workspaceId }, 'test');
    const parent = await e.t.core.labels.create(actor, { name: 'Jotform parent' });
    await e.t.core.labels.create(actor, { name: 'Nested', parentId: parent.id });
    await e.label('Hidden', { ws: e.b.workspaceId, key: e.b.keys.owner });
    expect(await names('?sort=name')).toEqual(['Jotform parent', 'Nested', 'Top']);
  });
});

describe('sort', () => {
  it('sorts by name, created-at, updated-at and id, ascending or descending, several keys', async () => {
    const [bravo, alpha, charlie] = await catalogue();
    expect(await names('?sort=name')).toEqual(['alpha', 'Bravo', 'Charlie']);
    expect(await names('?sort=-name')).toEqual(['Charlie', 'Bravo', 'alpha']);
    expect(await names('?sort=-created-at')).toEqual(['Charlie', 'alpha', 'Bravo']);
    expect(await names('?sort=-id')).toEqual(['Charlie', 'alpha', 'Bravo']);
    expect(await names('')).toEqual(['Bravo', 'alpha', 'Charlie']);
    await e.call('PATCH', `/api/v1/labels/${alpha}`, { body: { data: { type: 'labels', id: alpha, attributes: { description: 'touched' } } } });
    expect(await names('?sort=-updated-at,name')).toEqual(['alpha', 'Charlie', 'Bravo']);
    expect([bravo, charlie]).toHaveLength(2);
  });
});

describe('pagination', () => {
  it('meta.page and first/last/prev/next links keep the other parameters, brackets encoded', async () => {
    for (const n of ['l1', 'l2', 'l3', 'l4', 'l5']) await e.label(n);
    const res = await e.call('GET', '/api/v1/labels?filter[name]=l2&sort=name&page[number]=1&page[size]=1&fields[labels]=name');
    expect(res.doc.meta).toEqual({ page: { currentPage: 1, from: 1, lastPage: 1, perPage: 1, to: 1, total: 1 } });
    const mid = await e.call('GET', '/api/v1/labels?sort=name&page[size]=2&page[number]=2&fields[labels]=name&apiVersion=a%20b');
    expect(mid.doc.meta).toEqual({ page: { currentPage: 2, from: 3, lastPage: 3, perPage: 2, to: 4, total: 5 } });
    expect(mid.doc.data.map((l: any) => l.attributes.name)).toEqual(['l3', 'l4']);
    const link = (n: number) => `${BASE}/labels?sort=name&fields%5Blabels%5D=name&apiVersion=a%20b&page%5Bnumber%5D=${n}&page%5Bsize%5D=2`;
    expect(mid.doc.links).toEqual({ first: link(1), last: link(3), prev: link(2 - 1), next: link(3) });
    expect(Object.keys(mid.doc.links)).toEqual(['first', 'last', 'prev', 'next']);
  });

  it('an empty page has from and to 0; past the last page there is prev but no next', async () => {
    expect((await e.call('GET', '/api/v1/labels')).doc.meta.page).toEqual({ currentPage: 1, from: 0, lastPage: 1, perPage: 20, to: 0, total: 0 });
    await e.label('only');
    const past = await e.call('GET', '/api/v1/labels?page[number]=3');
    expect(past.doc.data).toEqual([]);
    expect(past.doc.meta.page).toEqual({ currentPage: 3, from: 0, lastPage: 1, perPage: 20, to: 0, total: 1 });
    expect(past.doc.links.prev).toBe(`${BASE}/labels?page%5Bnumber%5D=2&page%5Bsize%5D=20`);
    expect(past.doc.links.next).toBeUndefined();
  });

  it('pages through hundreds of labels across two companies with exact totals', async () => {
    const { key } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'owner'],
    ]);
    const actors = [
      await e.t.core.auth.actorForKey(e.a.keys.owner, { id: e.a.workspaceId }, 'test'),
      await e.t.core.auth.actorForKey(e.b.keys.owner, { id: e.b.workspaceId }, 'test'),
    ];
    for (let i = 0; i < 250; i++) await e.t.core.labels.create(actors[i % 2]!, { name: `n${String(i).padStart(3, '0')}` });
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await e.call('GET', `/api/v1/labels?sort=name&page[size]=100&page[number]=${page}`, { key });
      expect(res.doc.meta.page.total).toBe(250);
      seen.push(...res.doc.data.map((l: any) => l.attributes.name));
    }
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => `n${String(i).padStart(3, '0')}`));
  });
});

describe('include and sparse fieldsets', () => {
  it('include=company,products: full linkage and each included resource once', async () => {
    const [bravo, alpha, charlie] = await catalogue();
    const res = await e.call('GET', '/api/v1/labels?include=company,products');
    const linkage = res.doc.data.map((l: any) => [l.id, l.relationships.company.data.id, l.relationships.products.data.map((p: any) => p.id)]);
    const ws = String(e.a.workspaceId);
    expect(linkage).toEqual([
      [bravo, ws, ['p1', 'p2']],
      [alpha, ws, ['p2']],
      [charlie, ws, []],
    ]);
    expect(res.doc.included.map((r: any) => `${r.type}:${r.id}`)).toEqual([`companies:${ws}`, 'products:p1', 'products:p2']);
    expect(res.doc.included[1]).toEqual({
      type: 'products',
      id: 'p1',
      attributes: { name: 'Greatest Hits', status: 'live', 'created-at': '2026-11-22T10:01:02.000000Z', 'updated-at': '2026-11-22T10:01:02.000000Z' },
      links: { self: `${BASE}/products/p1` },
    });
    const one = await e.call('GET', `/api/v1/labels/${bravo}?include=products`);
    expect(one.doc.data.relationships.company.data).toBeUndefined();
    expect(one.doc.included.map((r: any) => r.id)).toEqual(['p1', 'p2']);
    const created = await e.call('POST', '/api/v1/labels?include=company', {
      body: { data: { type: 'labels', attributes: { name: 'New' }, relationships: { company: { data: { type: 'companies', id: ws } } } } },
    });
    expect(created.doc.included).toEqual([{ type: 'companies', id: ws, attributes: { name: 'Acme Records' }, links: { self: `${BASE}/companies/${ws}` } }]);
  });

  it('fields[labels] / fields[companies] / fields[products] keep only the fields asked for', async () => {
    const [bravo] = await catalogue();
    const res = await e.call('GET', `/api/v1/labels/${bravo}?fields[labels]=name,usage`);
    expect(res.doc.data).toEqual({
      type: 'labels',
      id: bravo,
      attributes: { name: 'Bravo', usage: { download: true, copy_scan: true, on_demand_stream: true, non_interactive_stream: true } },
      links: { self: `${BASE}/labels/${bravo}` },
    });
    const mixed = await e.call('GET', `/api/v1/labels/${bravo}?include=company,products&fields[labels]=company&fields[companies]=&fields[products]=status`);
    expect(mixed.doc.data.attributes).toBeUndefined();
    expect(Object.keys(mixed.doc.data.relationships)).toEqual(['company']);
    expect(mixed.doc.included[0]).toEqual({ type: 'companies', id: String(e.a.workspaceId), links: { self: `${BASE}/companies/${e.a.workspaceId}` } });
    expect(mixed.doc.included[1].attributes).toEqual({ status: 'live' });
  });
});

describe('unsupported query parameters: 400 Invalid Query Parameter naming them', () => {
  const cases: [string, ReturnType<typeof invalid>[]][] = [
    ['filter[foo]=1', [invalid('filter', 'Filter parameter foo is not allowed.')]],
    ['filter[foo]=1&filter[bar]=2', [invalid('filter', 'Filter parameters bar, foo are not allowed.')]],
    ['filter[products][foo]=x', [invalid('filter', 'Filter parameter products.foo is not allowed.')]],
    ['filter[products]=x', [invalid('filter.products', 'The filter.products field must be an object with name and/or status.')]],
    ['filter[label-ids]=a,b', [invalid('filter.label-ids', 'The filter.label-ids field must be a comma-separated list of label ids.')]],
    ['filter[id]=1,,2', [invalid('filter.id', 'The filter.id field must be a comma-separated list of label ids.')]],
    ['filter[has-products]=maybe', [invalid('filter.has-products', 'The filter.has-products field must be true or false.')]],
    ['filter[name][x]=1', [invalid('filter.name', 'The filter.name field must be a string.')]],
    [`filter[name]=${'x'.repeat(256)}`, [invalid('filter.name', 'The filter.name field must not be greater than 255 characters.')]],
    ['filter=1', [invalid('filter', 'Filter parameters must contain only allowed ones.')]],
    ['filter[name=1', [invalid('filter', 'Filter parameters must contain only allowed ones.')]],
    ['page[size][x]=1', [invalid('page', 'Page parameters must contain only allowed ones.')]],
    ['include[0]=company', [invalid('include', 'The include field must be a string.')]],
    ['sort=foo', [invalid('sort', 'Sort parameter foo is not allowed.')]],
    ['sort=-foo,name,-bar', [invalid('sort', 'Sort parameters bar, foo are not allowed.')]],
    ['include=foo', [invalid('include', 'Include path foo is not allowed.')]],
    ['include=company.owner', [invalid('include', 'Include path company.owner is not allowed.')]],
    ['fields[labels]=name,foo', [invalid('fields', 'Sparse field set labels.foo is not allowed.')]],
    ['fields[foo]=bar', [invalid('fields', 'Sparse field set foo.bar is not allowed.')]],
    ['page[foo]=1', [invalid('page', 'Page parameter foo is not allowed.')]],
    ['page[size]=0', [invalid('page.size', 'The page.size field must be between 1 and 100.')]],
    ['page[size]=101', [invalid('page.size', 'The page.size field must be between 1 and 100.')]],
    ['page[size]=abc', [invalid('page.size', 'The page.size field must be an integer.')]],
    ['page[size]=1.5', [invalid('page.size', 'The page.size field must be an integer.')]],
    ['page[number]=0', [invalid('page.number', 'The page.number field must be at least 1.')]],
    ['page[number]=-3', [invalid('page.number', 'The page.number field must be at least 1.')]],
    ['page[number]=99999999999', [invalid('page.number', 'The page.number field must not be greater than 10000000.')]],
    ['foo=1', [invalid('foo', 'Parameter foo is not allowed.')]],
    ['sort=foo&page[size]=0&filter[x]=1', [invalid('filter', 'Filter parameter x is not allowed.'), invalid('page.size', 'The page.size field must be between 1 and 100.'), invalid('sort', 'Sort parameter foo is not allowed.')]],
  ];
  for (const [query, errors] of cases) {
    it(`GET /labels?${query.slice(0, 60)}`, async () => {
      const res = await e.call('GET', `/api/v1/labels?${query}`);
      expect(res.statusCode).toBe(400);
      expect(res.doc).toEqual({ jsonapi: { version: '1.0' }, errors });
    });
  }

  it('parameters an endpoint does not take are refused there; implementation-specific names are ignored', async () => {
    const id = await e.label('One');
    const one = await e.call('GET', `/api/v1/labels/${id}?sort=name&page[size]=2`);
    expect(one.doc.errors).toEqual([invalid('page', 'Parameter page is not allowed.'), invalid('sort', 'Parameter sort is not allowed.')]);
    expect((await e.call('GET', `/api/v1/labels/${id}?filter[name]=x`)).doc.errors).toEqual([invalid('filter', 'Parameter filter is not allowed.')]);
    expect((await e.call('GET', '/api/v1/companies?include=labels')).doc.errors).toEqual([invalid('include', 'Parameter include is not allowed.')]);
    expect((await e.call('DELETE', `/api/v1/labels/${id}?include=company`)).statusCode).toBe(400);
    expect((await e.call('GET', `/api/v1/labels/${id}?cacheBuster=1&_=2`)).statusCode).toBe(200);
    expect((await e.call('GET', `/api/v1/labels?sort=&include=&page[size]=`)).statusCode).toBe(200);
  });
});
