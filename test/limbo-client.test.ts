// limbo driven by real JSON:API clients from npm: kitsu (over a real socket, with its own request building,
// query serialisation and deserialisation) and jsona (serialising request documents, resolving compound
// documents). What a generic JSON:API client relies on must hold: types, ids, relationships, includes, errors.
import KitsuModule from 'kitsu';
import { Jsona } from 'jsona';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assertJsonApi, login, multiUser, setup, type Env } from './limbo-helper.js';

// kitsu ships CommonJS types with an ESM build: the class is the default export either way at runtime.
const Kitsu: any = (KitsuModule as any).default ?? KitsuModule;

let e: Env;
let baseURL: string;
beforeAll(async () => {
  e = await setup();
  const address = await e.t.app.listen({ port: 0, host: '127.0.0.1' });
  baseURL = `${address}/api/v1`;
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

/** A kitsu client as a limbo integration would configure it: plain type names, bearer credential. */
const client = (key: string) => {
  const api = new Kitsu({ baseURL, headers: { Authorization: `Bearer ${key}` }, pluralize: false, camelCaseTypes: false, resourceCase: 'none' });
  // Every raw document the client receives must be valid JSON:API with the exact media type.
  api.interceptors.response.use(
    (res: any) => {
      if (res.status !== 204) {
        expect(res.headers['content-type']).toBe('application/vnd.api+json');
        assertJsonApi(res.data);
      }
      return res;
    },
    (err: any) => {
      if (err.response) assertJsonApi(err.response.data);
      return Promise.reject(err);
    },
  );
  return api;
};

describe('kitsu', () => {
  it('creates, reads, updates and deletes labels', async () => {
    const api = client(e.a.keys.owner);
    const created = await api.post('labels', { name: 'Kitsu Records', description: 'made by kitsu', company: { data: { type: 'companies', id: String(e.a.workspaceId) } } });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`${baseURL}/labels/${created.data.id}`);
    expect(created.data).toMatchObject({
      type: 'labels',
      name: 'Kitsu Records',
      description: 'made by kitsu',
      usage: { download: true, copy_scan: true, on_demand_stream: true, non_interactive_stream: true },
    });
    const id = created.data.id;

    const updated = await api.patch('labels', { id, name: 'Kitsu Records II', usage: { download: false } });
    expect(updated.data).toMatchObject({ id, name: 'Kitsu Records II', usage: { download: false, copy_scan: true } });

    const one = await api.get(`labels/${id}`, { params: { include: 'company' } });
    expect(one.data.company.data).toMatchObject({ type: 'companies', id: String(e.a.workspaceId), name: 'Acme Records' });

    await api.delete('labels', id);
    await expect(api.get(`labels/${id}`)).rejects.toMatchObject({ errors: [{ status: '404', title: 'Not Found' }] });
  });

  it('lists with filters, sort, paging and includes; follows the next link', async () => {
    await e.products(e.a.workspaceId, [{ id: 'p1', name: 'Album', status: 'live' }]);
    const api = client(e.a.keys.owner);
    const ids: string[] = [];
    for (const name of ['c', 'a', 'b']) ids.push(await e.label(name));
    await api.axios.post(`labels/${ids[1]}/relationships/products`, { data: [{ type: 'products', id: 'p1' }] }, { headers: api.headers });

    const page = await api.get('labels', { params: { sort: '-name', page: { number: 1, size: 2 }, include: 'products' } });
    expect(page.data.map((l: any) => l.name)).toEqual(['c', 'b']);
    expect(page.meta.page).toEqual({ currentPage: 1, from: 1, lastPage: 2, perPage: 2, to: 2, total: 3 });
    const next = await api.axios.get(page.links.next, { headers: api.headers });
    expect(next.data.data.map((l: any) => l.attributes.name)).toEqual(['a']);
    expect(next.data.included).toEqual([expect.objectContaining({ type: 'products', id: 'p1' })]);

    const filtered = await api.get('labels', { params: { filter: { products: { status: 'live' } }, include: 'products,company' } });
    expect(filtered.data).toHaveLength(1);
    expect(filtered.data[0].products.data).toEqual([expect.objectContaining({ type: 'products', id: 'p1', name: 'Album', status: 'live' })]);
    expect(filtered.data[0].company.data).toMatchObject({ name: 'Acme Records' });
  });

  it('reads relationships, companies and products; relationship changes through its axios', async () => {
    await e.products(e.a.workspaceId, [{ id: 'p1', name: 'Album' }, { id: 'p2', name: 'EP' }]);
    const api = client(e.a.keys.member);
    const id = await e.label('Rel');
    const rel = `labels/${id}/relationships/products`;
    const res = await api.axios.post(rel, { data: [{ type: 'products', id: 'p1' }, { type: 'products', id: 'p2' }] }, { headers: api.headers });
    expect(res.status).toBe(204);
    await api.axios.delete(rel, { headers: api.headers, data: { data: [{ type: 'products', id: 'p1' }] } });
    expect((await api.get(rel)).data).toEqual([{ type: 'products', id: 'p2' }]);
    expect((await api.get(`labels/${id}/products`)).data).toEqual([expect.objectContaining({ id: 'p2', name: 'EP' })]);
    expect((await api.get(`labels/${id}/company`)).data).toMatchObject({ type: 'companies', name: 'Acme Records' });
    expect((await api.get('companies')).data.map((c: any) => c.name)).toEqual(['Acme Records']);
    expect((await api.get('products', { params: { sort: 'name' } })).data.map((p: any) => p.id)).toEqual(['p1', 'p2']);
  });

  it('surfaces JSON:API errors to the client: 422 pointers, 403, 401', async () => {
    const api = client(e.a.keys.owner);
    await expect(api.post('labels', { name: '', company: { data: { type: 'companies', id: String(e.a.workspaceId) } } })).rejects.toMatchObject({
      errors: [{ detail: 'The name field is required.', source: { pointer: '/data/attributes/name' }, status: '422', title: 'Unprocessable Entity' }],
    });
    await expect(client(e.a.keys.viewer).post('labels', { name: 'x', company: { data: { type: 'companies', id: String(e.a.workspaceId) } } })).rejects.toMatchObject({
      errors: [{ status: '403', title: 'Forbidden' }],
    });
    await expect(client('0'.repeat(32)).get('labels')).rejects.toMatchObject({ errors: [{ detail: 'Unauthenticated.', status: '401', title: 'Unauthorized' }] });
  });

  it('works with an access token from /oauth/token', async () => {
    const { user, password } = await multiUser(e, [[e.b.workspaceId, 'admin']]);
    const tokenRes = await fetch(`${baseURL.replace('/api/v1', '')}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: user.email, password }),
    });
    const api = client(((await tokenRes.json()) as { access_token: string }).access_token);
    const created = await api.post('labels', { name: 'Via token', company: { data: { type: 'companies', id: String(e.b.workspaceId) } } });
    expect(created.data.name).toBe('Via token');
  });
});

describe('two companies with product 1001 each, through one access token', () => {
  /** Product 1001 in A and in B, each linked to a label of its company, and a token of a user in both. */
  async function twoCompanies() {
    await e.products(e.a.workspaceId, [{ id: '1001', name: 'A album', status: 'live' }]);
    await e.products(e.b.workspaceId, [{ id: '1001', name: 'B album', status: 'live' }]);
    const { user, password } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'owner'],
    ]);
    const access = (await login(e, user.email, password)).access;
    const labels: string[] = [];
    for (const ws of [e.a.workspaceId, e.b.workspaceId]) {
      const id = await e.label(`Label of ${ws}`, { key: access, ws });
      // What a client that knew product 1001 before sends: the bare external id, read in the label's company.
      const res = await e.call('POST', `/api/v1/labels/${id}/relationships/products`, { key: access, body: { data: [{ type: 'products', id: '1001' }] } });
      expect(res.statusCode).toBe(204);
      labels.push(id);
    }
    return { access, labels };
  }

  it('jsona resolves each label to its own company’s product', async () => {
    const { access, labels } = await twoCompanies();
    const res = await e.call('GET', '/api/v1/labels?include=products&sort=id', { key: access });
    const models = new Jsona().deserialize(res.doc) as any[];
    expect(models.map((l) => [l.id, l.products.map((p: any) => [p.id, p.name])])).toEqual([
      [labels[0], [[`${e.a.workspaceId}-1001`, 'A album']]],
      [labels[1], [[`${e.b.workspaceId}-1001`, 'B album']]],
    ]);
  });

  it('kitsu resolves each label to its own product, and fetches each product by the id it was given', async () => {
    const { access, labels } = await twoCompanies();
    const api = client(access);
    const page = await api.get('labels', { params: { include: 'products', sort: 'id' } });
    expect(page.data.map((l: any) => [l.id, l.products.data.map((p: any) => p.name)])).toEqual([
      [labels[0], ['A album']],
      [labels[1], ['B album']],
    ]);
    for (const [label, name] of [[page.data[0], 'A album'], [page.data[1], 'B album']]) {
      const product = await api.get(`products/${label.products.data[0].id}`);
      expect(product.data).toMatchObject({ type: 'products', id: label.products.data[0].id, name });
    }
  });
});

describe('jsona', () => {
  const jsona = new Jsona();
  const send = (method: string, url: string, body: unknown) =>
    e.call(method, url, { body });

  it('serialises create and update documents limbo accepts, and resolves compound documents', async () => {
    await e.products(e.a.workspaceId, [{ id: 'p9', name: 'Box Set', status: 'live' }]);
    const create = jsona.serialize({
      stuff: { type: 'labels', name: 'Jsona Label', usage: { download: false }, company: { type: 'companies', id: String(e.a.workspaceId) }, relationshipNames: ['company'] },
    });
    const created = await send('POST', '/api/v1/labels', create);
    expect(created.statusCode).toBe(201);
    const model: any = jsona.deserialize(created.doc);
    expect(model).toMatchObject({ type: 'labels', name: 'Jsona Label', usage: { download: false, copy_scan: true } });

    await e.call('POST', `/api/v1/labels/${model.id}/relationships/products`, { body: { data: [{ type: 'products', id: 'p9' }] } });
    const update = jsona.serialize({ stuff: { type: 'labels', id: model.id, description: 'via jsona' } });
    expect((await send('PATCH', `/api/v1/labels/${model.id}`, update)).statusCode).toBe(200);

    const list = await e.call('GET', '/api/v1/labels?include=company,products');
    const labels: any[] = jsona.deserialize(list.doc) as any[];
    expect(labels).toHaveLength(1);
    expect(labels[0]).toMatchObject({ id: model.id, description: 'via jsona', company: { type: 'companies', name: 'Acme Records' } });
    expect(labels[0].products).toEqual([expect.objectContaining({ type: 'products', id: 'p9', name: 'Box Set', status: 'live' })]);
  });
});
