// CORS (LABELMUX_CORS): preflights answered and headers added on every dialect and the admin API, with the
// vendor headers browser clients need exposed; off by default.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ADMIN_TOKEN, buildTestApp, createTenant } from './helper.js';
import { admin, DIALECTS, requests } from './sandbox-helper.js';

const ORIGIN = 'http://app.example.test:5173';

describe('LABELMUX_CORS=<origins>', () => {
  it('answers each dialect\'s and the admin API\'s preflight, reflecting the requested headers', async () => {
    const t = await buildTestApp({ LABELMUX_CORS: `http://other.test, ${ORIGIN}` });
    const a = await createTenant(t.core);
    const targets = [...DIALECTS.map((d) => requests(a, d).create), { method: 'POST', url: '/_admin/faults' }, { method: 'DELETE', url: '/_admin/requests' }];
    for (const r of targets) {
      const res = await t.app.inject({
        method: 'OPTIONS',
        url: r.url as string,
        headers: { origin: ORIGIN, 'access-control-request-method': r.method as string, 'access-control-request-headers': 'authorization,apikey,content-type' },
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-methods']).toContain(r.method as string);
      expect(res.headers['access-control-allow-headers']).toBe('authorization,apikey,content-type');
      expect(res.headers['access-control-max-age']).toBe('600');
    }
    await t.close();
  });

  it('adds the headers to answers, errors included, and exposes Retry-After, Location, X-Request-Id, Allow, WWW-Authenticate', async () => {
    const t = await buildTestApp({ LABELMUX_CORS: ORIGIN });
    const a = await createTenant(t.core);
    await admin(t, 'POST', '/_admin/faults', { match: { dialect: 'devtodev' }, action: { type: 'error', error: 'unavailable' } });
    for (const d of DIALECTS) {
      const r = requests(a, d, `CORS ${d}`).create;
      const res = await t.app.inject({ ...r, headers: { ...(r.headers as Record<string, string>), origin: ORIGIN } });
      expect(res.headers['access-control-allow-origin'], d).toBe(ORIGIN);
      expect(String(res.headers['access-control-expose-headers']).split(',').map((h) => h.trim())).toEqual(['Retry-After', 'Location', 'X-Request-Id', 'Allow', 'WWW-Authenticate']);
      if (d === 'devtodev') expect(res.headers['retry-after']).toBe('1');
      if (d === 'limbo') expect(res.headers.location, res.body).toMatch(/\/api\/v1\/labels\/\d+$/);
    }
    const refused = await t.app.inject({ method: 'GET', url: '/_admin/clock', headers: { origin: ORIGIN } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(ORIGIN);
    const ok = await t.app.inject({ method: 'GET', url: '/_admin/clock', headers: { origin: ORIGIN, authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    await t.close();
  });

  it('an origin not listed gets no CORS headers; an OPTIONS that is no preflight is refused', async () => {
    const t = await buildTestApp({ LABELMUX_CORS: ORIGIN });
    const a = await createTenant(t.core);
    const pre = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/labels', headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect((await t.app.inject({ method: 'OPTIONS', url: '/api/v1/labels' })).statusCode).toBe(400);
    const r = requests(a, 'jotform').read;
    const res = await t.app.inject({ ...r, headers: { ...(r.headers as Record<string, string>), origin: 'http://evil.test' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    await t.close();
  });
});

describe('LABELMUX_CORS=*', () => {
  it('allows any origin', async () => {
    const t = await buildTestApp({ LABELMUX_CORS: '*' });
    const a = await createTenant(t.core);
    const pre = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/labels', headers: { origin: 'http://any.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    const r = requests(a, 'limbo').read;
    const res = await t.app.inject({ ...r, headers: { ...(r.headers as Record<string, string>), origin: 'http://any.test' } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    await t.close();
  });
});

describe('off by default', () => {
  it('sends no CORS headers and leaves OPTIONS to the dialects', async () => {
    const t = await buildTestApp();
    const a = await createTenant(t.core);
    const r = requests(a, 'livestorm').read;
    const res = await t.app.inject({ ...r, headers: { ...(r.headers as Record<string, string>), origin: ORIGIN } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await t.app.inject({ method: 'OPTIONS', url: '/api/v1/labels', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(pre.headers.allow).toBeDefined(); // limbo's own answer to OPTIONS
    await t.close();
  });

  it('a value that is neither * nor origins stops the start, naming the variable', () => {
    for (const v of ['app.test', 'http://app.test/path', 'ftp://x', 'http://a.test,,http://b.test']) {
      expect(() => loadConfig({ LABELMUX_CORS: v }), v).toThrow(/LABELMUX_CORS: must be \* or comma-separated origins/);
    }
  });
});
