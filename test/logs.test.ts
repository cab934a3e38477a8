// Logs people and collectors can read: LOG_FORMAT (pretty lines on a terminal, JSON lines otherwise, ISO times
// in both), the start-up banner on stderr so stdout stays pure JSON, and the access-log switch
// LABELMUX_ACCESS_LOG (off, on, sample:N), a bad value refused at start.
import { type ChildProcess, spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createCore } from '../src/core/index.js';
import { loggerOptions, prettyLogs } from '../src/launch.js';
import { ADMIN_TOKEN, createTenant } from './helper.js';
import { cleanEnv, ROOT } from './process-helper.js';
import { createTestStore, testDatabase } from './test-store.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Runs `src/server.ts` (through `script` when `tty`: stdout and stderr are then one terminal), waits for
 * "listening on", asks `paths` of it, waits until stdout matches `waitFor` (a log line the requests make),
 * then stops it with SIGTERM.
 */
async function runServer(env: Record<string, string>, opts: { tty?: boolean; paths?: string[]; waitFor?: RegExp } = {}): Promise<Run> {
  const db = await testDatabase(`:memory:`);
  const vars = cleanEnv({ HOST: '127.0.0.1', PORT: '0', LABELMUX_DB: db, LOG_LEVEL: 'info', ...env });
  const node = [process.execPath, '--import', 'tsx', 'src/server.ts'];
  // `script` gives the server a terminal (a pty) and copies what it writes there to its own stdout.
  const child: ChildProcess = opts.tty
    ? spawn('script', ['-qec', node.join(' '), '/dev/null'], { cwd: ROOT, env: vars, stdio: ['pipe', 'pipe', 'pipe'], detached: true })
    : spawn(node[0]!, node.slice(1), { cwd: ROOT, env: vars, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const run: Run = { stdout: '', stderr: '', code: null };
  child.stdout!.on('data', (b: Buffer) => (run.stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (run.stderr += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const base = await new Promise<string | null>((resolve) => {
      const check = () => {
        const m = /labelmux: listening on (http:\/\/\S+)/.exec(run.stdout + run.stderr);
        if (m) resolve(m[1]!);
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      void exited.then(() => resolve(null));
    });
    if (base === null) return { ...run, code: await exited };
    for (const path of opts.paths ?? []) await (await fetch(`${base}${path}`)).text();
    for (const until = Date.now() + 10_000; opts.waitFor && !opts.waitFor.test(run.stdout) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 50));
    process.kill(-child.pid!, 'SIGTERM');
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 15_000);
    run.code = await exited;
    clearTimeout(timer);
    return run;
  } catch (e) {
    process.kill(-child.pid!, 'SIGKILL');
    throw e;
  }
}

describe('LOG_FORMAT', () => {
  it('auto is pretty on a terminal and JSON otherwise; pretty and json force a format', () => {
    expect([prettyLogs('auto', true), prettyLogs('auto', false), prettyLogs('pretty', false), prettyLogs('json', true)]).toEqual([true, false, true, false]);
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(() => loadConfig({ LOG_FORMAT: 'text' })).toThrow(/^Invalid configuration: LOG_FORMAT: must be auto \(pretty on a terminal, else JSON\), pretty or json$/);
    const json = loggerOptions(loadConfig({ LOG_FORMAT: 'pretty' }), false) as Record<string, unknown>;
    expect(json.stream).toBeDefined();
    expect((loggerOptions(loadConfig({ LOG_FORMAT: 'json' }), true) as Record<string, unknown>).stream).toBeUndefined();
  });

  it('not on a terminal: stdout is JSON lines with ISO times; the banner, token and address are on stderr', async () => {
    const run = await runServer({ LABELMUX_ACCESS_LOG: 'on', LABELMUX_BOOTSTRAP: 'demo' }, { paths: ['/healthz', '/API/user/labels?apiKey=0123456789abcdef0123456789abcdef'] });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4); // listening, two requests, shutting down
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry.time, line).toMatch(ISO);
      expect(typeof entry.level).toBe('number');
    }
    expect(run.stdout).toContain('"msg":"request"');
    expect(run.stdout).not.toContain('0123456789abcdef0123456789abcdef'); // the query string, with its key, is not logged
    expect(run.stderr).toMatch(/^labelmux: admin token for this run \(set LABELMUX_ADMIN_TOKEN to fix it\): [0-9a-f]{48}$/m);
    expect(run.stderr).toMatch(/^labelmux: created a demo workspace/m);
    expect(run.stderr).toMatch(/^ {2}api key {4}[0-9a-f]{32}$/m);
    expect(run.stderr).toMatch(/^labelmux: listening on http:\/\/127\.0\.0\.1:\d+$/m);
  }, 60_000);

  it('LOG_FORMAT=pretty: one readable line per entry, with the ISO time, even into a pipe', async () => {
    const run = await runServer({ LABELMUX_ACCESS_LOG: 'on', LOG_FORMAT: 'pretty', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LABELMUX_BOOTSTRAP: 'none' }, { paths: ['/healthz'] });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] (INFO|WARN|ERROR): /);
    expect(lines.some((l) => /INFO: request \{.*"method":"GET","url":"\/healthz".*"status":200/.test(l))).toBe(true);
    expect(run.stdout).not.toMatch(/\x1b\[/); // no colours into a pipe
  }, 60_000);

  it('on a terminal: pretty and coloured by default, JSON with LOG_FORMAT=json', async () => {
    const env = { LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LABELMUX_BOOTSTRAP: 'none', LABELMUX_ACCESS_LOG: 'on' };
    // The access line of the request, once it is there (the terminal's output is read while it comes).
    const prettyLine = /\[\d{4}-\d\d-\d\dT[\d:.]+Z\] \x1b\[32mINFO\x1b\[39m: \x1b\[36mrequest\x1b\[39m .*"url":"\/healthz"/;
    const pretty = await runServer(env, { tty: true, paths: ['/healthz'], waitFor: prettyLine });
    expect(pretty.stdout).toMatch(prettyLine);
    expect(pretty.stdout).not.toContain('{"level"');
    const jsonLine = /^\{"level":30,"time":"\d{4}-\d\d-\d\dT[\d:.]+Z",.*"url":"\/healthz".*"msg":"request"\}\r?$/m;
    const json = await runServer({ ...env, LOG_FORMAT: 'json' }, { tty: true, paths: ['/healthz'], waitFor: jsonLine });
    expect(json.stdout).toMatch(jsonLine);
  }, 90_000);
});

describe('LABELMUX_ACCESS_LOG', () => {
  const store = createTestStore();
  const core = createCore({ store });
  let log: Record<string, unknown>[] = [];
  const stream = new Writable({ write: (chunk, _enc, done) => (log.push(JSON.parse(String(chunk))), done()) });
  let key = '';
  let workspace = 0;
  beforeAll(async () => {
    const tenant = await createTenant(core);
    key = tenant.keys.owner;
    workspace = tenant.workspaceId;
  });
  afterAll(() => store.close());

  /** Nine requests to an app with these settings; the access lines its log received. */
  const accessLines = async (env: Record<string, string>) => {
    const config = loadConfig({ LABELMUX_DB: ':memory:', ...env });
    const app = await buildApp({ config, core, adminToken: ADMIN_TOKEN, logger: { ...(loggerOptions(config, false) as object), stream } });
    log = [];
    try {
      for (let i = 0; i < 9; i++) await app.inject({ url: `/API/user/labels?apiKey=${key}` });
    } finally {
      await app.close();
    }
    return log.filter((l) => l.msg === 'request');
  };

  it('off (the default) writes no access line at info', async () => {
    expect(loadConfig({}).accessLogEvery).toBe(0);
    expect(await accessLines({})).toEqual([]);
    expect(await accessLines({ LABELMUX_ACCESS_LOG: 'off' })).toEqual([]);
  });

  it('on writes one info line per request: request id, method, path without the query, route, status, ms, dialect, workspace', async () => {
    const lines = await accessLines({ LABELMUX_ACCESS_LOG: 'on' });
    expect(lines).toHaveLength(9);
    for (const l of lines) {
      expect(l).toEqual({ level: 30, time: expect.stringMatching(ISO), pid: process.pid, hostname: expect.any(String), reqId: expect.any(String), method: 'GET', url: '/API/user/labels', route: '/API/user/labels', status: 200, ms: expect.any(Number), dialect: 'jotform', workspace, msg: 'request' });
    }
    expect(new Set(lines.map((l) => l.reqId)).size).toBe(9);
  });

  it('sample:N writes one line in N', async () => {
    expect(await accessLines({ LABELMUX_ACCESS_LOG: 'sample:3' })).toHaveLength(3);
    expect(await accessLines({ LABELMUX_ACCESS_LOG: 'sample:1' })).toHaveLength(9);
    expect(await accessLines({ LABELMUX_ACCESS_LOG: 'sample:10' })).toHaveLength(0);
  });

  it('off with LOG_LEVEL=debug still logs each request, at debug', async () => {
    const lines = await accessLines({ LABELMUX_ACCESS_LOG: 'off', LOG_LEVEL: 'debug' });
    expect(lines.map((l) => l.level)).toEqual(new Array(9).fill(20));
    const sampled = await accessLines({ LABELMUX_ACCESS_LOG: 'sample:3', LOG_LEVEL: 'debug' });
    expect(sampled.map((l) => l.level)).toEqual([20, 20, 30, 20, 20, 30, 20, 20, 30]);
  });

  it('a bad value is a configuration error naming the setting and the values it takes', () => {
    for (const bad of ['yes', 'ON', 'sample', 'sample:', 'sample:0', 'sample:-1', 'sample:1.5', '']) {
      expect(() => loadConfig({ LABELMUX_ACCESS_LOG: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ LABELMUX_ACCESS_LOG: bad }), bad).toThrow(/^Invalid configuration: LABELMUX_ACCESS_LOG: must be off, on or sample:<N> \(one request in N logged, e.g. sample:100\)$/);
    }
  });

  it('a bad value stops the server at start: one line on stderr, exit 1', async () => {
    const run = await runServer({ LABELMUX_ACCESS_LOG: 'sometimes' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('labelmux: Invalid configuration: LABELMUX_ACCESS_LOG: must be off, on or sample:<N> (one request in N logged, e.g. sample:100)\n');
    expect(run.stdout).toBe('');
  }, 60_000);
});
