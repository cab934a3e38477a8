// DELETE /_admin/workspaces/:id leaves no row of the workspace in any table and touches no other workspace;
// an export imported into another workspace of the same database is a clone (new ids, every reference kept).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFixtures } from '../src/admin/fixtures.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helper.js';
import { peekAll } from './test-store.js';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const KEY_A = 'a'.repeat(32);
const KEY_B = 'b'.repeat(32);
const ADA_ALL = 'd'.repeat(32);
const content = (tag: string) => ({
  labels: [
    { name: `${tag} top`, color: '#abc' },
    { name: 'Child', parent: `${tag} top`, extras: { use_for_products: true } },
    { name: 'Grandchild', parent: [`${tag} top`, 'Child'] },
    { name: 'Release', parent: `${tag} top`, starts_at: '2026-11-22T10:00:00Z', ends_at: '2026-11-22T11:00:00Z' },
    { name: 'Release', parent: `${tag} top`, starts_at: '2026-11-23T10:00:00Z' },
  ],
  resources: [
    { type: 'library_item', id: '42', name: 'Video', attributes: { size: 5 }, labels: ['Grandchild', `${tag} top`] },
    { type: 'product', id: '9001', name: 'Album', status: 'live', labels: ['Child'] },
    { type: 'form', id: '7', labels: [] },
  ],
});
const FIXTURES = {
  users: [{ email: 'ada@example.com', name: 'Ada', password: 'correct horse', api_keys: [{ key: ADA_ALL }] }, { email: 'bob@example.com', name: 'Bob' }],
  workspaces: [
    { name: 'A', members: [{ user: 'ada@example.com', role: 'owner' as const }, { user: 'bob@example.com', role: 'member' as const }], api_keys: [{ key: KEY_A, user: 'ada@example.com' }], ...content('A') },
    { name: 'B', members: [{ user: 'ada@example.com', role: 'owner' as const }], api_keys: [{ key: KEY_B, user: 'ada@example.com' }], ...content('B') },
  ],
};

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
  await loadFixtures(t.core, FIXTURES);
});
afterEach(async () => {
  await t.close();
});

const admin = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers = AUTH) =>
  t.app.inject({ method, url: `/_admin${url}`, headers, ...(payload !== undefined && { payload: payload as object }) });
const livestorm = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/workspaces${url}`, headers: { authorization: `Bearer lnx_${key}` }, ...(payload !== undefined && { payload: payload as object }) });

/** Activity in a workspace through the dialects: events, a Jotform quota count, devtodev's daily counters. */
async function use(ws: number, uuid: string, key: string): Promise<void> {
  expect((await livestorm('POST', `/${ws}/labels`, key, { name: `Made in ${ws}` })).statusCode).toBe(201);
  expect((await t.app.inject({ url: '/API/user/labels', headers: { apikey: key } })).json().responseCode).toBe(200);
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/labels/create', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ user_token: key, app_id: uuid, labels: [{ name: 'Event', category: 'Releases', start_date: 1_800_000_000 }] }) });
  expect(created.statusCode, created.body).toBe(200);
}

/** Every table of the database (a new one makes the delete test fail until it says what belongs to a workspace). */
async function tables(): Promise<string[]> {
  const rows = t.store.kind === 'sqlite'
    ? await peekAll<{ name: string }>(t.store, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`)
    : await peekAll<{ name: string }>(t.store, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`);
  return rows.map((r) => r.name).sort();
}

/** The rows of workspace `ws` (its keys `keyIds`), per table. */
async function rowsOf(ws: number, keyIds: number[]): Promise<Record<string, unknown[]>> {
  const keys = keyIds.length > 0 ? keyIds.join(',') : '0';
  const subjects = [`'ws:${ws}'`, ...keyIds.map((k) => `'key:${k}'`)].join(',');
  const queries: Record<string, string> = {
    workspaces: `SELECT * FROM workspaces WHERE id = ${ws}`,
    memberships: `SELECT * FROM memberships WHERE workspace_id = ${ws}`,
    api_keys: `SELECT * FROM api_keys WHERE workspace_id = ${ws} OR id IN (${keys})`,
    labels: `SELECT * FROM labels WHERE workspace_id = ${ws}`,
    label_counts: `SELECT * FROM label_counts WHERE workspace_id = ${ws}`,
    resources: `SELECT * FROM resources WHERE workspace_id = ${ws}`,
    // Kept numbers: each key's sum, whichever slots hold it.
    resource_counts: `SELECT workspace_id || ':' || type AS k, sum(count) AS n FROM resource_counts WHERE workspace_id = ${ws} GROUP BY workspace_id, type`,
    assignment_counts: `SELECT c.label_id || ':' || c.resource_type AS k, sum(c.count) AS n FROM assignment_counts c LEFT JOIN labels l ON l.id = c.label_id WHERE l.workspace_id = ${ws} OR l.id IS NULL GROUP BY c.label_id, c.resource_type`,
    assignments: `SELECT a.* FROM assignments a LEFT JOIN labels l ON l.id = a.label_id LEFT JOIN resources r ON r.id = a.resource_id WHERE l.workspace_id = ${ws} OR r.workspace_id = ${ws} OR l.id IS NULL OR r.id IS NULL`,
    events: `SELECT * FROM events WHERE workspace_id = ${ws}`,
    counters: `SELECT * FROM counters WHERE subject IN (${subjects})`,
    // Users and what belongs to them (OAuth tokens, failed logins) are not a workspace's.
    users: `SELECT * FROM users WHERE 1 = 0`,
    oauth_tokens: `SELECT * FROM oauth_tokens WHERE 1 = 0`,
    oauth_login_failures: `SELECT * FROM oauth_login_failures WHERE 1 = 0`,
  };
  expect(Object.keys(queries).sort()).toEqual(await tables());
  const out: Record<string, unknown[]> = {};
  for (const [table, sql] of Object.entries(queries)) out[table] = await peekAll(t.store, `${sql} ORDER BY 1`);
  return out;
}

describe('DELETE /_admin/workspaces/:id', () => {
  it('deletes the workspace with everything in it, and nothing of another workspace', async () => {
    const [a, b] = (await admin('GET', '/workspaces')).json().workspaces as { id: number; uuid: string }[];
    await use(a!.id, a!.uuid, KEY_A);
    await use(b!.id, b!.uuid, KEY_B);
    const keysOf = async (ws: number) => (await peekAll<{ id: number }>(t.store, `SELECT id FROM api_keys WHERE workspace_id = ${ws}`)).map((k) => k.id);
    const aKeys = await keysOf(a!.id);
    const before = await rowsOf(a!.id, aKeys);
    for (const table of ['workspaces', 'memberships', 'api_keys', 'labels', 'resources', 'assignments', 'events', 'counters']) expect(before[table]!.length, table).toBeGreaterThan(0);
    const bBefore = await rowsOf(b!.id, await keysOf(b!.id));
    const bExport = (await admin('GET', `/workspaces/${b!.id}/export`)).json();
    const users = await peekAll(t.store, 'SELECT * FROM users ORDER BY id');

    const res = await admin('DELETE', `/workspaces/${a!.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    for (const [table, rows] of Object.entries(await rowsOf(a!.id, aKeys))) expect(rows, table).toEqual([]);
    expect(await rowsOf(b!.id, await keysOf(b!.id))).toEqual(bBefore);
    expect((await admin('GET', `/workspaces/${b!.id}/export`)).json()).toEqual(bExport);
    expect(await peekAll(t.store, 'SELECT * FROM users ORDER BY id')).toEqual(users);
    // Its key is refused at once (no remembered lookup); B's key and Ada's user-wide key work on.
    expect((await livestorm('GET', `/${a!.id}/labels`, KEY_A)).statusCode).toBe(401);
    expect((await livestorm('GET', `/${b!.id}/labels`, KEY_B)).statusCode).toBe(200);
    expect((await livestorm('GET', `/${b!.id}/labels`, ADA_ALL)).statusCode).toBe(200);
  });

  it('404 for an unknown or already deleted workspace, and for a path that is no id', async () => {
    expect((await admin('DELETE', '/workspaces/1')).statusCode).toBe(204);
    for (const url of ['/workspaces/1', '/workspaces/999', '/workspaces/x', '/workspaces/0']) {
      const res = await admin('DELETE', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await admin('DELETE', '/workspaces/999')).json().detail).toBe('workspace 999 not found');
  });

  it('needs the admin token; a dialect key never reaches it', async () => {
    for (const authorization of [undefined, `Bearer ${KEY_A}`, `Bearer lnx_${KEY_A}`]) {
      const res = await admin('DELETE', '/workspaces/1', undefined, authorization === undefined ? ({} as typeof AUTH) : { authorization });
      expect(res.statusCode).toBe(401);
    }
    expect(await peekAll(t.store, 'SELECT id FROM workspaces ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe('clone: import an export into another workspace of the same database', () => {
  it('gets new label ids, keeps the tree, timed labels, assignments and product links, and reports the id map', async () => {
    await use(1, (await admin('GET', '/workspaces')).json().workspaces[0].uuid, KEY_A);
    const source = (await admin('GET', '/workspaces/1/export')).json();
    const copy = (await admin('POST', '/workspaces', { name: 'Copy' })).json().workspace;
    const res = await admin('POST', `/workspaces/${copy.id}/import`, source);
    expect(res.statusCode, res.body).toBe(200);
    const { imported } = res.json();
    expect(imported).toMatchObject({ labels: source.labels.length, resources: source.resources.length });
    const ids = new Map(Object.entries(imported.label_ids as Record<string, number>).map(([from, to]) => [Number(from), to]));
    expect([...ids.keys()].sort((x, y) => x - y)).toEqual(source.labels.map((l: { id: number }) => l.id));
    for (const [from, to] of ids) expect(to, `label ${from}`).not.toBe(from);

    const map = (id: number) => ids.get(id)!;
    const cloned = (await admin('GET', `/workspaces/${copy.id}/export`)).json();
    expect(cloned).toEqual({
      ...source,
      workspace: { name: 'Copy' },
      labels: source.labels.map((l: { id: number; parent_id: number | null }) => ({ ...l, id: map(l.id), parent_id: l.parent_id === null ? null : map(l.parent_id) })),
      resources: source.resources.map((r: { label_ids: number[] }) => ({ ...r, label_ids: r.label_ids.map(map) })),
    });
    // The source is untouched, and a clone of the clone works too.
    expect((await admin('GET', '/workspaces/1/export')).json()).toEqual(source);
    const third = (await admin('POST', '/workspaces', { name: 'Third' })).json().workspace;
    expect((await admin('POST', `/workspaces/${third.id}/import`, cloned)).statusCode).toBe(200);
  });

  it('into another database keeps the ids (a restore), as before', async () => {
    const source = (await admin('GET', '/workspaces/2/export')).json();
    const other = await buildTestApp();
    try {
      const ws = await other.core.admin.createWorkspace('Restored');
      const res = await other.app.inject({ method: 'POST', url: `/_admin/workspaces/${ws.id}/import`, headers: AUTH, payload: source });
      expect(res.statusCode, res.body).toBe(200);
      for (const [from, to] of Object.entries(res.json().imported.label_ids as Record<string, number>)) expect(to).toBe(Number(from));
    } finally {
      await other.close();
    }
  });
});
