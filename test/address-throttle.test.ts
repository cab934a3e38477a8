// Failed credential checks are throttled per client address: admin-token guessing and limbo password guessing
// from one address end in 429 + Retry-After in each API's own shape, before any work; other addresses (the
// real admin, the real user) are not affected, and failures from one address never lock an email elsewhere.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addressKey, AddressThrottle, FREE_FAILURES } from '../src/http/address-throttle.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helper.js';

const ATTACKER = '203.0.113.7';
const REAL = '198.51.100.20';

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(() => t.close());

describe('admin token guessing', () => {
  const admin = (token: string, remoteAddress: string) => t.app.inject({ url: '/_admin/workspaces', headers: { authorization: `Bearer ${token}` }, remoteAddress });

  it(`after ${FREE_FAILURES} wrong tokens the address gets 429 problem+json with Retry-After, even with the right token; others do not`, async () => {
    for (let i = 0; i < FREE_FAILURES; i++) expect((await admin(`wrong-token-${i}-0123456789`, ATTACKER)).statusCode).toBe(401);
    expect((await admin('one-more-wrong-token-0123', ATTACKER)).statusCode).toBe(401); // this failure locks
    const locked = await admin(ADMIN_TOKEN, ATTACKER);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(locked.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect((await admin(ADMIN_TOKEN, REAL)).statusCode).toBe(200);
  });
});

describe('behind a proxy (LABELMUX_TRUST_PROXY)', () => {
  const PROXY = '10.0.0.2';
  const admin = (app: TestApp['app'], token: string, client: string) =>
    app.inject({ url: '/_admin/workspaces', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': client }, remoteAddress: PROXY });

  it('counts the forwarded client address, so one guessing client does not lock out the others behind the proxy', async () => {
    const p = await buildTestApp({ LABELMUX_TRUST_PROXY: '10.0.0.0/8' });
    try {
      for (let i = 0; i <= FREE_FAILURES; i++) expect((await admin(p.app, `wrong-token-${i}-0123456789`, ATTACKER)).statusCode).toBe(401);
      expect((await admin(p.app, ADMIN_TOKEN, ATTACKER)).statusCode).toBe(429);
      expect((await admin(p.app, ADMIN_TOKEN, REAL)).statusCode).toBe(200);
    } finally {
      await p.close();
    }
  });

  it('without it, a forwarded address is not believed: the proxy itself is counted', async () => {
    for (let i = 0; i <= FREE_FAILURES; i++) expect((await admin(t.app, `wrong-token-${i}-0123456789`, `198.51.100.${i}`)).statusCode).toBe(401);
    expect((await admin(t.app, ADMIN_TOKEN, REAL)).statusCode).toBe(429);
  });
});

describe('limbo password guessing', () => {
  const login = (email: string, password: string, remoteAddress: string) =>
    t.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', email, password }, remoteAddress });

  beforeEach(async () => {
    await t.core.admin.createUser({ email: 'jane@example.com', name: 'Jane', password: 'correct horse battery staple' });
  });

  it('failures from another address do not lock the email for the real user', async () => {
    for (let i = 0; i < 10; i++) await login('jane@example.com', `guess ${i}`, ATTACKER);
    expect((await login('jane@example.com', 'guess again', ATTACKER)).statusCode).toBe(429); // the pair is locked
    const real = await login('jane@example.com', 'correct horse battery staple', REAL);
    expect(real.statusCode).toBe(200);
    expect(real.json().access_token).toBeTypeOf('string');
  });

  it(`an address failing on many emails is refused with 429 slow_down and Retry-After, before its body is read`, async () => {
    for (let i = 0; i <= FREE_FAILURES; i++) expect((await login(`user${i}@example.com`, 'x-wrong-password', ATTACKER)).statusCode).toBe(400);
    const locked = await login('jane@example.com', 'correct horse battery staple', ATTACKER);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ error: 'slow_down' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Refused in onRequest: a body that could not even be parsed gets the same answer.
    const unparsed = await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: '{not json', remoteAddress: ATTACKER });
    expect(unparsed.statusCode).toBe(429);
    expect((await login('jane@example.com', 'correct horse battery staple', REAL)).statusCode).toBe(200);
  });
});

describe('AddressThrottle', () => {
  it('counts IPv6 per /64 and IPv4-mapped addresses as IPv4', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('locks 1 s, 2 s, 4 s … after the free failures, forgets after the window, never counts loopback', () => {
    const clock = { now: 0 };
    const th = new AddressThrottle('tests', () => clock.now);
    for (let i = 0; i < FREE_FAILURES; i++) th.fail(ATTACKER);
    expect(() => th.check(ATTACKER)).not.toThrow();
    th.fail(ATTACKER);
    expect(() => th.check(ATTACKER)).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED', details: expect.objectContaining({ retryAfterSeconds: 1 }) }));
    th.fail(ATTACKER);
    expect(() => th.check(ATTACKER)).toThrow(expect.objectContaining({ details: expect.objectContaining({ retryAfterSeconds: 2 }) }));
    clock.now += 16 * 60_000;
    th.fail(ATTACKER);
    expect(() => th.check(ATTACKER)).not.toThrow();
    for (let i = 0; i < 100; i++) th.fail('127.0.0.1');
    expect(() => th.check('127.0.0.1')).not.toThrow();
  });
});
