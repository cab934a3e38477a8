// devtodev creation limits: 30 per request (code 7), per UTC day per token (code 8) and per app (code 9);
// counted atomically with the inserts (parallel requests, other processes), persisted, rolling over at UTC midnight.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { createStore, type DatabaseStore } from '../src/db/index.js';
import { ADMIN_TOKEN, buildTestApp, createTenant, FIXED_NOW, type Tenant, type TestApp } from './helper.js';
import { peek, peekAll, testDatabase } from './test-store.js';

const T0 = 1711000000;
const LIMITS = { LABELMUX_DEVTODEV_TOKEN_DAILY_LIMIT: '8', LABELMUX_DEVTODEV_APP_DAILY_LIMIT: '5' };

let t: TestApp;
let a: Tenant;
let b: Tenant;

async function setUp(env: Record<string, string> = LIMITS) {
  t = await buildTestApp(env);
  a = await createTenant(t.core, 'Game A');
  b = await createTenant(t.core, 'Game B');
}
afterEach(() => t?.close());

function create(n: number, o: { key?: string; app?: string; category?: string; app_?: TestApp } = {}) {
  const labels = Array.from({ length: n }, (_, i) => ({ name: `L${i}`, category: o.category ?? 'Releases', start_date: T0 + i }));
  return (o.app_ ?? t).app.inject({
    method: 'POST',
    url: '/api/v1/labels/create',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ user_token: o.key ?? a.keys.owner, app_id: o.app ?? a.uuid, labels }),
  });
}
const err = (status: number, code: number, msg: string) => ({ status_code: status, errors: [{ code, msg }] });
const timedCount = async (store: DatabaseStore = t.store) => (await peek<{ n: number }>(store, 'SELECT count(*) AS n FROM labels WHERE starts_at IS NOT NULL'))!.n;
const appLimit = (used: number, n: number, limit = 5) => err(429, 9, `daily limit of ${limit} created labels for this app reached: ${used} created today (UTC), ${n} requested`);
const tokenLimit = (used: number, n: number, limit = 8) => err(429, 8, `daily limit of ${limit} created labels for this token reached: ${used} created today (UTC), ${n} requested`);

describe('limits from the default configuration', () => {
  beforeEach(() => setUp({}));

  it('code 7 over 30 per request; 200 per app (code 9) and 500 per token across apps (code 8) per UTC day', async () => {
    expect((await create(31)).json()).toEqual(err(400, 7, 'at most 30 labels may be created in one request'));
    const c = await createTenant(t.core, 'Game C');
    const { key } = await t.core.admin.createApiKey({ userId: a.userIds.owner });
    for (const other of [b, c]) await t.core.admin.setMember(other.workspaceId, a.userIds.owner, 'admin');
    for (const app of [a.uuid, b.uuid]) {
      for (let i = 0; i < 6; i++) expect((await create(30, { key, app })).statusCode).toBe(200);
      expect((await create(20, { key, app })).statusCode).toBe(200);
      expect((await create(1, { key, app })).json()).toEqual(appLimit(200, 1, 200));
    }
    for (let i = 0; i < 3; i++) expect((await create(30, { key, app: c.uuid })).statusCode).toBe(200);
    expect((await create(10, { key, app: c.uuid })).statusCode).toBe(200);
    expect((await create(1, { key, app: c.uuid })).json()).toEqual(tokenLimit(500, 1, 500));
    expect(await timedCount()).toBe(500);
  });
});

describe('daily limits (token 8, app 5)', () => {
  beforeEach(() => setUp());

  it('code 9: the app limit counts every token of the app; other apps are not affected', async () => {
    expect((await create(3)).statusCode).toBe(200);
    expect((await create(2, { key: a.keys.admin })).statusCode).toBe(200);
    const res = await create(1);
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual(appLimit(5, 1));
    expect((await create(1, { key: a.keys.admin })).json()).toEqual(appLimit(5, 1));
    expect((await create(5, { key: b.keys.owner, app: b.uuid })).statusCode).toBe(200);
    expect(await timedCount()).toBe(10);
  });

  it('a request that would pass a limit is rejected whole and creates nothing', async () => {
    expect((await create(4)).statusCode).toBe(200);
    const before = (await peek(t.store, 'SELECT count(*) AS n FROM labels'));
    expect((await create(2, { category: 'New category' })).json()).toEqual(appLimit(4, 2));
    expect((await peek(t.store, 'SELECT count(*) AS n FROM labels'))).toEqual(before);
    expect((await create(1)).statusCode).toBe(200);
  });

  it('code 8: a user-wide key counts across all apps of its user, before the app limit', async () => {
    await t.core.admin.setMember(b.workspaceId, a.userIds.owner, 'admin');
    const { key } = await t.core.admin.createApiKey({ userId: a.userIds.owner });
    expect((await create(5, { key })).statusCode).toBe(200);
    expect((await create(3, { key, app: b.uuid })).statusCode).toBe(200);
    const res = await create(1, { key, app: b.uuid });
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual(tokenLimit(8, 1));
    // Both limits passed in app A: the token's is reported.
    expect((await create(1, { key })).json()).toEqual(tokenLimit(8, 1));
    // Another key of the same user has its own counter.
    expect((await create(2, { key: b.keys.owner, app: b.uuid })).statusCode).toBe(200);
  });

  it('auto-created categories, edits and rejected requests do not count', async () => {
    const made = (await create(4, { category: 'Cat 1' })).json().data.labels as { id: number }[];
    const edit = (category: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/labels/edit',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ user_token: a.keys.owner, app_id: a.uuid, label: { id: made[0]!.id, category } }),
      });
    for (const category of ['Cat 2', 'Cat 3', 'Cat 4']) expect((await edit(category)).statusCode).toBe(200);
    expect((await create(1, { key: a.keys.viewer })).statusCode).toBe(403);
    // "cat 2" is the existing "Cat 2" (categories match ignoring case): the label counts, no category is made.
    const same = await create(1, { category: 'cat 2' });
    expect(same.json().data.labels[0].category).toBe('Cat 2');
    expect((await create(1)).json()).toEqual(appLimit(5, 1));
  });

  it('the day rolls over at UTC midnight', async () => {
    const day = Date.UTC(2026, 10, 22);
    expect(new Date(FIXED_NOW).toISOString().slice(0, 10)).toBe('2026-11-22');
    expect((await create(5)).statusCode).toBe(200);
    t.clock.now = day + 86_400_000 - 1;
    expect((await create(1)).json()).toEqual(appLimit(5, 1));
    t.clock.now = day + 86_400_000;
    expect((await create(5)).statusCode).toBe(200);
    expect((await create(1)).json()).toEqual(appLimit(5, 1));
    const rows = (await peekAll(t.store, `SELECT scope, subject, day, count FROM counters WHERE scope = 'devtodev-app' ORDER BY day`));
    expect(rows).toEqual([
      { scope: 'devtodev-app', subject: `ws:${a.workspaceId}`, day: '2026-11-22', count: 5 },
      { scope: 'devtodev-app', subject: `ws:${a.workspaceId}`, day: '2026-11-23', count: 5 },
    ]);
  });

  it('many parallel requests near the limit never exceed it', async () => {
    expect((await create(1)).statusCode).toBe(200);
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => create(1 + (i % 2), { key: i % 3 === 0 ? a.keys.admin : a.keys.owner })));
    const created = results.filter((r) => r.statusCode === 200).reduce((n, r) => n + r.json().data.labels.length, 0);
    expect(results.every((r) => r.statusCode === 200 || r.json().errors[0].code === 9)).toBe(true);
    expect(1 + created).toBe(5);
    expect(await timedCount()).toBe(1 + created);
    const counted = (await peek(t.store, `SELECT count FROM counters WHERE scope = 'devtodev-app'`)) as { count: number };
    expect(counted.count).toBe(1 + created);
  });
});

describe('counters on a database file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'labelmux-devtodev-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function open(file: string) {
    const config = loadConfig({ LABELMUX_DB: file, LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, ...LIMITS });
    const store = createStore(file);
    const core = createCore({ store, now: () => FIXED_NOW });
    const app = await buildApp({ config, core, adminToken: ADMIN_TOKEN });
    await app.ready();
    return { app, core, store, clock: { now: FIXED_NOW }, close: async () => (await app.close(), await store.close()) } as TestApp;
  }

  it('survive a restart', async () => {
    const file = await testDatabase(join(dir, 'labelmux.db'));
    const first = await open(file);
    a = await createTenant(first.core);
    expect((await create(4, { app_: first })).statusCode).toBe(200);
    await first.close();
    const second = await open(file);
    try {
      expect((await create(2, { app_: second })).json()).toEqual(appLimit(4, 2));
      expect((await create(1, { app_: second })).statusCode).toBe(200);
      expect((await create(1, { app_: second })).json()).toEqual(appLimit(5, 1));
      expect(await timedCount(second.store)).toBe(5);
    } finally {
      await second.close();
    }
  });

  it('are atomic across connections: processes racing on one file never pass the limit', async () => {
    const file = await testDatabase(join(dir, 'race.db'));
    const store = createStore(file);
    const tenant = await createTenant(createCore({ store }));
    await store.close();
    const run = promisify(execFile);
    const script = join(import.meta.dirname, 'fixtures', 'devtodev-race-create.ts');
    const startAt = String(Date.now() + 1500);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => run(process.execPath, ['--import', 'tsx', script, file, tenant.keys.owner, tenant.uuid, '2', '5', startAt])),
    );
    const outcomes = results.map((r) => JSON.parse(r.stdout) as { ok?: number; error?: string; rule?: string });
    expect(outcomes.filter((o) => o.ok === 2)).toHaveLength(2);
    expect(outcomes.filter((o) => o.error === 'LIMIT_EXCEEDED' && o.rule === 'app')).toHaveLength(2);
    const check = createStore(file);
    try {
      expect(await timedCount(check)).toBe(4);
      expect((await peek(check, `SELECT count FROM counters WHERE scope = 'devtodev-app'`))).toEqual({ count: 4 });
    } finally {
      await check.close();
    }
  });
});
