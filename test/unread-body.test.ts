// Requests answered before their body was read to the end, on a raw keep-alive connection (as a client's
// connection pool reuses it): a refused multipart body (a file part, too many fields) on Jotform and Razuna is
// drained, so the next request on the same connection is answered at once instead of waiting for the request
// timeout; a large refused body is not read at all: its answer says `Connection: close`, arrives whole, and the
// connection is closed after it.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';

let t: TestApp;
let tenant: Tenant;
let port: number;

beforeAll(async () => {
  // A request timeout far beyond the deadline below: a stalled connection cannot be rescued by a 408.
  t = await buildTestApp({ LABELMUX_REQUEST_TIMEOUT: '120000' });
  tenant = await createTenant(t.core);
  port = Number(new URL(await t.app.listen({ port: 0, host: '127.0.0.1' })).port);
});
afterAll(() => t.close());

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/**
 * Reads `n` whole responses (Content-Length framed) from a socket, or fails after `ms`; `closed` settles when
 * the server has closed the connection, or fails after `ms` more.
 */
function responses(socket: Socket, n: number, ms = 5000): Promise<{ list: RawResponse[]; closed: Promise<void> }> {
  const closed = new Promise<void>((resolve, reject) => {
    socket.once('close', () => resolve());
    socket.once('end', () => resolve());
    setTimeout(() => reject(new Error('the connection was not closed')), 2 * ms).unref();
  });
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const list: RawResponse[] = [];
    const timer = setTimeout(() => reject(new Error(`only ${list.length} of ${n} responses within ${ms} ms`)), ms);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headers = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        list.push({ status: Number(headers.slice(9, 12)), headers: headers.toLowerCase(), body: buffer.subarray(end + 4, end + 4 + length).toString() });
        buffer = buffer.subarray(end + 4 + length);
        if (list.length === n) {
          clearTimeout(timer);
          return resolve({ list, closed });
        }
      }
    });
  });
}

const BOUNDARY = '----labelmuxUnreadBodyBoundary';
function multipart(fields: number, file = false): string {
  const parts = Array.from({ length: fields }, (_, i) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\n${'v'.repeat(400)}\r\n`);
  if (file) parts.unshift(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="upload"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(40_000)}\r\n`);
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
}
const post = (path: string, contentType: string, body: string | Buffer, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\n${extra}Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

/** Sends one refused request and then a good one on the same connection; both answers must come. */
async function refusedThenNext(path: string, contentType: string, body: string, headers: string, next: string) {
  const socket = connect(port, '127.0.0.1');
  const got = responses(socket, 2);
  // The body arrives in two pieces, as a larger body does: the refusal comes while its rest is on its way.
  socket.write(post(path, contentType, body, headers) + body.slice(0, 1000));
  await new Promise((r) => setTimeout(r, 100));
  socket.write(body.slice(1000) + next);
  const { list } = await got;
  socket.destroy();
  return list;
}

describe('a refused multipart body', () => {
  const jotform = () => `APIKEY: ${tenant.keys.owner}\r\n`;
  const nextJotform = () => `GET /API/user/labels HTTP/1.1\r\nHost: x\r\nAPIKEY: ${tenant.keys.owner}\r\n\r\n`;
  const razunaUrl = () => `/global/api2/label.cfc?method=getall&api_key=${tenant.workspaceId}-${tenant.keys.owner}`;
  const nextRazuna = () => `GET ${razunaUrl()} HTTP/1.1\r\nHost: x\r\n\r\n`;
  const type = `multipart/form-data; boundary=${BOUNDARY}`;

  it.each([
    ['Jotform, too many fields', () => refusedThenNext('/API/label', type, multipart(60), jotform(), nextJotform())],
    ['Jotform, a file part', () => refusedThenNext('/API/label', type, multipart(1, true), jotform(), nextJotform())],
    ['Razuna, too many fields', () => refusedThenNext(razunaUrl(), type, multipart(120), '', nextRazuna())],
    ['Razuna, a file part', () => refusedThenNext(razunaUrl(), type, multipart(1, true), '', nextRazuna())],
  ])('%s: 413, then the next request on the same connection is answered at once', async (_what, run) => {
    const [refused, next] = await run();
    expect(refused!.status).toBe(413);
    expect(refused!.headers).not.toContain('connection: close');
    expect(next!.status).toBe(200);
  });
});

describe('a large refused body', () => {
  const form = Array.from({ length: 50_000 }, (_, i) => `k${i}=v`).join('&');
  const mp = `multipart/form-data; boundary=${BOUNDARY}`;
  const bigFile = () => multipart(1, true).replace('x'.repeat(40_000), 'x'.repeat(500_000));
  const key = () => `APIKEY: ${tenant.keys.owner}\r\n`;
  const razuna = () => `/global/api2/label.cfc?method=getall&api_key=${tenant.workspaceId}-${tenant.keys.owner}`;

  it.each([
    // Before: these two left the connection hanging until the request timeout, without an answer to the next request.
    ['Jotform multipart, a 500 kB file part', () => ['/API/label', mp, bigFile(), key(), 413] as const],
    ['Razuna multipart, 3000 fields', () => [razuna(), mp, multipart(3000), '', 413] as const],
    ['Razuna form, 50,000 fields', () => ['/global/api2/label.cfc', 'application/x-www-form-urlencoded', form, '', 413] as const],
    ['limbo /oauth/token form, 50,000 fields', () => ['/oauth/token', 'application/x-www-form-urlencoded', form, '', 413] as const],
    ['Jotform without a key', () => ['/API/label', 'application/x-www-form-urlencoded', form, '', 401] as const],
    ['Livestorm without a key', () => ['/api/workspaces/1/labels', 'application/json', form, '', 401] as const],
  ])('%s: answered whole with Connection: close, then closed', async (_what, args) => {
    const [path, contentType, body, headers, status] = args();
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined); // the server may close while this side still has body to send
    const got = responses(socket, 1);
    socket.write(post(path, contentType, body, headers));
    socket.write(body);
    const { list, closed } = await got;
    expect(list[0]!.status).toBe(status);
    expect(list[0]!.headers).toContain('connection: close');
    expect(list[0]!.body.length).toBeGreaterThan(0);
    await closed;
  });

  it('a small refused body is drained instead: the connection stays open for the next request', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(1000) });
    const socket = connect(port, '127.0.0.1');
    const got = responses(socket, 2);
    socket.write(post('/API/label', 'application/json', body) + body + `GET /API/user/labels HTTP/1.1\r\nHost: x\r\nAPIKEY: ${tenant.keys.owner}\r\n\r\n`);
    const { list } = await got;
    socket.destroy();
    expect(list.map((r) => r.status)).toEqual([401, 200]);
  });
});
