// The journal holds what a request carried until an entry is first read, and redacts it then (docs/sandbox.md
// "Secrets"). So no way out may skip the redaction: this test sends an API key, a bearer token, a password and
// an OAuth client secret through every dialect and odd places (a path segment, a wrong route's query), then
// reads the journal every way there is — the list and count with each filter (a `path` filter is no oracle
// for a secret's text), the list the console shows, the in-process API, and the log at trace level — and
// finds none of them.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { loggerOptions } from '../src/launch.js';
import { createSandbox } from '../src/sandbox/index.js';
import { ADMIN_TOKEN, createTenant, FIXED_NOW, type Tenant, type TestApp } from './helper.js';
import { admin, DIALECTS, JSONAPI, requests } from './sandbox-helper.js';
import { createTestStore } from './test-store.js';

const PASSWORD = 'Tr0ub4dor&3-never-journaled';
const CLIENT_SECRET = 'oauth-client-secret-never-journaled';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

let t: TestApp;
let a: Tenant;
const log: string[] = [];
const secrets: string[] = [];

/** The app as the server builds it, logging everything (trace) into `log`. */
async function loggedApp(): Promise<TestApp> {
  const config = loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LABELMUX_JOURNAL: 'on', LOG_LEVEL: 'trace' });
  const store = createTestStore();
  const clock = { now: FIXED_NOW };
  const sandbox = createSandbox(config.sandbox, () => clock.now);
  const core = createCore({ store, now: sandbox.clock.now });
  const stream = new Writable({ write: (chunk: Buffer, _enc, done) => (log.push(chunk.toString()), done()) });
  const logger = { ...(loggerOptions(config) as object), level: 'trace', stream };
  const app = await buildApp({ config, core, adminToken: ADMIN_TOKEN, sandbox, logger });
  await app.ready();
  return { app, core, store, clock, close: async () => (await app.close(), await store.close()) };
}

beforeAll(async () => {
  t = await loggedApp();
  a = await createTenant(t.core, 'Exposure');
  const user = await t.core.admin.createUser({ email: 'exposure@limbo.test', name: 'E', password: PASSWORD });
  await t.core.admin.setMember(a.workspaceId, user.id, 'owner');
  const key = a.keys.owner;
  for (const d of DIALECTS) {
    await t.app.inject(requests(a, d).read);
    await t.app.inject(requests(a, d, `Exposed ${d}`).create);
  }
  // A key where no dialect expects one: a path segment, an unknown route's query, a JSON member of a body.
  await t.app.inject({ method: 'GET', url: `/API/label/${key}`, headers: { apikey: key } });
  await t.app.inject({ method: 'GET', url: `/no/such/route?apiKey=${key}&password=${encodeURIComponent(PASSWORD)}` });
  await t.app.inject({ method: 'POST', url: '/API/label', headers: { apikey: key, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'Echo', description: `key ${key}`, unknownMember: 1 }) });
  // limbo's OAuth: a password grant with a client secret, then the bearer token, then a refresh.
  const login = await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form({ grant_type: 'password', email: 'exposure@limbo.test', password: PASSWORD, client_id: '2', client_secret: CLIENT_SECRET }) });
  expect(login.statusCode, login.body).toBe(200);
  const tokens = login.json() as { access_token: string; refresh_token: string };
  await t.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { authorization: `Bearer ${tokens.access_token}`, accept: JSONAPI } });
  await t.app.inject({ method: 'GET', url: `/api/v1/labels?access_token=${tokens.access_token}`, headers: { accept: JSONAPI } });
  const refreshed = await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_secret: CLIENT_SECRET }) });
  const again = refreshed.json() as { access_token: string };
  // A wrong password and a wrong key are secrets too.
  await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ grant_type: 'password', email: 'exposure@limbo.test', password: `${PASSWORD}-wrong` }) });
  await t.app.inject({ method: 'GET', url: '/API/user/labels', headers: { apikey: 'd'.repeat(32) } });
  secrets.push(key, `lnx_${key}`, PASSWORD, encodeURIComponent(PASSWORD), CLIENT_SECRET, tokens.access_token, tokens.refresh_token, again.access_token, 'd'.repeat(32));
});
afterAll(() => t.close());

const leaks = (text: string) => secrets.filter((s) => text.includes(s));

describe('no key, bearer token, password or OAuth secret comes out of the journal', () => {
  it('the list, whole and through each filter', async () => {
    const all = await admin(t, 'GET', '/_admin/requests?limit=10000');
    expect(all.statusCode).toBe(200);
    expect(all.json().requests.length).toBeGreaterThanOrEqual(19);
    expect(leaks(all.body)).toEqual([]);
    expect(all.body).toContain('[redacted]');
    for (const q of ['dialect=limbo', 'dialect=jotform', `workspace=${a.workspaceId}`, 'method=POST', 'path=oauth', 'status=2xx', 'status=4xx', 'since=1', 'since=2000-01-01T00:00:00Z', 'limit=1']) {
      const res = await admin(t, 'GET', `/_admin/requests?${q}`);
      expect(res.statusCode, q).toBe(200);
      expect(leaks(res.body), q).toEqual([]);
    }
  });

  it('a path filter matches the redacted URL: no secret can be found by probing it', async () => {
    for (const s of secrets) {
      for (const probe of [s, `/${s.slice(0, 12)}/`, `/${s.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`]) {
        const q = `path=${encodeURIComponent(probe)}`;
        expect((await admin(t, 'GET', `/_admin/requests/count?${q}`)).json().count, probe).toBe(0);
        expect((await admin(t, 'GET', `/_admin/requests?${q}`)).json().requests, probe).toEqual([]);
      }
    }
    expect((await admin(t, 'GET', `/_admin/requests/count?path=${encodeURIComponent('apiKey=[redacted]')}`)).json().count).toBe(1);
  });

  it('the console\'s view (its list query) and the in-process API', async () => {
    const console = await admin(t, 'GET', '/_admin/requests?limit=200');
    expect(leaks(console.body)).toEqual([]);
    expect(leaks(JSON.stringify(t.app.sandbox.journal.list({}, 10_000)))).toEqual([]);
    expect(t.app.sandbox.journal.count({ path: (url) => secrets.some((s) => url.includes(s)) })).toBe(0);
  });

  it('the log, at trace level, of every request above and of the reads', () => {
    expect(log.length).toBeGreaterThan(0);
    expect(leaks(log.join(''))).toEqual([]);
  });

  it('what is not secret stays readable, and the body is the one the client sent (before the schema trimmed it)', async () => {
    const [echo] = (await admin(t, 'GET', '/_admin/requests?path=/API/label&method=POST&limit=1')).json().requests;
    expect(echo.requestBody).toEqual({ name: 'Echo', description: 'key [redacted]', unknownMember: 1 });
    const [login] = (await admin(t, 'GET', '/_admin/requests?path=/oauth/token&status=200&limit=2')).json().requests.slice(-1);
    expect(login.requestBody).toEqual({ grant_type: 'password', email: 'exposure@limbo.test', password: '[redacted]', client_id: '2', client_secret: '[redacted]' });
    expect(login.responseBody).toMatchObject({ token_type: 'Bearer', access_token: '[redacted]', refresh_token: '[redacted]' });
  });
});
