// The sandbox clock (LABELMUX_CLOCK, GET/POST /_admin/clock): what the core dates follows it — timestamps,
// daily quotas, limbo's token lifetimes, rate-limit windows — and its 400s and 409.
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { ADMIN_TOKEN, buildTestApp, createTenant, FIXED_NOW, type TestApp } from './helper.js';
import { admin, JSONAPI, requests } from './sandbox-helper.js';
import { createTestStore } from './test-store.js';

const START = '2026-03-01T23:30:00.000Z';
const clockOf = async (t: TestApp) => (await admin(t, 'GET', '/_admin/clock')).json();
const move = async (t: TestApp, body: unknown) => {
  const res = await admin(t, 'POST', '/_admin/clock', body);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('LABELMUX_CLOCK', () => {
  it('starts the clock at the given time, standing still; set and advance move it; reset puts it back', async () => {
    const t = await buildTestApp({ LABELMUX_CLOCK: '2026-03-02T00:30:00+01:00' });
    expect(await clockOf(t)).toEqual({ now: START, controlled: true });
    const a = await createTenant(t.core);
    const res = await t.app.inject({ ...requests(a, 'livestorm', 'Dated').create });
    expect(res.json().label.created_at).toBe(Date.parse(START) / 1000);
    expect(await move(t, { advance: '1d12h30m' })).toEqual({ now: '2026-03-03T12:00:00.000Z', controlled: true });
    expect(await move(t, { advance: '90s' })).toEqual({ now: '2026-03-03T12:01:30.000Z', controlled: true });
    expect(await move(t, { set: '2025-12-31T23:59:59Z' })).toEqual({ now: '2025-12-31T23:59:59.000Z', controlled: true });
    t.app.sandbox.reset();
    expect(await clockOf(t)).toEqual({ now: START, controlled: true });
    await t.close();
  });

  it('a Jotform key\'s daily quota starts again after advance 25h', async () => {
    const t = await buildTestApp({ LABELMUX_CLOCK: START, LABELMUX_JOTFORM_DAILY_LIMIT: '2' });
    const a = await createTenant(t.core);
    const call = async () => (await t.app.inject(requests(a, 'jotform').read)).json();
    expect((await call())['limit-left']).toBe(1);
    expect((await call())['limit-left']).toBe(0);
    expect(await call()).toMatchObject({ responseCode: 429, message: "You've exceeded your daily API call limit." });
    await move(t, { advance: '25h' });
    expect(await call()).toMatchObject({ responseCode: 200, 'limit-left': 1 });
    await t.close();
  });

  it('devtodev\'s daily limit of created labels starts again the next UTC day', async () => {
    const t = await buildTestApp({ LABELMUX_CLOCK: START, LABELMUX_DEVTODEV_APP_DAILY_LIMIT: '1' });
    const a = await createTenant(t.core);
    expect((await t.app.inject(requests(a, 'devtodev', 'One').create)).statusCode).toBe(200);
    const refused = await t.app.inject(requests(a, 'devtodev', 'Two').create);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().errors[0].code).toBe(9);
    await move(t, { advance: '30m' }); // 00:00 UTC: a new day
    expect((await t.app.inject(requests(a, 'devtodev', 'Two').create)).statusCode).toBe(200);
    await t.close();
  });

  it('a limbo access token expires once the clock passes its lifetime; the refresh token lives on', async () => {
    const t = await buildTestApp({ LABELMUX_CLOCK: START, LABELMUX_LIMBO_TOKEN_TTL: '600' });
    const a = await createTenant(t.core);
    const user = await t.core.admin.createUser({ email: 'clock@limbo.test', name: 'C', password: 'correct horse battery' });
    await t.core.admin.setMember(a.workspaceId, user.id, 'member');
    const token = async (form: Record<string, string>) =>
      (await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() })).json();
    const grant = await token({ grant_type: 'password', email: 'clock@limbo.test', password: 'correct horse battery' });
    expect(grant.expires_in).toBe(600);
    const labels = async (bearer: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/labels', headers: { authorization: `Bearer ${bearer}`, accept: JSONAPI } })).statusCode;
    expect(await labels(grant.access_token)).toBe(200);
    await move(t, { advance: '599s' });
    expect(await labels(grant.access_token)).toBe(200);
    await move(t, { advance: '2s' });
    expect(await labels(grant.access_token)).toBe(401);
    const renewed = await token({ grant_type: 'refresh_token', refresh_token: grant.refresh_token });
    expect(await labels(renewed.access_token)).toBe(200);
    await move(t, { advance: '31d' });
    expect(await token({ grant_type: 'refresh_token', refresh_token: renewed.refresh_token })).toMatchObject({ error: 'invalid_grant' });
    await t.close();
  });

  it('rate-limit windows follow it (LABELMUX_RATE_LIMIT)', async () => {
    const t = await buildTestApp({ LABELMUX_CLOCK: START, LABELMUX_RATE_LIMIT: '2/1m' });
    const a = await createTenant(t.core);
    const status = async () => (await t.app.inject(requests(a, 'livestorm').read)).statusCode;
    expect([await status(), await status(), await status()]).toEqual([200, 200, 429]);
    await move(t, { advance: '1m' });
    expect(await status()).toBe(200);
    await t.close();
  });

  it('an invalid LABELMUX_CLOCK stops the start, naming the variable', () => {
    expect(() => loadConfig({ LABELMUX_CLOCK: 'yesterday' })).toThrow(/LABELMUX_CLOCK: must be an ISO time/);
  });
});

describe('without LABELMUX_CLOCK', () => {
  it('it is the real clock until the first set or advance holds it; reset lets it run again', async () => {
    const t = await buildTestApp();
    expect(await clockOf(t)).toEqual({ now: new Date(FIXED_NOW).toISOString(), controlled: false });
    t.clock.now += 1000; // the helper's "real" clock moves on
    expect((await clockOf(t)).now).toBe(new Date(FIXED_NOW + 1000).toISOString());
    expect(await move(t, { advance: '2d' })).toEqual({ now: new Date(FIXED_NOW + 1000 + 2 * 86_400_000).toISOString(), controlled: true });
    t.clock.now += 5000;
    const a = await createTenant(t.core);
    const res = await t.app.inject(requests(a, 'livestorm', 'Held').create);
    expect(res.json().label.created_at).toBe((FIXED_NOW + 1000 + 2 * 86_400_000) / 1000);
    t.app.sandbox.clock.reset();
    expect(await clockOf(t)).toEqual({ now: new Date(FIXED_NOW + 6000).toISOString(), controlled: false });
    await t.close();
  });

  it('a server whose core does not read the sandbox clock answers 409, and refuses to start with LABELMUX_CLOCK', async () => {
    const store = createTestStore();
    const config = loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN });
    const app = await buildApp({ config, core: createCore({ store }), adminToken: ADMIN_TOKEN });
    const res = await app.inject({ method: 'POST', url: '/_admin/clock', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, payload: '{"advance":"1h"}' });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/does not read the sandbox clock/);
    await app.close();
    const clocked = loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_CLOCK: START });
    await expect(buildApp({ config: clocked, core: createCore({ store }), adminToken: ADMIN_TOKEN })).rejects.toThrow(/LABELMUX_CLOCK is set but the core does not read the sandbox clock/);
    // Built the documented way, it works.
    const sandbox = createSandbox(clocked.sandbox);
    const ok = await buildApp({ config: clocked, core: createCore({ store, now: sandbox.clock.now }), adminToken: ADMIN_TOKEN, sandbox });
    expect((await ok.inject({ method: 'GET', url: '/_admin/clock', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json()).toEqual({ now: START, controlled: true });
    await ok.close();
    await store.close();
  });
});

describe('input errors: 400 naming the field; admin token only', () => {
  it.each([
    [{}, /exactly one of set or advance/],
    [{ set: '2026-01-01T00:00:00Z', advance: '1h' }, /exactly one of set or advance/],
    [{ set: 'tomorrow' }, /set/],
    [{ set: 1767225600000 }, /set/],
    [{ advance: '25 hours' }, /advance must be a duration/],
    [{ advance: '-1h' }, /advance must be a duration/],
    [{ advance: '1h', extra: true }, /extra/],
  ])('%j', async (body, field) => {
    const t = await buildTestApp({ LABELMUX_CLOCK: START });
    const res = await admin(t, 'POST', '/_admin/clock', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().detail).toMatch(field);
    expect((await clockOf(t)).now).toBe(START);
    await t.close();
  });

  it('no token, a wrong one or a dialect key is 401', async () => {
    const t = await buildTestApp({ LABELMUX_CLOCK: START });
    const a = await createTenant(t.core);
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${a.keys.owner}`]) {
      for (const method of ['GET', 'POST'] as const) {
        const res = await t.app.inject({ method, url: '/_admin/clock', headers: { ...(authorization && { authorization }), 'content-type': 'application/json' }, payload: method === 'POST' ? '{"advance":"1h"}' : undefined });
        expect(res.statusCode).toBe(401);
      }
    }
    expect((await clockOf(t)).now).toBe(START);
    await t.close();
  });
});
