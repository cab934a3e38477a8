// Limits: request bodies over the limit, page sizes and list caps, the request timeout (slow-loris), the
// generic per-credential rate limit (429 + Retry-After in every dialect's shape), login throttling on
// limbo's /oauth/token, and malformed HTTP framing that never reaches a route. Each refusal is in the
// dialect's documented shape (test/dialect-shapes.ts) and changes nothing.
import { once } from 'node:events';
import { connect } from 'node:net';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { devtodev, jotform, limbo, livestorm, oauth, razuna, razunaValue, SHAPES, type Answer } from './dialect-shapes.js';
import { fingerprint } from './fuzz-support.js';
import { buildTestApp, createTenant } from './helper.js';
import { buildWorld, type World } from './reliability-world.js';

const JSONAPI = 'application/vnd.api+json';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const answer = (res: { statusCode: number; headers: Answer['headers']; body: string }): Answer => ({ statusCode: res.statusCode, headers: res.headers, body: res.body });

/** How each dialect carries a key, for one simple request that works with a valid one. */
function listRequest(dialect: string, w: World, key: string) {
  switch (dialect) {
    case 'jotform':
      return { method: 'GET' as const, url: '/API/user/labels', headers: { apikey: key } };
    case 'livestorm':
      return { method: 'GET' as const, url: `/api/workspaces/${w.a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${key}` } };
    case 'devtodev':
      return { method: 'POST' as const, url: '/api/v1/labels/get', payload: { user_token: key, app_id: w.a.uuid } };
    case 'razuna':
      return { method: 'GET' as const, url: `/global/api2/label.cfc?method=getall&api_key=${key}` };
    default:
      return { method: 'GET' as const, url: '/api/v1/labels', headers: { authorization: `Bearer ${key}`, accept: JSONAPI } };
  }
}

describe('request bodies over the limit', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld({ LABELMUX_BODY_LIMIT: '4096' });
  });
  afterAll(() => w?.close());

  it('every route that takes a body answers 413 in its dialect’s shape (devtodev: 400 code 3, as documented) and changes nothing', async () => {
    const routes = w.app.routeTable.filter((r) => r.frontEnd !== 'admin' && ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(routes.length).toBeGreaterThan(20);
    const big = JSON.stringify({ name: 'x'.repeat(5000), user_token: w.a.keys.owner, app_id: w.a.uuid });
    const headers: Record<string, string> = { apikey: w.a.keys.owner, authorization: `Bearer ${w.a.keys.owner}`, accept: JSONAPI };
    const before = (await fingerprint(w.store));
    for (const r of routes) {
      const url = r.url.replace(':id', r.frontEnd === 'livestorm' ? String(w.a.workspaceId) : String(w.a.labels.top)).replace(':labelId', String(w.a.labels.child)).replace(':itemId', '1');
      const query = r.frontEnd === 'razuna' ? `?method=setlabel&label_text=x&api_key=${w.a.keys.owner}` : '';
      // JSON everywhere; the dialect's other body types where it takes them.
      const types = ['application/json', ...(r.frontEnd === 'limbo' && !r.url.endsWith('/token') ? [JSONAPI] : []), ...(['jotform', 'razuna'].includes(r.frontEnd) || r.url.endsWith('/token') ? ['application/x-www-form-urlencoded'] : [])];
      for (const type of types) {
        const res = await w.app.inject({ method: r.method as 'POST', url: url + query, headers: { ...headers, 'content-type': type }, payload: type.includes('json') ? big : `name=${'x'.repeat(5000)}` });
        const what = `${r.method} ${r.url} (${type}) → ${res.statusCode} ${res.body.slice(0, 200)}`;
        const shape = r.url.endsWith('/oauth/token') ? oauth : SHAPES[r.frontEnd]!;
        expect(() => shape.check(answer(res)), what).not.toThrow();
        if (r.frontEnd === 'devtodev') expect(res.json(), what).toEqual({ status_code: 400, errors: [{ code: 3, msg: 'request body is too large' }] });
        else expect(res.statusCode, what).toBe(413);
      }
    }
    expect((await fingerprint(w.store))).toBe(before);
  });
});

describe('page sizes and list caps', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(() => w?.close());

  const refused = async (shape: typeof jotform, o: InjectOptions, status: number, text: RegExp) => {
    const before = (await fingerprint(w.store));
    const res = await w.app.inject(o);
    expect(res.statusCode, res.body).toBe(status);
    expect(shape.refused(answer(res))).toBe(true);
    expect(shape.check(answer(res))).toMatch(text);
    expect((await fingerprint(w.store))).toBe(before);
  };
  const served = async (o: InjectOptions) => {
    const res = await w.app.inject(o);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };

  it('Livestorm: limit ≤ 100, label_ids ≤ 100', async () => {
    const auth = { authorization: `Bearer lnx_${w.a.keys.owner}` };
    await served({ url: `/api/workspaces/${w.a.workspaceId}/library?limit=100`, headers: auth });
    await refused(livestorm, { url: `/api/workspaces/${w.a.workspaceId}/library?limit=101`, headers: auth }, 400, /limit/);
    await refused(livestorm, { method: 'POST', url: `/api/workspaces/${w.a.workspaceId}/library/1/labels`, headers: auth, payload: { label_ids: Array.from({ length: 101 }, (_, i) => i + 1) } }, 400, /label_ids/);
  });

  it('Jotform: limit ≤ 1000 resources per page, ≤ 1000 resources per add/remove', async () => {
    const h = { apikey: w.a.keys.owner };
    await served({ url: `/API/label/${w.a.labels.top}/resources?limit=1000`, headers: h });
    await refused(jotform, { url: `/API/label/${w.a.labels.top}/resources?limit=1001`, headers: h }, 400, /limit/);
    const resources = Array.from({ length: 1001 }, (_, i) => ({ id: String(i + 1), type: 'form' }));
    await refused(jotform, { method: 'PUT', url: `/API/label/${w.a.labels.top}/add-resources`, headers: h, payload: { resources } }, 400, /resources/);
  });

  it('limbo: page[size] ≤ 100 on every paged list, relationship linkage ≤ 1000', async () => {
    const h = { authorization: `Bearer ${w.a.keys.owner}`, accept: JSONAPI };
    for (const url of ['/api/v1/labels', '/api/v1/companies', '/api/v1/products', `/api/v1/labels/${w.a.labels.top}/products`]) {
      const ok = await served({ url: `${url}?page[size]=100`, headers: h });
      expect(ok.json().meta?.page?.perPage ?? 100).toBe(100);
      await refused(limbo, { url: `${url}?page[size]=101`, headers: h }, 400, /Invalid Query Parameter/);
    }
    const data = Array.from({ length: 1001 }, (_, i) => ({ type: 'products', id: String(i) }));
    await refused(limbo, { method: 'POST', url: `/api/v1/labels/${w.a.labels.top}/relationships/products`, headers: { ...h, 'content-type': JSONAPI }, payload: JSON.stringify({ data }) }, 422, /Unprocessable/);
  });

  it('devtodev: filter lists ≤ 1000 values, delete ≤ 1000 ids, create ≤ 30 labels', async () => {
    const base = { user_token: w.a.keys.owner, app_id: w.a.uuid };
    const many = Array.from({ length: 1001 }, (_, i) => i + 1);
    await served({ method: 'POST', url: '/api/v1/labels/get', payload: { ...base, filter: { id: { eq: many.slice(0, 1000) } } } });
    await refused(devtodev, { method: 'POST', url: '/api/v1/labels/get', payload: { ...base, filter: { id: { eq: many } } } }, 400, /^400 4$/);
    await refused(devtodev, { method: 'POST', url: '/api/v1/labels/delete', payload: { ...base, ids: many } }, 400, /^400 4$/);
    const labels = Array.from({ length: 31 }, (_, i) => ({ name: `L${i}`, start_date: 1_795_000_000 }));
    await refused(devtodev, { method: 'POST', url: '/api/v1/labels/create', payload: { ...base, labels } }, 400, /^400 7$/);
  });

  it('Razuna: searchlabel stops at 1000 hits without overridemax=1; getassetoflabel answers at most 10,000 rows', async () => {
    // Rows written straight into the file: this is about the caps, not about how the rows got there.
    const now = Date.now();
    await w.store.db.write(async (q) => {
      for (let i = 0; i < 1001; i++) {
        await q.run(`INSERT INTO labels (workspace_id, parent_id, name, name_key, description, extras, created_at, updated_at) VALUES (?, NULL, ?, ?, '', '{}', ?, ?)`, w.a.workspaceId, `bulk ${i}`, `bulk ${i}`, now, now);
      }
      for (let i = 0; i < 10_001; i++) {
        const r = await q.one<{ id: number }>(
          `INSERT INTO resources (workspace_id, type, external_id, name, attributes, created_at, updated_at) VALUES (?, 'img', ?, ?, '{}', ?, ?) RETURNING id`,
          w.a.workspaceId, `bulk-${i}`, `bulk ${String(i).padStart(5, '0')}`, now, now,
        );
        await q.run(
          `INSERT INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id, resource_name) VALUES (?, ?, ?, 'img', ?, ?, ?)`,
          w.a.labels.top, r!.id, now, now, `bulk-${i}`, `bulk ${String(i).padStart(5, '0')}`,
        );
      }
    });
    const key = `${w.a.workspaceId}-${w.a.keys.owner}`;
    const capped = await served({ url: `/global/api2/label.cfc?method=searchlabel&searchfor=bulk&api_key=${key}` });
    expect(razuna.refused(answer(capped))).toBe(true);
    expect(razunaValue(answer(capped))).toMatchObject({ kind: 'struct', fields: { responsecode: 1, message: expect.stringMatching(/more than a 1000 records: 1001 records/) } });
    const all = await served({ url: `/global/api2/label.cfc?method=searchlabel&searchfor=bulk&overridemax=1&api_key=${key}` });
    expect(all.json().DATA).toHaveLength(1001);
    const assets = await served({ url: `/global/api2/label.cfc?method=getassetoflabel&label_id=${w.a.labels.top}&api_key=${key}` });
    expect(assets.json().DATA).toHaveLength(10_000);
  });
});

describe('request timeout (slow-loris)', () => {
  let w: World;
  let port: number;
  beforeAll(async () => {
    w = await buildWorld({ LABELMUX_REQUEST_TIMEOUT: '1000' });
    await w.app.listen({ port: 0, host: '127.0.0.1' });
    port = (w.app.server.address() as { port: number }).port;
  });
  afterAll(() => w?.close());

  it('the default is 30 s, configurable by LABELMUX_REQUEST_TIMEOUT, and reaches the HTTP server', () => {
    expect(loadConfig({}).requestTimeout).toBe(30_000);
    expect(() => loadConfig({ LABELMUX_REQUEST_TIMEOUT: '10' })).toThrow(/LABELMUX_REQUEST_TIMEOUT/);
    expect(w.app.server.requestTimeout).toBe(1000);
  });

  /** Opens a raw connection, sends `head`, then one more byte every 200 ms; reports when the server ends it. */
  async function trickle(head: string, drip: string) {
    const sock = connect(port, '127.0.0.1');
    await once(sock, 'connect');
    let raw = '';
    sock.setEncoding('utf8').on('data', (c: string) => (raw += c));
    sock.on('error', () => undefined);
    const started = Date.now();
    const closed = once(sock, 'close').then(() => Date.now() - started);
    sock.write(head);
    const timer = setInterval(() => sock.destroyed || sock.write(drip), 200);
    const ms = await Promise.race([closed, sleep(10_000).then(() => Infinity)]);
    clearInterval(timer);
    sock.destroy();
    return { ms, raw };
  }

  it('a request body trickling in byte by byte is cut off with 408 after the timeout, and writes nothing', async () => {
    const before = (await fingerprint(w.store));
    const head = `POST /api/workspaces/${w.a.workspaceId}/labels HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer lnx_${w.a.keys.owner}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"slow`;
    const { ms, raw } = await trickle(head, 'w');
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(5000);
    expect((await fingerprint(w.store))).toBe(before);
  });

  it('headers trickling in line by line are cut off the same way', async () => {
    const { ms, raw } = await trickle('GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThan(5000);
  });

  it('a client that sends its request in time is served (the timeout is not an idle limit on the response)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/workspaces/${w.a.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${w.a.keys.owner}` } });
    expect(res.status).toBe(200);
  });
});

describe('per-credential rate limit (LABELMUX_RATE_LIMIT)', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld({ LABELMUX_RATE_LIMIT: '3/1m' });
  });
  afterAll(() => w?.close());

  it('is off unless configured', async () => {
    const off = await buildWorld();
    try {
      expect(loadConfig({}).rateLimit).toBeNull();
      for (let i = 0; i < 20; i++) {
        const res = await off.app.inject(listRequest('livestorm', off, off.a.keys.viewer));
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    } finally {
      await off.close();
    }
  });

  it('parses <n>/<window> and refuses anything else', () => {
    expect(loadConfig({ LABELMUX_RATE_LIMIT: '100/1m' }).rateLimit).toEqual({ max: 100, windowMs: 60_000 });
    expect(loadConfig({ LABELMUX_RATE_LIMIT: '5/10s' }).rateLimit).toEqual({ max: 5, windowMs: 10_000 });
    expect(loadConfig({ LABELMUX_RATE_LIMIT: 'off' }).rateLimit).toBeNull();
    for (const bad of ['100', '0/1m', '10/0s', '1/1d', 'ten/1m', '10/50ms']) expect(() => loadConfig({ LABELMUX_RATE_LIMIT: bad }), bad).toThrow(/LABELMUX_RATE_LIMIT/);
  });

  const SHAPE = { jotform, livestorm, devtodev, razuna, limbo } as const;
  for (const dialect of Object.keys(SHAPE) as (keyof typeof SHAPE)[]) {
    it(`${dialect}: the request past the limit is 429 in the dialect's shape with Retry-After; other keys are not affected`, async () => {
      // The budget is per key across every dialect: each case takes keys of its own.
      const fresh = async () => (await w.core.admin.createApiKey({ userId: w.a.userIds.member, workspaceId: w.a.workspaceId })).key;
      const key = dialect === 'limbo' ? w.a.accessToken : await fresh();
      for (let i = 0; i < 3; i++) expect((await w.app.inject(listRequest(dialect, w, key))).statusCode).toBe(200);
      const before = (await fingerprint(w.store));
      const res = await w.app.inject(listRequest(dialect, w, key));
      expect(res.statusCode, res.body).toBe(429);
      const retry = Number(res.headers['retry-after']);
      expect(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After: ${res.headers['retry-after']}`).toBe(true);
      const a = answer(res);
      expect(SHAPE[dialect].refused(a)).toBe(true);
      expect(SHAPE[dialect].check(a)).toMatch(dialect === 'devtodev' ? /^429 11$/ : /429|Too many requests/);
      expect(res.body).toMatch(/Too many requests/);
      expect(res.body).not.toContain(key); // the limiter key is the key id, never the key
      expect((await fingerprint(w.store))).toBe(before);
      // Another credential of the same workspace has its own budget.
      expect((await w.app.inject(listRequest(dialect, w, await fresh()))).statusCode).toBe(200);
    });
  }

  it('counts a user’s access tokens together (limbo: the user, not each token), and never limits the admin API or health checks', async () => {
    const token = w.b.accessToken;
    for (let i = 0; i < 3; i++) expect((await w.app.inject(listRequest('limbo', w, token))).statusCode).toBe(200);
    const fresh = await w.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', email: w.b.ownerEmail, password: 'correct horse battery staple' } });
    expect((await w.app.inject(listRequest('limbo', w, fresh.json().access_token))).statusCode).toBe(429);
    for (let i = 0; i < 10; i++) {
      expect((await w.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await w.app.inject({ url: '/_admin/workspaces', headers: { authorization: 'Bearer test-admin-token-0123456789' } })).statusCode).toBe(200);
    }
  });

  it('a refused create writes nothing, and the window frees the key again', async () => {
    const quick = await buildTestApp({ LABELMUX_RATE_LIMIT: '2/1s' });
    const t = await createTenant(quick.core);
    try {
      const create = (name: string) => ({ method: 'POST' as const, url: `/api/workspaces/${t.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${t.keys.admin}` }, payload: { name } });
      expect((await quick.app.inject(create('one'))).statusCode).toBe(201);
      expect((await quick.app.inject(create('two'))).statusCode).toBe(201);
      const before = (await fingerprint(quick.store));
      const third = await quick.app.inject(create('three'));
      expect(third.statusCode).toBe(429);
      expect(third.headers['retry-after']).toBe('1');
      expect((await fingerprint(quick.store))).toBe(before);
      await sleep(1100);
      quick.clock.now += 1100; // a shared database's limiter (PostgreSQL) counts windows by the core's clock
      expect((await quick.app.inject(create('three'))).statusCode).toBe(201);
    } finally {
      await quick.close();
    }
  });
});

describe('login throttling on /oauth/token (limbo)', () => {
  let w: World;
  beforeAll(async () => {
    w = await buildWorld();
  });
  afterAll(() => w?.close());

  const login = (email: string, password: string) => w.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', email, password } });

  it('repeated failures for an email are slowed down with 429 slow_down + Retry-After, whatever the case of the email, even with the right password; then it recovers', async () => {
    const email = w.a.ownerEmail;
    for (let i = 0; i < 5; i++) expect((await login(i % 2 ? email.toUpperCase() : email, `wrong ${i}`)).statusCode).toBe(400);
    // The 5th failure locks the email: further attempts, right password included, are throttled.
    const locked = await login(email, 'correct horse battery staple');
    expect(locked.statusCode).toBe(429);
    expect(oauth.check(answer(locked))).toBe('429 slow_down');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(locked.json().access_token).toBeUndefined();
    // Unknown emails are throttled the same way (no hint which emails exist).
    for (let i = 0; i < 5; i++) await login('nobody@example.com', 'x-wrong-password');
    expect((await login('nobody@example.com', 'x-wrong-password')).statusCode).toBe(429);
    // Once the lock has passed, the right password works and clears the failures.
    w.clock.now += 2000;
    const ok = await login(email, 'correct horse battery staple');
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('malformed HTTP framing never reaches a route and never takes the process down', () => {
  let w: World;
  let port: number;
  beforeAll(async () => {
    w = await buildWorld();
    await w.app.listen({ port: 0, host: '127.0.0.1' });
    port = (w.app.server.address() as { port: number }).port;
  });
  afterAll(() => w?.close());

  const raw = async (text: string | Buffer) => {
    const sock = connect(port, '127.0.0.1');
    await once(sock, 'connect');
    let out = '';
    sock.setEncoding('latin1').on('data', (c: string) => (out += c));
    sock.on('error', () => undefined);
    sock.end(text);
    await Promise.race([once(sock, 'close'), sleep(5000)]);
    sock.destroy();
    return out;
  };

  it('a malformed percent-escape in a path reaches its dialect and is answered in the dialect’s shape', async () => {
    const cases = [
      { shape: jotform, url: '/API/label/%E0%A4%A', headers: { apikey: w.a.keys.owner } },
      { shape: livestorm, url: `/api/workspaces/${w.a.workspaceId}/labels/%zz`, headers: { authorization: `Bearer lnx_${w.a.keys.owner}` }, method: 'PATCH' as const, payload: { name: 'x' } },
      { shape: limbo, url: '/api/v1/labels/%E0%A4%A', headers: { authorization: `Bearer ${w.a.keys.owner}`, accept: JSONAPI } },
      { shape: razuna, url: '/global/api2/label.cfc/%', headers: {} },
    ];
    for (const c of cases) {
      const res = await w.app.inject({ method: c.method ?? 'GET', url: c.url, headers: c.headers, ...(c.payload && { payload: c.payload }) });
      expect(c.shape.refused(answer(res)), `${c.url} → ${res.statusCode} ${res.body}`).toBe(true);
      expect(() => c.shape.check(answer(res)), `${c.url} → ${res.statusCode} ${res.body}`).not.toThrow();
    }
  });

  it('answers 4xx (or closes) for broken requests and keeps serving', async () => {
    const cases: (string | Buffer)[] = [
      'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n', // CL + TE (smuggling)
      `POST /api/workspaces/${w.a.workspaceId}/labels HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, // bad chunk size
      `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, // header over 16 KiB
      'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Null: a\u0000b\r\n\r\n',
      'BREW /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03]), // a TLS ClientHello
    ];
    for (const c of cases) {
      const out = await raw(c);
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(out)?.[1] ?? 0);
      expect(status === 0 || (status >= 400 && status < 500), `${JSON.stringify(String(c).slice(0, 60))} → ${out.slice(0, 120)}`).toBe(true);
    }
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
  });
});
