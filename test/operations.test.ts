// Operations (docs/operations.md, "Health and metrics" and "Logs and request ids"): health and
// readiness, Prometheus metrics (optionally behind a bearer token), X-Request-Id on every response, and logs
// that never carry keys, tokens or passwords.
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { createTestStore } from './test-store.js';
import { ADMIN_TOKEN, buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('health and readiness', () => {
  it('/healthz is 200 while the process is up, /readyz 200 while the database answers and 503 once it does not', async () => {
    const t = await buildTestApp();
    try {
      const health = await t.app.inject({ url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });
      const ready = await t.app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready' });

      await t.store.db.close();
      const down = await t.app.inject({ url: '/readyz' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toEqual({ status: 'database unavailable' });
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      // The error does not leak: no stack, no SQLite message.
      expect(down.body).not.toMatch(/sqlite|Error|at /i);
    } finally {
      await t.close();
    }
  });

  it('need no credentials, even with a metrics token set', async () => {
    const t = await buildTestApp({ LABELMUX_METRICS_TOKEN: 'metrics-secret' });
    try {
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
      expect((await t.app.inject({ url: '/healthz', headers: { authorization: 'Bearer junk' } })).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

/** `name{labels} value` lines of a Prometheus text exposition, labels parsed. */
function samples(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ labels, value: Number(m[3]) });
  }
  return out;
}

const find = (list: ReturnType<typeof samples>, want: Record<string, string>) =>
  list.filter((s) => Object.entries(want).every(([k, v]) => s.labels[k] === v));

describe('/metrics', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await buildTestApp();
    tenant = await createTenant(t.core, 'Metrics');
  });
  afterAll(async () => {
    await t.close();
  });

  it('is Prometheus text with labelmux_http_requests_total by dialect, route and status, and a latency histogram', async () => {
    const ws = tenant.workspaceId;
    const key = { authorization: `Bearer lnx_${tenant.keys.owner}` };
    for (let i = 0; i < 3; i++) await t.app.inject({ url: `/api/workspaces/${ws}/labels`, headers: key });
    await t.app.inject({ url: `/api/workspaces/${ws}/labels` }); // 401
    await t.app.inject({ url: `/api/workspaces/${ws}/secret-path-do-not-record`, headers: key }); // 404 under livestorm
    await t.app.inject({ method: 'POST', url: '/_admin/workspaces', headers: AUTH, payload: { name: 'M' } });
    await t.app.inject({ url: '/no/such/path/secret-path-do-not-record' });

    const res = await t.app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('# TYPE labelmux_http_requests_total counter');
    expect(text).toContain('# TYPE labelmux_http_request_duration_seconds histogram');

    const requests = samples(text, 'labelmux_http_requests_total');
    expect(find(requests, { dialect: 'livestorm', route: '/api/workspaces/:id/labels', method: 'GET', status: '200' })).toEqual([expect.objectContaining({ value: 3 })]);
    expect(find(requests, { dialect: 'livestorm', route: '/api/workspaces/:id/labels', method: 'GET', status: '401' })).toEqual([expect.objectContaining({ value: 1 })]);
    expect(find(requests, { dialect: 'admin', route: '/_admin/workspaces', method: 'POST', status: '201' })).toEqual([expect.objectContaining({ value: 1 })]);
    expect(find(requests, { dialect: 'livestorm', status: '404' })).toHaveLength(1);
    expect(find(requests, { dialect: 'none', status: '404' })).toHaveLength(1);
    // Unmatched paths are one series, never the raw URL (bounded cardinality, nothing sensitive).
    expect(text).not.toContain('secret-path-do-not-record');
    expect(text).not.toContain(tenant.keys.owner);

    const buckets = samples(text, 'labelmux_http_request_duration_seconds_bucket');
    const listBuckets = find(buckets, { dialect: 'livestorm', route: '/api/workspaces/:id/labels', method: 'GET' });
    expect(listBuckets.length).toBeGreaterThan(3);
    expect(find(listBuckets, { le: '+Inf' })).toEqual([expect.objectContaining({ value: 4 })]);
    const values = listBuckets.map((b) => b.value);
    expect([...values].sort((a, b) => a - b)).toEqual(values); // cumulative
    expect(find(samples(text, 'labelmux_http_request_duration_seconds_count'), { dialect: 'livestorm', route: '/api/workspaces/:id/labels' })).toEqual([
      expect.objectContaining({ value: 4 }),
    ]);
    const sum = find(samples(text, 'labelmux_http_request_duration_seconds_sum'), { dialect: 'livestorm', route: '/api/workspaces/:id/labels' });
    expect(sum).toHaveLength(1);
    expect(sum[0]!.value).toBeGreaterThan(0);
  });

  it('counts keep rising and each app has its own registry', async () => {
    const before = find(samples((await t.app.inject({ url: '/metrics' })).body, 'labelmux_http_requests_total'), { route: '/healthz' })[0]?.value ?? 0;
    await t.app.inject({ url: '/healthz' });
    await t.app.inject({ url: '/healthz' });
    const after = find(samples((await t.app.inject({ url: '/metrics' })).body, 'labelmux_http_requests_total'), { route: '/healthz' })[0]!.value;
    expect(after).toBe(before + 2);

    const other = await buildTestApp();
    try {
      const text = (await other.app.inject({ url: '/metrics' })).body;
      expect(find(samples(text, 'labelmux_http_requests_total'), { route: '/healthz' })).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('with LABELMUX_METRICS_TOKEN needs that bearer token', async () => {
    const secured = await buildTestApp({ LABELMUX_METRICS_TOKEN: 'metrics-secret' });
    try {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'metrics-secret' }, { authorization: 'Bearer metrics-secretx' }, AUTH]) {
        const res = await secured.app.inject({ url: '/metrics', headers });
        expect(res.statusCode).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
        expect(res.body).not.toContain('labelmux_http_requests_total');
        expect(res.body).not.toContain('metrics-secret');
      }
      const res = await secured.app.inject({ url: '/metrics', headers: { authorization: 'Bearer metrics-secret' } });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('labelmux_http_requests_total');
      expect((await secured.app.inject({ url: '/metrics', headers: { authorization: 'bearer metrics-secret' } })).statusCode).toBe(200);
    } finally {
      await secured.close();
    }
  });
});

describe('X-Request-Id', () => {
  let t: TestApp;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await buildTestApp({ LABELMUX_METRICS_TOKEN: 'metrics-secret' });
    tenant = await createTenant(t.core, 'Ids');
  });
  afterAll(async () => {
    await t.close();
  });

  const json = { 'content-type': 'application/json' };
  /** Successes and failures on every front end: root, operations, admin and each dialect's mount. */
  const requests = (): [string, InjectOptions][] => {
    const ws = tenant.workspaceId;
    const key = tenant.keys.owner;
    return [
      ['root 404', { url: '/no/such/thing' }],
      ['root 404 for a POST with bad JSON', { method: 'POST', url: '/nope', headers: json, payload: '{bad' }],
      ['healthz', { url: '/healthz' }],
      ['readyz', { url: '/readyz' }],
      ['metrics 401', { url: '/metrics' }],
      ['metrics 200', { url: '/metrics', headers: { authorization: 'Bearer metrics-secret' } }],
      ['admin 200', { url: '/_admin/workspaces', headers: AUTH }],
      ['admin 401', { url: '/_admin/workspaces' }],
      ['admin 404 route', { url: '/_admin/nope', headers: AUTH }],
      ['admin 404 id', { url: '/_admin/workspaces/abc/events', headers: AUTH }],
      ['admin 400 bad JSON', { method: 'POST', url: '/_admin/workspaces', headers: { ...AUTH, ...json }, payload: '{' }],
      ['admin 400 validation', { method: 'POST', url: '/_admin/workspaces', headers: AUTH, payload: { nope: 1 } }],
      ['admin 409', { method: 'POST', url: '/_admin/users', headers: AUTH, payload: { email: `owner.${ws}.1@example.com`, name: 'x' } }],
      ['admin 413', { method: 'POST', url: '/_admin/workspaces', headers: AUTH, payload: { name: 'x'.repeat(1_200_000) } }],
      ['admin 415', { method: 'POST', url: '/_admin/workspaces', headers: { ...AUTH, 'content-type': 'application/xml' }, payload: '<x/>' }],
      ['livestorm 200', { url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` } }],
      ['livestorm 401', { url: `/api/workspaces/${ws}/labels` }],
      ['livestorm 404 workspace', { url: '/api/workspaces/999999/labels', headers: { authorization: `Bearer lnx_${key}` } }],
      ['livestorm 404 route', { url: `/api/workspaces/${ws}/nope`, headers: { authorization: `Bearer lnx_${key}` } }],
      ['livestorm 400', { method: 'POST', url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}`, ...json }, payload: '{bad' }],
      ['livestorm 413', { method: 'POST', url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` }, payload: { name: 'x'.repeat(1_200_000) } }],
      ['jotform', { url: `/API/user/labels?apiKey=${key}` }],
      ['jotform 401', { url: '/API/user/labels' }],
      ['jotform unknown route', { url: '/API/nope' }],
      ['razuna', { url: `/global/api2/label.cfc?method=getall&api_key=${ws}-${key}` }],
      ['razuna bad key', { url: '/global/api2/label.cfc?method=getall&api_key=nope' }],
      ['devtodev', { method: 'POST', url: '/api/v1/labels/get', payload: { user_token: key, app_id: tenant.uuid } }],
      ['devtodev bad key', { method: 'POST', url: '/api/v1/labels/get', payload: { user_token: 'nope' } }],
      ['limbo', { url: '/api/v1/labels', headers: { authorization: 'Bearer nope' } }],
      ['limbo oauth', { method: 'POST', url: '/oauth/token', payload: { grant_type: 'password' } }],
      ['docs', { url: '/docs' }],
      ['openapi', { url: '/openapi/livestorm.json' }],
    ];
  };

  it('every response carries a fresh UUID when the client sends none', async () => {
    const seen = new Set<string>();
    for (const [what, req] of requests()) {
      const res = await t.app.inject(req);
      const id = res.headers['x-request-id'];
      expect(id, `${what} → ${res.statusCode}`).toMatch(UUID);
      seen.add(String(id));
    }
    expect(seen.size).toBe(requests().length);
  });

  it('a valid incoming X-Request-Id is echoed on every response', async () => {
    let n = 0;
    for (const [what, req] of requests()) {
      const id = `trace-${++n}.abc:DEF_0-9`;
      const res = await t.app.inject({ ...req, headers: { ...(req.headers ?? {}), 'x-request-id': id } });
      expect(res.headers['x-request-id'], `${what} → ${res.statusCode}`).toBe(id);
    }
  });

  // Guards a fixed bug: with `requestIdHeader: 'x-request-id'` Fastify took the header as it was and only
  // called genReqId when it was absent, so any value (spaces, quotes, 10 kB) was echoed and logged. The app
  // sets requestIdHeader: false, and genReqId reads and validates the header.
  it('an invalid incoming X-Request-Id is replaced, not echoed', async () => {
    for (const bad of ['has spaces', 'x'.repeat(129), '"quoted"', '<script>', 'a/b']) {
      const res = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(UUID);
    }
  });

  // Guards a fixed bug: errors Fastify raises before routing (FST_ERR_BAD_URL for a malformed
  // percent-encoding, FST_ERR_MAX_PARAM_LENGTH → 414) skip the onRequest hook; the app's `frameworkErrors`
  // option gives them an X-Request-Id and the front end's shape.
  it('requests Fastify refuses before routing also carry X-Request-Id', async () => {
    for (const url of ['/%E0%A4%A', '/api/workspaces/%E0%A4%A/labels', `/api/workspaces/${'9'.repeat(1200)}/labels`]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers['x-request-id'], url).toMatch(UUID);
    }
  });
});

describe('logs', () => {
  let app: FastifyInstance;
  let log = '';
  let tenant: Tenant;
  let wideKey: string;
  const store = createTestStore();
  const core = createCore({ store });

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    app = await buildApp({
      config: loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_METRICS_TOKEN: 'metrics-token-secret-42' }),
      core,
      adminToken: ADMIN_TOKEN,
      logger: { level: 'trace', stream },
    });
    await app.ready();
    tenant = await createTenant(core, 'Logs');
    const user = await core.admin.createUser({ email: 'wide@example.com', name: 'Wide' });
    await core.admin.setMember(tenant.workspaceId, user.id, 'member');
    wideKey = (await core.admin.createApiKey({ userId: user.id })).key;
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('never contain API keys, the admin token, the metrics token or passwords, whatever the outcome', async () => {
    const ws = tenant.workspaceId;
    const key = tenant.keys.owner;
    const badKey = '0123456789abcdef0123456789abcdef';
    const wrongAdmin = 'not-the-admin-token-but-secret-too';
    const password = 'my-very-secret-password';
    const calls: InjectOptions[] = [
      // Livestorm with a good key: read, write, a failing write, an unknown route, bad JSON.
      { url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` } },
      { method: 'POST', url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` }, payload: { name: 'Logged' } },
      { method: 'POST', url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` }, payload: { name: 'Logged' } },
      { url: `/api/workspaces/${ws}/nope`, headers: { authorization: `Bearer lnx_${key}` } },
      { method: 'POST', url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}`, 'content-type': 'application/json' }, payload: `{"name": "${key}"` },
      { url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer ${wideKey}` } },
      // Bad keys.
      { url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${badKey}` } },
      { url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer ${badKey}` } },
      // Keys in query strings and bodies (the other dialects carry them there).
      { url: `/API/user/labels?apiKey=${key}` },
      { url: `/API/user/labels?apiKey=${badKey}` },
      { url: `/API/user/labels`, headers: { apikey: key } },
      { url: `/global/api2/label.cfc?method=getall&api_key=${ws}-${key}` },
      { url: `/global/api2/label.cfc?method=getall&api_key=${badKey}` },
      { method: 'POST', url: '/api/v1/labels/get', payload: { user_token: key, app_id: tenant.uuid } },
      { method: 'POST', url: '/api/v1/labels/get', payload: { user_token: badKey, app_id: tenant.uuid } },
      { method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', username: 'wide@example.com', password } },
      { url: '/api/v1/labels', headers: { authorization: `Bearer ${badKey}` } },
      // The admin API with the right and a wrong token, creating a user with a password and a key.
      { url: '/_admin/workspaces', headers: AUTH },
      { url: '/_admin/workspaces', headers: { authorization: `Bearer ${wrongAdmin}` } },
      { method: 'POST', url: '/_admin/users', headers: AUTH, payload: { email: 'pw@example.com', name: 'Pw', password } },
      { method: 'POST', url: '/_admin/users', headers: AUTH, payload: { email: 'pw2@example.com', name: 'Pw', password: 'short' } },
      { method: 'POST', url: '/_admin/api-keys', headers: AUTH, payload: { user_id: tenant.userIds.admin } },
      { method: 'POST', url: '/_admin/workspaces', headers: { ...AUTH, 'content-type': 'application/json' }, payload: `{"name": "${ADMIN_TOKEN}"` },
      // Metrics with the right and a wrong token; a malformed URL carrying a key.
      { url: '/metrics', headers: { authorization: 'Bearer metrics-token-secret-42' } },
      { url: '/metrics', headers: { authorization: `Bearer ${wrongAdmin}` } },
      { url: `/%E0%A4%A?apiKey=${key}` },
    ];
    const created: string[] = [];
    for (const req of calls) {
      const res = await app.inject(req);
      if (req.url === '/_admin/api-keys') created.push(res.json().api_key.key);
    }
    // The 500 path logs the error: make one happen and check it too.
    await store.db.close();
    await app.inject({ url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` } });
    await app.inject({ url: '/_admin/workspaces', headers: AUTH });

    expect(log.length).toBeGreaterThan(0);
    expect(log).toContain('"level":50'); // the unhandled errors were logged…
    for (const line of log.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow(); // …as pino JSON
    const secrets = [key, wideKey, badKey, ...Object.values(tenant.keys), ...created, ADMIN_TOKEN, wrongAdmin, 'metrics-token-secret-42', password];
    for (const secret of secrets) expect(log, `a secret leaked into the logs: ${secret}`).not.toContain(secret);
  });

  it('carry the request id, dialect and status of each request', async () => {
    const lines = log
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    expect(lines.length).toBeGreaterThan(10);
    for (const l of lines) {
      expect(typeof l.reqId).toBe('string');
      expect(typeof l.status).toBe('number');
      expect(typeof l.dialect).toBe('string');
    }
    expect(lines.some((l) => l.dialect === 'livestorm' && l.workspace === tenant.workspaceId && l.status === 200)).toBe(true);
    expect(lines.some((l) => l.dialect === 'admin' && l.status === 401)).toBe(true);
  });
});
