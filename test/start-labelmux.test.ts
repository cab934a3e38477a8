// startLabelmux (src/sandbox/start.ts), as a test suite uses it: in this process, on a free port, over an
// in-memory database, provisioned through the typed admin client, stopped with the port free again.
// The packed package runs the same through a real install in test/package.test.ts.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLabelmux, type Labelmux } from '../src/index.js';

const started: Labelmux[] = [];
const start = async (...args: Parameters<typeof startLabelmux>) => {
  const lm = await startLabelmux(...args);
  started.push(lm);
  return lm;
};
afterEach(async () => {
  await Promise.all(started.splice(0).map((lm) => lm.stop()));
});

/** Whether something listens at `url`'s port: binding it ourselves fails while it does. */
const portTaken = (url: string) =>
  new Promise<boolean>((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(true));
    srv.listen(Number(new URL(url).port), '127.0.0.1', () => srv.close(() => resolve(false)));
  });

/** A workspace with an owner and a workspace key, through the typed admin client. */
async function provision(lm: Labelmux, name: string) {
  const ws = await lm.admin.POST('/_admin/workspaces', { body: { name } });
  const workspace = ws.data!.workspace;
  const user = (await lm.admin.POST('/_admin/users', { body: { email: `owner@${name.toLowerCase()}.test`, name: `${name} owner`, password: 'pw-0123456789' } })).data!.user;
  const member = await lm.admin.PUT('/_admin/workspaces/{id}/members/{userId}', { params: { path: { id: workspace.id, userId: user.id } }, body: { role: 'owner' } });
  expect(member.response.status).toBe(200);
  const key = (await lm.admin.POST('/_admin/api-keys', { body: { user_id: user.id, workspace_id: workspace.id, name: 'ci' } })).data!.api_key;
  return { workspace, user, key: key.key! };
}

describe('startLabelmux', () => {
  it('listens on a free loopback port over :memory:, with a generated admin token', async () => {
    const lm = await start();
    expect(lm.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(lm.adminToken).toMatch(/^[0-9a-f]{48}$/);
    expect((await fetch(`${lm.url}/healthz`)).status).toBe(200);
    // No demo tenant: a test starts from an empty database.
    expect((await lm.admin.GET('/_admin/workspaces')).data).toMatchObject({ workspaces: [] });
  });

  it('admin is typed and authenticated: provisioning, then a dialect call with the new key', async () => {
    const lm = await start({ adminToken: 'a-chosen-admin-token-0123' });
    expect(lm.adminToken).toBe('a-chosen-admin-token-0123');
    const { workspace, key } = await provision(lm, 'Acme');
    expect(workspace).toMatchObject({ id: 1, name: 'Acme' });
    const res = await fetch(`${lm.url}/api/workspaces/${workspace.id}/labels`, {
      method: 'POST',
      headers: { authorization: `Bearer lnx_${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Onboarding' }),
    });
    expect(res.status).toBe(201);
    // Errors come back as the admin API's problem documents, in `error`.
    const bad = await lm.admin.POST('/_admin/users', { body: { email: 'not an email', name: 'x' } });
    expect(bad.response.status).toBe(400);
    expect(bad.error).toMatchObject({ status: 400 });
    // Another token is refused: the client carries this instance's own.
    expect((await fetch(`${lm.url}/_admin/workspaces`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
  });

  it('stop() closes the server and frees the port; a second stop() does nothing', async () => {
    const lm = await start();
    expect(await portTaken(lm.url)).toBe(true);
    await lm.stop();
    expect(await portTaken(lm.url)).toBe(false);
    await expect(fetch(`${lm.url}/healthz`)).rejects.toThrow();
    await lm.stop();
  });

  it('two instances at once are two servers over two databases', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.url).not.toBe(b.url);
    expect(a.adminToken).not.toBe(b.adminToken);
    await provision(a, 'OnlyInA');
    expect((await a.admin.GET('/_admin/workspaces')).data!.workspaces.map((w) => w.name)).toEqual(['OnlyInA']);
    expect((await b.admin.GET('/_admin/workspaces')).data!.workspaces).toEqual([]);
    await a.stop();
    expect((await b.admin.GET('/_admin/workspaces')).response.status).toBe(200);
  });

  it('dialects: only the ones named are served', async () => {
    const lm = await start({ dialects: ['jotform'] });
    const { key } = await provision(lm, 'Solo');
    expect((await fetch(`${lm.url}/API/user/labels`, { headers: { apikey: key } })).status).toBe(200);
    expect((await fetch(`${lm.url}/api/workspaces/1/labels`, { headers: { authorization: `Bearer lnx_${key}` } })).status).toBe(404);
    await expect(startLabelmux({ dialects: ['jotfrom' as 'jotform'] })).rejects.toThrow('dialects: unknown dialect "jotfrom"');
  });

  it('settings by their environment names; a name that is no setting is refused, naming the closest', async () => {
    const lm = await start({ settings: { LABELMUX_JOTFORM_DAILY_LIMIT: '7' } });
    const { key } = await provision(lm, 'Quota');
    const body = (await (await fetch(`${lm.url}/API/user/labels`, { headers: { apikey: key } })).json()) as { 'limit-left': number };
    expect(body['limit-left']).toBe(6);
    await expect(startLabelmux({ settings: { LABELMUX_JOTFORM_DAYLY_LIMIT: '7' } })).rejects.toThrow('did you mean LABELMUX_JOTFORM_DAILY_LIMIT?');
  });

  it('a bad setting or a taken port fails the start and leaves nothing listening', async () => {
    await expect(startLabelmux({ adminToken: 'short' })).rejects.toThrow('LABELMUX_ADMIN_TOKEN: must be at least 16 characters');
    const lm = await start();
    await expect(startLabelmux({ port: Number(new URL(lm.url).port) })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('fixtures, as an object or a file, are loaded at start, and reset() puts them back', async () => {
    const fixtures = {
      users: [{ email: 'ada@example.com', name: 'Ada' }],
      workspaces: [{ name: 'Acme', members: [{ user: 'ada@example.com', role: 'owner' }], api_keys: [{ key: 'a'.repeat(32), user: 'ada@example.com' }], labels: [{ name: 'Marketing' }, { name: 'Spring', parent: 'Marketing' }] }],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'lm-fixtures-')), 'fixtures.json');
    writeFileSync(file, JSON.stringify(fixtures));
    for (const given of [fixtures, file]) {
      const lm = await start({ fixtures: given });
      const exported = async () => (await fetch(`${lm.url}/_admin/workspaces/1/export`, { headers: { authorization: `Bearer ${lm.adminToken}` } })).json() as Promise<{ labels: { name: string }[] }>;
      const names = async () => (await exported()).labels.map((l) => l.name).sort();
      expect(await names()).toEqual(['Marketing', 'Spring']);
      expect((await fetch(`${lm.url}/API/label`, { method: 'POST', headers: { apikey: 'a'.repeat(32) }, body: new URLSearchParams({ name: 'Made in a test' }) })).status).toBe(200);
      expect(await names()).toEqual(['Made in a test', 'Marketing', 'Spring']);
      await lm.reset();
      expect(await names()).toEqual(['Marketing', 'Spring']);
    }
    await expect(startLabelmux({ fixtures: { workspaces: [{ name: 'A', labels: [{ name: 'B', parent: 'Foo' }] }] } })).rejects.toThrow('workspaces[0].labels[0].parent: no label "Foo"');
  });
  it('the request journal is on: GET /_admin/requests lists the calls; a setting turns it off', async () => {
    const lm = await start();
    const { key } = await provision(lm, 'Journal');
    expect((await fetch(`${lm.url}/API/user/labels`, { headers: { apikey: key } })).status).toBe(200);
    const { data } = await lm.admin.GET('/_admin/requests', { params: { query: { dialect: 'jotform' } } });
    expect(data!.requests.map((r) => `${r.method} ${r.url} ${r.status}`)).toEqual(['GET /API/user/labels 200']);
    const off = await start({ settings: { LABELMUX_JOURNAL: 'off' } });
    expect((await off.admin.GET('/_admin/requests', {})).data!.requests).toEqual([]);
  });
});
