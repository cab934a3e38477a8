// The documents tell the truth: every route the app registers (app.routeTable) is an operation of its
// front end's document, and every answer it really gives — the request examples, executed unedited on a
// fresh server with the demo data; a bad or missing key; unknown and malformed ids; invalid bodies and
// content types, a form in an unknown charset; every value of a query parameter's enum; a role too low; unknown routes; bodies over the limit (413); the rate limit (429) and the
// request timeout (408) — has a documented status, the declared headers, a documented content type and a
// body the schema for that status and content type accepts. The examples must succeed (2xx, and for
// Razuna's always-200 answers, no error shape).
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_NAMES } from '../scripts/openapi.js';
import { EXAMPLE_CREDENTIALS } from '../src/dialects/devtodev/index.js';
import { DocumentChecker, encode, send, type Answer, type Json, type Operation, type Request } from './openapi-driver.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helper.js';

type Name = (typeof DOCUMENT_NAMES)[number];

interface World {
  t: TestApp;
  checker: DocumentChecker;
  /** The demo key (the admin token for the admin document), a viewer's key, the demo workspace uuid. */
  key: string;
  viewerKey: string;
  uuid: string;
}

/**
 * A fresh app with the demo data, the admin document's examples (users, keys, resources) and a viewer. The
 * admin document's own world also has label 1 in the demo workspace (the console's routes read it); the
 * dialects' worlds leave the console's routes out, so their examples create label 1 themselves.
 */
async function world(name: Name, env: Record<string, string> = {}): Promise<World> {
  const t = await buildTestApp(env);
  const demo = (await t.core.admin.bootstrapDemo())!;
  const viewer = await t.core.admin.createUser({ email: 'viewer@truth.test', name: 'Viewer' });
  await t.core.admin.setMember(demo.workspace.id, viewer.id, 'viewer');
  const viewerKey = (await t.core.admin.createApiKey({ userId: viewer.id, workspaceId: demo.workspace.id })).key;
  const doc = (await t.app.inject({ method: 'GET', url: `/openapi/${name}.json` })).json();
  const w = { t, checker: new DocumentChecker(name, doc), key: name === 'admin' ? ADMIN_TOKEN : demo.key, viewerKey, uuid: demo.workspace.uuid };
  if (name === 'admin') {
    const label = { parentId: null, name: 'Example', color: null, description: '', startsAt: null, endsAt: null, extras: {} };
    await t.store.createLabel(demo.workspace.id, label, 'siblings', { actorUserId: demo.user.id, apiKeyId: null, dialect: 'admin', at: t.clock.now }, demo.user.id);
  } else {
    const admin = { ...w, checker: new DocumentChecker('admin', (await t.app.inject({ method: 'GET', url: '/openapi/admin.json' })).json()), key: ADMIN_TOKEN };
    for (const o of ordered(admin.checker).filter((x) => !destructive(x) && !x.op.tags?.includes('console'))) await runExamples(admin, o);
  }
  return w;
}

/** Deletions (and the reset) run last, in reverse document order, so the examples before them find what they use. */
const destructive = (o: Operation) => o.method === 'delete' || /^(delete|remove|revoke|reset)/.test(o.op.operationId);
const ordered = (c: DocumentChecker) => [...c.ops.filter((o) => !destructive(o)), ...c.ops.filter(destructive).reverse()];

const exampleOf = (p: Json) => p.example ?? p.schema?.examples?.[0];

/** The request an operation's examples describe, under `server`, with the credential `key` (null: none). */
function build(w: World, o: Operation, server: string, key: string | null, body?: { type: string; value: unknown }): Request {
  let path = o.path;
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of o.op.parameters ?? []) {
    const value = exampleOf(p);
    if (p.in === 'path') {
      expect(value, `${w.checker.name} ${o.op.operationId}: path parameter ${p.name} has no example`).toBeDefined();
      path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
    } else if (p.in === 'query' && value !== undefined) query.set(p.name, String(value));
  }
  const requirement = o.op.security ?? w.checker.doc.security ?? [];
  for (const scheme of Object.keys(requirement[0] ?? {}).map((s) => w.checker.doc.components.securitySchemes[s])) {
    if (key === null) continue;
    if (scheme.type === 'http') headers.authorization = `Bearer ${key}`;
    else if (scheme.in === 'header') headers[scheme.name.toLowerCase()] = key;
    else if (scheme.in === 'query') query.set(scheme.name, key);
  }
  const success = Object.entries<Json>(o.op.responses).find(([s]) => s.startsWith('2'))?.[1];
  headers.accept = Object.keys(success?.content ?? {})[0] ?? '*/*';
  const qs = query.toString();
  const req: Request = { method: o.method.toUpperCase(), url: `${server === '/' ? '' : server}${path}${qs ? `?${qs}` : ''}`, headers };
  if (!body) return req;
  const value = JSON.parse(JSON.stringify(body.value).replaceAll(EXAMPLE_CREDENTIALS.user_token, key ?? '').replaceAll(EXAMPLE_CREDENTIALS.app_id, w.uuid));
  const { payload, contentType } = encode(body.type, value);
  return { ...req, headers: { ...req.headers, 'content-type': contentType }, payload };
}

/** Each request example of an operation: one per media type example (or none without a body). */
function examples(o: Operation): { type: string; value: unknown; name: string }[] {
  const content = Object.entries<Json>(o.op.requestBody?.content ?? {});
  return content.flatMap(([type, m]) => [
    ...(m.example !== undefined ? [{ type, value: m.example, name: type }] : []),
    ...Object.entries<Json>(m.examples ?? {}).map(([n, e]) => ({ type, value: e.value, name: `${type} ${n}` })),
  ]);
}

/** An answer that reports failure with HTTP 200 (Razuna): an error struct, error rows or an engine error. */
const failedWith200 = (body: unknown) => {
  const b = body as Json | undefined;
  return typeof b === 'object' && b !== null && (b.responsecode === 1 || 'errorcode' in b || b.COLUMNS?.[0] === 'responsecode');
};

async function runExamples(w: World, o: Operation, server = o.servers[0]!): Promise<void> {
  const bodies = examples(o);
  expect(bodies.length > 0 || !o.op.requestBody?.required, `${w.checker.name} ${o.op.operationId}: the request body has no example`).toBe(true);
  for (const body of bodies.length > 0 ? bodies : [undefined]) {
    const req = build(w, o, server, w.key, body);
    const res = await send(w.t.app, req);
    const parsed = w.checker.check(o, req, res);
    const where = `${w.checker.name} ${o.op.operationId} example ${body?.name ?? ''}: ${req.method} ${req.url} → ${res.status} ${res.body.slice(0, 300)}`;
    expect(res.status >= 200 && res.status < 300 && !failedWith200(parsed), where).toBe(true);
  }
}

/** The same request with something wrong in it; the answer only has to be documented. */
async function probe(w: World, o: Operation, req: Request): Promise<Answer> {
  const res = await send(w.t.app, req);
  w.checker.check(o, req, res);
  return res;
}

async function probes(w: World, o: Operation, server: string): Promise<void> {
  const body = examples(o)[0];
  const good = build(w, o, server, w.key, body);
  await probe(w, o, build(w, o, server, 'wrong0123456789abcdef', body));
  await probe(w, o, build(w, o, server, null, body));
  if (w.checker.name !== 'admin') await probe(w, o, build(w, o, server, w.viewerKey, body));
  const pathParams = (o.op.parameters ?? []).filter((p: Json) => p.in === 'path');
  for (const bad of ['999999', 'abc', '0']) {
    if (pathParams.length === 0) break;
    const url = pathParams.reduce((u: string, p: Json) => u.replace(`/${encodeURIComponent(String(exampleOf(p)))}`, `/${bad}`), good.url);
    await probe(w, o, { ...good, url });
  }
  // Every value a query parameter's enum documents (Razuna's output switches among them) answers as documented.
  for (const p of (o.op.parameters ?? []).filter((x: Json) => x.in === 'query' && Array.isArray(x.schema?.enum))) {
    for (const value of p.schema.enum) await probe(w, o, { ...good, url: `${good.url}${good.url.includes('?') ? '&' : '?'}${p.name}=${encodeURIComponent(String(value))}` });
  }
  if (!body) return;
  if (body.type === 'application/x-www-form-urlencoded') {
    await probe(w, o, { ...good, headers: { ...good.headers, 'content-type': `${body.type}; charset=x-no-such-charset` } });
  }
  const invalid = body.type.includes('json') ? ['{}', '[]', '{"name":', JSON.stringify(Object.fromEntries(Object.keys(body.value as Json).map((k) => [k, [[]]])))] : ['', 'x=%ZZ'];
  for (const payload of invalid) await probe(w, o, { ...good, payload });
  await probe(w, o, { ...good, headers: { ...good.headers, 'content-type': 'text/plain' }, payload: 'hello' });
}

/** Every served document's checker (for answers another front end may own). */
const checkers = new Map<string, DocumentChecker>();
beforeAll(async () => {
  const t = await buildTestApp();
  for (const n of DOCUMENT_NAMES) checkers.set(n, new DocumentChecker(n, (await t.app.inject({ method: 'GET', url: `/openapi/${n}.json` })).json()));
  await t.close();
});

describe.each(DOCUMENT_NAMES)('%s', (name) => {
  let w: World;
  beforeAll(async () => {
    w = await world(name);
  });
  afterAll(() => w.t.close());

  it('documents every route the app registers (HEAD aside: Fastify answers it for each GET)', () => {
    const routes = (w.t.app as unknown as { routeTable: { frontEnd: string; method: string; url: string }[] }).routeTable.filter((r) => r.frontEnd === name && r.method !== 'HEAD');
    expect(routes.length).toBeGreaterThan(0);
    for (const r of routes) expect(w.checker.forRoute(r.method, r.url), `${name}: ${r.method} ${r.url} is not in the document`).toBeDefined();
  });

  it('every request example, executed as it is in order, succeeds and answers as documented', async () => {
    for (const o of ordered(w.checker)) await runExamples(w, o);
  });

  it('bad and missing keys, a low role, unknown ids, invalid bodies and content types answer as documented', async () => {
    const routes = (w.t.app as unknown as { routeTable: { frontEnd: string; method: string; url: string }[] }).routeTable.filter((r) => r.frontEnd === name && r.method !== 'HEAD');
    for (const r of routes) {
      const found = w.checker.forRoute(r.method, r.url)!;
      await probes(w, found.operation, found.server);
    }
  });

  it('unknown routes and verbs under its mounts answer as some operation documents', async () => {
    const headers = { authorization: `Bearer ${w.key}`, apikey: w.key, accept: '*/*' };
    for (const o of w.checker.ops) {
      const url = build(w, o, o.servers[0]!, w.key).url.split('?')[0]!;
      const verbs = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !w.checker.forUrl(m, url));
      for (const [method, target] of [...verbs.map((m) => [m, url]), ['GET', `${url}/no/such/route`], ['POST', `${url}/no/such/route`]] as const) {
        const res = await send(w.t.app, { method, url: target, headers });
        checkUnknown(name, `${method} ${target}`, res);
      }
    }
  });
});

/**
 * An unknown route's answer is documented by some operation of a document whose servers cover the URL:
 * devtodev and limbo share /api/v1 (verbs other than POST there are limbo's JSON:API).
 */
function checkUnknown(name: Name, where: string, res: Answer): void {
  const pathname = where.split(' ')[1]!;
  const owners = [name, ...DOCUMENT_NAMES.filter((n) => n !== name)].map((n) => checkers.get(n)!).filter((c) => c.ops.some((o) => o.servers.some((s) => s === '/' || pathname.startsWith(`${s}/`))));
  const errors: string[] = [];
  for (const c of owners) {
    try {
      return c.checkAny(where, res);
    } catch (e) {
      errors.push(String(e).split('\n')[0]!);
    }
  }
  expect.fail(errors.join('\n'));
}

describe.each(DOCUMENT_NAMES)('%s over the limits', (name) => {
  // One app for both: a body over the limit is refused while it is read, before the rate limiter counts.
  let w: World;
  beforeAll(async () => {
    w = await world(name, { LABELMUX_BODY_LIMIT: '1024', LABELMUX_RATE_LIMIT: '1/1h' });
  });
  afterAll(() => w.t.close());

  it('bodies over LABELMUX_BODY_LIMIT answer as documented', async () => {
    for (const o of w.checker.ops) {
      for (const [type] of Object.entries<Json>(o.op.requestBody?.content ?? {})) {
        const req = build(w, o, o.servers[0]!, w.key, { type, value: { pad: 'x'.repeat(4096) } });
        const res = await probe(w, o, req);
        // multipart bodies are capped per field (their parsers' limits), not by LABELMUX_BODY_LIMIT; the
        // import route has its own limit; devtodev answers 400 (code 3).
        if (o.op.operationId !== 'importWorkspace' && !type.startsWith('multipart/')) expect(res.status, `${name} ${o.op.operationId} ${type}`).toBe(name === 'devtodev' ? 400 : 413);
      }
    }
  });

  it.skipIf(name === 'admin')('over LABELMUX_RATE_LIMIT every authenticated operation answers a documented 429 with Retry-After', async () => {
    for (const o of w.checker.ops.filter((x) => (x.op.security ?? w.checker.doc.security ?? []).length > 0 || name === 'devtodev')) {
      const req = build(w, o, o.servers[0]!, w.key, examples(o)[0]);
      let res = await probe(w, o, req);
      for (let i = 0; i < 3 && res.status !== 429; i++) res = await probe(w, o, req);
      expect(res.status, `${name} ${o.op.operationId}`).toBe(429);
      expect(Number(res.headers['retry-after']), `${name} ${o.op.operationId}`).toBeGreaterThan(0);
    }
  });
});

describe('request timeout', () => {
  it('a request not sent whole within LABELMUX_REQUEST_TIMEOUT answers 408, as every operation documents', async () => {
    const t = await buildTestApp({ LABELMUX_REQUEST_TIMEOUT: '1000' });
    try {
      const address = new URL(await t.app.listen({ port: 0, host: '127.0.0.1' }));
      const head = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(address.port), '127.0.0.1', () => socket.write('POST /API/label HTTP/1.1\r\nHost: x\r\n'));
        let got = '';
        socket.on('data', (d) => (got += d.toString()));
        socket.on('close', () => resolve(got));
        socket.on('error', reject);
      });
      const [status, ...lines] = head.split('\r\n\r\n')[0]!.split('\r\n');
      expect(status).toMatch(/^HTTP\/1\.1 408 /);
      const res: Answer = { status: 408, headers: Object.fromEntries(lines.map((l) => [l.split(':')[0]!.toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])), body: head.split('\r\n\r\n')[1] ?? '' };
      for (const name of DOCUMENT_NAMES) {
        const checker = new DocumentChecker(name, (await t.app.inject({ method: 'GET', url: `/openapi/${name}.json` })).json());
        for (const o of checker.ops) checker.check(o, { method: o.method, url: o.path, headers: {} }, res);
      }
    } finally {
      await t.close();
    }
  });
});
