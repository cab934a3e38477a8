// Several labelmux instances over one PostgreSQL: two real server processes (src/server.ts) on one fresh
// database, which they migrate together on start. Creates of one name racing through both → exactly one
// wins; a write through one is read through the other at once; devtodev daily limits and the generic
// request rate limit (LABELMUX_RATE_LIMIT) hold across both.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverUrl } from './test-db.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ADMIN = 'multi-instance-admin-token-0123';
const APP_LIMIT = 5;
/** Requests per key per hour: above what the other tests send with their key. */
const RATE_MAX = 150;

interface Instance {
  child: ChildProcess;
  base: string;
  output: () => string;
}

function startInstance(db: string): Promise<Instance> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$|LABELMUX_|PORT$|HOST$|LOG_LEVEL$)/.test(k)) env[k] = v;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      LABELMUX_DB: db,
      LABELMUX_BOOTSTRAP: 'none',
      LABELMUX_ADMIN_TOKEN: ADMIN,
      LABELMUX_DEVTODEV_APP_DAILY_LIMIT: String(APP_LIMIT),
      LABELMUX_RATE_LIMIT: `${RATE_MAX}/1h`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`no "listening" within 60 s:\n${out}`))), 60_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /labelmux: listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`server exited (${code}) before listening:\n${out}`))));
  });
}

async function stop(i: Instance | undefined): Promise<void> {
  if (!i || i.child.exitCode !== null || i.child.signalCode !== null) return;
  const exited = new Promise((r) => i.child.once('exit', r));
  i.child.kill('SIGTERM');
  const t = setTimeout(() => i.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(t);
}

async function call(base: string, method: string, path: string, body?: unknown, auth?: string) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(auth && { authorization: auth }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

const admin = (i: Instance, method: string, path: string, body?: unknown) => call(i.base, method, `/_admin${path}`, body, `Bearer ${ADMIN}`);

describe('two instances on one PostgreSQL database', () => {
  const dbName = `multi_${process.pid}_${Date.now().toString(36)}`;
  let pool: pg.Pool;
  let a: Instance;
  let b: Instance;
  let ws: { id: number; uuid: string };
  let key: string;
  let dbUrl: string;

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: serverUrl(), max: 1 });
    await pool.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(serverUrl());
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    // Both start (and migrate the empty database) at the same time.
    [a, b] = await Promise.all([startInstance(dbUrl), startInstance(dbUrl)]);
    ws = (await admin(a, 'POST', '/workspaces', { name: 'Shared' })).json.workspace;
    const user = (await admin(b, 'POST', '/users', { email: 'owner@example.com', name: 'Owner' })).json.user;
    expect((await admin(a, 'PUT', `/workspaces/${ws.id}/members/${user.id}`, { role: 'owner' })).status).toBe(200);
    key = (await admin(b, 'POST', '/api-keys', { user_id: user.id, workspace_id: ws.id })).json.api_key.key;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stop(a), stop(b)]);
    await pool?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await pool?.end();
  });

  const livestorm = (i: Instance, method: string, path: string, body?: unknown) => call(i.base, method, `/api/workspaces/${ws.id}${path}`, body, `Bearer lnx_${key}`);

  it('concurrent creates of one name (any case) through both instances: exactly one wins, the rest get 409', async () => {
    const names = ['Race', 'RACE', 'race', 'rAcE'];
    const replies = await Promise.all(Array.from({ length: 24 }, (_, n) => livestorm(n % 2 ? b : a, 'POST', '/labels', { name: names[n % names.length] })));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(23);
    const listed = (await livestorm(a, 'GET', '/labels')).json.labels.filter((l: { name: string }) => l.name.toLowerCase() === 'race');
    expect(listed).toHaveLength(1);
  });

  it('a label written through one instance is read through the other immediately', async () => {
    for (let n = 0; n < 10; n++) {
      const [writer, reader] = n % 2 ? [a, b] : [b, a];
      const created = await livestorm(writer, 'POST', '/labels', { name: `Fresh ${n}`, color: '#22c55e' });
      expect(created.status).toBe(201);
      const seen = (await livestorm(reader, 'GET', '/labels')).json.labels.find((l: { id: number }) => l.id === created.json.label.id);
      expect(seen).toMatchObject(created.json.label);
      const renamed = await livestorm(reader, 'PATCH', `/labels/${created.json.label.id}`, { name: `Renamed ${n}` });
      expect(renamed.status).toBe(200);
      expect((await livestorm(writer, 'GET', '/labels')).json.labels.find((l: { id: number }) => l.id === created.json.label.id).name).toBe(`Renamed ${n}`);
    }
  });

  it(`devtodev's daily app limit (${APP_LIMIT}) holds across both instances under concurrency`, async () => {
    const create = (i: Instance, n: number) =>
      call(i.base, 'POST', '/api/v1/labels/create', { user_token: key, app_id: ws.uuid, labels: [{ name: `Launch ${n}`, category: 'Releases', start_date: 1711000000 + n }] });
    const replies = await Promise.all(Array.from({ length: 16 }, (_, n) => create(n % 2 ? b : a, n)));
    const ok = replies.filter((r) => r.status === 200);
    const limited = replies.filter((r) => r.status === 429);
    expect(ok).toHaveLength(APP_LIMIT);
    expect(limited).toHaveLength(16 - APP_LIMIT);
    for (const r of limited) expect(r.json.errors[0].code).toBe(9);
    const listed = await call(a.base, 'POST', '/api/v1/labels/get', { user_token: key, app_id: ws.uuid });
    expect(listed.json.data.labels).toHaveLength(APP_LIMIT);
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT count FROM counters WHERE scope = 'devtodev-app'`);
      expect(rows.map((r: { count: string }) => Number(r.count))).toEqual([APP_LIMIT]);
    } finally {
      await db.end();
    }
  });

  it(`the request rate limit (${RATE_MAX} per hour per key) is counted in the database: both instances together allow exactly ${RATE_MAX}`, async () => {
    const user = (await admin(a, 'POST', '/users', { email: 'rate@example.com', name: 'Rate' })).json.user;
    expect((await admin(b, 'PUT', `/workspaces/${ws.id}/members/${user.id}`, { role: 'viewer' })).status).toBe(200);
    const rateKey = (await admin(a, 'POST', '/api-keys', { user_id: user.id, workspace_id: ws.id })).json.api_key.key;
    // Windows are aligned to the hour: do not start within seconds of a new one.
    const toNextHour = 3_600_000 - (Date.now() % 3_600_000);
    if (toNextHour < 20_000) await new Promise((r) => setTimeout(r, toNextHour + 100));
    const statuses: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, n) => call((n % 2 ? b : a).base, 'GET', `/api/workspaces/${ws.id}/labels`, undefined, `Bearer lnx_${rateKey}`)),
      );
      statuses.push(...replies.map((r) => r.status));
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(RATE_MAX);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200 - RATE_MAX);
  });
});
