// Whole-workspace answers under pressure (src/http/streamed.ts): a client that reads slowly holds the server to
// what fits in the socket's buffers (the pages are read as the client takes them, not ahead), and while one
// whole list is built or written the server keeps answering other requests between its pages. The lists here
// are synthetic pages of big labels (tens of MB in all), so a server that queued the whole answer, or built it
// in one go, shows it in the bytes it holds and the pages it has read, not in a timing.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore, type Core } from '../src/core/index.js';
import type { Label } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { ADMIN_TOKEN, createTenant, type Tenant } from './helper.js';
import { createTestStore } from './test-store.js';

let store: DatabaseStore;
let app: FastifyInstance;
let port: number;
let a: Tenant;
let template: Label;
/** The pages the list routes read (set per test) and how many of them have been read. */
let source: { pages: number; size: number; onPage?: (n: number) => void } = { pages: 0, size: 0 };
let pulled = 0;
/** The server's response of the last whole-list request, and the stream sent as its body (`written`: characters made). */
let listResponse: ServerResponse | undefined;
let listBody: { written?: number } | undefined;

/** `source.pages` pages of `source.size` labels of ~300 bytes each, distinct ids, all top level. */
async function* synthetic(): AsyncGenerator<Label[]> {
  for (let n = 0; n < source.pages; n++) {
    pulled = n + 1;
    source.onPage?.(n);
    yield Array.from({ length: source.size }, (_, i) => {
      const id = 1_000_000 + n * source.size + i;
      return { ...template, id, name: `${'x'.repeat(280)} ${id}` };
    });
  }
}

beforeAll(async () => {
  store = createTestStore();
  const core: Core = createCore({ store: { ...store, labelPages: () => synthetic(), labelListingPages: () => synthetic() } as DatabaseStore, now: () => Date.now() });
  app = await buildApp({ config: loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent' }), core, adminToken: ADMIN_TOKEN });
  app.addHook('onRequest', (req, reply, done) => {
    if (/\/labels$/.test(req.url)) listResponse = reply.raw;
    done();
  });
  app.addHook('onSend', (req, _reply, payload, done) => {
    if (/\/labels$/.test(req.url)) listBody = payload as { written?: number };
    done(null, payload);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  a = await createTenant(core);
  const owner = await core.auth.enter(await core.auth.authenticate(a.keys.owner), { id: a.workspaceId }, 'test');
  template = await core.labels.create(owner, { name: 'template' });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
});

const LISTS = [
  { name: "Livestorm's label list", path: () => `/api/workspaces/${a.workspaceId}/labels`, headers: () => ({ authorization: `Bearer lnx_${a.keys.owner}` }) },
  { name: "Jotform's label tree", path: () => '/API/user/labels', headers: () => ({ apikey: a.keys.owner }) },
];

/** A GET whose body is read to its end: status and size. */
const get = (path: string, headers: Record<string, string>) =>
  new Promise<{ status: number; bytes: number }>((resolve, reject) => {
    const req = request({ port, host: '127.0.0.1', path, headers }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode!, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });

describe('a client that reads slowly', () => {
  it.each(LISTS)("$name: the server holds a chunk or two beyond the socket's buffers, and reads on once the client does", async (list) => {
    source = { pages: 500, size: 200 }; // ~30 MB of answer: more than loopback's socket buffers take
    pulled = 0;
    listResponse = undefined;
    const client: Socket = connect(port, '127.0.0.1');
    client.pause(); // reads nothing until resumed: the buffers fill up
    const headers = Object.entries(list.headers()).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    client.write(`GET ${list.path()} HTTP/1.1\r\nHost: localhost\r\n${headers}\r\n`);
    // The socket's buffers are full and the response says so; then the server is given time to (wrongly) go on.
    await vi.waitFor(() => expect(listResponse?.writableNeedDrain).toBe(true), { timeout: 20_000, interval: 20 });
    await new Promise((r) => setTimeout(r, 300));
    const res = listResponse!;
    const MB = 2 ** 20;
    expect(res.writableLength + (res.socket?.writableLength ?? 0)).toBeLessThan(2 * MB); // queued in the process
    expect(listBody?.written).toBeGreaterThan(0);
    expect(listBody!.written! - res.socket!.bytesWritten).toBeLessThan(2 * MB); // made but not yet handed to the socket
    if (list.name.startsWith('Livestorm')) expect(pulled).toBeLessThan(source.pages / 2); // the pages are read as they go out
    // Reading resumes the answer, to its end.
    let bytes = 0;
    const ended = new Promise<void>((resolve) => {
      client.on('data', (c: Buffer) => {
        bytes += c.length;
        if (c.subarray(-5).toString() === '0\r\n\r\n') resolve();
      });
    });
    client.resume();
    await ended;
    client.destroy();
    expect(pulled).toBe(source.pages);
    expect(bytes).toBeGreaterThan(source.pages * source.size * 280);
  }, 60_000);
});

describe('other requests while a whole list is read', () => {
  it.each(LISTS)('$name: a point read is answered between its pages, long before its last', async (list) => {
    let answeredAt = 0;
    let point: Promise<void> | undefined;
    // Small pages, many of them: a list built in one go would read them all before the point read got in.
    source = {
      pages: 2000,
      size: 20,
      onPage: (n) => {
        if (n !== 1) return;
        point = get(`/API/label/${template.id}`, { apikey: a.keys.owner }).then((r) => {
          expect(r.status).toBe(200);
          answeredAt = pulled;
        });
      },
    };
    pulled = 0;
    const whole = await get(list.path(), list.headers());
    await point;
    expect(whole.status).toBe(200);
    expect(pulled).toBe(2000);
    expect(answeredAt).toBeGreaterThan(0);
    expect(answeredAt).toBeLessThan(200);
  }, 60_000);
});
