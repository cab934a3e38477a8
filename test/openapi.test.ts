// The committed OpenAPI documents (openapi/<name>.json): they are what the server generates (drift check;
// `npm run openapi` regenerates them), each passes an OpenAPI 3.1 validator and the lints below, the server
// serves them as committed, and Swagger UI at /docs lists every one of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/dialects/devtodev/errors.js';
import { METHODS } from '../src/dialects/razuna/methods.js';
import { ADMIN_API_TYPES, adminApiTypes, dialectTypes, DOCUMENT_NAMES, generateDocuments, generateTypes, OPENAPI_DIR, TYPES_DIR } from '../scripts/openapi.js';
import { buildTestApp, createTenant, type TestApp } from './helper.js';

const committed = (file: string) => readFileSync(join(OPENAPI_DIR, file), 'utf8');
const load = (name: string) => JSON.parse(committed(`${name}.json`));
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const operations = (doc: any): [string, string, any][] =>
  Object.entries<any>(doc.paths).flatMap(([path, item]) => HTTP_METHODS.filter((m) => item[m]).map((m): [string, string, any] => [path, m, item[m]]));

/** Relative servers (the front end's base paths): paths are written relative to them. */
const SERVERS: Record<string, string[]> = {
  admin: ['/'],
  jotform: ['/API', '/API/v1'],
  razuna: ['/global/api2'],
  livestorm: ['/api'],
  devtodev: ['/api/v1'],
  limbo: ['/'],
};

let generated: Map<string, string>;
let t: TestApp;
beforeAll(async () => {
  generated = await generateDocuments();
  t = await buildTestApp();
});
afterAll(() => t.close());

describe('committed documents', () => {
  it('are exactly what the server generates (run `npm run openapi` after changing a route schema)', () => {
    expect(readdirSync(OPENAPI_DIR).filter((f) => f.endsWith('.json')).sort()).toEqual([...generated.keys()].sort());
    for (const [file, text] of generated) expect(committed(file), `openapi/${file} is stale: run npm run openapi`).toBe(text);
  });

  it('test/generated/<name>.ts are the openapi-typescript types of the committed documents', async () => {
    const types = dialectTypes(await generateTypes(generated));
    expect(readdirSync(TYPES_DIR).filter((f) => f.endsWith('.ts')).sort()).toEqual([...types.keys()].sort());
    for (const [file, text] of types) expect(readFileSync(join(TYPES_DIR, file), 'utf8'), `test/generated/${file} is stale: run npm run openapi`).toBe(text);
  });

  it('src/sandbox/admin-api.ts (the package\'s typed admin client) holds the admin document\'s types', async () => {
    const types = await generateTypes(new Map([['admin.json', committed('admin.json')]]));
    expect(readFileSync(ADMIN_API_TYPES, 'utf8'), 'src/sandbox/admin-api.ts is stale: run npm run openapi').toBe(adminApiTypes(types));
  });

  it('are byte-stable: a second generation gives the same bytes', async () => {
    const again = await generateDocuments();
    for (const [file, text] of generated) expect(again.get(file)).toBe(text);
  });

  it.each(DOCUMENT_NAMES)('%s passes the OpenAPI 3.1 schema validator', async (name) => {
    const validator = new Validator();
    const res = await validator.validate(load(name));
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it.each(DOCUMENT_NAMES)('%s: every operation is named, summarized, tagged, and answers documented statuses', (name) => {
    const doc = load(name);
    expect(doc.servers.map((s: any) => s.url)).toEqual(SERVERS[name]);
    const ids = new Set<string>();
    for (const [path, method, op] of operations(doc)) {
      const where = `${name} ${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(ids.has(op.operationId), `${where}: duplicate operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBeGreaterThan(0);
      for (const tag of op.tags) expect(doc.tags.map((t: any) => t.name), where).toContain(tag);
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => s.startsWith('2')), where).toBe(true);
      expect(statuses.some((s) => s.startsWith('4')), where).toBe(true);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        expect(response.description, `${where} ${status}`).not.toBe('Default Response');
        if (status !== '204') expect(Object.keys(response.content ?? {}).length, `${where} ${status} has no content`).toBeGreaterThan(0);
      }
      // Every templated path segment is a declared path parameter.
      const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name).sort();
      expect(declared, where).toEqual([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort());
      for (const req of op.security ?? doc.security ?? []) for (const scheme of Object.keys(req)) expect(doc.components.securitySchemes?.[scheme], where).toBeDefined();
    }
  });

  it.each(DOCUMENT_NAMES)('%s: descriptions keep <placeholders> in code spans (Markdown would eat them as HTML)', (name) => {
    const bare: string[] = [];
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${at}/${i}`));
      if (node === null || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node)) {
        if (k === 'description' && typeof v === 'string' && /<[A-Za-z/]/.test(v.replace(/`[^`]*`/g, ''))) bare.push(`${at}: ${v}`);
        else walk(v, `${at}/${k}`);
      }
    };
    walk(load(name), '');
    expect(bare).toEqual([]);
  });

  it.each(DOCUMENT_NAMES)('%s: every $ref resolves and every component is used', (name) => {
    const text = committed(`${name}.json`);
    const doc = JSON.parse(text);
    const refs = new Set([...text.matchAll(/"\$ref": "#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!));
    // Schema Objects carry no $id (zod's fragment ids would move the base URI refs resolve against) nor $schema.
    expect(text).not.toMatch(/"\$(id|schema)":/);
    expect(Object.keys(doc.components?.schemas ?? {}).sort()).toEqual([...refs].sort());
  });
});

describe('dialect specifics', () => {
  it('admin: bearer admin token, problem+json errors', () => {
    const doc = load('admin');
    expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [, , op] of operations(doc)) {
      for (const [status, response] of Object.entries<any>(op.responses)) {
        // 408 is Fastify's own answer, before the admin API sees the request.
        if (Number(status) >= 400 && status !== '408') expect(Object.keys(response.content)).toEqual(['application/problem+json']);
      }
    }
  });

  it('jotform: APIKEY header or apiKey query, /API and /API/v1 as two servers, form bodies, the 404 envelope', () => {
    const doc = load('jotform');
    expect(doc.components.securitySchemes.apiKeyHeader).toMatchObject({ type: 'apiKey', in: 'header', name: 'APIKEY' });
    expect(doc.components.securitySchemes.apiKeyQuery).toMatchObject({ type: 'apiKey', in: 'query', name: 'apiKey' });
    // Each path once, relative to the servers (served under both: no Path Item narrows them).
    expect(Object.keys(doc.paths).every((p) => !p.startsWith('/API') && !p.startsWith('/v1/'))).toBe(true);
    expect(Object.values<any>(doc.paths).every((item) => item.servers === undefined)).toBe(true);
    expect(doc.tags.map((t: any) => t.name)).toEqual(['labels']);
    expect(Object.keys(doc.paths['/label'].post.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(doc.paths['/user/labels'].get.responses['404']).toBeDefined();
  });

  it('razuna: a typed form body per method (discriminated by method), the generic GET, api_key as a security scheme', () => {
    const doc = load('razuna');
    const names = [...METHODS.values()].map((m) => m.name);
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'apiKey', in: 'query', name: 'api_key' });
    const get = doc.paths['/label.cfc'].get;
    const method = get.parameters.find((p: any) => p.name === 'method');
    expect(method.schema.enum).toEqual(names);
    expect(doc['x-razuna-methods'].map((m: any) => m.name)).toEqual(names);
    const params = get.parameters.map((p: any) => p.name);
    for (const m of METHODS.values()) for (const arg of m.required) expect(params).toContain(arg);
    for (const sw of ['__BDRETURNFORMAT', '__BDQUERYFORMAT', '__BDJSONCASE', 'callback']) expect(params).toContain(sw);
    // The key is a security scheme and, for generators that do not send such a scheme's query value, a parameter.
    expect(params).toContain('api_key');
    expect(Object.keys(get.responses['200'].content)).toEqual(['application/json', 'application/javascript', 'text/xml']);
    for (const m of METHODS.values()) expect(get.description).toContain(`| ${m.name} |`);
    const post = doc.paths['/label.cfc'].post;
    expect(Object.keys(post.requestBody.content)).toEqual(['application/x-www-form-urlencoded', 'multipart/form-data']);
    const call = doc.components.schemas.Call;
    expect(call.discriminator.propertyName).toBe('method');
    expect(Object.keys(call.discriminator.mapping)).toEqual(names);
    for (const m of METHODS.values()) {
      const schema = doc.components.schemas[call.discriminator.mapping[m.name].split('/').pop()];
      expect(schema.properties.method.const).toBe(m.name);
      expect(schema.required).toEqual(['method', ...m.required]);
    }
    // Each record set's columns, in ROW and COLUMN form.
    expect(doc.components.schemas.LabelsRows.properties.COLUMNS.prefixItems.map((c: any) => c.const)).toEqual(['label_id', 'label_text', 'label_path']);
    expect(Object.keys(doc.components.schemas.AssetLabelsColumns.properties.DATA.properties)).toEqual(['label_id', 'label_text', 'label_path', 'assetid']);
    expect(Object.keys(post.requestBody.content['application/x-www-form-urlencoded'].examples)).toEqual(expect.arrayContaining(names));
  });

  it('devtodev: the error-code table, as text and as data', () => {
    const doc = load('devtodev');
    expect(doc['x-error-codes']).toEqual(ERROR_CODES.map((e) => ({ ...e })));
    for (const e of ERROR_CODES) expect(doc.info.description).toContain(`| ${e.code} | ${e.status} |`);
    for (const [, , op] of operations(doc)) expect(op.responses['500'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorBody' });
  });

  it('limbo: JSON:API media type on every document body, bearer token, /oauth/token form', () => {
    const doc = load('limbo');
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [path, , op] of operations(doc)) {
      if (!path.startsWith('/api/v1/')) continue;
      for (const [status, response] of Object.entries<any>(op.responses)) {
        if (status !== '204' && status !== '408') expect(Object.keys(response.content), `${path} ${status}`).toEqual(['application/vnd.api+json']);
      }
      if (op.requestBody) expect(Object.keys(op.requestBody.content)).toEqual(['application/vnd.api+json']);
    }
    expect(Object.keys(doc.paths['/oauth/token'].post.requestBody.content).sort()).toEqual(['application/json', 'application/x-www-form-urlencoded']);
  });
});

/** The documents Swagger UI's picker offers: the `urls` of the config in its initializer script. */
async function pickerUrls(app: TestApp): Promise<{ name: string; url: string }[]> {
  const script = await app.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
  expect(script.statusCode).toBe(200);
  const config = /const config = (\{.*\})\n/.exec(script.body);
  expect(config, 'no config in swagger-initializer.js').not.toBeNull();
  return JSON.parse(config![1]!).urls;
}

describe('served at run time', () => {
  it.each(DOCUMENT_NAMES)('GET /openapi/%s.json is the committed document', async (name) => {
    const res = await t.app.inject({ method: 'GET', url: `/openapi/${name}.json` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(load(name));
  });

  it('Swagger UI at /docs lists every document', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(await pickerUrls(t)).toEqual(DOCUMENT_NAMES.map((name) => ({ name, url: `/openapi/${name}.json` })));
  });

  it('LABELMUX_PUBLIC_URL and the configured prefixes make the servers; the paths stay the same', async () => {
    const env = { LABELMUX_PUBLIC_URL: 'https://labels.example.com/lm/', LABELMUX_JOTFORM_PREFIX: '/vendor', LABELMUX_LIMBO_PREFIX: '/beat', LABELMUX_RAZUNA_PREFIX: '/rz' };
    const proxied = await buildTestApp(env);
    try {
      for (const name of DOCUMENT_NAMES) {
        const doc = (await proxied.app.inject({ method: 'GET', url: `/openapi/${name}.json` })).json();
        const prefix = { jotform: '/vendor', limbo: '/beat', razuna: '/rz' }[name as string] ?? '';
        expect(doc.servers.map((s: any) => s.url), name).toEqual(SERVERS[name]!.map((u) => `https://labels.example.com/lm${prefix}${u === '/' ? '' : u}`));
        expect(Object.keys(doc.paths), name).toEqual(Object.keys(load(name).paths));
      }
      // limbo's links start at the public URL too, whatever Host the proxy passed on.
      const { keys } = await createTenant(proxied.core);
      const res = await proxied.app.inject({ method: 'GET', url: '/beat/api/v1/companies', headers: { host: 'upstream:8080', authorization: `Bearer ${keys.owner}`, accept: 'application/vnd.api+json' } });
      expect(res.statusCode).toBe(200);
      expect(res.json().data[0].links.self).toMatch(/^https:\/\/labels\.example\.com\/lm\/beat\/api\/v1\/companies\/[0-9]+$/);
    } finally {
      await proxied.close();
    }
  });

  it('a disabled dialect has no document and is not listed', async () => {
    const off = await buildTestApp({ LABELMUX_RAZUNA_ENABLED: 'false' });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/openapi/razuna.json' })).statusCode).toBe(404);
      expect((await pickerUrls(off)).map((u: any) => u.name)).toEqual(DOCUMENT_NAMES.filter((n) => n !== 'razuna'));
    } finally {
      await off.close();
    }
  });
});
