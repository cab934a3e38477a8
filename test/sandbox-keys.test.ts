// API keys with a chosen value (POST /_admin/api-keys {key}, `labelmux key create --key`): 32 lowercase hex,
// unique (409 naming key), malformed (400 naming key), stored hashed, and working as clients send them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.js';
import { sha256 } from '../src/core/secrets.js';
import { ADMIN_TOKEN, buildTestApp, createTenant, type TestApp } from './helper.js';
import { peek, testDatabase } from './test-store.js';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const createKey = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/_admin/api-keys', headers: AUTH, payload: body });

describe('POST /_admin/api-keys with a chosen key', () => {
  it('creates the key with that value, stored as its SHA-256 only, and clients can use it at once', async () => {
    const tenant = await createTenant(t.core);
    const key = '0123456789abcdef0123456789abcdef';
    const res = await createKey({ user_id: tenant.userIds.owner, workspace_id: tenant.workspaceId, name: 'ci', key });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().api_key).toMatchObject({ key, workspace_id: tenant.workspaceId, user_id: tenant.userIds.owner, name: 'ci' });
    expect(await peek(t.store, 'SELECT key_hash FROM api_keys WHERE id = ?', res.json().api_key.id)).toEqual({ key_hash: sha256(key) });
    expect(await peek(t.store, 'SELECT count(*) AS n FROM api_keys WHERE key_hash = ?', key)).toEqual({ n: 0 });
    const labels = await t.app.inject({ url: `/api/workspaces/${tenant.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${key}` } });
    expect(labels.statusCode).toBe(200);
  });

  it('a key another key has is 409 naming key, and writes nothing', async () => {
    const tenant = await createTenant(t.core);
    const key = 'f'.repeat(31) + '0';
    expect((await createKey({ user_id: tenant.userIds.owner, key })).statusCode).toBe(201);
    const before = await peek(t.store, 'SELECT count(*) AS n FROM api_keys');
    const res = await createKey({ user_id: tenant.userIds.admin, workspace_id: tenant.workspaceId, key });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'key is already taken by another API key' });
    expect(await peek(t.store, 'SELECT count(*) AS n FROM api_keys')).toEqual(before);
    // Also the key a tenant was given at random.
    expect((await createKey({ user_id: tenant.userIds.admin, key: tenant.keys.viewer })).statusCode).toBe(409);
  });

  it.each([
    ['upper case', 'ABCDEF0123456789ABCDEF0123456789'],
    ['31 characters', 'a'.repeat(31)],
    ['33 characters', 'a'.repeat(33)],
    ['not hex', 'g'.repeat(32)],
    ['empty', ''],
    ['with a prefix', `lnx_${'a'.repeat(32)}`],
  ])('a malformed key (%s) is 400 naming key', async (_what, key) => {
    const tenant = await createTenant(t.core);
    const res = await createKey({ user_id: tenant.userIds.owner, key });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toBe('key must be 32 lowercase hexadecimal characters');
  });

  it('a key that is not a string is 400 naming key', async () => {
    const tenant = await createTenant(t.core);
    const res = await createKey({ user_id: tenant.userIds.owner, key: 42 });
    expect(res.statusCode).toBe(400);
    expect(res.json().detail).toMatch(/^key /);
  });

  it('the core refuses a malformed key too (the CLI and in-process callers)', async () => {
    const tenant = await createTenant(t.core);
    await expect(t.core.admin.createApiKey({ userId: tenant.userIds.owner, key: 'nope' })).rejects.toMatchObject({ code: 'VALIDATION', details: { field: 'key' } });
  });
});

describe('CLI: key create --key, workspace delete', () => {
  it('prints the chosen key; a taken one is refused; deletes a workspace', async () => {
    const db = await testDatabase(join(mkdtempSync(join(tmpdir(), 'labelmux-keys-')), 'k.db'));
    let out = '';
    let err = '';
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    try {
      const env = { LABELMUX_DB: db };
      expect(await runCli(['user', 'create', '--email', 'ci@example.com', '--name', 'CI'], env)).toBe(0);
      const user = JSON.parse(out).user.id as number;
      out = '';
      expect(await runCli(['key', 'create', '--user', String(user), '--key', 'c'.repeat(32)], env)).toBe(0);
      expect(JSON.parse(out).api_key).toMatchObject({ key: 'c'.repeat(32), user_id: user, workspace_id: null });
      expect(await runCli(['key', 'create', '--user', String(user), '--key', 'c'.repeat(32)], env)).not.toBe(0);
      expect(err).toMatch(/key is already taken/);
      // workspace delete: the workspace goes; an unknown one is an error.
      out = '';
      expect(await runCli(['workspace', 'create', 'Doomed'], env)).toBe(0);
      const ws = JSON.parse(out).workspace.id as number;
      out = '';
      expect(await runCli(['workspace', 'delete', String(ws)], env)).toBe(0);
      expect(JSON.parse(out)).toEqual({ deleted: ws });
      err = '';
      expect(await runCli(['workspace', 'delete', String(ws)], env)).not.toBe(0);
      expect(err).toMatch(/workspace \d+ not found/);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  });
});
