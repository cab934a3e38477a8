// How the server process ends (src/server.ts, src/http/connections.ts): a fatal signal kills it by that
// signal, so a supervisor sees a crash and restarts it; SIGTERM with slow or idle clients still exits 0
// once the requests it received whole are answered, well inside the 10 s grace. Real server processes.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, kill, provision, sleep, startServer, type Server } from './process-helper.js';

let tmp: string;
let server: Server | undefined;
let n = 0;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'labelmux-signals-'));
});
afterEach(async () => {
  await kill(server);
  server = undefined;
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const start = async () => (server = await startServer(join(tmp, `db-${++n}`, 'labelmux.db'), { LOG_LEVEL: 'info' }));

/** A raw connection to the server, collecting what it answers; `closed` settles when the server closes it. */
async function rawConnection(port: number): Promise<{ sock: Socket; received: () => string; closed: Promise<number> }> {
  const sock = connect(port, '127.0.0.1');
  await once(sock, 'connect');
  let text = '';
  sock.setEncoding('utf8').on('data', (c: string) => (text += c));
  sock.on('error', () => {});
  const closed = once(sock, 'close').then(() => Date.now());
  return { sock, received: () => text, closed };
}

describe('fatal signals', () => {
  it.each(['SIGBUS', 'SIGSEGV'] as const)('%s kills the process by that signal at once (it used to start a graceful shutdown and, for a real fault, spin)', async (signal) => {
    const s = await start();
    expect((await call(s.port, 'GET', '/healthz')).status).toBe(200);
    s.child.kill(signal);
    const ended = await s.exited(5000);
    expect(ended, s.output()).toEqual({ code: null, signal });
    expect(s.output()).not.toMatch(/shutting down/);
  }, 60_000);
});

describe('SIGTERM with slow clients', () => {
  it('closes an idle keep-alive connection and a half-sent request at once, answers the request received whole, and exits 0', async () => {
    const s = await start();
    const { workspaceId, key } = await provision(s.port, 'Slow clients');

    // Idle keep-alive: one whole request answered, then the client keeps the connection open.
    const idle = await rawConnection(s.port);
    idle.sock.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    for (let i = 0; i < 100 && !idle.received().includes('"ok"'); i++) await sleep(20);
    expect(idle.received()).toMatch(/^HTTP\/1\.1 200 /);
    // Half-sent request: the headers never finish.
    const headers = await rawConnection(s.port);
    headers.sock.write(`POST /api/workspaces/${workspaceId}/labels HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer lnx_${key}\r\nContent-Ty`);
    // Half-sent body: the headers arrived, the body stalls.
    const body = await rawConnection(s.port);
    body.sock.write(`POST /api/workspaces/${workspaceId}/labels HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer lnx_${key}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"name":`);
    // A request sent whole just before SIGTERM is still answered.
    const whole = call(s.port, 'POST', `/api/workspaces/${workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${key}` }, body: { name: 'Sent whole' } });
    await sleep(300);

    const sigterm = Date.now();
    s.child.kill('SIGTERM');
    const ended = await s.exited(9000);
    const took = Date.now() - sigterm;
    expect(ended, s.output()).toEqual({ code: 0, signal: null });
    // The body's grace is 5 s; the 10 s grace (exit 1) is never reached.
    expect(took).toBeLessThan(8000);
    expect((await whole).status).toBe(201);
    // The idle and the header-less connections were closed at once, not at the end.
    expect((await idle.closed) - sigterm).toBeLessThan(2000);
    expect((await headers.closed) - sigterm).toBeLessThan(2000);
    expect(headers.received()).toBe('');
    await body.closed;
    for (const c of [idle, headers, body]) c.sock.destroy();
  }, 60_000);
});
