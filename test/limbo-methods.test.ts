// Wrong methods on limbo's JSON:API paths: 405 with `Allow` and a JSON:API error document, as Laravel answers
// (the path matches, the method does not), before authentication; OPTIONS is 200 with `Allow`. devtodev
// shares /api/v1/labels: its POST operations keep working and its unknown operations keep its own 404.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JSONAPI_ROUTES } from '../src/http/jsonapi.js';
import { JSONAPI, setup, type Env } from './limbo-helper.js';

let e: Env;
beforeAll(async () => {
  e = await setup();
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

const VERBS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const methodNotAllowed = (method: string, path: string, allowed: string[]) => ({
  jsonapi: { version: '1.0' },
  errors: [{ detail: `The ${method} method is not supported for route ${path.slice(1)}. Supported methods: ${allowed.join(', ')}.`, status: '405', title: 'Method Not Allowed' }],
});
/** A concrete URL for a route pattern: a label of A, A's company, a product id. */
const concrete = (path: string) => `/api/v1${path.replace(':id', path.startsWith('/products/') ? 'p1' : '1')}`;

describe('405 Method Not Allowed on every limbo route', () => {
  it('the table of allowed methods is exactly the routes limbo registers', () => {
    const registered = new Map<string, string[]>();
    for (const r of e.t.app.routeTable.filter((x) => x.frontEnd === 'limbo' && x.url.startsWith('/api/v1/'))) {
      registered.set(r.url, [...(registered.get(r.url) ?? []), r.method]);
    }
    const table = new Map(JSONAPI_ROUTES.map((r) => [`/api/v1${r.path}`, [...r.methods].sort()]));
    expect(new Map([...registered].map(([url, methods]) => [url, methods.sort()]))).toEqual(table);
  });

  for (const route of JSONAPI_ROUTES) {
    it(`${route.path}: every other method is 405 with Allow: ${route.methods.join(', ')}`, async () => {
      const url = concrete(route.path);
      for (const method of VERBS.filter((m) => !route.methods.includes(m) && m !== 'OPTIONS')) {
        // Sent as a JSON:API client sends a write (a body, the media type), and without credentials:
        // the route does not match, so nothing authenticates (Laravel matches routes before middleware).
        const res = await e.t.app.inject({
          method: method as 'PUT',
          url: `${url}?include=products`,
          headers: { accept: JSONAPI, 'content-type': JSONAPI },
          payload: JSON.stringify({ data: { type: 'labels', attributes: { name: 'x' } } }),
        });
        const what = `${method} ${url}`;
        expect(res.statusCode, what).toBe(405);
        expect(res.headers['content-type'], what).toBe(JSONAPI);
        expect(res.headers.allow, what).toBe(route.methods.join(', '));
        expect(res.body, what).toBe(JSON.stringify(methodNotAllowed(method, url, [...route.methods])));
      }
      const options = await e.t.app.inject({ method: 'OPTIONS', url });
      expect(options.statusCode).toBe(200);
      expect(options.headers.allow).toBe(route.methods.join(','));
      expect(options.body).toBe('');
    });
  }

  it('a bearer credential changes nothing: 405 all the same, and nothing is written', async () => {
    const id = await e.label('Stays');
    for (const [method, url] of [
      ['POST', `/api/v1/labels/${id}`],
      ['PUT', `/api/v1/labels/${id}`],
      ['POST', `/api/v1/labels/${id}/relationships/company`],
      ['DELETE', '/api/v1/labels'],
      ['DELETE', `/api/v1/labels/${id}/relationships/company`],
    ]) {
      const res = await e.call(method!, url!, { body: { data: { type: 'labels', id, attributes: { name: 'Changed' } } } });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
    }
    expect((await e.call('GET', `/api/v1/labels/${id}`)).doc.data.attributes.name).toBe('Stays');
  });
});

describe('the mount devtodev shares', () => {
  const devtodev = (op: string, body: Record<string, unknown> = {}) =>
    e.t.app.inject({
      method: 'POST',
      url: `/api/v1/labels/${op}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ user_token: e.a.keys.owner, app_id: e.a.uuid, ...body }),
    });

  it('devtodev’s POST operations keep working', async () => {
    const labels = [{ name: 'Launch', category: 'Releases', start_date: 1711000000 }, { name: 'Patch', category: 'Releases', start_date: 1711000001 }];
    const created = await devtodev('create', { labels });
    expect(created.statusCode, created.body).toBe(200);
    const [id, other] = created.json().data.labels.map((l: { id: number }) => l.id);
    expect((await devtodev('get')).json().data.labels.map((l: { id: number }) => l.id)).toEqual([id, other]);
    expect((await devtodev('edit', { label: { id, name: 'Launch 2' } })).json().data.label.name).toBe('Launch 2');
    expect((await devtodev('categories/get')).json().data.categories).toEqual(['Releases']);
    expect((await devtodev('delete', { ids: [id] })).json().data).toEqual({ status: 'deleted', ids: [id] });
    expect((await devtodev('categories/delete', { category: 'Releases' })).json().data).toEqual({ status: 'deleted', category: 'Releases' });
  });

  it('POST /api/v1/labels/<not a number> is devtodev’s unknown operation; POST /api/v1/labels/123 is limbo’s 405', async () => {
    for (const op of ['foo', 'get/x', 'categories/rename', '123abc', '0']) {
      const res = await devtodev(op);
      expect(res.statusCode, op).toBe(404);
      expect(res.json(), op).toEqual({ status_code: 404, errors: [{ code: 4, msg: `unknown operation /${op}` }] });
    }
    for (const [path, allowed] of [
      ['/123', 'GET, HEAD, PATCH, DELETE'],
      ['/123/company', 'GET, HEAD'],
      ['/123/relationships/company', 'GET, HEAD, PATCH'],
      ['/123/products', 'GET, HEAD'],
    ]) {
      const res = await devtodev(path!.slice(1));
      expect(res.statusCode, path).toBe(405);
      expect(res.headers.allow, path).toBe(allowed);
      expect(res.headers['content-type'], path).toBe(JSONAPI);
      expect(res.json().errors[0], path).toMatchObject({ status: '405', title: 'Method Not Allowed' });
    }
  });

  it('other methods on devtodev’s operation paths are limbo’s 404 (not label ids)', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'GET']) {
      const res = await e.call(method, '/api/v1/labels/create', { body: {} });
      expect(res.statusCode, method).toBe(404);
      expect(res.doc).toEqual({ jsonapi: { version: '1.0' }, errors: [{ status: '404', title: 'Not Found' }] });
    }
  });
});
