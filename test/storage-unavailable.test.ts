// SQLite storage faults at run time, through the real app: a read-only database, a full disk (SQLite's
// max_page_count stands in for the disk), the bounded write queue full, and corruption. Every dialect and
// the admin API answer 503 in their own shape with Retry-After (never a generic 500); /readyz says 503
// while writes fail and 200 again once a write (a request's, or the probe /readyz runs) succeeds;
// corruption is logged at error level and keeps /readyz failing.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { createSqliteStore, type SqliteStore } from '../src/db/index.js';
import { ADMIN_TOKEN, createTenant, type Tenant } from './helper.js';

let app: FastifyInstance;
let store: SqliteStore;
let t: Tenant;
let events: string[];

beforeEach(async () => {
  events = [];
  store = createSqliteStore(':memory:', { onEvent: (level, message) => events.push(`${level}: ${message}`) });
  const core = createCore({ store });
  app = await buildApp({ config: loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN }), core, adminToken: ADMIN_TOKEN });
  await app.ready();
  t = await createTenant(core);
});
afterEach(async () => {
  await app.close();
  await store.close();
});

const JSONAPI = 'application/vnd.api+json';
let seq = 0;

/** One create per front end, as its clients send it, with the test for its 503 shape. */
const creates = (): { name: string; send: () => Promise<LightMyRequestResponse>; shaped: (r: LightMyRequestResponse) => boolean }[] => {
  const key = t.keys.owner;
  const name = `Label ${++seq}`;
  return [
    {
      name: 'jotform',
      send: () => app.inject({ method: 'POST', url: '/API/label', headers: { apikey: key }, payload: { name } }),
      shaped: (r) => r.json().responseCode === 503 && typeof r.json().message === 'string',
    },
    {
      name: 'razuna',
      send: () => app.inject({ method: 'GET', url: `/global/api2/label.cfc?method=setlabel&api_key=${key}&label_text=${encodeURIComponent(name)}` }),
      shaped: (r) => r.json().responsecode === 1 && typeof r.json().message === 'string',
    },
    {
      name: 'livestorm',
      send: () => app.inject({ method: 'POST', url: `/api/workspaces/${t.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${key}` }, payload: { name } }),
      shaped: (r) => Object.keys(r.json()).join() === 'error',
    },
    {
      name: 'devtodev',
      send: () => app.inject({ method: 'POST', url: '/api/v1/labels/create', payload: { user_token: key, app_id: t.uuid, labels: [{ name, start_date: 1_700_000_000 }] } }),
      shaped: (r) => r.json().status_code === 503 && r.json().errors[0].code === 12,
    },
    {
      name: 'limbo',
      send: () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/labels',
          headers: { authorization: `Bearer ${key}`, 'content-type': JSONAPI, accept: JSONAPI },
          payload: JSON.stringify({ data: { type: 'labels', attributes: { name }, relationships: { company: { data: { type: 'companies', id: String(t.workspaceId) } } } } }),
        }),
      shaped: (r) => r.headers['content-type'] === JSONAPI && r.json().errors[0].status === '503' && r.json().errors[0].title === 'Service Unavailable',
    },
    {
      name: 'admin',
      send: () => app.inject({ method: 'POST', url: '/_admin/workspaces', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name } }),
      shaped: (r) => String(r.headers['content-type']).startsWith('application/problem+json') && r.json().status === 503 && r.json().title === 'Service Unavailable',
    },
  ];
};

async function expectUnavailable(retryAfter: string, message: RegExp): Promise<void> {
  for (const c of creates()) {
    const r = await c.send();
    expect(r.statusCode, `${c.name} ${r.body}`).toBe(503);
    expect(r.headers['retry-after'], c.name).toBe(retryAfter);
    expect(c.shaped(r), `${c.name} ${r.body}`).toBe(true);
    expect(r.body, c.name).toMatch(message);
  }
}

const ready = async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode;
const livestormCreate = () => creates()[2]!.send();

describe('SQLite storage faults at run time', () => {
  it('a database that cannot be written: 503 in every shape, not ready; the probe /readyz runs brings it back', async () => {
    store.sqlite.pragma('query_only = ON');
    await expectUnavailable('30', /cannot be written/);
    // Reads still work.
    expect((await app.inject({ method: 'GET', url: `/api/workspaces/${t.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${t.keys.owner}` } })).statusCode).toBe(200);
    expect(events.filter((e) => e.startsWith('error: SQLite SQLITE_READONLY'))).toHaveLength(1);
    // limbo's token endpoint: RFC 6749's temporarily_unavailable (its login bookkeeping writes).
    const token = await app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', email: 'nobody@example.com', password: 'not-the-password' } });
    expect(token.statusCode, token.body).toBe(503);
    expect(token.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.stringMatching(/cannot be written/) });
    expect(token.headers['retry-after']).toBe('30');
    store.sqlite.pragma('query_only = OFF');
    expect(await ready()).toBe(200); // its probe write succeeded
    expect((await livestormCreate()).statusCode).toBe(201);
    expect(events.at(-1)).toMatch(/^info: SQLite writes succeed again/);
  });

  it('a full disk: writes answer 503 with the reason, /readyz 503; the next successful write makes it ready', async () => {
    store.sqlite.pragma(`max_page_count = ${store.sqlite.pragma('page_count', { simple: true }) as number}`);
    let r = await livestormCreate();
    for (let i = 0; i < 500 && r.statusCode === 201; i++) r = await livestormCreate();
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ error: expect.stringMatching(/disk holding the database is full/) });
    expect(r.headers['retry-after']).toBe('30');
    expect(await ready()).toBe(503);
    expect(await ready()).toBe(503);
    store.sqlite.pragma('max_page_count = 1073741823');
    expect((await livestormCreate()).statusCode).toBe(201);
    expect(await ready()).toBe(200);
  });

  it('the write queue full: 503 with Retry-After 1 in every shape, not a 500', async () => {
    let release!: () => void;
    const holder = store.db.write(() => new Promise<void>((r) => (release = r)));
    const waiting = Array.from({ length: 4096 }, () => store.db.one('SELECT 1 AS one'));
    try {
      await expectUnavailable('1', /too many operations are waiting/);
    } finally {
      release();
      await holder;
      await Promise.all(waiting);
    }
    expect((await livestormCreate()).statusCode).toBe(201);
    expect(await ready()).toBe(200);
  });

  it('corruption seen at run time: logged at error level, 503, and /readyz fails even after later writes succeed', async () => {
    const corrupt = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT_INDEX' });
    await expect(store.db.write(async () => Promise.reject(corrupt))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(events).toEqual([expect.stringMatching(/^error: SQLite SQLITE_CORRUPT_INDEX \(database disk image is malformed\).*restore a backup/)]);
    expect((await livestormCreate()).statusCode).toBe(201);
    expect(await ready()).toBe(503);
  });
});
