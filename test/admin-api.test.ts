// The admin API (docs/admin.md, "Admin API"): every route of the table,
// RFC 9457 problem documents for every client mistake, keys shown once and stored hashed, user-wide keys,
// audit events and the export/import round trip.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sha256 } from '../src/core/secrets.js';
import type { Actor, Role } from '../src/core/types.js';
import { ADMIN_TOKEN, FIXED_NOW, buildTestApp, createTenant, type TestApp } from './helper.js';
import { onPostgres, peek, peekAll } from './test-store.js';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ISO_NOW = new Date(FIXED_NOW).toISOString();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// One app for the file (building one takes a few hundred ms); every test makes its own tenants and unique
// emails, and asserts on its own rows only.
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.clock.now = FIXED_NOW;
});

let seq = 0;
/** An email no other test uses. */
const email = (local: string) => `${local}.${++seq}@example.com`;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
const admin = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = AUTH) =>
  t.app.inject({ method, url: `/_admin${url}`, headers, ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }) });

const livestorm = (method: Method, url: string, key: string, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api/workspaces${url}`,
    headers: { authorization: `Bearer lnx_${key}` },
    ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
  });

/** An RFC 9457 problem document with this status. */
function expectProblem(res: LightMyRequestResponse, status: number, detail?: RegExp): void {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(['detail', 'status', 'title', 'type']);
  expect(body).toMatchObject({ type: 'about:blank', status });
  expect(typeof body.title).toBe('string');
  expect(body.title.length).toBeGreaterThan(0);
  expect(typeof body.detail).toBe('string');
  if (detail) expect(body.detail).toMatch(detail);
}

async function createWorkspace(name: string): Promise<{ id: number; uuid: string; name: string; created_at: string }> {
  const res = await admin('POST', '/workspaces', { name });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().workspace;
}

async function createUser(email: string, name = 'Someone', password?: string): Promise<{ id: number; email: string; name: string }> {
  const res = await admin('POST', '/users', { email, name, ...(password !== undefined && { password }) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().user;
}

async function setMember(workspaceId: number, userId: number, role: Role): Promise<void> {
  const res = await admin('PUT', `/workspaces/${workspaceId}/members/${userId}`, { role });
  expect(res.statusCode, res.body).toBe(200);
}

async function createKey(userId: number, workspaceId?: number | null, name?: string) {
  const res = await admin('POST', '/api-keys', {
    user_id: userId,
    ...(workspaceId !== undefined && { workspace_id: workspaceId }),
    ...(name !== undefined && { name }),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().api_key as { id: number; key: string; workspace_id: number | null; user_id: number; name: string; created_at: string };
}

const keyId = async (key: string): Promise<number> => ((await peek(t.store, 'SELECT id FROM api_keys WHERE key_hash = ?', sha256(key))) as { id: number }).id;

describe('workspaces', () => {
  it('POST /_admin/workspaces creates a workspace: 201 {workspace:{id,uuid,name,created_at}}', async () => {
    const res = await admin('POST', '/workspaces', { name: '  Acme Corp  ' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { workspace } = res.json();
    expect(Object.keys(workspace).sort()).toEqual(['created_at', 'id', 'name', 'uuid']);
    expect(workspace).toMatchObject({ name: 'Acme Corp', created_at: ISO_NOW });
    expect(Number.isInteger(workspace.id)).toBe(true);
    expect(workspace.uuid).toMatch(UUID);
  });

  it('GET /_admin/workspaces lists every workspace in id order', async () => {
    const fresh = await buildTestApp();
    try {
      const list = await fresh.app.inject({ url: '/_admin/workspaces', headers: AUTH });
      expect(list.statusCode).toBe(200);
      expect(list.json()).toEqual({ workspaces: [] });
    } finally {
      await fresh.close();
    }
    const a = await createWorkspace('A');
    t.clock.now = FIXED_NOW + 1000;
    const b = await createWorkspace('B');
    const res = await admin('GET', '/workspaces');
    expect(res.statusCode).toBe(200);
    const { workspaces } = res.json();
    expect(workspaces.slice(-2)).toEqual([a, b]);
    expect(workspaces.map((w: { id: number }) => w.id)).toEqual([...workspaces.map((w: { id: number }) => w.id)].sort((x, y) => x - y));
    expect(b.created_at).toBe(new Date(FIXED_NOW + 1000).toISOString());
    expect(a.uuid).not.toBe(b.uuid);
  });

  it.each([
    ['empty name', { name: '' }],
    ['blank name', { name: '   ' }],
    ['control characters', { name: 'a\u0007b' }],
    ['too long', { name: 'x'.repeat(256) }],
    ['wrong type', { name: 42 }],
    ['null name', { name: null }],
    ['missing name', {}],
    ['unknown field', { name: 'ok', color: 'red' }],
    ['array body', [{ name: 'ok' }]],
  ])('rejects %s with 400', async (_what, body) => {
    const before = (await admin('GET', '/workspaces')).body;
    expectProblem(await admin('POST', '/workspaces', body), 400);
    expect((await admin('GET', '/workspaces')).body).toBe(before);
  });
});

describe('users', () => {
  it('POST /_admin/users creates a user: 201 {user:{id,email,name}}, password stored as scrypt only', async () => {
    const address = email('Jane.Smith');
    const res = await admin('POST', '/users', { email: address, name: ' Jane Smith ', password: 'correct horse battery' });
    expect(res.statusCode).toBe(201);
    const { user } = res.json();
    expect(Object.keys(user).sort()).toEqual(['email', 'id', 'name']);
    expect(user).toMatchObject({ email: address, name: 'Jane Smith' });
    const row = (await peek(t.store, 'SELECT * FROM users WHERE id = ?', user.id)) as Record<string, unknown>;
    expect(row.password_hash).toMatch(/^scrypt\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain('correct horse battery');
    expect(res.body).not.toContain('scrypt');
  });

  it('a user without a password has none stored', async () => {
    const user = await createUser(email('nopw'));
    expect(((await peek(t.store, 'SELECT password_hash FROM users WHERE id = ?', user.id)) as { password_hash: unknown }).password_hash).toBeNull();
  });

  it('answers 409 for an email already registered, compared case-insensitively', async () => {
    const address = email('jane');
    await createUser(address);
    const mixed = address.replace(/^j/, 'J').replace('example', 'ExAmple');
    for (const e of [address, address.toUpperCase(), mixed, ` ${address} `]) {
      expectProblem(await admin('POST', '/users', { email: e, name: 'Other' }), 409, /already registered/);
    }
    expect((await peek(t.store, 'SELECT count(*) AS n FROM users WHERE email_key = ?', address))).toEqual({ n: 1 });
  });

  it.each([
    ['bad email', { email: 'not-an-email', name: 'X' }],
    ['email with spaces inside', { email: 'a b@example.com', name: 'X' }],
    ['missing email', { name: 'X' }],
    ['missing name', { email: 'x@example.com' }],
    ['blank name', { email: 'x@example.com', name: ' ' }],
    ['email of the wrong type', { email: 7, name: 'X' }],
    ['short password', { email: 'x@example.com', name: 'X', password: 'short' }],
    ['password of the wrong type', { email: 'x@example.com', name: 'X', password: 12345678 }],
    ['unknown field', { email: 'x@example.com', name: 'X', role: 'owner' }],
  ])('rejects %s with 400', async (_what, body) => {
    expectProblem(await admin('POST', '/users', body), 400);
  });

  describe('DELETE /_admin/users/:id', () => {
    it('answers 204; the user\'s labels stay with created_by null and their keys stop working at once', async () => {
      const tenant = await createTenant(t.core, 'Acme');
      const ws = tenant.workspaceId;
      const created = await livestorm('POST', `/${ws}/labels`, tenant.keys.owner, { name: 'Marketing', color: '#22c55e' });
      expect(created.statusCode).toBe(201);
      const labelId = created.json().label.id;
      // A second, user-wide key of the same user.
      const wide = await createKey(tenant.userIds.owner);
      expect((await livestorm('GET', `/${ws}/labels`, wide.key)).statusCode).toBe(200);

      const { email: ownerEmail } = (await peek(t.store, 'SELECT email FROM users WHERE id = ?', tenant.userIds.owner)) as { email: string };
      const res = await admin('DELETE', `/users/${tenant.userIds.owner}`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');

      for (const key of [tenant.keys.owner, wide.key]) {
        const denied = await livestorm('GET', `/${ws}/labels`, key);
        expect(denied.statusCode).toBe(401);
        expect(denied.json()).toEqual({ error: 'Unauthorized' });
      }
      // The label is still there, its creator gone.
      const list = await livestorm('GET', `/${ws}/labels`, tenant.keys.viewer);
      expect(list.json().labels).toEqual([{ id: labelId, name: 'Marketing', color: '#22c55e', created_by_name: null, created_at: FIXED_NOW / 1000 }]);
      expect((await peek(t.store, 'SELECT created_by FROM labels WHERE id = ?', labelId))).toEqual({ created_by: null });
      expect((await admin('GET', `/workspaces/${ws}/export`)).json().labels[0].created_by_email).toBeNull();
      // Memberships go with the user; other members are untouched.
      expect((await peek(t.store, 'SELECT count(*) AS n FROM memberships WHERE user_id = ?', tenant.userIds.owner))).toEqual({ n: 0 });
      expect((await livestorm('GET', `/${ws}/labels`, tenant.keys.admin)).statusCode).toBe(200);
      // The email is free again.
      await createUser(ownerEmail.toUpperCase());
    });

    it('answers 404 for an unknown or already deleted user and for non-numeric ids', async () => {
      const user = await createUser(email('gone'));
      expect((await admin('DELETE', `/users/${user.id}`)).statusCode).toBe(204);
      expectProblem(await admin('DELETE', `/users/${user.id}`), 404);
      expectProblem(await admin('DELETE', '/users/999999'), 404, /user 999999 not found/);
      for (const id of ['abc', '0', '-1', '1.5', '01', '1e3', '99999999999999999999', '%20']) {
        expectProblem(await admin('DELETE', `/users/${id}`), 404);
      }
    });
  });
});

describe('PUT /_admin/workspaces/:id/members/:userId', () => {
  it('sets a role: 200 {member:{workspace_id,user_id,role}}, and a new role applies at once', async () => {
    const ws = await createWorkspace('Team');
    const user = await createUser(email('member'));
    const res = await admin('PUT', `/workspaces/${ws.id}/members/${user.id}`, { role: 'viewer' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ member: { workspace_id: ws.id, user_id: user.id, role: 'viewer' } });
    const { key } = await createKey(user.id, ws.id);

    expect((await livestorm('GET', `/${ws.id}/labels`, key)).statusCode).toBe(200);
    const refused = await livestorm('POST', `/${ws.id}/labels`, key, { name: 'Nope' });
    expect(refused.statusCode).toBe(403);

    const promoted = await admin('PUT', `/workspaces/${ws.id}/members/${user.id}`, { role: 'admin' });
    expect(promoted.json()).toEqual({ member: { workspace_id: ws.id, user_id: user.id, role: 'admin' } });
    expect((await livestorm('POST', `/${ws.id}/labels`, key, { name: 'Yes' })).statusCode).toBe(201);
    expect((await peekAll(t.store, 'SELECT role FROM memberships WHERE workspace_id = ? AND user_id = ?', ws.id, user.id))).toEqual([{ role: 'admin' }]);
  });

  it.each(['owner', 'admin', 'member', 'viewer'] as const)('accepts role %s', async (role) => {
    const ws = await createWorkspace('Team');
    const user = await createUser(email(role));
    expect((await admin('PUT', `/workspaces/${ws.id}/members/${user.id}`, { role })).json().member.role).toBe(role);
  });

  it('answers 400 for a bad role or body, 404 for unknown or non-numeric ids', async () => {
    const ws = await createWorkspace('Team');
    const user = await createUser(email('m'));
    for (const body of [{ role: 'god' }, { role: 'Owner' }, { role: 1 }, { role: null }, {}, { role: 'owner', extra: true }, ['owner']]) {
      expectProblem(await admin('PUT', `/workspaces/${ws.id}/members/${user.id}`, body), 400);
    }
    expectProblem(await admin('PUT', `/workspaces/999999/members/${user.id}`, { role: 'owner' }), 404, /workspace/);
    expectProblem(await admin('PUT', `/workspaces/${ws.id}/members/999999`, { role: 'owner' }), 404, /user/);
    expectProblem(await admin('PUT', `/workspaces/x/members/${user.id}`, { role: 'owner' }), 404);
    expectProblem(await admin('PUT', `/workspaces/${ws.id}/members/x`, { role: 'owner' }), 404);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM memberships WHERE user_id = ?', user.id))).toEqual({ n: 0 });
  });
});

describe('DELETE /_admin/workspaces/:id/members/:userId', () => {
  it('answers 204; the user\'s workspace keys are refused at once, their user-wide key no longer reaches the workspace, their labels stay', async () => {
    const ws = await createWorkspace('Team');
    const other = await createWorkspace('Other team');
    const user = await createUser(email('leaver'));
    await setMember(ws.id, user.id, 'admin');
    await setMember(other.id, user.id, 'member');
    const wsKey = await createKey(user.id, ws.id);
    const wide = await createKey(user.id);
    const created = await livestorm('POST', `/${ws.id}/labels`, wsKey.key, { name: 'Made before leaving' });
    expect(created.statusCode).toBe(201);
    // Both keys work, and their lookups are remembered by now.
    expect((await livestorm('GET', `/${ws.id}/labels`, wsKey.key)).statusCode).toBe(200);
    expect((await livestorm('GET', `/${ws.id}/labels`, wide.key)).statusCode).toBe(200);

    const res = await admin('DELETE', `/workspaces/${ws.id}/members/${user.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    expect((await livestorm('GET', `/${ws.id}/labels`, wsKey.key)).statusCode).toBe(401);
    expect((await livestorm('POST', `/${ws.id}/labels`, wsKey.key, { name: 'After leaving' })).statusCode).toBe(401);
    expect((await livestorm('GET', `/${ws.id}/labels`, wide.key)).statusCode).toBe(404);
    // The other workspace is untouched, and so is the label the user made.
    expect((await livestorm('GET', `/${other.id}/labels`, wide.key)).statusCode).toBe(200);
    expect(await peek(t.store, 'SELECT name FROM labels WHERE id = ?', created.json().label.id)).toEqual({ name: 'Made before leaving' });
    expect(await peekAll(t.store, 'SELECT workspace_id FROM memberships WHERE user_id = ?', user.id)).toEqual([{ workspace_id: other.id }]);
    expect(await peek(t.store, 'SELECT revoked_at FROM api_keys WHERE id = ?', wsKey.id)).not.toEqual({ revoked_at: null });

    // Adding the user again does not bring the old workspace key back.
    await setMember(ws.id, user.id, 'admin');
    expect((await livestorm('GET', `/${ws.id}/labels`, wsKey.key)).statusCode).toBe(401);
    expect((await livestorm('GET', `/${ws.id}/labels`, wide.key)).statusCode).toBe(200);
  });

  it('answers 404 for a user who is not a member, an unknown workspace or user, and non-numeric ids', async () => {
    const ws = await createWorkspace('Team');
    const user = await createUser(email('stranger'));
    expectProblem(await admin('DELETE', `/workspaces/${ws.id}/members/${user.id}`), 404, /member/);
    expectProblem(await admin('DELETE', `/workspaces/999999/members/${user.id}`), 404, /workspace/);
    expectProblem(await admin('DELETE', `/workspaces/${ws.id}/members/999999`), 404, /user/);
    expectProblem(await admin('DELETE', `/workspaces/x/members/${user.id}`), 404);
    expectProblem(await admin('DELETE', `/workspaces/${ws.id}/members/1`, undefined, {}), 401);
  });
});

describe('API keys', () => {
  it('POST /_admin/api-keys: 201, the key is 32 lowercase hex, shown once, stored only as its SHA-256', async () => {
    const ws = await createWorkspace('Keys');
    const user = await createUser(email('k'));
    await setMember(ws.id, user.id, 'owner');
    const res = await admin('POST', '/api-keys', { user_id: user.id, workspace_id: ws.id, name: ' ci ' });
    expect(res.statusCode).toBe(201);
    const { api_key } = res.json();
    expect(Object.keys(api_key).sort()).toEqual(['created_at', 'id', 'key', 'name', 'user_id', 'workspace_id']);
    expect(api_key).toMatchObject({ workspace_id: ws.id, user_id: user.id, name: 'ci', created_at: ISO_NOW });
    expect(api_key.key).toMatch(/^[0-9a-f]{32}$/);

    const rows = (await peekAll(t.store, 'SELECT * FROM api_keys WHERE user_id = ?', user.id)) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key_hash).toBe(sha256(api_key.key));
    for (const value of Object.values(rows[0]!)) expect(String(value)).not.toContain(api_key.key);
    // Nowhere else in the database either.
    const catalog = onPostgres ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'" : "SELECT name FROM sqlite_master WHERE type = 'table'";
    const tables = (await peekAll<{ name: string }>(t.store, catalog)).map((r) => r.name);
    for (const table of tables) expect(JSON.stringify((await peekAll(t.store, `SELECT * FROM "${table}"`)))).not.toContain(api_key.key);
    // Shown once: no other admin answer carries it.
    for (const url of ['/workspaces', `/workspaces/${ws.id}/events`, `/workspaces/${ws.id}/export`]) {
      expect((await admin('GET', url)).body).not.toContain(api_key.key);
    }
    // And it works.
    expect((await livestorm('GET', `/${ws.id}/labels`, api_key.key)).statusCode).toBe(200);
  });

  it('every key is different', async () => {
    const user = await createUser(email('many'));
    const keys = new Set<string>();
    for (let i = 0; i < 20; i++) keys.add((await createKey(user.id)).key);
    expect(keys.size).toBe(20);
  });

  it('without workspace_id (or with null) the key is user-wide: workspace_id null in the answer and the table', async () => {
    const user = await createUser(email('wide'));
    const omitted = await createKey(user.id);
    expect(omitted.workspace_id).toBeNull();
    expect(omitted.name).toBe('');
    const explicit = await createKey(user.id, null, 'wide');
    expect(explicit).toMatchObject({ workspace_id: null, name: 'wide', user_id: user.id });
    expect((await peekAll(t.store, 'SELECT workspace_id FROM api_keys WHERE user_id = ? ORDER BY id', user.id))).toEqual([{ workspace_id: null }, { workspace_id: null }]);
  });

  it('refuses keys for unknown users (404), unknown workspaces (404) and workspaces the user is not in (400)', async () => {
    const ws = await createWorkspace('Keys');
    const user = await createUser(email('k'));
    expectProblem(await admin('POST', '/api-keys', { user_id: 999_999 }), 404, /user/);
    expectProblem(await admin('POST', '/api-keys', { user_id: user.id, workspace_id: 999 }), 404, /workspace/);
    expectProblem(await admin('POST', '/api-keys', { user_id: user.id, workspace_id: ws.id }), 400, /not a member/);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM api_keys WHERE user_id = ?', user.id))).toEqual({ n: 0 });
  });

  it.each([
    ['missing user_id', {}],
    ['user_id as a string', { user_id: '1' }],
    ['user_id zero', { user_id: 0 }],
    ['user_id negative', { user_id: -1 }],
    ['user_id fractional', { user_id: 1.5 }],
    ['user_id too large', { user_id: 1e20 }],
    ['workspace_id as a string', { user_id: 1, workspace_id: '1' }],
    ['name of the wrong type', { user_id: 1, name: 5 }],
    ['name too long', { user_id: 1, name: 'x'.repeat(256) }],
    ['unknown field', { user_id: 1, role: 'owner' }],
  ])('rejects %s with 400', async (_what, body) => {
    const before = (await peek(t.store, 'SELECT count(*) AS n FROM api_keys'));
    expectProblem(await admin('POST', '/api-keys', body), 400);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM api_keys'))).toEqual(before);
  });

  it('DELETE /_admin/api-keys/:id revokes: 204, then 401 on Livestorm with Bearer lnx_<key>', async () => {
    const tenant = await createTenant(t.core, 'Revoke');
    const ws = tenant.workspaceId;
    const id = (await keyId(tenant.keys.member));
    expect((await livestorm('GET', `/${ws}/labels`, tenant.keys.member)).statusCode).toBe(200);

    const res = await admin('DELETE', `/api-keys/${id}`);
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const denied = await livestorm('GET', `/${ws}/labels`, tenant.keys.member);
    expect(denied.statusCode).toBe(401);
    expect(denied.json()).toEqual({ error: 'Unauthorized' });
    // The bare key (no lnx_ prefix) is refused too; the user's other access is untouched.
    const bare = await t.app.inject({ url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer ${tenant.keys.member}` } });
    expect(bare.statusCode).toBe(401);
    expect((await livestorm('GET', `/${ws}/labels`, tenant.keys.owner)).statusCode).toBe(200);
    expect((await peek(t.store, 'SELECT revoked_at FROM api_keys WHERE id = ?', id))).toEqual({ revoked_at: FIXED_NOW });
  });

  it('revoking a user-wide key stops it in every workspace', async () => {
    const a = await createWorkspace('A');
    const b = await createWorkspace('B');
    const user = await createUser(email('w'));
    await setMember(a.id, user.id, 'member');
    await setMember(b.id, user.id, 'member');
    const wide = await createKey(user.id);
    expect((await livestorm('GET', `/${a.id}/labels`, wide.key)).statusCode).toBe(200);
    expect((await admin('DELETE', `/api-keys/${wide.id}`)).statusCode).toBe(204);
    expect((await livestorm('GET', `/${a.id}/labels`, wide.key)).statusCode).toBe(401);
    expect((await livestorm('GET', `/${b.id}/labels`, wide.key)).statusCode).toBe(401);
  });

  it('DELETE /_admin/api-keys/:id answers 404 for unknown and non-numeric ids', async () => {
    expectProblem(await admin('DELETE', '/api-keys/999999'), 404, /api_key 999999 not found/);
    for (const id of ['abc', '0', '-5', '1.0']) expectProblem(await admin('DELETE', `/api-keys/${id}`), 404);
  });
});

describe('user-wide keys', () => {
  it('act in every workspace of their user with the user\'s role there, and nowhere else', async () => {
    const viewing = await createWorkspace('Viewing');
    const owning = await createWorkspace('Owning');
    const foreign = await createWorkspace('Foreign');
    const user = await createUser(email('multi'));
    await setMember(viewing.id, user.id, 'viewer');
    await setMember(owning.id, user.id, 'owner');
    const { key } = await createKey(user.id);

    // Role viewer in the first workspace: may read, may not create.
    expect((await livestorm('GET', `/${viewing.id}/labels`, key)).json()).toEqual({ labels: [] });
    const refused = await livestorm('POST', `/${viewing.id}/labels`, key, { name: 'Nope' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ error: 'Only owners and admins can create labels' });

    // Role owner in the second: may create.
    const created = await livestorm('POST', `/${owning.id}/labels`, key, { name: 'Mine' });
    expect(created.statusCode).toBe(201);
    expect((await livestorm('GET', `/${owning.id}/labels`, key)).json().labels.map((l: { name: string }) => l.name)).toEqual(['Mine']);
    // It landed in the workspace the path named, not the earliest membership.
    expect((await livestorm('GET', `/${viewing.id}/labels`, key)).json()).toEqual({ labels: [] });

    // Not a member: exactly like a workspace that does not exist.
    for (const id of [foreign.id, 999_999]) {
      const res = await livestorm('GET', `/${id}/labels`, key);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'Workspace not found' });
    }

    // A membership granted later is honoured at once; an audit event names the key.
    await setMember(foreign.id, user.id, 'member');
    expect((await livestorm('GET', `/${foreign.id}/labels`, key)).statusCode).toBe(200);
    const events = (await admin('GET', `/workspaces/${owning.id}/events`)).json().events;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor_user_id: user.id, api_key_id: await keyId(key), dialect: 'livestorm', action: 'label.created' });
  });

  it('a workspace key does not reach another workspace of the same user', async () => {
    const a = await createWorkspace('A');
    const b = await createWorkspace('B');
    const user = await createUser(email('two'));
    await setMember(a.id, user.id, 'owner');
    await setMember(b.id, user.id, 'owner');
    const { key } = await createKey(user.id, a.id);
    expect((await livestorm('GET', `/${a.id}/labels`, key)).statusCode).toBe(200);
    const res = await livestorm('GET', `/${b.id}/labels`, key);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'Workspace not found' });
  });
});

describe('PUT /_admin/workspaces/:id/resources', () => {
  it('upserts resources: 200 {upserted:n}; they are visible to the dialects and updated in place', async () => {
    const tenant = await createTenant(t.core, 'Library');
    const ws = tenant.workspaceId;
    const res = await admin('PUT', `/workspaces/${ws}/resources`, {
      resources: [
        { type: 'library_item', id: '42', name: 'Intro video', status: 'ready', attributes: { size: 1024, mime_type: 'video/mp4', duration: 61 } },
        { type: 'library_item', id: '43' },
        { type: 'form', id: 'f-1', name: 'Signup' },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ upserted: 3 });

    const item = await livestorm('GET', `/${ws}/library/42`, tenant.keys.viewer);
    expect(item.statusCode).toBe(200);
    expect(item.json().item).toMatchObject({ id: 42, workspace_id: ws, name: 'Intro video', size: 1024, mime_type: 'video/mp4', duration: 61, labels: [] });
    expect((await livestorm('GET', `/${ws}/library`, tenant.keys.viewer)).json().total).toBe(2);

    t.clock.now = FIXED_NOW + 5000;
    const again = await admin('PUT', `/workspaces/${ws}/resources`, { resources: [{ type: 'library_item', id: '42', name: 'Renamed', attributes: {} }] });
    expect(again.json()).toEqual({ upserted: 1 });
    const row = (await peek(t.store, "SELECT * FROM resources WHERE workspace_id = ? AND external_id = '42'", ws)) as Record<string, unknown>;
    expect(row).toMatchObject({ name: 'Renamed', status: null, attributes: '{}', created_at: FIXED_NOW, updated_at: FIXED_NOW + 5000 });
    expect((await peek(t.store, 'SELECT count(*) AS n FROM resources WHERE workspace_id = ?', ws))).toEqual({ n: 3 });
    expect((await admin('PUT', `/workspaces/${ws}/resources`, { resources: [] })).json()).toEqual({ upserted: 0 });
  });

  it('answers 400 for bad resources (nothing written) and 404 for unknown or non-numeric workspaces', async () => {
    const ws = await createWorkspace('R');
    for (const resources of [
      [{ type: 'Bad-Type', id: '1' }],
      [{ type: 'form', id: '' }],
      [{ type: 'form', id: 'a\u0000b' }],
      [{ type: 'form', id: 'ok' }, { type: '9lives', id: 'x' }],
      [{ type: 'form' }],
      [{ type: 'form', id: 1 }],
      [{ type: 'form', id: 'x', attributes: [] }],
      [{ type: 'form', id: 'x', attributes: 'big' }],
      [{ type: 'form', id: 'x', colour: 'red' }],
      [null],
      'nope',
    ]) {
      expectProblem(await admin('PUT', `/workspaces/${ws.id}/resources`, { resources }), 400);
    }
    expectProblem(await admin('PUT', `/workspaces/${ws.id}/resources`, {}), 400);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM resources WHERE workspace_id = ?', ws.id))).toEqual({ n: 0 });
    expectProblem(await admin('PUT', '/workspaces/999999/resources', { resources: [{ type: 'form', id: '1' }] }), 404, /workspace 999999/);
    expectProblem(await admin('PUT', '/workspaces/abc/resources', { resources: [] }), 404);
  });
});

describe('GET /_admin/workspaces/:id/events', () => {
  it('renders {id, workspace_id, actor_user_id, api_key_id, dialect, action, label_id, before, after, at}', async () => {
    const tenant = await createTenant(t.core, 'Audit');
    const other = await createTenant(t.core, 'Elsewhere');
    const ws = tenant.workspaceId;
    await admin('PUT', `/workspaces/${ws}/resources`, { resources: [{ type: 'library_item', id: '7' }] });
    const label = (await livestorm('POST', `/${ws}/labels`, tenant.keys.owner, { name: 'Alpha', color: '#ABC' })).json().label;
    t.clock.now = FIXED_NOW + 1000;
    await livestorm('PATCH', `/${ws}/labels/${label.id}`, tenant.keys.admin, { name: 'Beta' });
    await livestorm('POST', `/${ws}/library/7/labels`, tenant.keys.member, { label_id: label.id });
    await livestorm('DELETE', `/${ws}/library/7/labels/${label.id}`, tenant.keys.member);
    await livestorm('DELETE', `/${ws}/labels/${label.id}`, tenant.keys.owner);
    await livestorm('POST', `/${other.workspaceId}/labels`, other.keys.owner, { name: 'Not here' });

    const res = await admin('GET', `/workspaces/${ws}/events`);
    expect(res.statusCode).toBe(200);
    const { events } = res.json();
    expect(events.map((e: { action: string }) => e.action)).toEqual(['label.created', 'label.updated', 'label.assigned', 'label.unassigned', 'label.deleted']);
    for (const e of events) {
      expect(Object.keys(e).sort()).toEqual(['action', 'actor_user_id', 'after', 'api_key_id', 'at', 'before', 'dialect', 'id', 'label_id', 'workspace_id']);
      expect(e).toMatchObject({ workspace_id: ws, dialect: 'livestorm', label_id: label.id });
    }
    const ids = events.map((e: { id: number }) => e.id);
    expect([...ids].sort((a: number, b: number) => a - b)).toEqual(ids);

    const state = { id: label.id, parent_id: null, color: '#aabbcc', description: '', starts_at: null, ends_at: null, extras: {} };
    expect(events[0]).toEqual({
      id: events[0].id, workspace_id: ws, actor_user_id: tenant.userIds.owner, api_key_id: await keyId(tenant.keys.owner), dialect: 'livestorm',
      action: 'label.created', label_id: label.id, before: null, after: { ...state, name: 'Alpha' }, at: ISO_NOW,
    });
    expect(events[1]).toMatchObject({
      actor_user_id: tenant.userIds.admin, api_key_id: await keyId(tenant.keys.admin),
      before: { ...state, name: 'Alpha' }, after: { ...state, name: 'Beta' }, at: new Date(FIXED_NOW + 1000).toISOString(),
    });
    expect(events[2]).toMatchObject({ actor_user_id: tenant.userIds.member, before: null, after: { resource: { type: 'library_item', id: '7' } } });
    expect(events[3]).toMatchObject({ before: { resource: { type: 'library_item', id: '7' } }, after: null });
    expect(events[4]).toMatchObject({ actor_user_id: tenant.userIds.owner, before: { ...state, name: 'Beta' }, after: null });
  });

  it('pages with ?after= (exclusive event id) and ?limit=', async () => {
    const tenant = await createTenant(t.core, 'Paging');
    const ws = tenant.workspaceId;
    for (let i = 0; i < 5; i++) await livestorm('POST', `/${ws}/labels`, tenant.keys.owner, { name: `L${i}` });
    const all = (await admin('GET', `/workspaces/${ws}/events`)).json().events as { id: number; after: { name: string } }[];
    expect(all).toHaveLength(5);

    const first = (await admin('GET', `/workspaces/${ws}/events?limit=2`)).json().events;
    expect(first.map((e: { id: number }) => e.id)).toEqual([all[0]!.id, all[1]!.id]);
    const next = (await admin('GET', `/workspaces/${ws}/events?after=${all[1]!.id}&limit=2`)).json().events;
    expect(next.map((e: { after: { name: string } }) => e.after.name)).toEqual(['L2', 'L3']);
    const rest = (await admin('GET', `/workspaces/${ws}/events?after=${all[3]!.id}`)).json().events;
    expect(rest.map((e: { after: { name: string } }) => e.after.name)).toEqual(['L4']);
    expect((await admin('GET', `/workspaces/${ws}/events?after=${all[4]!.id}`)).json()).toEqual({ events: [] });
    expect((await admin('GET', `/workspaces/${ws}/events?after=0&limit=1000`)).json().events).toHaveLength(5);
    // An empty after means from the start.
    expect((await admin('GET', `/workspaces/${ws}/events?after=`)).json().events).toHaveLength(5);
  });

  it('answers 400 for bad paging parameters and 404 for unknown or non-numeric workspaces', async () => {
    const ws = await createWorkspace('E');
    for (const q of ['after=abc', 'after=-1', 'after=1.5', 'limit=0', 'limit=1001', 'limit=abc', 'limit=2.5', 'cursor=3']) {
      expectProblem(await admin('GET', `/workspaces/${ws.id}/events?${q}`), 400);
    }
    expectProblem(await admin('GET', '/workspaces/999999/events'), 404, /workspace 999999/);
    expectProblem(await admin('GET', '/workspaces/nope/events'), 404);
  });
});

describe('export and import', () => {
  const actorFor = async (app: TestApp, tenant: { workspaceId: number; userIds: Record<Role, number> }): Promise<Actor> => ({
    userId: tenant.userIds.owner,
    workspaceId: tenant.workspaceId,
    workspace: await app.core.admin.getWorkspace(tenant.workspaceId),
    role: 'owner',
    apiKeyId: null,
    dialect: 'test',
  });

  /** A workspace with a label tree, a timed label, extras, resources with attributes and assignments. */
  async function richWorkspace(app: TestApp, name: string) {
    const tenant = await createTenant(app.core, name);
    const actor = await actorFor(app, tenant);
    const { labels, resources } = app.core;
    const root = await labels.create(actor, { name: 'Marketing', color: '#22C55E', description: 'Top level' });
    app.clock.now = FIXED_NOW + 1000;
    const child = await labels.create(actor, { name: 'Campaigns', parentId: root.id, extras: { use_for_products: true, nested: { a: [1, 2] } } });
    const grandchild = await labels.create({ ...actor, userId: tenant.userIds.admin }, { name: 'Spring', parentId: child.id, color: '#abc' });
    await labels.create(actor, { name: 'Launch', startsAt: FIXED_NOW, endsAt: FIXED_NOW + 3_600_000 });
    await labels.create(actor, { name: 'Launch', startsAt: FIXED_NOW + 86_400_000, endsAt: null });
    const plain = await labels.create(actor, { name: 'ünïcødé ✓', color: null });
    app.clock.now = FIXED_NOW + 2000;
    await labels.update(actor, plain.id, { description: 'updated later' });
    await app.core.admin.upsertResources(tenant.workspaceId, [
      { type: 'library_item', externalId: '100', name: 'Video', status: 'ready', attributes: { size: 5, tags: ['a', 'b'], nested: { x: null } } },
      { type: 'library_item', externalId: '101' },
    ]);
    await resources.assign(actor, { type: 'library_item', externalId: '100' }, [grandchild.id, root.id]);
    await resources.assign(actor, { type: 'form', externalId: 'form-9', name: 'Signup' }, [child.id], { create: true });
    return tenant;
  }

  it('GET export renders the whole workspace as one document', async () => {
    const tenant = await richWorkspace(t, 'Source');
    const res = await admin('GET', `/workspaces/${tenant.workspaceId}/export`);
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc).toMatchObject({ format: 'labelmux-workspace', version: 1, workspace: { name: 'Source' } });
    expect(doc.labels).toHaveLength(6);
    expect(doc.labels.find((l: { name: string }) => l.name === 'Spring')).toMatchObject({ color: '#aabbcc', created_by_email: expect.stringMatching(/^admin\./) });
    expect(doc.labels.find((l: { name: string }) => l.name === 'Marketing')).toMatchObject({ parent_id: null, color: '#22c55e', description: 'Top level', created_at: FIXED_NOW });
    expect(doc.resources.map((r: { type: string; id: string }) => `${r.type}/${r.id}`)).toEqual(['form/form-9', 'library_item/100', 'library_item/101']);
    expect(doc.resources[1].label_ids).toHaveLength(2);
    expect(doc.resources[2]).toEqual({ type: 'library_item', id: '101', name: null, status: null, attributes: {}, created_at: FIXED_NOW + 2000, updated_at: FIXED_NOW + 2000, label_ids: [] });
  });

  it('export → import into a new empty workspace → export is equal apart from the workspace name', async () => {
    const tenant = await richWorkspace(t, 'Source');
    const exported = (await admin('GET', `/workspaces/${tenant.workspaceId}/export`)).json();

    // A second server (fresh database) that knows the same people.
    const target = await buildTestApp();
    try {
      const emails = ((await peekAll(t.store, 'SELECT email FROM users ORDER BY id')) as { email: string }[]).map((r) => r.email);
      for (const email of emails) await target.core.admin.createUser({ email, name: 'Copy' });
      const fresh = await target.app.inject({ method: 'POST', url: '/_admin/workspaces', headers: AUTH, payload: { name: 'Restored' } });
      const wsId = fresh.json().workspace.id;

      const imported = await target.app.inject({ method: 'POST', url: `/_admin/workspaces/${wsId}/import`, headers: AUTH, payload: exported });
      expect(imported.statusCode, imported.body).toBe(200);
      expect(imported.json()).toEqual({ imported: { labels: 6, resources: 3, label_ids: Object.fromEntries(exported.labels.map((l: { id: number }) => [String(l.id), l.id])) } });

      const again = (await target.app.inject({ url: `/_admin/workspaces/${wsId}/export`, headers: AUTH })).json();
      expect(again.workspace).toEqual({ name: 'Restored' });
      expect({ ...again, workspace: exported.workspace }).toEqual(exported);

      // The import is one audit event by the admin.
      const events = (await target.app.inject({ url: `/_admin/workspaces/${wsId}/events`, headers: AUTH })).json().events;
      expect(events).toEqual([
        { id: events[0].id, workspace_id: wsId, actor_user_id: null, api_key_id: null, dialect: 'admin', action: 'workspace.imported', label_id: null, before: null, after: { labels: 6, resources: 3 }, at: ISO_NOW },
      ]);
      // The imported labels behave like any other: the tree and the assignments are live.
      const owner = await target.core.admin.createUser({ email: 'new.owner@example.com', name: 'New' });
      await target.core.admin.setMember(wsId, owner.id, 'owner');
      const { key } = await target.core.admin.createApiKey({ userId: owner.id, workspaceId: wsId });
      const item = await target.app.inject({ url: `/api/workspaces/${wsId}/library/100`, headers: { authorization: `Bearer lnx_${key}` } });
      expect(item.json().item.labels.map((l: { name: string }) => l.name).sort()).toEqual(['Marketing', 'Spring']);
    } finally {
      await target.close();
    }
  });

  it('labels whose creator is unknown in the target import with created_by_email null', async () => {
    const tenant = await richWorkspace(t, 'Source');
    const exported = (await admin('GET', `/workspaces/${tenant.workspaceId}/export`)).json();
    const target = await buildTestApp();
    try {
      const wsId = (await target.core.admin.createWorkspace('Empty')).id;
      const res = await target.app.inject({ method: 'POST', url: `/_admin/workspaces/${wsId}/import`, headers: AUTH, payload: exported });
      expect(res.statusCode).toBe(200);
      const again = (await target.app.inject({ url: `/_admin/workspaces/${wsId}/export`, headers: AUTH })).json();
      expect(again.labels.map((l: { created_by_email: unknown }) => l.created_by_email)).toEqual(exported.labels.map(() => null));
      expect(again.labels.map(({ created_by_email: _, ...l }: Record<string, unknown>) => l)).toEqual(exported.labels.map(({ created_by_email: _, ...l }: Record<string, unknown>) => l));
    } finally {
      await target.close();
    }
  });

  // Known bug (src/db/sqlite-admin.ts importWorkspace): labels are inserted with their exported ids, which
  // belong to the source workspace in the same database; the PRIMARY KEY violation is not recognised by
  // isUniqueViolation (code SQLITE_CONSTRAINT_PRIMARYKEY) and escapes as a 500. Copying a workspace within one
  // database should either work (new ids) or be a 409; it is never the client's fault enough for a 500.
  it('import of an export into another workspace of the same database does not answer 500', async () => {
    const tenant = await richWorkspace(t, 'Source');
    const exported = (await admin('GET', `/workspaces/${tenant.workspaceId}/export`)).json();
    const copy = await createWorkspace('Copy');
    const res = await admin('POST', `/workspaces/${copy.id}/import`, exported);
    expect([200, 409]).toContain(res.statusCode);
  });

  it('import into a non-empty workspace is 409 and changes nothing', async () => {
    const tenant = await richWorkspace(t, 'Source');
    const exported = (await admin('GET', `/workspaces/${tenant.workspaceId}/export`)).json();
    expectProblem(await admin('POST', `/workspaces/${tenant.workspaceId}/import`, exported), 409, /not empty/);

    // A workspace with only a resource is not empty either.
    const other = await createWorkspace('Has a resource');
    await admin('PUT', `/workspaces/${other.id}/resources`, { resources: [{ type: 'form', id: 'x' }] });
    const empty = { format: 'labelmux-workspace', version: 1, workspace: { name: 'x' }, labels: [], resources: [] };
    expectProblem(await admin('POST', `/workspaces/${other.id}/import`, empty), 409);
    expect((await admin('GET', `/workspaces/${tenant.workspaceId}/export`)).json()).toEqual(exported);
  });

  it('import answers 404 for unknown or non-numeric workspaces', async () => {
    const empty = { format: 'labelmux-workspace', version: 1, workspace: { name: 'x' }, labels: [], resources: [] };
    expectProblem(await admin('POST', '/workspaces/999999/import', empty), 404, /workspace 999999/);
    expectProblem(await admin('POST', '/workspaces/x/import', empty), 404);
  });

  describe('invalid documents are 400 and write nothing', () => {
    // These documents use small label ids; give them a database of their own so that no label of another
    // test holds those ids (see the known bug above).
    let outer: TestApp;
    beforeAll(async () => {
      outer = t;
      t = await buildTestApp();
    });
    afterAll(async () => {
      await t.close();
      t = outer;
    });
    const label = (over: Record<string, unknown> = {}) => ({
      id: 1, parent_id: null, name: 'A', color: '#112233', description: '', starts_at: null, ends_at: null, extras: {}, created_by_email: null,
      created_at: FIXED_NOW, updated_at: FIXED_NOW, ...over,
    });
    const resource = (over: Record<string, unknown> = {}) => ({
      type: 'form', id: 'f', name: null, status: null, attributes: {}, created_at: FIXED_NOW, updated_at: FIXED_NOW, label_ids: [], ...over,
    });
    const doc = (over: Record<string, unknown> = {}) => ({ format: 'labelmux-workspace', version: 1, workspace: { name: 'x' }, labels: [label()], resources: [], ...over });

    it.each([
      ['wrong format', doc({ format: 'other' })],
      ['wrong version', doc({ version: 2 })],
      ['unknown top-level field', doc({ extra: 1 })],
      ['unknown label field', doc({ labels: [label({ colour: '#fff' })] })],
      ['missing labels', (({ labels: _, ...d }) => d)(doc())],
      ['label id as a string', doc({ labels: [label({ id: '1' })] })],
      ['blank label name', doc({ labels: [label({ name: '  ' })] })],
      ['untrimmed label name', doc({ labels: [label({ name: ' A' })] })],
      ['label name with control characters', doc({ labels: [label({ name: 'a\nb' })] })],
      ['label name too long', doc({ labels: [label({ name: 'x'.repeat(256) })] })],
      ['colour not #rrggbb', doc({ labels: [label({ color: 'red' })] })],
      ['colour upper case', doc({ labels: [label({ color: '#AABBCC' })] })],
      ['colour short form', doc({ labels: [label({ color: '#abc' })] })],
      ['ends_at without starts_at', doc({ labels: [label({ ends_at: FIXED_NOW })] })],
      ['ends_at before starts_at', doc({ labels: [label({ starts_at: FIXED_NOW, ends_at: FIXED_NOW - 1 })] })],
      ['duplicate label ids', doc({ labels: [label(), label({ name: 'B' })] })],
      ['parent not in the document', doc({ labels: [label({ parent_id: 5 })] })],
      ['parent cycle', doc({ labels: [label({ parent_id: 2 }), label({ id: 2, name: 'B', parent_id: 1 })] })],
      ['self parent', doc({ labels: [label({ parent_id: 1 })] })],
      ['sibling names equal case-insensitively', doc({ labels: [label(), label({ id: 2, name: 'a' })] })],
      ['resource naming a label not in the document', doc({ resources: [resource({ label_ids: [9] })] })],
      ['resource repeating a label id', doc({ resources: [resource({ label_ids: [1, 1] })] })],
      ['resource with a bad type', doc({ resources: [resource({ type: 'Form' })] })],
      ['resource with an empty id', doc({ resources: [resource({ id: '' })] })],
      ['resource listed twice', doc({ resources: [resource(), resource()] })],
      ['attributes not an object', doc({ resources: [resource({ attributes: [1] })] })],
    ])('%s', async (_what, body) => {
      const ws = await createWorkspace('Target');
      const res = await admin('POST', `/workspaces/${ws.id}/import`, body);
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
      expectProblem(res, res.statusCode === 409 ? 409 : 400);
      expect((await admin('GET', `/workspaces/${ws.id}/export`)).json()).toMatchObject({ labels: [], resources: [] });
      expect((await admin('GET', `/workspaces/${ws.id}/events`)).json()).toEqual({ events: [] });
    });

    it('a valid minimal document imports', async () => {
      const ws = await createWorkspace('Target');
      const body = doc({ labels: [label(), label({ id: 2, name: 'B', parent_id: 1 })], resources: [resource({ label_ids: [2, 1] })] });
      const res = await admin('POST', `/workspaces/${ws.id}/import`, body);
      expect(res.statusCode, res.body).toBe(200);
      const exported = (await admin('GET', `/workspaces/${ws.id}/export`)).json();
      expect(exported.labels).toEqual(body.labels);
      expect(exported.resources[0].label_ids).toEqual([1, 2]);
    });
  });

  it('accepts import documents larger than the default 1 MiB body limit', async () => {
    const labels = Array.from({ length: 3000 }, (_, i) => ({
      id: 5_000_000 + i, parent_id: null, name: `Label ${i}`, color: null, description: 'd'.repeat(400), starts_at: null, ends_at: null, extras: {},
      created_by_email: null, created_at: FIXED_NOW, updated_at: FIXED_NOW,
    }));
    const body = { format: 'labelmux-workspace', version: 1, workspace: { name: 'Big' }, labels, resources: [] };
    expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);
    const ws = await createWorkspace('Big');
    const res = await admin('POST', `/workspaces/${ws.id}/import`, body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: { labels: 3000, resources: 0 } });
  });
});

describe('errors', () => {
  const ROUTES: [Method, string, unknown?][] = [
    ['POST', '/workspaces', { name: 'x' }],
    ['GET', '/workspaces'],
    ['POST', '/users', { email: 'a@example.com', name: 'A' }],
    ['DELETE', '/users/1'],
    ['PUT', '/workspaces/1/members/1', { role: 'owner' }],
    ['POST', '/api-keys', { user_id: 1 }],
    ['DELETE', '/api-keys/1'],
    ['PUT', '/workspaces/1/resources', { resources: [] }],
    ['GET', '/workspaces/1/events'],
    ['GET', '/workspaces/1/export'],
    ['POST', '/workspaces/1/import', { format: 'labelmux-workspace', version: 1, workspace: { name: 'x' }, labels: [], resources: [] }],
    ['GET', '/no-such-route'],
  ];

  it.each(ROUTES)('%s %s needs the admin token: 401 problem+json, nothing done', async (method, url, body) => {
    const tenant = await createTenant(t.core, 'Guarded');
    const before = (await admin('GET', '/workspaces')).body;
    const users = (await peek(t.store, 'SELECT count(*) AS n FROM users'));
    const keys = (await peek(t.store, 'SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL'));
    const headersList: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: `Bearer ${ADMIN_TOKEN}x` },
      { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
      { authorization: ADMIN_TOKEN },
      { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` },
      { authorization: 'Bearer ' },
      // An API key is not an admin token.
      { authorization: `Bearer ${tenant.keys.owner}` },
      { 'x-admin-token': ADMIN_TOKEN },
    ];
    for (const headers of headersList) {
      const res = await admin(method, url, body, headers);
      expectProblem(res, 401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.body).not.toContain(ADMIN_TOKEN);
    }
    expect((await admin('GET', '/workspaces')).body).toBe(before);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM users'))).toEqual(users);
    expect((await peek(t.store, 'SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL'))).toEqual(keys);
  });

  it('accepts the scheme in any case and surrounding spaces', async () => {
    expect((await admin('GET', '/workspaces', undefined, { authorization: `bearer ${ADMIN_TOKEN}` })).statusCode).toBe(200);
    expect((await admin('GET', '/workspaces', undefined, { authorization: `BEARER   ${ADMIN_TOKEN}  ` })).statusCode).toBe(200);
  });

  it('unknown admin routes and methods are 404 problem documents', async () => {
    for (const [method, url] of [['GET', '/nope'], ['GET', ''], ['GET', '/'], ['PATCH', '/workspaces'], ['PATCH', '/workspaces/1'], ['GET', '/users']] as [Method, string][]) {
      expectProblem(await admin(method, url), 404);
    }
  });

  it('malformed JSON, an empty JSON body and non-JSON bodies are 400 (or 415) problem documents', async () => {
    const before = (await admin('GET', '/workspaces')).body;
    const post = (payload: string, contentType: string) =>
      t.app.inject({ method: 'POST', url: '/_admin/workspaces', headers: { ...AUTH, 'content-type': contentType }, payload });
    expectProblem(await post('{"name": "x"', 'application/json'), 400, /JSON/);
    expectProblem(await post('{name: x}', 'application/json'), 400, /JSON/);
    expectProblem(await post('', 'application/json'), 400);
    expectProblem(await post('null', 'application/json'), 400);
    expectProblem(await post('"x"', 'application/json'), 400);
    expectProblem(await post('name=x', 'text/plain'), 400);
    expectProblem(await post('<name>x</name>', 'application/xml'), 415);
    expectProblem(await t.app.inject({ method: 'POST', url: '/_admin/workspaces', headers: AUTH }), 400);
    expect((await admin('GET', '/workspaces')).body).toBe(before);
  });

  it('bodies over the limit are 413 problem documents', async () => {
    expectProblem(await admin('POST', '/workspaces', { name: 'x'.repeat(2 * 1024 * 1024) }), 413);
  });

  it('no admin route answers 500 to a client mistake', async () => {
    const tenant = await createTenant(t.core, 'Fuzz');
    const ws = tenant.workspaceId;
    const routes: [Method, string][] = [
      ['POST', '/workspaces'], ['POST', '/users'], ['DELETE', '/users/ID'], ['PUT', `/workspaces/ID/members/${tenant.userIds.viewer}`],
      ['PUT', `/workspaces/${ws}/members/ID`], ['POST', '/api-keys'], ['DELETE', '/api-keys/ID'], ['PUT', '/workspaces/ID/resources'],
      ['GET', '/workspaces/ID/events'], ['GET', '/workspaces/ID/export'], ['POST', '/workspaces/ID/import'],
    ];
    const ids = ['0', '-1', '1.5', 'abc', '999999', '9999999999999999', '99999999999999999999', '%00', '%E2%9C%93', '1%20', '01', 'null'];
    const bodies: unknown[] = [
      null, 'text', 1, true, [], {}, [{}], { name: null }, { name: ['a'] }, { name: { a: 1 } }, { email: 1, name: 2 }, { role: 1 }, { role: null },
      { user_id: 1e20 }, { user_id: -1 }, { user_id: tenant.userIds.owner, workspace_id: 0 }, { user_id: tenant.userIds.owner, workspace_id: 999 },
      { resources: 'x' }, { resources: [null] }, { resources: [{ type: 'a', id: 'x', attributes: [] }] }, { resources: [{ type: 'a'.repeat(40), id: 'x' }] },
      { format: 'labelmux-workspace', version: 1, workspace: { name: 'x' }, labels: [{}], resources: [] },
      { format: 'labelmux-workspace', version: 1, workspace: null, labels: [], resources: [] },
    ];
    // Every bad id with one body, and every bad body on a real id.
    const cases: [Method, string, unknown][] = [];
    for (const [method, template] of routes) {
      const noBody = method === 'GET' || method === 'DELETE';
      if (template.includes('ID')) for (const id of ids) cases.push([method, template.replace('ID', id), noBody ? undefined : bodies[5]]);
      if (!noBody) for (const body of bodies) cases.push([method, template.replace('ID', String(ws)), body]);
    }
    for (const [method, url, body] of cases) {
      const res = await t.app.inject({
        method,
        url: `/_admin${url}`,
        headers: body === undefined ? AUTH : { ...AUTH, 'content-type': 'application/json' },
        ...(body !== undefined && { payload: JSON.stringify(body) }),
      });
      const where = `${method} ${url} ${JSON.stringify(body)} → ${res.statusCode} ${res.body}`;
      expect(res.statusCode, where).toBeLessThan(500);
      if (res.statusCode >= 400) expect(res.headers['content-type'], where).toMatch(/^application\/problem\+json/);
    }
  });
});
