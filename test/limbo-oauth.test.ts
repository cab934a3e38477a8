// POST /oauth/token: password and refresh_token grants, RFC 6749 errors, hashed tokens with expiry,
// slowed-down repeated failures, and access tokens spanning the user's workspaces on /api/v1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../src/core/secrets.js';
import { login, multiUser, setup, type Env } from './limbo-helper.js';
import { peekAll } from './test-store.js';

let e: Env;
beforeAll(async () => {
  e = await setup({ LABELMUX_LIMBO_TOKEN_TTL: '600' });
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

const token = (payload: Record<string, unknown> | string, contentType?: string) =>
  e.t.app.inject({
    method: 'POST',
    url: '/oauth/token',
    ...(typeof payload === 'string' ? { payload, headers: { 'content-type': contentType ?? 'application/x-www-form-urlencoded' } } : { payload }),
  });
const INVALID_REQUEST = (param: string) => ({
  error: 'invalid_request',
  error_description: `The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Check the \`${param}\` parameter.`,
});
const BAD_CREDENTIALS = { error: 'invalid_grant', error_description: 'The user credentials were incorrect.' };
const BAD_REFRESH = { error: 'invalid_grant', error_description: 'The refresh token is invalid.' };

async function user(memberships: [number, 'owner' | 'admin' | 'member' | 'viewer'][] = []) {
  const u = await multiUser(e, memberships.length ? memberships : [[e.a.workspaceId, 'owner']]);
  return { ...u, email: u.user.email };
}

describe('password grant', () => {
  it('issues a bearer pair: expires_in from config, no-store, tokens stored only as hashes', async () => {
    const { email, password } = await user();
    const res = await token({ grant_type: 'password', email, password });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers.pragma).toBe('no-cache');
    const body = res.json();
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = (await peekAll(e.t.store, 'SELECT access_hash, refresh_hash FROM oauth_tokens')) as { access_hash: string; refresh_hash: string }[];
    const row = rows.find((r) => r.access_hash === sha256(body.access_token));
    expect(row).toBeDefined();
    expect(row!.refresh_hash).toBe(sha256(body.refresh_token));
    expect(JSON.stringify(rows)).not.toContain(body.access_token);
  });

  it('accepts a form body, a case-insensitive email and `username` for it; ignores unknown parameters', async () => {
    const { email, password } = await user();
    const form = `grant_type=password&username=${encodeURIComponent(email.toUpperCase())}&password=${encodeURIComponent(password)}&client_id=1&scope=*`;
    expect((await token(form)).statusCode).toBe(200);
  });

  it('wrong password, unknown email or a user without password: the same invalid_grant', async () => {
    const { email } = await user();
    const noPassword = await e.t.core.admin.createUser({ email: 'nopass@example.com', name: 'No Password' });
    for (const [mail, pw] of [[email, 'wrong password'], ['ghost@example.com', 'whatever1'], [noPassword.email, 'whatever1']]) {
      const res = await token({ grant_type: 'password', email: mail, password: pw });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(BAD_CREDENTIALS);
    }
  });

  it('slows down repeated failures for one email: 429 slow_down with Retry-After, growing, then recovers', async () => {
    const { email, password } = await user();
    const fail = () => token({ grant_type: 'password', email, password: 'nope nope' });
    for (let i = 1; i <= 4; i++) expect((await fail()).statusCode).toBe(400);
    expect((await fail()).statusCode).toBe(400); // 5th failure: locked for 1 s from now
    const locked = await token({ grant_type: 'password', email, password }); // even the right password waits
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json()).toEqual({ error: 'slow_down', error_description: 'Too many failed login attempts for this email. Retry after 1 second.' });
    e.t.clock.now += 1000;
    expect((await fail()).statusCode).toBe(400); // 6th: 2 s
    const again = await fail();
    expect(again.statusCode).toBe(429);
    expect(again.headers['retry-after']).toBe('2');
    e.t.clock.now += 2000;
    expect((await token({ grant_type: 'password', email, password })).statusCode).toBe(200);
    expect((await fail()).statusCode).toBe(400); // the success cleared the count
    expect((await token({ grant_type: 'password', email, password })).statusCode).toBe(200);
  });

  it('missing or malformed parameters are invalid_request naming the parameter; other grants unsupported', async () => {
    const { email } = await user();
    const cases: [Record<string, unknown> | string, object, number?][] = [
      [{}, INVALID_REQUEST('grant_type')],
      [{ grant_type: 'password', password: 'x' }, INVALID_REQUEST('email')],
      [{ grant_type: 'password', email }, INVALID_REQUEST('password')],
      [{ grant_type: 'password', email: 5, password: 'x' }, INVALID_REQUEST('email')],
      [{ grant_type: 'password', email, password: 'x'.repeat(1025) }, INVALID_REQUEST('password')],
      [{ grant_type: 'refresh_token' }, INVALID_REQUEST('refresh_token')],
      ['grant_type=password&grant_type=password&email=a&password=b', INVALID_REQUEST('grant_type')],
      [{ grant_type: 'client_credentials' }, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' }],
      ['{"grant_type":', { error: 'invalid_request', error_description: 'The request body is not valid JSON.' }],
    ];
    for (const [payload, body] of cases) {
      const res = typeof payload === 'string' && payload.startsWith('{') ? await token(payload, 'application/json') : await token(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toEqual(body);
    }
    const plain = await token('grant_type=password', 'text/plain');
    expect(plain.json()).toEqual({ error: 'invalid_request', error_description: 'The request body must be application/x-www-form-urlencoded or application/json.' });
    const big = await token({ grant_type: 'password', email, password: 'x'.repeat(2 * 1024 * 1024) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('invalid_request');
    const nowhere = await e.t.app.inject({ method: 'GET', url: '/oauth/authorize' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()).toEqual({ error: 'not_found', error_description: 'The requested URL was not found on this server.' });
  });
});

describe('refresh grant', () => {
  it('rotates both tokens: the old pair stops working, the new one works', async () => {
    const { email, password } = await user();
    const first = await login(e, email, password);
    const res = await token({ grant_type: 'refresh_token', refresh_token: first.refresh });
    expect(res.statusCode).toBe(200);
    const second = res.json();
    expect(second.access_token).not.toBe(first.access);
    expect((await e.call('GET', '/api/v1/labels', { key: first.access })).statusCode).toBe(401);
    expect((await e.call('GET', '/api/v1/labels', { key: second.access_token })).statusCode).toBe(200);
    expect((await token({ grant_type: 'refresh_token', refresh_token: first.refresh })).json()).toEqual(BAD_REFRESH);
    for (const bad of ['nope', 'x'.repeat(64)]) expect((await token({ grant_type: 'refresh_token', refresh_token: bad })).json()).toEqual(BAD_REFRESH);
  });

  it('refresh tokens expire after 30 days', async () => {
    const { email, password } = await user();
    const { refresh } = await login(e, email, password);
    e.t.clock.now += 30 * 86_400_000;
    expect((await token({ grant_type: 'refresh_token', refresh_token: refresh })).json()).toEqual(BAD_REFRESH);
  });
});

describe('access tokens on /api/v1', () => {
  it('span all of the user workspaces, with the role in each', async () => {
    const { email, password } = await user([
      [e.a.workspaceId, 'viewer'],
      [e.b.workspaceId, 'owner'],
    ]);
    const { access } = await login(e, email, password);
    const companies = await e.call('GET', '/api/v1/companies', { key: access });
    expect(companies.doc.data.map((c: any) => c.attributes.name)).toEqual(['Acme Records', 'Beta Music']);
    const body = (ws: number) => ({ data: { type: 'labels', attributes: { name: 'By token' }, relationships: { company: { data: { type: 'companies', id: String(ws) } } } } });
    expect((await e.call('POST', '/api/v1/labels', { key: access, body: body(e.b.workspaceId) })).statusCode).toBe(201);
    expect((await e.call('POST', '/api/v1/labels', { key: access, body: body(e.a.workspaceId) })).statusCode).toBe(403);
    const [event] = await e.t.core.admin.listEvents(e.b.workspaceId, 0, 10);
    expect(event).toMatchObject({ action: 'label.created', dialect: 'limbo', apiKeyId: null });
  });

  it('expire after the configured TTL; deleting the user revokes them', async () => {
    const { user: u, email, password } = await user();
    const { access } = await login(e, email, password);
    e.t.clock.now += 599_000;
    expect((await e.call('GET', '/api/v1/labels', { key: access })).statusCode).toBe(200);
    e.t.clock.now += 1000;
    expect((await e.call('GET', '/api/v1/labels', { key: access })).statusCode).toBe(401);
    e.t.clock.now -= 1000;
    await e.t.core.admin.deleteUser(u.id);
    expect((await e.call('GET', '/api/v1/labels', { key: access })).statusCode).toBe(401);
  });
});
