// The request journal (GET/DELETE /_admin/requests, /count): what it records, its filters, redaction,
// the bounded buffer, body caps, and its 400s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { ADMIN_TOKEN, buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';
import { createTestStore } from './test-store.js';
import { admin, DIALECTS, JSONAPI, requests } from './sandbox-helper.js';

const list = async (t: TestApp, query = '') => {
  const res = await admin(t, 'GET', `/_admin/requests${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().requests as any[];
};
const count = async (t: TestApp, query = '') => (await admin(t, 'GET', `/_admin/requests/count${query}`)).json().count as number;

describe('recording', () => {
  let t: TestApp;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    t = await buildTestApp({ LABELMUX_JOURNAL: 'on' });
    a = await createTenant(t.core, 'Journal A');
    b = await createTenant(t.core, 'Journal B');
  });
  afterAll(() => t.close());

  it('one entry per dialect request, newest first, with dialect, operation, status, workspace and key; admin and operations routes are not journaled', async () => {
    await admin(t, 'DELETE', '/_admin/requests');
    for (const d of DIALECTS) expect((await t.app.inject(requests(a, d).read)).statusCode).toBe(200);
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await t.app.inject({ method: 'GET', url: '/openapi/jotform.json' });
    await admin(t, 'GET', '/_admin/workspaces');
    const entries = await list(t);
    expect(entries.map((e) => [e.dialect, e.operation, e.method, e.status, e.workspaceId])).toEqual([
      ['limbo', 'listLabels', 'GET', 200, a.workspaceId], // a workspace key's workspace (an access token spans workspaces: null)
      ['devtodev', 'getLabels', 'POST', 200, a.workspaceId],
      ['livestorm', 'listLabels', 'GET', 200, a.workspaceId],
      ['razuna', 'getall', 'GET', 200, a.workspaceId],
      ['jotform', 'getUserLabels', 'GET', 200, a.workspaceId],
    ]);
    const keyIds = new Set(entries.map((e) => e.keyId));
    expect(keyIds.size).toBe(1);
    expect([...keyIds][0]).toBeGreaterThan(0);
    const [limbo] = entries;
    expect(limbo).toMatchObject({ url: '/api/v1/labels', requestHeaders: { accept: JSONAPI, authorization: 'Bearer [redacted]' }, requestBody: null, fault: null });
    expect(limbo.responseBody).toMatchObject({ jsonapi: { version: '1.0' }, data: [] });
    expect(Date.parse(limbo.at)).toBeGreaterThan(0);
    expect(limbo.durationMs).toBeGreaterThanOrEqual(0);
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((x, y) => y - x));
  });

  it('refused and failed requests are recorded: 401, 400, 404 in a dialect, an unknown route, 429', async () => {
    const t = await buildTestApp({ LABELMUX_JOURNAL: 'on', LABELMUX_RATE_LIMIT: '3/1h' });
    const a = await createTenant(t.core);
    const b = await createTenant(t.core);
    await t.app.inject({ method: 'GET', url: '/API/user/labels', headers: { apikey: 'f'.repeat(32) } });
    await t.app.inject({ method: 'POST', url: `/api/workspaces/${a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${a.keys.owner}`, 'content-type': 'application/json' }, payload: '{"name":' });
    await t.app.inject({ method: 'GET', url: `/api/workspaces/${a.workspaceId}/nothing`, headers: { authorization: `Bearer lnx_${a.keys.owner}` } });
    await t.app.inject({ method: 'GET', url: '/no/such/thing' });
    for (let i = 0; i < 4; i++) await t.app.inject(requests(b, 'livestorm').read);
    const entries = await list(t);
    expect(entries.map((e) => [e.dialect, e.status])).toEqual([
      ['livestorm', 429],
      ['livestorm', 200],
      ['livestorm', 200],
      ['livestorm', 200],
      [null, 404],
      ['livestorm', 404],
      ['livestorm', 400],
      ['jotform', 401],
    ]);
    expect(entries[0].responseBody).toEqual({ error: expect.stringMatching(/^Too many requests/) });
    expect(entries[4]).toMatchObject({ url: '/no/such/thing', operation: null, workspaceId: null, keyId: null });
    expect(entries[6].requestBody).toBeNull(); // the body could not be parsed
    await t.close();
  });

  it('filters: dialect, workspace, method, path (substring or /pattern/), status (exact or class), since (time or id), limit; count takes the same', async () => {
    await admin(t, 'DELETE', '/_admin/requests');
    const first = await list(t, '?limit=1');
    expect(first).toEqual([]);
    for (const d of DIALECTS) await t.app.inject(requests(a, d).read);
    await t.app.inject(requests(b, 'jotform').read);
    await t.app.inject({ method: 'GET', url: '/API/label/999', headers: { apikey: a.keys.owner } });
    const all = await list(t);
    expect(all).toHaveLength(7);
    const cases: [string, number][] = [
      ['?dialect=jotform', 3],
      [`?workspace=${b.workspaceId}`, 1],
      ['?method=post', 1],
      ['?path=/API/', 3], // a pattern: "API"
      ['?path=label.cfc', 1],
      [`?path=${encodeURIComponent('/^\\/API\\/label\\/\\d+$/')}`, 1],
      ['?status=401', 1],
      ['?status=2xx', 6],
      ['?status=4XX', 1],
      [`?since=${all[2].id}`, 2],
      [`?since=${encodeURIComponent(all[0].at)}`, all.filter((e) => e.at === all[0].at).length],
      ['?since=2000-01-01T00:00:00Z', 7],
      ['?dialect=jotform&status=2xx', 2],
    ];
    for (const [q, n] of cases) {
      expect((await list(t, q)).length, q).toBe(n);
      expect(await count(t, q), q).toBe(n);
    }
    expect((await list(t, '?limit=2')).map((e) => e.id)).toEqual([all[0].id, all[1].id]);
    expect(await count(t)).toBe(7);
  });

  it('an answer whose sending failed is journaled as the error answer the client got instead', async () => {
    const config = loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LABELMUX_JOURNAL: 'on' });
    const store = createTestStore();
    const sandbox = createSandbox(config.sandbox);
    const core = createCore({ store, now: sandbox.clock.now });
    const app = await buildApp({ config, core, adminToken: ADMIN_TOKEN, sandbox });
    // An onSend hook after the journal's that fails once: Fastify answers with the error instead.
    const failed = new WeakSet<object>();
    app.addHook('onSend', (req, _reply, payload, done) => {
      if (!req.headers['x-fail-send'] || failed.has(req)) return done(null, payload);
      failed.add(req);
      done(new Error('boom'));
    });
    await app.ready();
    const c = await createTenant(core);
    const res = await app.inject({ ...requests(c, 'jotform').read, headers: { ...requests(c, 'jotform').read.headers, 'x-fail-send': '1' } });
    expect(res.statusCode).toBe(500);
    const [e] = app.sandbox.journal.list({}, 10) as any[];
    expect(app.sandbox.journal.count({})).toBe(1);
    expect(e).toMatchObject({ dialect: 'jotform', status: 500, responseBody: res.json() });
    expect(e.responseBody.responseCode).toBe(500); // not the labels answer that failed to go out
    await app.close();
    await store.close();
  });

  it('DELETE clears it; ids keep counting', async () => {
    const [last] = await list(t, '?limit=1');
    expect((await admin(t, 'DELETE', '/_admin/requests')).statusCode).toBe(204);
    expect(await count(t)).toBe(0);
    await t.app.inject(requests(a, 'jotform').read);
    expect((await list(t))[0].id).toBe(last.id + 1);
  });
});

describe('redaction: no key, token or password anywhere in the journal', () => {
  it('over every dialect\'s credential places, limbo\'s token grants and answers', async () => {
    const t = await buildTestApp({ LABELMUX_JOURNAL: 'on' });
    const a = await createTenant(t.core, 'Secrets');
    const password = 'correct horse battery staple';
    const user = await t.core.admin.createUser({ email: 'secret@limbo.test', name: 'S', password });
    await t.core.admin.setMember(a.workspaceId, user.id, 'owner');
    const key = a.keys.owner;
    for (const d of DIALECTS) {
      await t.app.inject(requests(a, d).read);
      await t.app.inject(requests(a, d, `Secret ${d}`).create);
    }
    await t.app.inject({ method: 'GET', url: `/API/user/labels?apiKey=${key}` });
    await t.app.inject({ method: 'GET', url: `/global/api2/label.cfc?method=getall&API_KEY=${key}` });
    await t.app.inject({ method: 'POST', url: '/global/api2/label.cfc', headers: { 'content-type': 'multipart/form-data; boundary=X' }, payload: `--X\r\nContent-Disposition: form-data; name="method"\r\n\r\ngetall\r\n--X\r\nContent-Disposition: form-data; name="api_key"\r\n\r\n${a.workspaceId}-${key}\r\n--X--\r\n` });
    // a wrong key is a secret too
    await t.app.inject({ method: 'GET', url: '/API/user/labels', headers: { apikey: 'e'.repeat(32) } });
    const login = await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ grant_type: 'password', email: 'secret@limbo.test', password, client_id: '2', client_secret: 'very-secret-client' }).toString() });
    const tokens = login.json() as { access_token: string; refresh_token: string };
    expect(tokens.access_token).toBeTruthy();
    await t.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { authorization: `Bearer ${tokens.access_token}`, accept: JSONAPI } });
    const refreshed = await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }) });
    const again = refreshed.json() as { access_token: string; refresh_token: string };
    const text = JSON.stringify(await list(t, '?limit=1000'));
    for (const secret of [key, password, 'very-secret-client', 'e'.repeat(32), tokens.access_token, tokens.refresh_token, again.access_token, again.refresh_token, encodeURIComponent(password)]) {
      expect(text.includes(secret), secret).toBe(false);
    }
    expect(text).toContain('[redacted]');
    // What is not secret stays readable.
    const [refresh] = await list(t, '?path=/oauth&limit=1');
    expect(refresh.requestBody).toEqual({ grant_type: 'refresh_token', refresh_token: '[redacted]' });
    expect(refresh.responseBody).toMatchObject({ token_type: 'Bearer', access_token: '[redacted]', refresh_token: '[redacted]', expires_in: expect.any(Number) });
    const [devtodev] = await list(t, '?dialect=devtodev&method=POST&path=create');
    expect(devtodev.requestBody).toMatchObject({ user_token: '[redacted]', app_id: a.uuid, labels: [{ name: 'Secret devtodev' }] });
    await t.close();
  });
});

describe('bounds and switches', () => {
  it('LABELMUX_JOURNAL_SIZE bounds the buffer: the oldest entries go', async () => {
    const t = await buildTestApp({ LABELMUX_JOURNAL: 'on', LABELMUX_JOURNAL_SIZE: '3' });
    const a = await createTenant(t.core);
    for (let i = 0; i < 5; i++) await t.app.inject({ ...requests(a, 'jotform').read, url: `/API/user/labels?n=${i}` });
    const entries = await list(t);
    expect(entries.map((e) => e.url)).toEqual(['/API/user/labels?n=4', '/API/user/labels?n=3', '/API/user/labels?n=2']);
    expect(await count(t)).toBe(3);
    await t.close();
  });

  it('bodies over 16 KiB are cut and kept as text that says so', async () => {
    const t = await buildTestApp({ LABELMUX_JOURNAL: 'on' });
    const a = await createTenant(t.core);
    const description = 'x'.repeat(20_000);
    await t.app.inject({ method: 'POST', url: '/API/label', headers: { apikey: a.keys.owner, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'Big', description }) });
    const [e] = await list(t);
    expect(typeof e.requestBody).toBe('string');
    expect(e.requestBody).toMatch(/…\[cut: 200\d\d characters in all\]$/);
    expect(e.requestBody.length).toBeLessThan(16 * 1024 + 50);
    await t.close();
  });

  it('off by default: nothing is recorded, and the list says so', async () => {
    const t = await buildTestApp();
    const a = await createTenant(t.core);
    await t.app.inject(requests(a, 'jotform').read);
    expect((await admin(t, 'GET', '/_admin/requests')).json()).toEqual({ requests: [], enabled: false });
    expect((await admin(t, 'GET', '/_admin/requests/count')).json()).toEqual({ count: 0, enabled: false });
    expect(t.app.sandbox.journal.count({})).toBe(0);
    await t.close();
  });
});

describe('input errors: 400 naming the field; admin token only', () => {
  let t: TestApp;
  let a: Tenant;
  beforeAll(async () => {
    t = await buildTestApp({ LABELMUX_JOURNAL: 'on' });
    a = await createTenant(t.core);
  });
  afterAll(() => t.close());

  const bad: [string, RegExp][] = [
    ['dialect=salesforce', /dialect/],
    ['workspace=x', /workspace/],
    ['workspace=0', /workspace/],
    ['method=GET%20POST', /method/],
    ['path=', /path/],
    [`path=${encodeURIComponent('/(/')}`, /path/],
    ['status=600', /status/],
    ['status=4x', /status/],
    ['since=yesterday', /since/],
    ['limit=0', /limit/],
    ['limit=10001', /limit/],
    ['colour=red', /colour/],
  ];
  it.each(bad)('?%s', async (q, field) => {
    for (const url of [`/_admin/requests?${q}`, `/_admin/requests/count?${q}`]) {
      if (url.includes('/count') && q.startsWith('limit')) continue;
      const res = await admin(t, 'GET', url);
      expect(res.statusCode, `${url} ${res.body}`).toBe(400);
      expect(res.json().detail).toMatch(field);
    }
  });

  it('no token, a wrong one or a dialect key is 401', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${a.keys.owner}`]) {
      for (const [method, url] of [['GET', '/_admin/requests'], ['GET', '/_admin/requests/count'], ['DELETE', '/_admin/requests']] as const) {
        expect((await t.app.inject({ method, url, headers: authorization ? { authorization } : {} })).statusCode).toBe(401);
      }
    }
  });
});
