// POST /_admin/reset (docs/fixtures.md): back to the fixtures or to empty, ids from 1 again, in-process memory
// of the old data forgotten (key lookups, quota tallies, throttles), the app's reset hooks run, the admin
// token kept; a reset sends the same few statements whatever the fixtures hold (the bench-free speed check).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadFixtures } from '../src/admin/fixtures.js';
import { loadConfig } from '../src/config.js';
import { createCore, prepareFixtures, type Core } from '../src/core/index.js';
import { storeOver } from '../src/db/store/index.js';
import { ADMIN_TOKEN, buildTestApp, FIXED_NOW, type TestApp } from './helper.js';
import { recordingDb, type Recorded } from './plan-check.js';
import { createTestStore, peekAll } from './test-store.js';

const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const KEY = 'c'.repeat(32);
const FIXTURES = {
  users: [{ email: 'ada@example.com', name: 'Ada' }],
  workspaces: [
    {
      uuid: '00000000-0000-4000-8000-00000000000a',
      name: 'Acme',
      members: [{ user: 'ada@example.com', role: 'owner' as const }],
      api_keys: [{ key: KEY, user: 'ada@example.com' }],
      labels: [{ name: 'Top' }, { name: 'Child', parent: 'Top' }],
      resources: [{ type: 'library_item', id: '42', name: 'Intro', labels: ['Child'] }],
    },
  ],
};
/** Every table's rows, in a stable order (label_counts: each workspace's number, whichever slots hold it). */
const TABLES = ['workspaces', 'label_counts', 'users', 'memberships', 'api_keys', 'labels', 'resources', 'assignments', 'events', 'counters', 'oauth_tokens', 'oauth_login_failures'];
async function snapshot(t: TestApp): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const sql = table === 'label_counts' ? 'SELECT workspace_id, sum(count) AS count FROM label_counts GROUP BY workspace_id ORDER BY 1' : `SELECT * FROM ${table} ORDER BY 1, 2`;
    out[table] = await peekAll(t.store, sql);
  }
  return out;
}

let t: TestApp;
beforeEach(async () => {
  t = await buildTestApp();
});
afterEach(async () => {
  await t.close();
});

const reset = (headers: Record<string, string> = AUTH) => t.app.inject({ method: 'POST', url: '/_admin/reset', headers });
const livestorm = (method: 'GET' | 'POST', url: string, key: string, payload?: unknown) =>
  t.app.inject({ method, url: `/api/workspaces${url}`, headers: { authorization: `Bearer lnx_${key}` }, ...(payload !== undefined && { payload: payload as object }) });

describe('POST /_admin/reset', () => {
  it('puts the database back to the fixtures: every change gone, ids from 1 again', async () => {
    await loadFixtures(t.core, FIXTURES);
    const fresh = await snapshot(t);
    // A test's changes: new labels, an assignment, a workspace, a user with a key, events, a quota count.
    expect((await livestorm('POST', '/1/labels', KEY, { name: 'Made in a test' })).statusCode).toBe(201);
    expect((await livestorm('POST', '/1/library/42/labels', KEY, { label_id: 1 })).statusCode).toBe(200);
    const ws = await t.core.admin.createWorkspace('Extra');
    const bob = await t.core.admin.createUser({ email: 'bob@example.com', name: 'Bob' });
    await t.core.admin.setMember(ws.id, bob.id, 'owner');
    const bobKey = (await t.core.admin.createApiKey({ userId: bob.id, workspaceId: ws.id })).key;
    expect((await t.app.inject({ url: '/API/user/labels', headers: { apikey: KEY } })).json()['limit-left']).toBe(99_999);
    expect((await livestorm('GET', `/${ws.id}/labels`, bobKey)).statusCode).toBe(200);

    const res = await reset();
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ reset: { workspaces: 1, users: 1, members: 1, api_keys: 1, labels: 2, resources: 1, assignments: 1 } });
    expect(await snapshot(t)).toEqual(fresh);
    // Remembered key lookups are forgotten: Bob's key is gone, the fixture key works, quotas start again.
    expect((await livestorm('GET', `/${ws.id}/labels`, bobKey)).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/API/user/labels', headers: { apikey: KEY } })).json()['limit-left']).toBe(99_999);
    // New rows are numbered as on a fresh database.
    expect((await t.core.admin.createWorkspace('Next')).id).toBe(2);
    expect((await livestorm('POST', '/1/labels', KEY, { name: 'Again' })).json().label.id).toBe(3);
  });

  it('without fixtures empties the database', async () => {
    await t.core.admin.createWorkspace('Gone');
    await t.core.admin.createUser({ email: 'gone@example.com', name: 'Gone' });
    expect((await reset()).json()).toEqual({ reset: { workspaces: 0, users: 0, members: 0, api_keys: 0, labels: 0, resources: 0, assignments: 0 } });
    for (const rows of Object.values(await snapshot(t))) expect(rows).toEqual([]);
    expect((await t.core.admin.createWorkspace('First')).id).toBe(1);
  });

  it('forgets the per-address throttles: an address locked out for wrong admin tokens may try again', async () => {
    const wrong = () => t.app.inject({ url: '/_admin/workspaces', headers: { authorization: 'Bearer wrong-token-0123456789' }, remoteAddress: '203.0.113.9' });
    let last = await wrong();
    for (let i = 0; i < 25 && last.statusCode !== 429; i++) last = await wrong();
    expect(last.statusCode).toBe(429);
    expect((await reset()).statusCode).toBe(200);
    expect((await wrong()).statusCode).toBe(401);
  });

  it('needs the admin token; a dialect key never reaches it', async () => {
    await loadFixtures(t.core, FIXTURES);
    expect((await reset({})).statusCode).toBe(401);
    expect((await reset({ authorization: `Bearer ${KEY}` })).statusCode).toBe(401);
    expect((await reset({ authorization: `Bearer lnx_${KEY}` })).statusCode).toBe(401);
    expect(await peekAll(t.store, 'SELECT name FROM labels ORDER BY id')).toEqual([{ name: 'Top' }, { name: 'Child' }]);
    // The admin token stays valid after a reset.
    expect((await reset()).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/_admin/workspaces', headers: AUTH })).statusCode).toBe(200);
  });
});

describe('reset hooks (AppDeps.onReset)', () => {
  it('run after the database reset, in order, and the answer waits for them', async () => {
    const store = createTestStore();
    const core: Core = createCore({ store, now: () => FIXED_NOW });
    const seen: string[] = [];
    const app = await buildApp({
      config: loadConfig({ LABELMUX_DB: ':memory:' }),
      core,
      adminToken: ADMIN_TOKEN,
      onReset: [
        async () => {
          seen.push(`journal (workspaces: ${(await core.admin.listWorkspaces()).length})`);
        },
        () => void seen.push('faults'),
      ],
    });
    try {
      await core.admin.createWorkspace('Before');
      expect((await app.inject({ method: 'POST', url: '/_admin/reset', headers: AUTH })).statusCode).toBe(200);
      expect(seen).toEqual(['journal (workspaces: 0)', 'faults']);
    } finally {
      await app.close();
      await store.close();
    }
  });
});

describe('speed without a stopwatch', () => {
  /** The statements one reset sends, fixtures of `labels` labels loaded. */
  async function statementsOfReset(labels: number): Promise<number> {
    const store = createTestStore();
    try {
      const seen = new Map<string, Recorded>();
      let sent = 0;
      const recording = recordingDb(store.db, seen, { name: 'resetTo' });
      const counting = { ...recording, write: <T>(fn: Parameters<typeof recording.write<T>>[0], scope?: 'any' | 'content') => recording.write((q) => fn({ all: (s, ...p) => (sent++, q.all(s, ...p)), one: (s, ...p) => (sent++, q.one(s, ...p)), run: (s, ...p) => (sent++, q.run(s, ...p)) }), scope) };
      const plan = await prepareFixtures({
        ...FIXTURES,
        workspaces: [{ ...FIXTURES.workspaces[0]!, labels: Array.from({ length: labels }, (_, i) => ({ name: `Label ${i}`, ...(i > 0 && { parent: `Label ${Math.floor(i / 3)}` }) })), resources: [{ type: 'form', id: '1', labels: ['Label 0'] }] }],
      });
      await storeOver(counting).resetTo(plan, FIXED_NOW);
      expect(await peekAll(store, 'SELECT count(*) AS n FROM labels')).toEqual([{ n: labels }]);
      return sent;
    } finally {
      await store.close();
    }
  }

  it('a reset sends the same few statements for 10 labels as for 300 (each table written by one INSERT of many rows)', async () => {
    const small = await statementsOfReset(10);
    expect(small).toBeLessThanOrEqual(20);
    expect(await statementsOfReset(300)).toBe(small);
    // Past MAX_PARAMS parameters a table takes one more INSERT per ~300 labels.
    expect(await statementsOfReset(2000)).toBe(small + 6);
  });
});
