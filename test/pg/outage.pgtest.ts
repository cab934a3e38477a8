// PostgreSQL outages against a real server process, on a PostgreSQL this file starts and stops itself
// (synchronous_commit on: an acknowledged commit is on disk, as in production). Stopped and started again
// several times under mixed load through all five dialects: the process never exits, answers during the
// outage are 503 in each dialect's shape within a second, /readyz says 503 at once, service comes back
// without a restart, and every write acknowledged with a 2xx is there afterwards. Hung (SIGSTOP): requests
// and /readyz answer within the timeouts. Started while PostgreSQL is down: it waits, logging a line that
// names LABELMUX_DB without its password, and serves once PostgreSQL is up; with a short start timeout it
// exits 1 with a clear line.
import { type ChildProcess, spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, cleanEnv, ROOT, sleep } from '../process-helper.js';
import { startPg, type PgServer } from './pg-server.js';

interface Proc {
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, ms: number): Promise<RegExpExecArray>;
  exited(ms: number): Promise<number | null>;
}

/** A server process over `db`; does not wait for it to listen. */
function spawnServer(db: string, env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', LABELMUX_DB: db, LABELMUX_BOOTSTRAP: 'none', LABELMUX_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const waitFor = async (re: RegExp, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const m = re.exec(out);
      if (m) return m;
      if (child.exitCode !== null || Date.now() > until) throw new Error(`no ${re} (exit ${child.exitCode}):\n${out}`);
      await sleep(50);
    }
  };
  const exited = (ms: number) =>
    new Promise<number | null>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
      const t = setTimeout(() => reject(new Error(`still running after ${ms} ms:\n${out}`)), ms);
      child.once('exit', (code) => (clearTimeout(t), resolve(code)));
    });
  return { child, output: () => out, waitFor, exited };
}

interface Answer {
  status: number;
  ms: number;
  body: any;
  headers: Headers;
}

let base = '';
async function send(method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  return { status: res.status, ms: performance.now() - started, body: parsed, headers: res.headers };
}

interface Tenant {
  id: number;
  uuid: string;
  key: string;
}

async function provision(): Promise<Tenant> {
  const admin = { authorization: `Bearer ${ADMIN}` };
  const ws = await send('POST', '/_admin/workspaces', admin, { name: 'Outage' });
  const user = await send('POST', '/_admin/users', admin, { email: 'owner@outage.test', name: 'Owner' });
  await send('PUT', `/_admin/workspaces/${ws.body.workspace.id}/members/${user.body.user.id}`, admin, { role: 'owner' });
  const key = await send('POST', '/_admin/api-keys', admin, { user_id: user.body.user.id, workspace_id: ws.body.workspace.id });
  return { id: ws.body.workspace.id, uuid: ws.body.workspace.uuid, key: key.body.api_key.key };
}

const JSONAPI = { accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json' };

/** Per dialect: a create of a label named `name` (a 2xx acknowledges it), a read, and its 503 shape. */
const dialects = (t: Tenant) => ({
  jotform: {
    create: (name: string) => send('POST', '/API/label', { apikey: t.key }, { name }),
    read: () => send('GET', '/API/user/labels', { apikey: t.key }),
    ok: (a: Answer) => a.status === 200 && a.body.responseCode === 200,
    unavailable: (a: Answer) => a.body.responseCode === 503 && typeof a.body.message === 'string' && 'limit-left' in a.body,
  },
  razuna: {
    create: (name: string) => send('GET', `/global/api2/label.cfc?method=setlabel&api_key=${t.id}-${t.key}&label_text=${encodeURIComponent(name)}`),
    read: () => send('GET', `/global/api2/label.cfc?method=getall&api_key=${t.id}-${t.key}`),
    ok: (a: Answer) => a.status === 200 && (a.body.responsecode === 0 || Array.isArray(a.body.COLUMNS)),
    unavailable: (a: Answer) =>
      (a.body.responsecode === 1 && typeof a.body.message === 'string') || (Array.isArray(a.body.COLUMNS) && a.body.COLUMNS.includes('responsecode')),
  },
  livestorm: {
    create: (name: string) => send('POST', `/api/workspaces/${t.id}/labels`, { authorization: `Bearer lnx_${t.key}` }, { name }),
    read: () => send('GET', `/api/workspaces/${t.id}/labels`, { authorization: `Bearer lnx_${t.key}` }),
    ok: (a: Answer) => a.status === 200 || a.status === 201,
    unavailable: (a: Answer) => typeof a.body.error === 'string' && Object.keys(a.body).length === 1,
  },
  devtodev: {
    create: (name: string) =>
      send('POST', '/api/v1/labels/create', {}, { user_token: t.key, app_id: t.uuid, labels: [{ name, category: 'Outage', start_date: 1_700_000_000 }] }),
    read: () => send('POST', '/api/v1/labels/get', {}, { user_token: t.key, app_id: t.uuid }),
    ok: (a: Answer) => a.status === 200 && a.body.status_code === 200,
    unavailable: (a: Answer) => a.body.status_code === 503 && a.body.errors?.[0]?.code === 12,
  },
  limbo: {
    create: (name: string) =>
      send('POST', '/api/v1/labels', { ...JSONAPI, authorization: `Bearer ${t.key}` }, {
        data: { type: 'labels', attributes: { name }, relationships: { company: { data: { type: 'companies', id: String(t.id) } } } },
      }),
    read: () => send('GET', '/api/v1/labels', { accept: JSONAPI.accept, authorization: `Bearer ${t.key}` }),
    ok: (a: Answer) => a.status === 200 || a.status === 201,
    unavailable: (a: Answer) =>
      a.headers.get('content-type') === 'application/vnd.api+json' && a.body.errors?.[0]?.status === '503' && a.body.errors[0].title === 'Service Unavailable',
  },
});
type Dialects = ReturnType<typeof dialects>;

/** Every answer is a success or a fast 503 in the dialect's shape with Retry-After; anything else is recorded. */
interface Tally {
  acknowledged: string[];
  unavailable: number;
  slowest503: number;
  wrong: string[];
}

function judge(name: string, d: Dialects[keyof Dialects], a: Answer, tally: Tally, created?: string): void {
  if (d.ok(a)) {
    if (created) tally.acknowledged.push(created);
  } else if (a.status === 503 && d.unavailable(a) && Number(a.headers.get('retry-after')) >= 1) {
    tally.unavailable++;
    tally.slowest503 = Math.max(tally.slowest503, a.ms);
  } else {
    tally.wrong.push(`${name} ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
  }
}

/** Writers and readers through every dialect until `stop()`; names are unique per create. */
function load(t: Tenant, tally: Tally) {
  let running = true;
  let n = 0;
  let devtodevCreates = 0;
  const all = dialects(t);
  const worker = async (name: keyof Dialects, w: number) => {
    const d = all[name];
    while (running) {
      const label = `${name}-${w}-${++n}`;
      try {
        // devtodev allows 200 created labels per app per day: past that, its workers only read.
        if (name !== 'devtodev' || ++devtodevCreates <= 180) judge(name, d, await d.create(label), tally, label);
        judge(name, d, await d.read(), tally);
      } catch (e) {
        tally.wrong.push(`${name}: ${(e as Error).message}`);
      }
      await sleep(20);
    }
  };
  const workers = (Object.keys(all) as (keyof Dialects)[]).flatMap((name) => [worker(name, 1), worker(name, 2)]);
  return async () => {
    running = false;
    await Promise.all(workers);
  };
}

async function readyWithin(ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const r = await send('GET', '/readyz').catch(() => null);
    if (r?.status === 200) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not ready within ${ms} ms (last ${r?.status})`);
    await sleep(100);
  }
}

let server: PgServer;
let url = '';
let proc: Proc;
let tenant: Tenant;

beforeAll(async () => {
  server = await startPg(['-c synchronous_commit=on']);
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query('CREATE DATABASE outage');
  await admin.end();
  // A password the server ignores (trust), to see that no line ever shows it.
  url = `postgres://postgres:s3cret-pw@127.0.0.1:${server.port}/outage`;
  proc = spawnServer(url, { LABELMUX_PG_CONNECT_TIMEOUT: '1000', LABELMUX_PG_STATEMENT_TIMEOUT: '1000' });
  base = (await proc.waitFor(/labelmux: listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000))[1]!;
  tenant = await provision();
}, 90_000);

afterAll(async () => {
  proc?.child.kill('SIGKILL');
  server?.stop();
});

describe('PostgreSQL outages', () => {
  it('stopped and started three times under load: fast 503s in each shape, no exit, recovery, no acknowledged write lost', async () => {
    const tally: Tally = { acknowledged: [], unavailable: 0, slowest503: 0, wrong: [] };
    const stop = load(tenant, tally);
    for (const mode of ['fast', 'immediate', 'fast'] as const) {
      await sleep(1500);
      server.halt(mode);
      await sleep(300);
      const ready = await send('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(1000);
      const before = tally.unavailable;
      await sleep(1500);
      expect(tally.unavailable).toBeGreaterThan(before);
      server.resume();
      expect(await readyWithin(10_000)).toBeLessThan(10_000);
      expect(proc.child.exitCode).toBeNull();
    }
    await sleep(1000);
    await stop();
    expect(tally.wrong).toEqual([]);
    // While PostgreSQL was down, answers came at once (the breaker), not after a timeout.
    expect(tally.slowest503).toBeLessThan(2500);
    expect(tally.acknowledged.length).toBeGreaterThan(50);
    // Every acknowledged create is in the workspace.
    const doc = await send('GET', `/_admin/workspaces/${tenant.id}/export`, { authorization: `Bearer ${ADMIN}` });
    expect(doc.status).toBe(200);
    const names = new Set<string>(doc.body.labels.map((l: { name: string }) => l.name));
    expect(tally.acknowledged.filter((n) => !names.has(n))).toEqual([]);
    // The outage and the recovery were logged, and no line shows the password.
    expect(proc.output()).toMatch(/PostgreSQL unreachable/);
    expect(proc.output()).toMatch(/PostgreSQL answers again/);
    expect(proc.output()).not.toContain('s3cret-pw');
  }, 60_000);

  it('hung (SIGSTOP): requests and /readyz answer within the timeouts; SIGCONT brings service back', async () => {
    const pids = server.pids();
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      const all = dialects(tenant);
      const answers = await Promise.all(Object.entries(all).map(async ([name, d]) => [name, d, await d.create(`hung-${name}`)] as const));
      for (const [name, d, a] of answers) {
        expect(a.status, name).toBe(503);
        expect(d.unavailable(a), `${name} ${JSON.stringify(a.body)}`).toBe(true);
        // Connect or statement timeout (1 s each here) plus the client's second.
        expect(a.ms, name).toBeLessThan(5000);
      }
      const ready = await send('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.ms).toBeLessThan(2500);
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
    expect(await readyWithin(10_000)).toBeLessThan(10_000);
    const after = await dialects(tenant).livestorm.create('after-sigcont');
    expect(after.status).toBe(201);
    expect(proc.child.exitCode).toBeNull();
  }, 40_000);

  it('started while PostgreSQL is down: waits with a clear line, serves once it is up; gives up after LABELMUX_PG_START_TIMEOUT', async () => {
    server.halt('fast');
    let waiting: Proc | undefined;
    let giving: Proc | undefined;
    try {
      waiting = spawnServer(url, { LABELMUX_PG_START_TIMEOUT: '60000' });
      giving = spawnServer(url, { LABELMUX_PG_START_TIMEOUT: '1500' });
      const line = (await waiting.waitFor(/^.*is unreachable.*retrying.*$/m, 30_000))[0];
      expect(line).toContain(`LABELMUX_DB=postgres://postgres:***@127.0.0.1:${server.port}/outage`);
      expect(await giving.exited(30_000)).toBe(1);
      expect(giving.output()).toMatch(/stayed unreachable for \d+ s .*giving up.*LABELMUX_PG_START_TIMEOUT/);
      server.resume();
      const listening = (await waiting.waitFor(/labelmux: listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000))[1]!;
      const ready = await fetch(`${listening}/readyz`);
      expect(ready.status).toBe(200);
      for (const p of [waiting, giving]) expect(p.output()).not.toContain('s3cret-pw');
    } finally {
      waiting?.child.kill('SIGKILL');
      giving?.child.kill('SIGKILL');
    }
  }, 60_000);
});
