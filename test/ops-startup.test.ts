// A server that cannot start says why in one line naming the setting at fault, and exits non-zero, instead
// of a stack trace or a half-working start (src/startup.ts, src/config.ts, src/db/sqlite/file-checks.ts).
// Real server processes (src/server.ts through tsx), each bounded in time.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, unknownSettings } from '../src/config.js';
import { createSqliteStore } from '../src/db/index.js';
import { ADMIN, cleanEnv, kill, ROOT, startServer, type Server } from './process-helper.js';
import { corruptIndex } from './sqlite-files.js';
import { onPostgres } from './test-store.js';

const SERVER = join(ROOT, 'src', 'server.ts');
/** tsx's loader by its path: `--import tsx` would resolve from the working directory, which some tests move. */
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the server with `env` (over the test's defaults) until it exits, or fails the test if it listens or
 * is still running after `ms`. `cwd` is where a relative LABELMUX_DB would land.
 */
async function startFails(env: Record<string, string>, opts: { ms?: number; cwd?: string; uid?: number; args?: string[] } = {}): Promise<Ended> {
  const child = spawn(process.execPath, ['--import', TSX, SERVER, ...(opts.args ?? [])], {
    cwd: opts.cwd ?? ROOT,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', LABELMUX_BOOTSTRAP: 'none', LABELMUX_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(opts.uid !== undefined && { uid: opts.uid, gid: opts.uid }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.ms ?? 30_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  expect(stdout, `the server started instead of failing:\n${stdout}${stderr}`).not.toMatch(/listening on/);
  expect(signal, `the server was still running after ${opts.ms ?? 30_000} ms:\n${stdout}${stderr}`).toBeNull();
  return { code, signal, stdout, stderr };
}

/** Exit code 1 and exactly one stderr line, `labelmux: <SETTING>…`, matching `line`; no stack trace. */
function expectOneLine(r: Ended, line: RegExp): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr.split('\n').filter(Boolean), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(line);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** A port some other process listens on. */
async function occupiedPort(): Promise<{ port: number; server: NetServer }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, server };
}

/** A loopback port nothing listens on (closed again at once). */
async function closedPort(): Promise<number> {
  const { port, server } = await occupiedPort();
  server.close();
  await once(server, 'close');
  return port;
}

/** A SQLite database with 50 workspaces, made by the store (schema and all), closed. */
async function populated(file: string): Promise<void> {
  const store = createSqliteStore(file);
  for (let i = 0; i < 50; i++) await store.db.run('INSERT INTO workspaces (uuid, name, created_at) VALUES (?,?,?)', `uuid-${i}`, `Workspace ${i}`, 1);
  await store.close();
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'labelmux-startup-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('clear failures at start (one line naming the setting, exit 1)', () => {
  it('PORT in use', async () => {
    const { port, server } = await occupiedPort();
    try {
      const r = await startFails({ PORT: String(port), LABELMUX_DB: join(tmp, 'port.db') });
      expectOneLine(r, new RegExp(`^labelmux: PORT=${port}: 127\\.0\\.0\\.1:${port} is already in use by another process; stop it or set PORT to a free port`));
    } finally {
      server.close();
    }
  }, 40_000);

  it('HOST that is no address of this machine, or no host at all', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    expectOneLine(await startFails({ HOST: '192.0.2.1', LABELMUX_DB: join(tmp, 'host.db') }), /^labelmux: HOST=192\.0\.2\.1: not an address of this machine; set HOST to/);
    expectOneLine(await startFails({ HOST: 'no-such-host.invalid', LABELMUX_DB: join(tmp, 'host.db') }), /^labelmux: HOST=no-such-host\.invalid: no such host name or address; set HOST to/);
  }, 70_000);

  it('LABELMUX_DB with a scheme that is no database labelmux speaks creates nothing', async () => {
    const cwd = join(tmp, 'scheme');
    mkdirSync(cwd);
    for (const url of ['mysql://x', 'sqlite://db.sqlite', 'redis://localhost:6379/0']) {
      const r = await startFails({ LABELMUX_DB: url }, { cwd });
      expectOneLine(r, /^labelmux: Invalid configuration: LABELMUX_DB: [a-z]+: is not a supported database; use a SQLite file path .*postgres:\/\/ URL$/m);
    }
    expect(existsSync(join(cwd, 'mysql:')), 'no SQLite file named mysql:/x').toBe(false);
    expect(existsSync(join(cwd, 'sqlite:'))).toBe(false);
  }, 90_000);

  it('LABELMUX_DB naming a file that is not a SQLite database (left as it was)', async () => {
    const file = join(tmp, 'labels.csv');
    writeFileSync(file, 'name,color\nUrgent,#ff0000\n');
    const r = await startFails({ LABELMUX_DB: file });
    expectOneLine(r, /^labelmux: LABELMUX_DB=.*labels\.csv: .*labels\.csv is not a SQLite database \(its header is not "SQLite format 3"\); point LABELMUX_DB at/);
    expect(readFileSync(file, 'utf8')).toBe('name,color\nUrgent,#ff0000\n');
  }, 40_000);

  it('LABELMUX_DB naming a file this process cannot write (it used to start and answer 500 to every write)', async () => {
    const dir = join(tmp, 'readonly');
    mkdirSync(dir);
    chmodSync(tmp, 0o755);
    const file = join(dir, 'labelmux.db');
    await populated(file);
    chmodSync(file, 0o444);
    // root writes any file: the server then runs as nobody, for whom the file is read-only (its directory is
    // writable, so SQLite can make its -wal and -shm files: only the database file itself refuses writes).
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chmodSync(dir, 0o777);
    const r = await startFails({ LABELMUX_DB: file, HOME: dir }, asRoot ? { uid: 65534 } : {});
    expectOneLine(r, /^labelmux: LABELMUX_DB=.*labelmux\.db: cannot write .*labelmux\.db \(attempt to write a readonly database\); give this user write access/);
  }, 40_000);

  it('LABELMUX_DB naming a PostgreSQL server that is not running', async () => {
    const port = await closedPort();
    // One attempt (LABELMUX_PG_START_TIMEOUT=0): the retries themselves are test/pg/outage.pgtest.ts's.
    const r = await startFails({ LABELMUX_DB: `postgres://labelmux:s3cret@127.0.0.1:${port}/labelmux`, LABELMUX_PG_START_TIMEOUT: '0' }, { ms: 60_000 });
    expectOneLine(r, new RegExp(`^labelmux: PostgreSQL at LABELMUX_DB=postgres://labelmux:\\*\\*\\*@127\\.0\\.0\\.1:${port}/labelmux stayed unreachable for \\d+ s \\(.*ECONNREFUSED.*\\); giving up\\. Check that it runs`));
    expect(r.stderr).not.toMatch(/s3cret/);
  }, 70_000);
});

describe('integrity check at start (LABELMUX_CHECK_AT_START, --check-at-start)', () => {
  it('a damaged file is refused by the check, with the env variable or the flag', async () => {
    const file = join(tmp, 'damaged', 'labelmux.db');
    mkdirSync(join(tmp, 'damaged'));
    await populated(file);
    corruptIndex(file, 'workspaces');
    for (const [env, args] of [[{ LABELMUX_CHECK_AT_START: 'full' }, []], [{ LABELMUX_CHECK_AT_START: 'quick' }, []], [{}, ['--check-at-start']]] as const) {
      const r = await startFails({ LABELMUX_DB: file, ...env }, { args: [...args] });
      expectOneLine(r, /^labelmux: LABELMUX_DB=.*: the (full|quick) integrity check found \d+ problem\(s\), first: .+; restore the file from a backup/);
    }
  }, 90_000);

  it('a sound file passes and the server listens; an unknown flag is refused', async () => {
    let s: Server | undefined;
    try {
      s = await startServer(join(tmp, 'sound', 'labelmux.db'), { LABELMUX_CHECK_AT_START: 'full' });
      // On PostgreSQL (npm run test:pg) the check is SQLite's own: a warning says so and the server starts.
      expect(s.output()).toMatch(
        onPostgres ? /^labelmux: warning: LABELMUX_CHECK_AT_START checks SQLite files; PostgreSQL checks its own pages/m : /^labelmux: full integrity check of the database passed in \d+ ms$/m,
      );
    } finally {
      await kill(s);
    }
    expectOneLine(await startFails({ LABELMUX_DB: join(tmp, 'flag.db') }, { args: ['--chek'] }), /^labelmux: Invalid configuration: unknown option --chek;/);
  }, 60_000);
});

describe('unknown LABELMUX_* variables', () => {
  it('each gets one warning line naming the closest setting; the server still starts', async () => {
    let s: Server | undefined;
    try {
      s = await startServer(join(tmp, 'typo', 'labelmux.db'), { LABELMUX_BODYLIMIT: '2048', LABELMUX_ADMINTOKEN: 'x', LABELMUX_WHATEVER: '1' });
      const warnings = s.output().split('\n').filter((l) => l.includes('warning'));
      expect(warnings).toEqual([
        'labelmux: warning: LABELMUX_ADMINTOKEN is not a labelmux setting and is ignored; did you mean LABELMUX_ADMIN_TOKEN?',
        'labelmux: warning: LABELMUX_BODYLIMIT is not a labelmux setting and is ignored; did you mean LABELMUX_BODY_LIMIT?',
        'labelmux: warning: LABELMUX_WHATEVER is not a labelmux setting and is ignored; see "Settings" in docs/operations.md',
      ]);
    } finally {
      await kill(s);
    }
  }, 60_000);

  it('settings, and the test suite\'s own variables, get none', () => {
    expect(unknownSettings({ LABELMUX_DB: 'x', LABELMUX_RAZUNA_PREFIX: '/r', LABELMUX_TEST_DB: 'postgres', PATH: '/bin', LABELMUXDB: 'y' })).toEqual([]);
  });
});

describe('LABELMUX_DB forms', () => {
  it('paths, :memory:, file: URLs and PostgreSQL URLs are accepted; file: URLs become paths', () => {
    const db = (v: string) => loadConfig({ LABELMUX_DB: v }).db;
    expect(db('./data/labelmux.db')).toBe('./data/labelmux.db');
    expect(db(':memory:')).toBe(':memory:');
    expect(db('C:\\data\\labelmux.db')).toBe('C:\\data\\labelmux.db');
    expect(db('file:///var/lib/labelmux/my%20labels.db')).toBe('/var/lib/labelmux/my labels.db');
    expect(db('file://localhost/var/lib/labelmux.db')).toBe('/var/lib/labelmux.db');
    expect(db('file:data/labelmux.db')).toBe('data/labelmux.db');
    expect(db('file::memory:')).toBe(':memory:');
    expect(db('postgres://u:p@db:5432/labelmux')).toBe('postgres://u:p@db:5432/labelmux');
    expect(db('postgresql://db/labelmux')).toBe('postgresql://db/labelmux');
    for (const bad of ['mysql://x', 'postgres:labelmux', 'http://example.com/db', 'sqlite:./x.db']) {
      expect(() => db(bad), bad).toThrow(/LABELMUX_DB: .* is not a supported database/);
    }
  });
});
