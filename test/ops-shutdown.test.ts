// Graceful shutdown of the real server process (src/server.ts: close-with-grace → app.close → store.close):
// a request in flight when SIGTERM arrives still gets its answer, new connections are turned away, the process
// exits 0, and the SQLite file it leaves is intact and checkpointed.
// The server runs from the TypeScript sources through tsx (a runtime dependency) rather than a build in
// dist/, so this test neither pays for nor races with a build of the shared work tree; the built dist/ is
// exercised by ops-dockerfile-steps.test.ts.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The environment a fresh shell would have: no settings leaking in from the process running the tests. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$|LABELMUX_|PORT$|HOST$|LOG_LEVEL$)/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

const exited = (child: ChildProcess, ms: number) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    const t = setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms`)), ms);
    child.once('exit', (code, signal) => (clearTimeout(t), resolve({ code, signal })));
  });

/**
 * A new request on a new connection: 'refused' when nothing listens (ECONNREFUSED) or when a connection that
 * the kernel queued just before the listener closed is reset without an answer (ECONNRESET); else the status.
 */
const probe = (port: number) =>
  new Promise<'refused' | number>((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('timeout', () => req.destroy(new Error('probe timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' ? resolve('refused') : reject(e)));
  });

interface Running {
  child: ChildProcess;
  port: number;
  key: string;
  workspaceId: number;
  dbPath: string;
  output(): string;
  /** Resolves with the first match of `re` in the server's stdout+stderr. */
  waitForOutput(re: RegExp, ms: number): Promise<RegExpExecArray>;
}

/** Starts `src/server.ts` on a free port over a new SQLite file in `dir`, and reads the demo key it prints. */
async function startServer(dir: string): Promise<Running> {
  const dbPath = join(dir, 'data', 'labelmux.db');
  const env = cleanEnv({ HOST: '127.0.0.1', PORT: '0', LABELMUX_DB: dbPath, LABELMUX_BOOTSTRAP: 'demo', LABELMUX_ADMIN_TOKEN: 'ops-shutdown-admin-token', LOG_LEVEL: 'info' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const waitForOutput = (re: RegExp, ms: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(out);
        if (m) return done(() => resolve(m));
        if (child.exitCode !== null) return done(() => reject(new Error(`server exited (${child.exitCode}) before printing ${re}:\n${out}`)));
      };
      const t = setTimeout(() => done(() => reject(new Error(`no ${re} within ${ms} ms:\n${out}`))), ms);
      const done = (f: () => void) => (clearTimeout(t), child.stdout!.off('data', check), child.stderr!.off('data', check), child.off('exit', check), f());
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.on('exit', check);
      check();
    });
  const listening = await waitForOutput(/^labelmux: listening on http:\/\/127\.0\.0\.1:(\d+)$/m, 45_000);
  const key = /^ {2}api key {4}([0-9a-f]{32})$/m.exec(out)?.[1] ?? '';
  const workspaceId = Number(/^ {2}workspace {2}id=(\d+) /m.exec(out)?.[1]);
  expect(key, `no demo key in the banner:\n${out}`).toMatch(/^[0-9a-f]{32}$/);
  expect(workspaceId).toBeGreaterThan(0);
  return { child, port: Number(listening[1]), key, workspaceId, dbPath, output: () => out, waitForOutput };
}

/** A raw connection carrying a label create whose body is only half sent; `finish()` sends the rest. */
async function halfSentCreate(s: Running, name: string, headers: string[] = []) {
  const body = JSON.stringify({ name, color: '#22C55E' });
  const half = Math.floor(body.length / 2);
  const sock = connect(s.port, '127.0.0.1');
  await once(sock, 'connect');
  let raw = '';
  sock.setEncoding('utf8').on('data', (chunk: string) => (raw += chunk));
  const closed = once(sock, 'close').then(() => true);
  sock.write(
    [
      `POST /api/workspaces/${s.workspaceId}/labels HTTP/1.1`,
      `Host: 127.0.0.1:${s.port}`,
      `Authorization: Bearer lnx_${s.key}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...headers,
      '',
      body.slice(0, half),
    ].join('\r\n'),
  );
  // Loopback: ample for the server to parse the headers (the connection then has a request and is not idle).
  await sleep(500);
  return {
    sock,
    /** Sends the rest of the body and resolves with the status and JSON of the complete response. */
    async finish(ms = 10_000): Promise<{ status: number; json: { label: { id: number; name: string; color: string } } }> {
      sock.write(body.slice(half));
      for (const until = Date.now() + ms; Date.now() < until; await sleep(20)) {
        const [head = '', payload = ''] = raw.split('\r\n\r\n');
        const length = Number(/^content-length: *(\d+)$/im.exec(head)?.[1] ?? NaN);
        if (Buffer.byteLength(payload) >= length) return { status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1]), json: JSON.parse(payload) };
      }
      throw new Error(`no complete response within ${ms} ms; got:\n${raw}`);
    },
    /** Whether the server closed the connection within `ms`. */
    closedWithin: (ms: number) => Promise.race([closed, sleep(ms).then(() => false)]),
  };
}

async function stop(child: ChildProcess | undefined) {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited(child, 5000).catch(() => undefined);
  }
}

describe('graceful shutdown (SIGTERM) of the server process', () => {
  let tmp: string;
  let server: Running | undefined;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'labelmux-shutdown-'));
  });

  afterEach(async () => {
    await stop(server?.child);
    server = undefined;
  });

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('answers a request in flight at SIGTERM, turns new connections away, exits 0 and leaves a clean database', async () => {
    const s = (server = await startServer(join(tmp, 'one')));
    // `Connection: close`, as a one-shot client sends it (keep-alive clients: see the next test).
    const inFlight = await halfSentCreate(s, 'Written during shutdown', ['Connection: close']);

    s.child.kill('SIGTERM');
    await s.waitForOutput(/shutting down: finishing in-flight requests/, 10_000);

    // New connections: refused once the listener is closed (or 503 while Fastify is closing).
    let fresh: 'refused' | number = 200;
    for (const until = Date.now() + 5000; fresh === 200 && Date.now() < until; await sleep(50)) fresh = await probe(s.port);
    expect(fresh === 'refused' || fresh === 503, `a new request after SIGTERM got ${fresh}`).toBe(true);
    expect(s.child.exitCode, 'the server waits for the in-flight request').toBeNull();

    const res = await inFlight.finish();
    expect(res.status).toBe(201);
    expect(res.json.label).toMatchObject({ name: 'Written during shutdown', color: '#22c55e' });
    expect(await inFlight.closedWithin(5000)).toBe(true);
    // Well inside close-with-grace's 10 s delay, after which the process would exit 1 instead.
    expect(await exited(s.child, 5000), s.output()).toEqual({ code: 0, signal: null });

    // The clean close checkpointed the WAL into the main file (and removed it, or left it empty).
    const wal = `${s.dbPath}-wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0, 'the -wal file is checkpointed').toBe(true);
    const db = new Database(s.dbPath, { fileMustExist: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.prepare('SELECT name, color, workspace_id AS ws FROM labels WHERE id = ?').get(res.json.label.id)).toEqual({
        name: 'Written during shutdown',
        color: '#22c55e',
        ws: s.workspaceId,
      });
    } finally {
      db.close();
    }
  }, 60_000);

  // Keep-alive is the default of Node's global agent, undici/fetch and browsers: a response in flight at
  // SIGTERM must carry `Connection: close`, or server.close() would wait for the idle socket.
  it('closes a keep-alive connection after its in-flight response, so shutdown is not held up', async () => {
    const s = (server = await startServer(join(tmp, 'keep-alive')));
    const inFlight = await halfSentCreate(s, 'Keep-alive during shutdown');
    s.child.kill('SIGTERM');
    await s.waitForOutput(/shutting down: finishing in-flight requests/, 10_000);
    const res = await inFlight.finish();
    expect(res.status).toBe(201);
    expect(await inFlight.closedWithin(2000), 'the server closes the connection after the response').toBe(true);
    expect(await exited(s.child, 3000)).toEqual({ code: 0, signal: null });
  }, 60_000);
});
