// Fuzzing every dialect (fast-check, fixed seed): requests generated from each route's own request schemas
// (the dialect's OpenAPI document, i.e. its zod schemas) with hostile values mixed in at every depth, and
// hand-written hostile inputs (malformed JSON, deep nesting, huge numbers, wrong types, unicode edge cases,
// null bytes, duplicate query parameters, wrong content types, oversized bodies) against every route.
// For every answer: no 5xx; a refusal is in the dialect's documented shape and status (test/dialect-shapes.ts)
// and changes nothing (test/fuzz-support.ts fingerprint); the app still answers /healthz and /readyz after.
//
// Routes come from the app's route table, so a new route is fuzzed without touching this file.
// CI: 2,000 generated requests per dialect; LABELMUX_SOAK=1 runs 20,000 (LABELMUX_FUZZ_RUNS=<n> to choose).
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, type Shape, SHAPES, oauth } from './dialect-shapes.js';
import { encode3986, fingerprint, formBody, fromSchema, hostileBodies, HOSTILE_STRINGS, queryString, queryValue, type SchemaContext } from './fuzz-support.js';
import { METHODS } from '../src/dialects/razuna/methods.js';
import { buildWorld, type World } from './reliability-world.js';

const SOAK = process.env.LABELMUX_SOAK === '1';
const RUNS = Number(process.env.LABELMUX_FUZZ_RUNS ?? (SOAK ? 20_000 : 2000));
const SEED = Number(process.env.LABELMUX_SEED ?? 20261122);
const BODY_LIMIT = 65_536;
const JSONAPI = 'application/vnd.api+json';

interface Req {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

interface Route {
  frontEnd: string;
  method: string;
  url: string;
}

/** One credential, placed the dialect's way by `place`. */
type Cred = string | undefined;

/** What the fuzzer saw, per dialect: statuses and refusal kinds, for the closing note. */
const seen: Record<string, { requests: number; refused: number; statuses: Record<number, number> }> = {};
const tally = (dialect: string, status: number, refused: boolean) => {
  const s = (seen[dialect] ??= { requests: 0, refused: 0, statuses: {} });
  s.requests++;
  if (refused) s.refused++;
  s.statuses[status] = (s.statuses[status] ?? 0) + 1;
};

let w: World;
let openapi: Record<string, any>;

beforeAll(async () => {
  w = await buildWorld({
    LABELMUX_BODY_LIMIT: String(BODY_LIMIT),
    LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT: '1000000',
    LABELMUX_DEVTODEV_APP_DAILY_LIMIT: '1000000',
  });
  openapi = {};
  for (const d of ['jotform', 'livestorm', 'devtodev', 'razuna', 'limbo']) openapi[d] = (await w.app.inject({ url: `/openapi/${d}.json` })).json();
});
afterAll(async () => {
  console.info(`fuzz: ${JSON.stringify(seen)}`);
  // LABELMUX_FUZZ_KINDS=1 lists the most frequent refusals, to see what the generators reach.
  if (process.env.LABELMUX_FUZZ_KINDS) console.info(Object.entries(kinds).sort((x, y) => y[1] - x[1]).slice(0, 80));
  await w?.close();
});

/** Sends one request and checks the answer; returns whether it was refused. */
/** Refusals by dialect, status and message. */
const kinds: Record<string, number> = {};
async function exercise(dialect: string, shape: Shape, req: Req): Promise<boolean> {
  const before = (await fingerprint(w.store));
  const res = await w.app.inject(req as InjectOptions);
  const what = `${req.method} ${req.url.slice(0, 300)} ${JSON.stringify(req.headers)} ${req.payload?.slice(0, 300) ?? ''}`;
  expect(res.statusCode, `5xx for ${what}: ${res.body.slice(0, 500)}`).toBeLessThan(500);
  if (req.method === 'HEAD') {
    tally(dialect, res.statusCode, res.statusCode >= 400);
    return res.statusCode >= 400;
  }
  const answer: Answer = { statusCode: res.statusCode, headers: res.headers, body: res.body };
  let refused: boolean;
  try {
    refused = shape.refused(answer);
    if (refused) {
      const kind = `${dialect} ${shape.check(answer).slice(0, 70)}`;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
  } catch (e) {
    throw new Error(`${(e as Error).message}\n  request: ${what}`);
  }
  if (refused) expect((await fingerprint(w.store)), `a refused request changed the database: ${what} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBe(before);
  tally(dialect, res.statusCode, refused);
  return refused;
}

const routesOf = (frontEnd: string): Route[] => w.app.routeTable.filter((r) => r.frontEnd === frontEnd);
const shapeOf = (r: Route): Shape => (r.url.endsWith('/oauth/token') ? oauth : SHAPES[r.frontEnd]!);

/** The OpenAPI operation of a route (`:id` → `{id}`; paths are relative to the document's servers), if the dialect documents one. */
const operation = (r: Route): any => {
  const doc = openapi[r.frontEnd];
  const template = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
  const verb = r.method === 'HEAD' ? 'get' : r.method.toLowerCase();
  const bases: string[] = (doc?.servers ?? []).map((s: any) => (s.url === '/' ? '' : s.url)).filter((b: string) => template.startsWith(`${b}/`));
  return bases.map((b) => doc.paths?.[template.slice(b.length)]?.[verb]).find((op) => op !== undefined);
};

/** Ids: A's labels (the usual target), B's labels, nearby ids, and ids that are not ids at all. */
const labelIds = () => {
  const own = Object.values(w.a.labels);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...own) },
    { weight: 2, arbitrary: fc.constantFrom(...Object.values(w.b.labels)) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>('0', '-1', '1.5', '1e3', '0x1', '9007199254740993', 'abc', ' 1', '1 ', '%00', '', '😀', 'x'.repeat(300), ...MALFORMED) },
  );
};

/** Percent-escapes that do not decode, sent as they are (not re-encoded) in paths. */
const MALFORMED = ['%E0%A4%A', '%', '%zz', '%C0%AF', '%ED%A0%80'].map((raw) => ({ raw }));
const pathSegment = (v: unknown) => (typeof v === 'object' && v !== null && 'raw' in v ? String(v.raw) : encode3986(queryValue(v)));
const fillPath = (url: string, values: Record<string, unknown>) => url.replace(/:([A-Za-z]+)/g, (_m, name: string) => pathSegment(values[name]));

/** Credentials of workspace A (mostly owner/admin so that changes are attempted) and ones that must fail. */
const keyArb = (extra: string[] = []) =>
  fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom(w.a.keys.owner, w.a.keys.owner, w.a.keys.admin, w.a.keys.member, w.a.keys.viewer, w.a.userWideKey) },
    { weight: 2, arbitrary: fc.constantFrom(w.b.keys.owner, w.revokedKey, w.deletedUserKey, ...extra) },
    { weight: 1, arbitrary: fc.constantFrom<Cred>(undefined, '', 'x', '0'.repeat(32), 'F'.repeat(32), `${w.a.keys.owner} `, ...HOSTILE_STRINGS) },
  );

/** Query entries from the operation's query parameters (each optional), plus unknown and duplicated ones. */
function queryArb(op: any, ctx: SchemaContext): fc.Arbitrary<[string, string][]> {
  const params = ((op?.parameters ?? []) as any[]).filter((p) => p.in === 'query');
  const entries = params.map((p) => fc.option(fromSchema(p.schema ?? {}, ctx, 1, p.name).map((v) => [p.name as string, queryValue(v)] as [string, string]), { freq: 2 }));
  const junk = sometimes(fc.tuple(fc.constantFrom('x', 'limit', 'offset', 'id', '__proto__', 'a[b]', ''), fc.constantFrom(...HOSTILE_STRINGS)), 6);
  return fc.tuple(fc.tuple(...entries), junk, fc.nat(9)).map(([chosen, extra, dice]) => {
    const list = chosen.filter((e): e is [string, string] => e !== null);
    if (extra) list.push(extra);
    if (dice === 0 && list.length) list.push([list[0]![0], `${list[0]![1]}2`]); // duplicate parameter
    return list;
  });
}

/** A body for the operation: from its request schema, as JSON (or a form where the dialect takes forms). */
function bodyArb(op: any, ctx: SchemaContext): fc.Arbitrary<{ type: string; value: unknown } | null> {
  const content = op?.requestBody?.content as Record<string, { schema: any }> | undefined;
  if (!content) return fc.constant(null);
  const types = Object.keys(content).filter((t) => t === 'application/json' || t === 'application/x-www-form-urlencoded');
  if (!types.length) return fc.constant(null);
  return fc.oneof(...types.map((type) => fromSchema(content[type]!.schema, ctx, 0).map((value) => ({ type, value }))));
}

const encode = (b: { type: string; value: unknown }): { type: string; text: string } =>
  b.type === 'application/x-www-form-urlencoded' ? { type: b.type, text: formBody(b.value) } : { type: b.type, text: JSON.stringify(b.value) ?? 'null' };

/** One arbitrary per route, built once, each route equally likely. */
const perRoute = (routes: Route[], build: (r: Route) => fc.Arbitrary<Req>): fc.Arbitrary<Req> => fc.oneof(...routes.map(build));

/** A hand-written hostile body instead of the generated one, now and then. */
let hostileArb: fc.Arbitrary<ReturnType<typeof hostileBodies>[number] | null> | undefined;
const hostile = () => (hostileArb ??= sometimes(fc.constantFrom(...hostileBodies(BODY_LIMIT)), 12));

/** The value once in `every` draws, else null (fc.option's `freq` is the other way round: null once in freq). */
function sometimes<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

// ---- the five dialects: how a request names things and carries its credential ----

function jotformArb(): fc.Arbitrary<Req> {
  const root = w.a.uuid.replaceAll('-', '');
  const ctx: SchemaContext = {
    components: openapi.jotform.components?.schemas ?? {},
    pools: { parent: fc.oneof(labelIds(), fc.constant(root)), id: fc.constantFrom('230000000000001', '1', 'a1', 'p1'), type: fc.constantFrom('form', 'sheet', 'img', 'library_item') },
  };
  const routes = routesOf('jotform');
  return perRoute(routes, (r) => {
    const op = operation(r);
    return fc
      .record({ id: fc.oneof(labelIds(), fc.constant(root)), query: queryArb(op, ctx), body: bodyArb(op, ctx), key: keyArb(), where: fc.nat(4), hostile: hostile() })
      .map(({ id, query, body, key, where, hostile: h }) => {
        const headers: Record<string, string> = {};
        if (key !== undefined && where > 0) headers.apikey = key;
        if (key !== undefined && where === 0) query.push(['apiKey', key]);
        const b = h ? { type: h.contentType, text: h.body } : body && encode(body);
        if (b) headers['content-type'] = b.type;
        return { method: r.method, url: fillPath(r.url, { id }) + queryString(query), headers, ...(b && { payload: b.text }) };
      });
  });
}

function livestormArb(): fc.Arbitrary<Req> {
  const ctx: SchemaContext = { components: openapi.livestorm.components?.schemas ?? {}, pools: { label_id: labelIds(), label: labelIds() } };
  const workspace = fc.oneof({ weight: 8, arbitrary: fc.constant<unknown>(w.a.workspaceId) }, { weight: 1, arbitrary: fc.constant<unknown>(w.b.workspaceId) }, { weight: 1, arbitrary: labelIds() });
  const item = fc.constantFrom<unknown>('1', '2', '3', '4', '0', 'a1', '', '%2F', 'x'.repeat(300));
  return perRoute(routesOf('livestorm'), (r) => {
    const op = operation(r);
    return fc
      .record({ id: workspace, labelId: labelIds(), itemId: item, query: queryArb(op, ctx), body: bodyArb(op, ctx), key: keyArb(), scheme: fc.oneof({ weight: 12, arbitrary: fc.constant('Bearer lnx_') }, { weight: 1, arbitrary: fc.constantFrom('Bearer ', 'bearer lnx_', 'Basic ', 'Bearer lnx_lnx_', 'Bearerlnx_') }), hostile: hostile() })
      .map(({ query, body, key, scheme, hostile: h, ...params }) => {
        const headers: Record<string, string> = {};
        if (key !== undefined) headers.authorization = `${scheme}${key}`;
        const b = h ? { type: h.contentType, text: h.body } : body && encode(body);
        if (b) headers['content-type'] = b.type;
        return { method: r.method, url: fillPath(r.url, params) + queryString(query), headers, ...(b && { payload: b.text }) };
      });
  });
}

function devtodevArb(): fc.Arbitrary<Req> {
  const app = fc.oneof({ weight: 8, arbitrary: fc.constant<unknown>(w.a.uuid) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(w.b.uuid, w.a.uuid.toUpperCase(), '00000000-0000-4000-8000-000000000000', 42, null) });
  const ctx: SchemaContext = {
    components: openapi.devtodev.components?.schemas ?? {},
    pools: { id: labelIds(), ids: fc.array(labelIds(), { minLength: 1, maxLength: 4 }), category: fc.constantFrom('Alpha releases', 'Bravo releases', 'Alpha top', 'New', ''), move_labels_to_category: fc.constantFrom('Alpha releases', 'Moved', '') },
  };
  return perRoute(routesOf('devtodev'), (r) => {
    const op = operation(r);
    return fc.record({ body: bodyArb(op, ctx), key: keyArb(), app, keep: fc.nat(9), hostile: hostile() }).map(({ body, key, app: appId, keep, hostile: h }) => {
      let text: string;
      let type = 'application/json';
      if (h) ({ body: text, contentType: type } = h);
      else {
        const value = (body?.value ?? {}) as Record<string, unknown>;
        // The credentials usually come from the pools (a random user_token would stop every request at code 1).
        const withCreds = typeof value === 'object' && value !== null && !Array.isArray(value) && keep > 0 ? { ...value, user_token: key, app_id: appId } : value;
        text = JSON.stringify(withCreds) ?? 'null';
      }
      return { method: r.method, url: r.url, headers: { 'content-type': type }, payload: text };
    });
  });
}

function razunaArb(): fc.Arbitrary<Req> {
  const op = openapi.razuna.paths['/label.cfc'].get;
  const ids = labelIds();
  const ctx: SchemaContext = {
    components: {},
    pools: {
      label_id: fc.oneof(ids, fc.array(ids, { minLength: 1, maxLength: 4 }).map((l) => l.join(','))),
      label_parent: fc.oneof(ids, fc.constant('0')),
      asset_id: fc.constantFrom('1', '2', 'a1', '230000000000001', 'p1', 'zz', '1,2'),
      callback: fc.constantFrom('cb', 'jQuery123.x', '?', 'alert(1)//', ''),
      searchfor: fc.constantFrom('*', 'alpha', '%', '_', 'Bravo', ''),
    },
  };
  // Per method (the engine's table says which arguments each one requires): its required arguments
  // usually, any other documented parameter now and then.
  const params = ((op.parameters ?? []) as any[]).filter((p) => p.name !== 'api_key' && p.name !== 'method');
  const entry = (p: any) => fromSchema(p.schema ?? {}, ctx, 1, p.name).map((v) => [p.name as string, queryValue(v)] as [string, string]);
  const methodNames = (op.parameters as any[]).find((p) => p.name === 'method').schema.enum as string[];
  const entries = fc.oneof(
    ...methodNames.map((m) => {
      const required = new Set(METHODS.get(m)?.required ?? []);
      const args = params.map((p) => (required.has(p.name) ? fc.option(entry(p), { freq: 12 }) : sometimes(entry(p), p.name.startsWith('__') || p.name === 'callback' ? 8 : 4)));
      const name = sometimes(fc.constantFrom(m.toUpperCase(), ` ${m} `), 8).map((alt): [string, string] => ['method', alt ?? m]);
      return fc.tuple(name, ...args).map((list): ([string, string] | null)[] => list);
    }),
    fromSchema({ type: 'string' }, ctx, 1).map((v): ([string, string] | null)[] => [['method', queryValue(v)]]),
  );
  const key = keyArb().chain((k) =>
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(k, k && `${w.a.workspaceId}-${k}`) }, { weight: 1, arbitrary: fc.constantFrom(k && `${w.b.workspaceId}-${k}`, k && `x-${k}`, k && `0-${k}`) }),
  );
  return fc
    .record({ method: fc.constantFrom('GET', 'POST', 'HEAD'), chosen: entries, key, upper: fc.boolean(), inBody: fc.nat(3), hostile: hostile() })
    .map(({ method, chosen, key: k, upper, inBody, hostile: h }) => {
      const list = chosen.filter((e): e is [string, string] => e !== null).map(([n, v]) => [upper && n !== 'method' ? n.toUpperCase() : n, v] as [string, string]);
      if (k !== undefined) list.push(['api_key', k]);
      const headers: Record<string, string> = {};
      if (method === 'POST' && (inBody > 0 || h)) {
        const query = list.filter(([n]) => n === 'method');
        const form = list.filter(([n]) => n !== 'method');
        const payload = h ? h.body : form.map(([n, v]) => `${encode3986(n)}=${encode3986(v)}`).join('&');
        headers['content-type'] = h ? h.contentType : 'application/x-www-form-urlencoded';
        return { method, url: `/global/api2/label.cfc${queryString(query)}`, headers, payload };
      }
      return { method, url: `/global/api2/label.cfc${queryString(list)}`, headers };
    });
}

function limboArb(): fc.Arbitrary<Req> {
  const str = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom(...HOSTILE_STRINGS));
  const any = fc.oneof(str, fc.constantFrom<unknown>(null, true, 1, -1, [], {}, 1e308));
  const ids = labelIds().map(String);
  const identifier = fc.record({ type: fc.oneof(fc.constantFrom('companies', 'products', 'labels'), str), id: fc.oneof(ids, fc.constantFrom(String(w.a.workspaceId), String(w.b.workspaceId), 'p1', 'nope')) }, { requiredKeys: ['type'] });
  const usage = fc.dictionary(fc.constantFrom('download', 'copy_scan', 'on_demand_stream', 'non_interactive_stream', 'other'), fc.oneof(fc.boolean(), any));
  const attributes = fc.record({ name: fc.oneof(str, any), description: fc.oneof(str, any), usage: fc.oneof(usage, any), 'created-at': str }, { requiredKeys: [] });
  const relationships = fc.record(
    { company: fc.record({ data: fc.oneof(identifier, fc.constant(null), any) }), products: fc.record({ data: fc.oneof(fc.array(identifier, { maxLength: 3 }), any) }) },
    { requiredKeys: [] },
  );
  const resource = fc.record({ type: fc.oneof(fc.constant('labels'), str), id: ids, attributes: fc.oneof(attributes, any), relationships: fc.oneof(relationships, any) }, { requiredKeys: ['type'] });
  const doc = fc.oneof(
    { weight: 4, arbitrary: fc.record({ data: resource }) },
    { weight: 2, arbitrary: fc.record({ data: fc.oneof(identifier, fc.array(identifier, { maxLength: 4 }), fc.constant(null)) }) },
    { weight: 1, arbitrary: fc.oneof(any, fc.record({ data: any, meta: any, included: any }, { requiredKeys: [] })) },
  );
  const valid: [string, string[]][] = [
    ['filter[name]', ['Alpha top', 'alpha top', 'nope']],
    ['filter[id]', ['1', '1,2', String(w.b.labels.top)]],
    ['filter[label-ids]', ['1,2,3', '2']],
    ['filter[products][name]', ['Alpha product']],
    ['filter[products][status]', ['active', 'x']],
    ['filter[has-products]', ['true', 'false']],
    ['filter[has-company]', ['true', 'false']],
    ['sort', ['name', '-name', 'created-at,-id', '-updated-at']],
    ['page[number]', ['1', '2', '0', '-1', '999999']],
    ['page[size]', ['1', '20', '100', '101', '0']],
    ['include', ['company', 'products', 'company,products']],
    ['fields[labels]', ['name', 'name,usage', '']],
    ['fields[companies]', ['name']],
    ['fields[products]', ['name,status']],
  ];
  const junkNames = ['filter[foo]', 'sort', 'page[x]', 'include', 'fields[x]', 'unknown', 'Custom', 'filter', 'page', 'fields[labels][x]'];
  const query = fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...valid).chain(([name, values]) => fc.constantFrom(...values).map((v) => [name, v] as [string, string])) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...junkNames), fc.oneof(fc.constantFrom('x', '', 'name', 'foo'), str)) },
    ),
    { maxLength: 3 },
  );
  const headersArb = fc.record({
    key: keyArb([w.expiredToken, w.b.accessToken]).chain((k) => fc.constantFrom(k, w.a.accessToken)),
    accept: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(JSONAPI, '*/*', '') }, { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/html', `${JSONAPI}; ext=x`) }),
    type: fc.oneof({ weight: 10, arbitrary: fc.constant(JSONAPI) }, { weight: 1, arbitrary: fc.constantFrom('application/json', `${JSONAPI}; charset=utf-8`, 'text/plain') }),
  });
  const apiRoutes = routesOf('limbo').filter((r) => !r.url.endsWith('/oauth/token'));
  const api = perRoute(apiRoutes, (r) =>
    fc.record({ id: labelIds(), company: fc.constantFrom<unknown>(w.a.workspaceId, w.b.workspaceId, 999, 'x'), product: fc.constantFrom('p1', 'nope', '%00', ''), query, doc, h: headersArb, hostile: hostile() }).map(({ id, company, product, query: q, doc: d, h, hostile: hb }) => {
      const headers: Record<string, string> = {};
      if (h.key !== undefined) headers.authorization = `Bearer ${h.key}`;
      if (h.accept) headers.accept = h.accept;
      const hasBody = r.method === 'POST' || r.method === 'PATCH' || (r.method === 'DELETE' && r.url.endsWith('/products'));
      const payload = hb ? hb.body : hasBody ? (JSON.stringify(d) ?? 'null') : undefined;
      if (payload !== undefined) headers['content-type'] = hb ? hb.contentType : h.type;
      const value = r.url.startsWith('/api/v1/companies/') ? company : r.url.startsWith('/api/v1/products/') ? product : id;
      return { method: r.method, url: fillPath(r.url, { id: value }) + queryString(q), headers, ...(payload !== undefined && { payload }) };
    }),
  );
  const token = fc
    .record({
      grant: fc.constantFrom<unknown>('password', 'refresh_token', 'client_credentials', '', null, ['password']),
      email: fc.constantFrom<unknown>(w.b.ownerEmail, 'nobody@example.com', 'x', '', null, 'A@B.C', 42),
      password: fc.oneof(fc.constantFrom<unknown>('wrong password', '', null, 42, 'x'.repeat(2000)), str),
      refresh: fc.oneof(fc.constantFrom('x'.repeat(64), ''), str),
      form: fc.boolean(),
      hostile: hostile(),
    })
    .map(({ grant, email, password, refresh, form, hostile: h }) => {
      const body = { grant_type: grant, email, password, refresh_token: refresh };
      if (h) return { method: 'POST', url: '/oauth/token', headers: { 'content-type': h.contentType }, payload: h.body };
      return form
        ? { method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: formBody(body) }
        : { method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) };
    });
  return fc.oneof({ weight: 9, arbitrary: api }, { weight: 1, arbitrary: token });
}

const GENERATORS: Record<string, () => fc.Arbitrary<Req>> = { jotform: jotformArb, livestorm: livestormArb, devtodev: devtodevArb, razuna: razunaArb, limbo: limboArb };

describe('fuzzing: generated requests per dialect', () => {
  it('every front end with routes (but the admin API) has a generator', () => {
    const frontEnds = new Set(w.app.routeTable.map((r) => r.frontEnd).filter((f) => f !== 'admin'));
    expect([...frontEnds].sort()).toEqual(Object.keys(GENERATORS).sort());
  });

  for (const dialect of Object.keys(GENERATORS)) {
    it(`${dialect}: ${RUNS} generated requests — no 5xx, refusals in the dialect's shape, refusals change nothing`, async () => {
      const shapes = (req: Req) => (req.url.startsWith('/oauth/token') ? oauth : SHAPES[dialect]!);
      await fc.assert(
        fc.asyncProperty(GENERATORS[dialect]!(), async (req) => {
          await exercise(dialect, shapes(req), req);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect((await w.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await w.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      // A useful fuzzer reaches both sides: some requests are accepted, many refused.
      expect(seen[dialect]!.refused).toBeGreaterThan(RUNS / 10);
      expect(seen[dialect]!.requests - seen[dialect]!.refused).toBeGreaterThan(RUNS / 50);
    }, SOAK ? 3_600_000 : 120_000);
  }
});

describe('fuzzing: hand-written hostile inputs on every route', () => {
  for (const dialect of Object.keys(GENERATORS)) {
    it(`${dialect}: each hostile body and URL on each route is refused in the dialect's shape or served, never a 5xx`, async () => {
      const routes = routesOf(dialect).filter((r) => r.method !== 'HEAD');
      expect(routes.length).toBeGreaterThan(0);
      let count = 0;
      for (const r of routes) {
        const shape = shapeOf(r);
        const url = fillPath(r.url, { id: dialect === 'livestorm' ? w.a.workspaceId : w.a.labels.top, labelId: w.a.labels.child, itemId: '1' });
        const headers: Record<string, string> =
          dialect === 'jotform' ? { apikey: w.a.keys.owner } : dialect === 'livestorm' ? { authorization: `Bearer lnx_${w.a.keys.owner}` } : dialect === 'limbo' ? { authorization: `Bearer ${w.a.keys.owner}`, accept: JSONAPI } : {};
        const query = dialect === 'razuna' ? `?method=setlabel&label_text=x&api_key=${w.a.keys.owner}` : '';
        for (const h of hostileBodies(BODY_LIMIT)) {
          await exercise(dialect, shape, { method: r.method, url: url + query, headers: { ...headers, 'content-type': h.contentType }, payload: h.body });
          count++;
        }
        // Hostile URLs: null bytes, bad escapes, long and odd parameters, duplicates.
        // Path mutations only where the route has parameters: elsewhere they would leave the route (and may
        // land in another front end's territory, e.g. POST /api/v1/labels/x is devtodev's).
        const sep = query ? `${query}&` : '?';
        const params = r.url.includes(':');
        const hostileUrls = [
          `${url}${sep}x=%00&x=%00&apiKey=&apiKey=${w.a.keys.owner}`,
          `${url}${sep}limit=1&limit=2&offset=-1&page[size]=1&page[size]=1000`,
          `${url}${sep}${'a'.repeat(20_000)}=1`,
          `${url}${sep}%F0%9F%98%80=%ED%A0%80&%00=%ff`,
          ...(params
            ? [r.url.replace(/:[A-Za-z]+/g, '%00'), r.url.replace(/:[A-Za-z]+/g, '%E0%A4%A'), r.url.replace(/:[A-Za-z]+/g, 'x'.repeat(10_000)), r.url.replace(/:[A-Za-z]+/g, '%F0%9F%98%80'), r.url.replace(/:[A-Za-z]+/g, '1%2F2')].map((u) => u + query)
            : []),
        ];
        for (const u of hostileUrls) {
          await exercise(dialect, shape, { method: r.method, url: u, headers: { ...headers, 'content-type': 'application/json' }, payload: r.method === 'GET' ? undefined : '{}' } as Req);
          count++;
        }
      }
      expect((await w.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      console.info(`hostile inputs (${dialect}): ${count} requests over ${routes.length} routes`);
    }, 120_000);
  }
});
