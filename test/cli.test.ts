// The `labelmux` CLI (src/cli.ts, bin/labelmux.js): the admin API's operations on the database named by
// LABELMUX_DB, printed as JSON; invalid arguments exit non-zero with a message and never end the process.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/app.js';
import { runCli } from '../src/cli.js';
import { loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { sha256 } from '../src/core/secrets.js';
import { createStore } from '../src/db/index.js';
import { ADMIN_TOKEN } from './helper.js';
import { corruptIndex } from './sqlite-files.js';
import { onPostgres, testDatabase } from './test-store.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'labelmux.js');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelmux-cli-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
let db: string;
beforeEach(async () => {
  // SQLite: the directory does not exist yet, the CLI creates it. PostgreSQL (npm run test:pg): a fresh database.
  db = await testDatabase(join(dir, `db-${++n}`, 'labelmux.db'));
});

interface Run {
  code: number;
  out: string;
  err: string;
  json: any;
}

/** Runs the CLI in-process, capturing what it writes; process.exit is a test failure. */
async function cli(args: string[], env: NodeJS.ProcessEnv = { LABELMUX_DB: db }): Promise<Run> {
  let out = '';
  let err = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
  const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${code}) called by the CLI`);
  });
  try {
    const code = await runCli(args, env);
    let json: unknown;
    try {
      json = out.trim() === '' ? undefined : JSON.parse(out);
    } catch {
      json = undefined;
    }
    return { code, out, err, json };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
    exit.mockRestore();
  }
}

async function ok(args: string[]): Promise<any> {
  const r = await cli(args);
  expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  expect(r.err).toBe('');
  return r.json;
}

/** A non-zero exit with a message on stderr and nothing on stdout. */
async function fails(args: string[], message: RegExp, env?: NodeJS.ProcessEnv): Promise<Run> {
  const r = await cli(args, env);
  expect(r.code, `${args.join(' ')} should fail`).not.toBe(0);
  expect(r.err).toMatch(message);
  expect(r.out).toBe('');
  expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  return r;
}

/** What the CLI left in its database, read through a store of its own (SQL both databases accept). */
const readDb = async <T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]> => {
  const store = createStore(db);
  try {
    return await store.db.all<T>(sql, ...params);
  } finally {
    await store.close();
  }
};

/** An app over the CLI's database file, to prove that what the CLI did is what the server sees. */
async function withServer<T>(fn: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<T>): Promise<T> {
  const store = createStore(db);
  const app = await buildApp({ config: loadConfig({ LABELMUX_DB: db }), core: createCore({ store }), adminToken: ADMIN_TOKEN });
  try {
    return await fn(app);
  } finally {
    await app.close();
    await store.close();
  }
}

describe('commands', () => {
  it('workspace create / list', async () => {
    expect(await ok(['workspace', 'list'])).toEqual({ workspaces: [] });
    const { workspace } = await ok(['workspace', 'create', '  Acme  ']);
    expect(workspace).toMatchObject({ id: 1, name: 'Acme' });
    expect(workspace.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Date(workspace.created_at).toISOString()).toBe(workspace.created_at);
    const second = (await ok(['workspace', 'create', 'Beta'])).workspace;
    expect(await ok(['workspace', 'list'])).toEqual({ workspaces: [workspace, second] });
  });

  it('output is pretty JSON with a trailing newline', async () => {
    const r = await cli(['workspace', 'list']);
    expect(r.out).toBe('{\n  "workspaces": []\n}\n');
  });

  it('user create (with and without password) / member set / key create / key revoke, seen by the server', async () => {
    const ws = (await ok(['workspace', 'create', 'Acme'])).workspace;
    const { user } = await ok(['user', 'create', '--email', 'Ops@Example.com', '--name', 'Ops', '--password', 'hunter2hunter2']);
    expect(user).toEqual({ id: 1, email: 'Ops@Example.com', name: 'Ops' });
    const other = (await ok(['user', 'create', '--email', 'viewer@example.com', '--name', 'Viewer'])).user;
    const [row] = await readDb<{ password_hash: string | null }>('SELECT password_hash FROM users WHERE id = ?', user.id);
    expect(row!.password_hash).toMatch(/^scrypt\$/);
    expect(await readDb('SELECT password_hash FROM users WHERE id = ?', other.id)).toEqual([{ password_hash: null }]);

    expect(await ok(['member', 'set', String(ws.id), String(user.id), 'owner'])).toEqual({ member: { workspace_id: ws.id, user_id: user.id, role: 'owner' } });
    expect(await ok(['member', 'set', String(ws.id), String(other.id), 'viewer'])).toEqual({ member: { workspace_id: ws.id, user_id: other.id, role: 'viewer' } });

    const wsKey = (await ok(['key', 'create', '--user', String(user.id), '--workspace', String(ws.id), '--name', 'deploy'])).api_key;
    expect(wsKey).toMatchObject({ workspace_id: ws.id, user_id: user.id, name: 'deploy' });
    expect(wsKey.key).toMatch(/^[0-9a-f]{32}$/);
    const wideKey = (await ok(['key', 'create', '--user', String(other.id)])).api_key;
    expect(wideKey).toMatchObject({ workspace_id: null, user_id: other.id, name: '' });
    expect(await readDb('SELECT key_hash FROM api_keys ORDER BY id')).toEqual([{ key_hash: sha256(wsKey.key) }, { key_hash: sha256(wideKey.key) }]);

    await withServer(async (app) => {
      const list = (key: string) => app.inject({ url: `/api/workspaces/${ws.id}/labels`, headers: { authorization: `Bearer lnx_${key}` } });
      expect((await list(wsKey.key)).statusCode).toBe(200);
      expect((await list(wideKey.key)).statusCode).toBe(200);
      const created = await app.inject({ method: 'POST', url: `/api/workspaces/${ws.id}/labels`, headers: { authorization: `Bearer lnx_${wideKey.key}` }, payload: { name: 'x' } });
      expect(created.statusCode).toBe(403); // viewer
    });

    expect(await ok(['key', 'revoke', String(wsKey.id)])).toEqual({ revoked: wsKey.id });
    await withServer(async (app) => {
      const res = await app.inject({ url: `/api/workspaces/${ws.id}/labels`, headers: { authorization: `Bearer lnx_${wsKey.key}` } });
      expect(res.statusCode).toBe(401);
    });
  });

  it('user delete removes the user and their keys; their labels stay', async () => {
    const ws = (await ok(['workspace', 'create', 'Acme'])).workspace;
    const { user } = await ok(['user', 'create', '--email', 'a@example.com', '--name', 'A']);
    await ok(['member', 'set', String(ws.id), String(user.id), 'admin']);
    const { api_key } = await ok(['key', 'create', '--user', String(user.id), '--workspace', String(ws.id)]);
    await withServer(async (app) => {
      const res = await app.inject({ method: 'POST', url: `/api/workspaces/${ws.id}/labels`, headers: { authorization: `Bearer lnx_${api_key.key}` }, payload: { name: 'Kept' } });
      expect(res.statusCode).toBe(201);
    });
    expect(await ok(['user', 'delete', String(user.id)])).toEqual({ deleted: user.id });
    expect(await readDb('SELECT count(*) AS n FROM users')).toEqual([{ n: 0 }]);
    expect(await readDb('SELECT count(*) AS n FROM api_keys')).toEqual([{ n: 0 }]);
    expect(await readDb('SELECT name, created_by FROM labels')).toEqual([{ name: 'Kept', created_by: null }]);
    await fails(['user', 'delete', String(user.id)], /user 1 not found/);
  });

  it('member remove ends the membership; a server on the database refuses the user\'s keys for that workspace at once', async () => {
    const ws = (await ok(['workspace', 'create', 'Acme'])).workspace;
    const { user } = await ok(['user', 'create', '--email', 'leaver@example.com', '--name', 'Leaver']);
    await ok(['member', 'set', String(ws.id), String(user.id), 'admin']);
    const { api_key } = await ok(['key', 'create', '--user', String(user.id), '--workspace', String(ws.id)]);
    const wide = (await ok(['key', 'create', '--user', String(user.id)])).api_key;
    await withServer(async (app) => {
      const list = async (key: string) => (await app.inject({ url: `/api/workspaces/${ws.id}/labels`, headers: { authorization: `Bearer lnx_${key}` } })).statusCode;
      // The server has looked both keys up (and remembers them) before the CLI, another connection, removes the member.
      expect([await list(api_key.key), await list(wide.key)]).toEqual([200, 200]);
      expect(await ok(['member', 'remove', String(ws.id), String(user.id)])).toEqual({ removed: { workspace_id: ws.id, user_id: user.id } });
      expect([await list(api_key.key), await list(wide.key)]).toEqual([401, 404]);
    });
    expect(await readDb('SELECT count(*) AS n FROM memberships')).toEqual([{ n: 0 }]);
    await fails(['member', 'remove', String(ws.id), String(user.id)], /member 1 not found/);
    await fails(['member', 'remove', '999', String(user.id)], /workspace 999 not found/);
    await fails(['member', 'remove', String(ws.id)], /missing required argument/);
  });

  it.skipIf(onPostgres)('check: SQLite\'s integrity check passes on a sound file (full and --quick)', async () => {
    await ok(['workspace', 'create', 'Acme']);
    expect(await ok(['check'])).toEqual({ check: { mode: 'full', ok: true } });
    expect(await ok(['check', '--quick'])).toEqual({ check: { mode: 'quick', ok: true } });
  });

  it.skipIf(onPostgres)('check: a damaged index page exits 1 and lists what SQLite found', async () => {
    for (let i = 0; i < 50; i++) await ok(['workspace', 'create', `Workspace ${i}`]);
    corruptIndex(db, 'workspaces');
    for (const args of [['check'], ['check', '--quick']]) {
      const r = await fails(args, /integrity check found \d+ problem\(s\); restore the database from a backup:\n {2}\S/);
      expect(r.err.startsWith('labelmux: the ')).toBe(true);
    }
  });

  it.skipIf(onPostgres)('a file that is not a SQLite database is refused by name, and left as it was', async () => {
    const file = join(dir, `not-a-db-${n}.txt`);
    writeFileSync(file, 'name,color\nUrgent,#ff0000\n');
    await fails(['check'], /is not a SQLite database \(its header is not "SQLite format 3"\)/, { LABELMUX_DB: file });
    await fails(['workspace', 'list'], /is not a SQLite database/, { LABELMUX_DB: file });
    expect(readFileSync(file, 'utf8')).toBe('name,color\nUrgent,#ff0000\n');
  });

  it.runIf(onPostgres)('check on PostgreSQL refuses, naming PostgreSQL\'s own checks', async () => {
    await fails(['check'], /check reads SQLite files; on PostgreSQL use its own checks: data checksums .*pg_amcheck/);
  });

  it('warns about a LABELMUX_ variable that is no setting, naming the closest one, and carries on', async () => {
    const r = await cli(['workspace', 'list'], { LABELMUX_DB: db, LABELMUX_BOOTSTRAPP: 'none', LABELMUX_TEST_ANYTHING: '1' });
    expect(r.code).toBe(0);
    expect(r.err).toBe('labelmux: warning: LABELMUX_BOOTSTRAPP is not a labelmux setting and is ignored; did you mean LABELMUX_BOOTSTRAP?\n');
    expect(r.json).toEqual({ workspaces: [] });
  });

  it('workspace export / import round-trips exactly through a file into another database', async () => {
    const ws = (await ok(['workspace', 'create', 'Source'])).workspace;
    const { user } = await ok(['user', 'create', '--email', 'owner@example.com', '--name', 'Owner']);
    await ok(['member', 'set', String(ws.id), String(user.id), 'owner']);
    const { api_key } = await ok(['key', 'create', '--user', String(user.id), '--workspace', String(ws.id)]);
    await withServer(async (app) => {
      const auth = { authorization: `Bearer lnx_${api_key.key}` };
      const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const a = (await app.inject({ method: 'POST', url: `/api/workspaces/${ws.id}/labels`, headers: auth, payload: { name: 'Alpha', color: '#ABCDEF' } })).json().label;
      await app.inject({ method: 'POST', url: `/api/workspaces/${ws.id}/labels`, headers: auth, payload: { name: 'Beta' } });
      await app.inject({ method: 'PUT', url: `/_admin/workspaces/${ws.id}/resources`, headers: admin, payload: { resources: [{ type: 'library_item', id: '9', name: 'Clip', attributes: { size: 3 } }] } });
      expect((await app.inject({ method: 'POST', url: `/api/workspaces/${ws.id}/library/9/labels`, headers: auth, payload: { label_id: a.id } })).statusCode).toBe(200);
    });
    const exported = await ok(['workspace', 'export', String(ws.id)]);
    expect(exported).toMatchObject({ format: 'labelmux-workspace', version: 1, workspace: { name: 'Source' } });
    expect(exported.labels).toHaveLength(2);
    expect(exported.resources).toEqual([expect.objectContaining({ type: 'library_item', id: '9', label_ids: [1] })]);
    const file = join(dir, `export-${n}.json`);
    writeFileSync(file, JSON.stringify(exported));

    // Into a new database that knows the same owner.
    const source = db;
    db = await testDatabase(join(dir, `db-${n}-copy`, 'labelmux.db'));
    await ok(['user', 'create', '--email', 'owner@example.com', '--name', 'Owner']);
    const target = (await ok(['workspace', 'create', 'Restored'])).workspace;
    expect(await ok(['workspace', 'import', String(target.id), file])).toEqual({ imported: { labels: 2, resources: 1, label_ids: Object.fromEntries(exported.labels.map((l: { id: number }) => [String(l.id), l.id])) } });
    const again = await ok(['workspace', 'export', String(target.id)]);
    expect(again.workspace).toEqual({ name: 'Restored' });
    expect({ ...again, workspace: exported.workspace }).toEqual(exported);

    // A second import into the now non-empty workspace is refused.
    await fails(['workspace', 'import', String(target.id), file], /not empty/);
    db = source;
  });

  it('workspace resources registers resources from a file; workspace events pages the audit log', async () => {
    const ws = (await ok(['workspace', 'create', 'Acme'])).workspace;
    const file = join(dir, `resources-${n}.json`);
    writeFileSync(file, JSON.stringify({ resources: [{ type: 'library_item', id: '5', name: 'Clip', attributes: { size: 9 } }, { type: 'form', id: 'f1' }] }));
    expect(await ok(['workspace', 'resources', String(ws.id), file])).toEqual({ upserted: 2 });
    expect(await readDb('SELECT type, external_id, name, attributes FROM resources ORDER BY id')).toEqual([
      { type: 'library_item', external_id: '5', name: 'Clip', attributes: '{"size":9}' },
      { type: 'form', external_id: 'f1', name: null, attributes: '{}' },
    ]);
    const bad = join(dir, `resources-bad-${n}.json`);
    writeFileSync(bad, JSON.stringify({ resources: [{ type: 'Not A Type', id: '1' }] }));
    await fails(['workspace', 'resources', String(ws.id), bad], /type/);
    await fails(['workspace', 'resources', '999', file], /workspace 999 not found/);

    const { user } = await ok(['user', 'create', '--email', 'o@example.com', '--name', 'O']);
    await ok(['member', 'set', String(ws.id), String(user.id), 'owner']);
    const { api_key } = await ok(['key', 'create', '--user', String(user.id), '--workspace', String(ws.id)]);
    await withServer(async (app) => {
      for (const name of ['One', 'Two', 'Three']) {
        const res = await app.inject({ method: 'POST', url: `/api/workspaces/${ws.id}/labels`, headers: { authorization: `Bearer lnx_${api_key.key}` }, payload: { name } });
        expect(res.statusCode).toBe(201);
      }
    });
    const { events } = await ok(['workspace', 'events', String(ws.id)]);
    expect(events.map((e: { action: string; after: { name: string } }) => `${e.action} ${e.after.name}`)).toEqual(['label.created One', 'label.created Two', 'label.created Three']);
    expect(events[0]).toMatchObject({ workspace_id: ws.id, actor_user_id: user.id, api_key_id: api_key.id, dialect: 'livestorm', before: null });
    const page = await ok(['workspace', 'events', String(ws.id), '--after', String(events[0].id), '--limit', '1']);
    expect(page.events.map((e: { id: number }) => e.id)).toEqual([events[1].id]);
    await fails(['workspace', 'events', String(ws.id), '--limit', '0'], /whole number from 1 to 1000/);
    await fails(['workspace', 'events', String(ws.id), '--after', 'x'], /whole number/);
    await fails(['workspace', 'events', '999'], /workspace 999 not found/);
  });

  it('--help and help exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Usage: labelmux/);
    expect((await cli(['workspace', '--help'])).code).toBe(0);
    expect((await cli(['help', 'key'])).code).toBe(0);
  });
});

describe('invalid arguments exit non-zero with a message', () => {
  beforeEach(async () => {
    await ok(['workspace', 'create', 'Acme']);
    await ok(['user', 'create', '--email', 'a@example.com', '--name', 'A']);
  });

  it.each([
    [['nope'], /unknown command/],
    [['workspace', 'nope'], /unknown command/],
    [['workspace', 'create'], /missing required argument/],
    [['workspace', 'list', 'extra'], /too many arguments/],
    [['workspace', 'export'], /missing required argument/],
    [['workspace', 'export', 'abc'], /positive integer id/],
    [['workspace', 'export', '999'], /workspace 999 not found/],
    [['workspace', 'create', ''], /name is required/],
    [['user', 'create', '--email', 'x@example.com'], /required option '--name/],
    [['user', 'create', '--name', 'X'], /required option '--email/],
    [['user', 'create', '--email', 'not-an-email', '--name', 'X'], /email/],
    [['user', 'create', '--email', 'A@EXAMPLE.COM', '--name', 'Dup'], /already registered/],
    [['user', 'create', '--email', 'p@example.com', '--name', 'P', '--password', 'short'], /password/],
    [['user', 'create', '--email', 'p@example.com', '--name', 'P', '--role', 'owner'], /unknown option/],
    [['user', 'delete', 'abc'], /positive integer id/],
    [['user', 'delete', '0'], /positive integer id/],
    [['user', 'delete', '-1'], /unknown option|positive integer id/],
    [['member', 'set', '1', '1'], /missing required argument/],
    [['member', 'set', '1', '1', 'god'], /must be one of owner, admin, member, viewer/],
    [['member', 'set', 'x', '1', 'owner'], /positive integer id/],
    [['member', 'set', '1', 'x', 'owner'], /positive integer id/],
    [['member', 'set', '999', '1', 'owner'], /workspace 999 not found/],
    [['member', 'set', '1', '999', 'owner'], /user 999 not found/],
    [['key', 'create'], /required option '--user/],
    [['key', 'create', '--user', 'abc'], /positive integer id/],
    [['key', 'create', '--user', '1', '--workspace', '1.5'], /positive integer id/],
    [['key', 'create', '--user', '999'], /user 999 not found/],
    [['key', 'create', '--user', '1', '--workspace', '1'], /not a member/],
    [['key', 'revoke', 'abc'], /positive integer id/],
    [['key', 'revoke', '999'], /api_key 999 not found/],
  ])('%j', async (args, message) => {
    await fails(args, message);
  });

  it('a bare group prints its help and exits non-zero', async () => {
    const r = await cli(['workspace']);
    expect(r.code).not.toBe(0);
  });

  it('no command prints help and exits non-zero', async () => {
    expect((await cli([])).code).not.toBe(0);
  });

  it('import: a missing file, bad JSON, or a document that fails the schema', async () => {
    await fails(['workspace', 'import', '1', join(dir, 'does-not-exist.json')], /cannot read .*does-not-exist\.json/);
    const bad = join(dir, `bad-${n}.json`);
    writeFileSync(bad, '{"format": ');
    await fails(['workspace', 'import', '1', bad], /not valid JSON/);
    const wrong = join(dir, `wrong-${n}.json`);
    writeFileSync(wrong, JSON.stringify({ format: 'something-else', version: 1, workspace: { name: 'x' }, labels: [], resources: [] }));
    await fails(['workspace', 'import', '1', wrong], /format/);
    const good = join(dir, `good-${n}.json`);
    writeFileSync(good, JSON.stringify({ format: 'labelmux-workspace', version: 1, workspace: { name: 'x' }, labels: [], resources: [] }));
    await fails(['workspace', 'import', 'abc', good], /positive integer id/);
    await fails(['workspace', 'import', '999', good], /workspace 999 not found/);
    await fails(['workspace', 'import', '1'], /missing required argument/);
    expect(await readDb('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
  });

  it('an invalid configuration is reported, not thrown', async () => {
    await fails(['workspace', 'list'], /Invalid configuration[\s\S]*LABELMUX_DB/, { LABELMUX_DB: '' });
    await fails(['workspace', 'list'], /Invalid configuration[\s\S]*PORT/, { LABELMUX_DB: db, PORT: 'eighty' });
  });

  it('a database that cannot be opened is reported, not thrown', async () => {
    const file = join(dir, `plain-file-${n}`);
    writeFileSync(file, 'not a directory');
    await fails(['workspace', 'list'], /labelmux: /, { LABELMUX_DB: join(file, 'labelmux.db') });
  });
});

describe('bin/labelmux.js', () => {
  const run = promisify(execFile);

  it('runs as a real process: workspace list prints JSON and exits 0; a bad id exits 1', async () => {
    await ok(['workspace', 'create', 'From the test']);
    const env = { ...process.env, LABELMUX_DB: db };
    const { stdout } = await run(process.execPath, [BIN, 'workspace', 'list'], { env, cwd: ROOT, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual({ workspaces: [expect.objectContaining({ id: 1, name: 'From the test' })] });

    const failed = await run(process.execPath, [BIN, 'key', 'revoke', 'abc'], { env, cwd: ROOT, timeout: 30_000 }).then(
      () => null,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(failed).not.toBeNull();
    expect(failed!.code).toBe(1);
    expect(failed!.stderr).toMatch(/labelmux: must be a positive integer id/);
  }, 60_000);
});

afterEach(() => {
  vi.restoreAllMocks();
});
