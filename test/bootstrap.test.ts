// First start (README, "Start it"): on an empty database a demo workspace, owner and key,
// printed once with one ready-to-paste curl line per enabled dialect that really works; nothing on a
// database that is not empty; nothing at all with LABELMUX_BOOTSTRAP=none.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { banner } from '../src/bootstrap.js';
import { DIALECT_NAMES, loadConfig } from '../src/config.js';
import type { DemoTenant } from '../src/core/admin.js';
import { sha256 } from '../src/core/secrets.js';
import { createStore } from '../src/db/index.js';
import { dialects } from '../src/dialects/index.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helper.js';
import { peek, peekAll, testDatabase } from './test-store.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BASE = 'http://127.0.0.1:8080';

interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Splits a shell command line the way sh would for the quoting a banner uses ('…', "…", \x). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated ' in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) s += line[j] === '\\' ? line[++j] : line[j];
      if (j >= line.length) throw new Error(`unterminated " in ${line}`);
      word = (word ?? '') + s;
      i = j;
    } else if (c === '\\') {
      word = (word ?? '') + (line[++i] ?? '');
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** What curl would send for this command line (the options a banner line may use; anything else fails). */
function parseCurl(line: string): CurlRequest {
  const [cmd, ...args] = shellWords(line);
  expect(cmd).toBe('curl');
  const req: CurlRequest = { method: '', url: '', headers: {} };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const next = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${a} needs a value in ${line}`);
      return v;
    };
    if (a === '-H' || a === '--header') {
      const h = next();
      const colon = h.indexOf(':');
      req.headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
    } else if (a === '-X' || a === '--request') req.method = next();
    else if (a === '-d' || a === '--data' || a === '--data-raw') req.body = req.body === undefined ? next() : `${req.body}&${next()}`;
    else if (a === '-s' || a === '-S' || a === '-sS' || a === '--silent' || a === '--show-error' || a === '-i') continue;
    else if (/^https?:\/\//.test(a)) req.url = a;
    else throw new Error(`unexpected curl argument ${a} in ${line}`);
  }
  if (req.body !== undefined && !req.headers['content-type']) req.headers['content-type'] = 'application/x-www-form-urlencoded';
  req.method ||= req.body === undefined ? 'GET' : 'POST';
  expect(req.url, line).not.toBe('');
  return req;
}

/** Runs a banner curl line against an app in-process. */
async function runCurl(app: FastifyInstance, line: string) {
  const req = parseCurl(line);
  const url = new URL(req.url);
  expect(url.origin).toBe(BASE);
  return app.inject({
    method: req.method as 'GET',
    url: `${url.pathname}${url.search}`,
    headers: req.headers,
    ...(req.body !== undefined && { payload: req.body }),
  });
}

/** The `[dialect] curl …` lines of a banner, by dialect. */
function curlLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^ {4}\[([a-z]+)\] (curl .*)$/gm)) {
    expect(out.has(m[1]!), `two lines for ${m[1]}`).toBe(false);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

describe('core.admin.bootstrapDemo()', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await buildTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('on an empty database creates a demo workspace, its owner and a workspace key', async () => {
    const demo = await t.core.admin.bootstrapDemo();
    expect(demo).not.toBeNull();
    const { workspace, user, key } = demo!;
    expect(workspace.name).toBe('Demo workspace');
    expect(workspace.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(user.email).toMatch(/@/);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(await peekAll(t.store, 'SELECT workspace_id, user_id, role FROM memberships')).toEqual([{ workspace_id: workspace.id, user_id: user.id, role: 'owner' }]);
    expect(await peekAll(t.store, 'SELECT user_id, workspace_id, key_hash, revoked_at FROM api_keys')).toEqual([
      { user_id: user.id, workspace_id: workspace.id, key_hash: sha256(key), revoked_at: null },
    ]);
    // The owner can use the key at once.
    const res = await t.app.inject({ method: 'POST', url: `/api/workspaces/${workspace.id}/labels`, headers: { authorization: `Bearer lnx_${key}` }, payload: { name: 'First' } });
    expect(res.statusCode).toBe(201);
  });

  it('on a database that is not empty does nothing', async () => {
    expect(await t.core.admin.bootstrapDemo()).not.toBeNull();
    const count = async () => (await peek(t.store, 'SELECT (SELECT count(*) FROM workspaces) AS w, (SELECT count(*) FROM users) AS u, (SELECT count(*) FROM api_keys) AS k'));
    const before = await count();
    expect(await t.core.admin.bootstrapDemo()).toBeNull();
    expect(await count()).toEqual(before);
  });

  it('a database with only a user, or only a workspace, is not empty', async () => {
    await t.core.admin.createUser({ email: 'someone@example.com', name: 'Someone' });
    expect(await t.core.admin.bootstrapDemo()).toBeNull();
    expect((await peek(t.store, 'SELECT count(*) AS n FROM workspaces'))).toEqual({ n: 0 });

    const other = await buildTestApp();
    try {
      await other.core.admin.createWorkspace('Existing');
      expect(await other.core.admin.bootstrapDemo()).toBeNull();
      expect((await peek(other.store, 'SELECT count(*) AS n FROM users'))).toEqual({ n: 0 });
    } finally {
      await other.close();
    }
  });
});

describe('banner()', () => {
  let t: TestApp;
  let demo: DemoTenant;
  beforeAll(async () => {
    t = await buildTestApp();
    demo = (await t.core.admin.bootstrapDemo())!;
  });
  afterAll(async () => {
    await t.close();
  });

  it('names the workspace, the owner and the key once', () => {
    const text = banner(loadConfig({}), demo, BASE);
    expect(text).toContain(`id=${demo.workspace.id}`);
    expect(text).toContain(demo.workspace.uuid);
    expect(text).toContain(demo.user.email);
    expect(text).toMatch(new RegExp(`api key\\s+${demo.key}\\n`));
    expect(text.endsWith('\n')).toBe(true);
  });

  it('has exactly one curl line per enabled dialect', () => {
    const lines = curlLines(banner(loadConfig({}), demo, BASE));
    expect([...lines.keys()].sort()).toEqual(dialects.map((d) => d.name).sort());
    for (const line of lines.values()) expect(() => parseCurl(line)).not.toThrow();
  });

  it('the Livestorm line works when executed against the app', async () => {
    const line = curlLines(banner(loadConfig({}), demo, BASE)).get('livestorm');
    expect(line).toBeDefined();
    expect(parseCurl(line!).headers.authorization).toBe(`Bearer lnx_${demo.key}`);
    const res = await runCurl(t.app, line!);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ labels: [] });
  });

  // Dialects still being built print a placeholder line without the demo credentials; those cannot
  // work yet and are skipped until their line carries the key.
  it.for(dialects.map((d) => d.name))('the %s line works when executed against the app', async (name, ctx) => {
    const line = curlLines(banner(loadConfig({}), demo, BASE)).get(name)!;
    if (!line.includes(demo.key)) return ctx.skip(`${name}: placeholder line without credentials`);
    const res = await runCurl(t.app, line);
    expect(res.statusCode, `${line}\n→ ${res.statusCode} ${res.body}`).toBeGreaterThanOrEqual(200);
    expect(res.statusCode, `${line}\n→ ${res.statusCode} ${res.body}`).toBeLessThan(300);
    expect(res.body).not.toMatch(/unauthori[sz]ed|invalid (api )?key/i);
  });

  it('leaves out disabled dialects and has no curl line when all are disabled', () => {
    const off = Object.fromEntries(DIALECT_NAMES.map((d) => [`LABELMUX_${d.toUpperCase()}_ENABLED`, 'false']));
    expect(curlLines(banner(loadConfig(off), demo, BASE)).size).toBe(0);
    const lines = curlLines(banner(loadConfig({ LABELMUX_LIVESTORM_ENABLED: 'false' }), demo, BASE));
    expect(lines.has('livestorm')).toBe(false);
    expect(lines.size).toBe(dialects.length - 1);
  });

  it('a base URL with a trailing slash (LABELMUX_PUBLIC_URL) gives no double slash', async () => {
    const line = curlLines(banner(loadConfig({}), demo, `${BASE}/`)).get('livestorm')!;
    expect(parseCurl(line).url).toBe(`${BASE}/api/workspaces/${demo.workspace.id}/labels`);
    expect((await runCurl(t.app, line)).statusCode).toBe(200);
  });

  it('uses the configured prefix, and the prefixed line works against an app with that prefix', async () => {
    const config = loadConfig({ LABELMUX_LIVESTORM_PREFIX: '/vendors/ls', LABELMUX_DB: ':memory:' });
    const line = curlLines(banner(config, demo, BASE)).get('livestorm')!;
    expect(parseCurl(line).url).toBe(`${BASE}/vendors/ls/api/workspaces/${demo.workspace.id}/labels`);
    const app = await buildApp({ config, core: t.core, adminToken: ADMIN_TOKEN });
    try {
      const res = await runCurl(app, line);
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('src/server.ts (real process)', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'labelmux-boot-'));
  });
  afterAll(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  interface Started {
    child: ChildProcess;
    base: string;
    output: () => string;
    stop(): Promise<number | null>;
  }

  /** Starts the server on a free port and resolves once it prints its address (bounded). */
  function start(env: Record<string, string>): Promise<Started> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    };
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`server did not start within 20 s\nstdout: ${out}\nstderr: ${err}`));
      }, 20_000);
      // The banner and "listening on" are on stderr; stdout carries only the log.
      const onData = () => {
        const m = /labelmux: listening on (http:\/\/\S+)/.exec(err);
        if (!m) return;
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve({ child, base: m[1]!, output: () => err, stop });
      };
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code} before listening\nstdout: ${out}\nstderr: ${err}`));
      });
    });
  }

  it('prints the demo banner on an empty database, its curl line works over HTTP, and a restart prints none', async () => {
    const db = await testDatabase(join(dir, 'demo', 'labelmux.db'));
    const first = await start({ LABELMUX_DB: db, LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN });
    try {
      const text = first.output();
      expect(text).toContain('created a demo workspace');
      expect(text).not.toContain('admin token for this run'); // the token was configured
      const line = curlLines(text).get('livestorm')!;
      const req = parseCurl(line);
      expect(req.url.startsWith(first.base)).toBe(true);
      const res = await fetch(req.url, { method: req.method, headers: req.headers, signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ labels: [] });
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await start({ LABELMUX_DB: db, LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN });
    try {
      expect(second.output()).not.toContain('created a demo workspace');
      expect(curlLines(second.output()).size).toBe(0);
      const res = await fetch(`${second.base}/_admin/workspaces`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(5000) });
      expect((await res.json()).workspaces).toHaveLength(1);
    } finally {
      await second.stop();
    }
  }, 60_000);

  it('LABELMUX_BOOTSTRAP=none creates nothing and prints no banner', async () => {
    const db = await testDatabase(join(dir, 'none', 'labelmux.db'));
    const s = await start({ LABELMUX_DB: db, LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LABELMUX_BOOTSTRAP: 'none' });
    try {
      expect(s.output()).not.toContain('created a demo workspace');
      expect(s.output()).not.toContain('curl');
      const res = await fetch(`${s.base}/_admin/workspaces`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(5000) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ workspaces: [] });
    } finally {
      await s.stop();
    }
    const store = createStore(db);
    try {
      expect(await store.isEmpty()).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('without LABELMUX_ADMIN_TOKEN prints a generated token once, and that token works', async () => {
    const s = await start({ LABELMUX_DB: await testDatabase(join(dir, 'token', 'labelmux.db')), LABELMUX_BOOTSTRAP: 'none' });
    try {
      const m = /admin token for this run[^:]*: (\S+)/.exec(s.output());
      expect(m).not.toBeNull();
      const token = m![1]!;
      expect(token.length).toBeGreaterThanOrEqual(32);
      const ok = await fetch(`${s.base}/_admin/workspaces`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
      expect(ok.status).toBe(200);
      const denied = await fetch(`${s.base}/_admin/workspaces`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(5000) });
      expect(denied.status).toBe(401);
    } finally {
      await s.stop();
    }
  }, 60_000);

  it('an invalid LABELMUX_BOOTSTRAP is a configuration error, not a start', async () => {
    await expect(start({ LABELMUX_DB: join(dir, 'bad', 'labelmux.db'), LABELMUX_BOOTSTRAP: 'maybe' })).rejects.toThrow(/exited with 1[\s\S]*LABELMUX_BOOTSTRAP/);
  }, 30_000);
});
