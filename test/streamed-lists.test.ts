// Whole-workspace answers written page by page (src/http/streamed.ts) are byte for byte the answers built
// whole: each dialect's whole list is compared with what the route's own serializer makes of the whole list,
// on a few hundred labels read in pages of 7 (every seam between pages crossed many times), on whichever
// database the suite runs on. The store's paged read is checked to hold at most one page at a time.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore, type Core } from '../src/core/index.js';
import type { LabelListing, Workspace } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { serializerCompiler } from '../src/http/compilers.js';
import { streamOf, whileConnected } from '../src/http/streamed.js';
import * as jotformMap from '../src/dialects/jotform/mapper.js';
import * as razunaMap from '../src/dialects/razuna/mapper.js';
import { DEFAULT_FORMAT, encodePieces, longDate, type Format, type RecordSet, type Value } from '../src/dialects/razuna/output.js';
import { escapeAttr, escapeText, wddxDate } from '../src/dialects/razuna/wddx.js';
import * as livestormMap from '../src/dialects/livestorm/mapper.js';
import * as livestormSchemas from '../src/dialects/livestorm/schemas.js';
import { ADMIN_TOKEN, FIXED_NOW, createTenant, type Tenant } from './helper.js';
import { createTestStore } from './test-store.js';
import type { FastifyInstance } from 'fastify';

const PAGE = 7;
/** Names that exercise every serializer's escaping: quotes, backslashes, U+2028, markup, astral characters, case. */
const NAMES = ['plain', 'quote " and \\ backslash', 'line\u2028sep', '</script><b>&amp;', 'émoji 🏷️', 'Zeta', 'alpha', 'Alpha'];

let store: DatabaseStore;
let core: Core;
let app: FastifyInstance;
let a: Tenant;
let workspace: Workspace;
const clock = { now: FIXED_NOW };

beforeAll(async () => {
  store = createTestStore();
  // The same store, its paged reads in pages of PAGE labels.
  const paged = { ...store, labelPages: (ws: number) => store.labelPages(ws, PAGE), labelListingPages: (ws: number) => store.labelListingPages(ws, PAGE) } as DatabaseStore;
  core = createCore({ store: paged, now: () => clock.now });
  app = await buildApp({ config: loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN }), core, adminToken: ADMIN_TOKEN });
  await app.ready();
  a = await createTenant(core);
  const owner = await core.auth.enter(await core.auth.authenticate(a.keys.owner), { id: a.workspaceId }, 'test');
  const admin = await core.auth.enter(await core.auth.authenticate(a.keys.admin), { id: a.workspaceId }, 'test');
  workspace = owner.workspace;
  const ids: number[] = [];
  for (let i = 0; i < 300; i++) {
    // Ties in created_at (several labels per tick), a tree three deep, two creators.
    if (i % 3 === 0) clock.now += 1000;
    const parentId = i % 4 === 0 || ids.length === 0 ? null : ids[(i * 7) % ids.length]!;
    const l = await core.labels.create(i % 5 === 0 ? admin : owner, { name: `${NAMES[i % NAMES.length]} ${i}`, parentId });
    ids.push(l.id);
  }
  // One label renamed later (updated_at differs from created_at).
  clock.now += 5000;
  await core.labels.update(owner, ids[10]!, { name: 'renamed' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe('store: labelPages', () => {
  it('gives listLabels, in the same order, in pages of at most the size asked', async () => {
    const pages: number[] = [];
    const all = [];
    for await (const page of store.labelPages(a.workspaceId, PAGE)) {
      pages.push(page.length);
      all.push(...page);
    }
    expect(Math.max(...pages)).toBe(PAGE);
    expect(pages.length).toBe(Math.ceil(300 / PAGE));
    expect(all).toEqual(await store.listLabels(a.workspaceId));
  });

  it('an empty workspace is no page at all', async () => {
    const other = await createTenant(core);
    const pages = [];
    for await (const page of store.labelPages(other.workspaceId)) pages.push(page);
    for await (const page of store.labelListingPages(other.workspaceId)) pages.push(page);
    expect(pages).toEqual([]);
  });

  it('labelListingPages: the same pages, each label with what a listing shows of it (its creator too)', async () => {
    const full = [];
    for await (const page of store.labelPages(a.workspaceId, PAGE)) full.push(page.map(({ id, name, color, createdByName, createdAt }) => ({ id, name, color, createdByName, createdAt })));
    const listed = [];
    for await (const page of store.labelListingPages(a.workspaceId, PAGE)) listed.push(page);
    expect(listed).toEqual(full);
    expect(new Set(listed.flat().map((l) => l.createdByName)).size).toBe(2);
  });
});

describe('Livestorm: list labels', () => {
  it('is byte for byte the whole list through the route schema', async () => {
    const res = await app.inject({ method: 'GET', url: `/api/workspaces/${a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${a.keys.owner}` } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const whole = serializerCompiler({ schema: livestormSchemas.listLabelsResponse, method: 'GET', url: '', httpStatus: '200' });
    const expected = whole({ labels: (await store.listLabels(a.workspaceId)).map(livestormMap.labelListItem) });
    expect(res.body).toBe(expected);
  });

  it('a list that ends within its first two chunks is sent whole, with its length; a longer one is chunked', async () => {
    const small = await createTenant(core);
    const owner = await core.auth.enter(await core.auth.authenticate(small.keys.owner), { id: small.workspaceId }, 'test');
    for (const name of ['one', 'two', 'three']) await core.labels.create(owner, { name });
    const list = (t: Tenant) => app.inject({ method: 'GET', url: `/api/workspaces/${t.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${t.keys.owner}` } });
    const whole = await list(small);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['content-length']).toBe(String(Buffer.byteLength(whole.body)));
    expect(whole.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(whole.body).labels.map((l: { name: string }) => l.name)).toEqual(['one', 'two', 'three']);
    const paged = await list(a); // 300 labels in pages of PAGE
    expect(paged.headers['content-length']).toBeUndefined();
    expect(paged.headers['transfer-encoding']).toBe('chunked');
  });
});

describe('Jotform: the label tree', () => {
  it.each(['/API/user/labels', '/API/v1/user/labels'])('%s is byte for byte the whole tree in its envelope', async (url) => {
    const res = await app.inject({ method: 'GET', url, headers: { apikey: a.keys.owner } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    // The duration and the calls left are the request's own; everything else is compared byte for byte.
    const { duration, 'limit-left': left } = JSON.parse(res.body) as { duration: string; 'limit-left': number };
    const content = jotformMap.tree(workspace, await store.listLabels(a.workspaceId));
    expect(content.sublabels.length).toBeGreaterThan(10);
    expect(res.body).toBe(JSON.stringify({ responseCode: 200, message: 'success', content, duration, 'limit-left': left }));
  });

  it('an empty workspace is the root alone', async () => {
    const other = await createTenant(core);
    const res = await app.inject({ method: 'GET', url: '/API/user/labels', headers: { apikey: other.keys.owner } });
    const parsed = JSON.parse(res.body) as { content: { sublabels: unknown[] }; duration: string; 'limit-left': number };
    const root = { ...jotformMap.rootLabel((await core.auth.enter(await core.auth.authenticate(other.keys.owner), { id: other.workspaceId }, 'test')).workspace), sublabels: [] };
    expect(res.body).toBe(JSON.stringify({ responseCode: 200, message: 'success', content: root, duration: parsed.duration, 'limit-left': parsed['limit-left'] }));
  });
});

// Razuna's encoders as they were before they wrote pieces (the whole body as one string), the reference the
// pieces are compared with.
const old = {
  jsonValue: (v: Value): string | number => (typeof v === 'object' ? longDate(v.date) : v),
  cased: (name: string, f: Format) => (f.case === 'lower' ? name.toLowerCase() : f.case === 'upper' ? name.toUpperCase() : name),
  toJson(o: RecordSet, f: Format): string {
    const [ROWCOUNT, COLUMNS, DATA] = f.case === 'lower' ? ['rowcount', 'columns', 'data'] : ['ROWCOUNT', 'COLUMNS', 'DATA'];
    const columns = o.columns.map((c) => old.cased(c, f));
    if (f.query === 'row') return JSON.stringify({ [COLUMNS]: columns, [DATA]: o.rows.map((r) => r.map(old.jsonValue)) });
    const data = Object.fromEntries(columns.map((c, i) => [c, o.rows.map((r) => old.jsonValue(r[i] ?? ''))]));
    return JSON.stringify({ [ROWCOUNT]: o.rows.length, [COLUMNS]: columns, [DATA]: data });
  },
  wddx(o: RecordSet): string {
    const value = (v: Value): string => (typeof v === 'number' ? `<number>${v}</number>` : typeof v === 'object' ? `<dateTime>${wddxDate(v.date)}</dateTime>` : `<string>${escapeText(v)}</string>`);
    const fields = o.columns.map((c, i) => `<field name='${escapeAttr(c)}'>${o.rows.map((r) => value(r[i] ?? '')).join('')}</field>`);
    return `<wddxPacket version='1.0'><header></header><data><recordset rowCount='${o.rows.length}' fieldNames='${escapeAttr(o.columns.join(','))}'>${fields.join('')}</recordset></data></wddxPacket>`;
  },
  encode(o: RecordSet, f: Format): string {
    if (f.returns === 'wddx') return old.wddx(o);
    const json = old.toJson(o, f);
    return f.returns === 'jsonp' ? `${f.callback}(${json.replace(/[\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)})` : json;
  },
};

const FORMATS: [string, Record<string, string>, Format][] = [
  ['JSON, rows', {}, DEFAULT_FORMAT],
  ['JSON, columns', { __BDQUERYFORMAT: 'column' }, { ...DEFAULT_FORMAT, query: 'column' }],
  ['JSON, lower case', { __BDJSONCASE: 'lower' }, { ...DEFAULT_FORMAT, case: 'lower' }],
  ['JSON, columns, upper case', { __BDQUERYFORMAT: 'column', __BDJSONCASE: 'upper' }, { ...DEFAULT_FORMAT, query: 'column', case: 'upper' }],
  ['JSONP', { __BDRETURNFORMAT: 'jsonp', callback: 'cb' }, { ...DEFAULT_FORMAT, returns: 'jsonp', callback: 'cb' }],
  ['WDDX', { __BDRETURNFORMAT: 'wddx' }, { ...DEFAULT_FORMAT, returns: 'wddx' }],
];

describe('Razuna: getall and searchlabel without a cap', () => {
  const get = (params: Record<string, string>) =>
    app.inject({ method: 'GET', url: `/global/api2/label.cfc?${new URLSearchParams({ api_key: `${a.workspaceId}-${a.keys.owner}`, ...params })}` });

  it.each(FORMATS)('%s: the pieces, runs of 7 rows, are the old whole body', async (_name, _params, format) => {
    const rs = razunaMap.labels((await store.listLabelPaths(a.workspaceId, {})).labels);
    expect(rs.rows.length).toBe(300);
    expect([...encodePieces(rs, format, 7).pieces].join('')).toBe(old.encode(rs, format));
  });

  it.each(FORMATS)('%s: getall and searchlabel answer the old whole body', async (_name, params, format) => {
    const rs = razunaMap.labels((await store.listLabelPaths(a.workspaceId, {})).labels);
    const methods: Record<string, string>[] = [{ method: 'getall' }, { method: 'searchlabel', searchfor: '*', overridemax: '1' }];
    for (const method of methods) {
      const res = await get({ ...method, ...params });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(encodePieces(rs, format).contentType);
      expect(res.body).toBe(old.encode(rs, format));
    }
  });
});

describe('an error after the answer has started', () => {
  it('closes the connection without ending the body; an error on the first page is answered as usual', async () => {
    const failing = (after: number) =>
      async function* labelListingPages(ws: number): AsyncGenerator<LabelListing[]> {
        let n = 0;
        for await (const page of store.labelListingPages(ws, PAGE)) {
          if (n++ === after) throw new Error('database gone');
          yield page;
        }
      };
    const run = async (after: number) => {
      const broken = createCore({ store: { ...store, labelListingPages: failing(after) } as DatabaseStore, now: () => clock.now });
      const server = await buildApp({ config: loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent' }), core: broken, adminToken: ADMIN_TOKEN });
      await server.listen({ port: 0, host: '127.0.0.1' });
      const { port } = server.server.address() as AddressInfo;
      try {
        return await new Promise<{ status: number; body: string; complete: boolean }>((resolve) => {
          const req = request({ port, host: '127.0.0.1', path: `/api/workspaces/${a.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${a.keys.owner}` } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body, complete: res.complete }));
            res.on('error', () => resolve({ status: res.statusCode!, body, complete: false }));
            res.on('aborted', () => resolve({ status: res.statusCode!, body, complete: false }));
          });
          req.end();
        });
      } finally {
        await server.close();
      }
    };
    const midway = await run(3);
    expect(midway.status).toBe(200);
    expect(midway.complete).toBe(false);
    expect(midway.body.startsWith('{"labels":[')).toBe(true);
    expect(() => JSON.parse(midway.body)).toThrow();
    const first = await run(0);
    expect(first.status).toBe(500);
    expect(first.complete).toBe(true);
  });
});

describe('streamOf', () => {
  it('gives other work a turn between the chunks it makes before sending, as between those it streams', async () => {
    const made: boolean[] = []; // per chunk: whether a callback queued at the first chunk had run by then
    let ran = false;
    async function* chunks(): AsyncGenerator<string> {
      for (let i = 0; i < 5; i++) {
        if (i === 0) setImmediate(() => (ran = true));
        made.push(ran);
        yield 'x'.repeat(100 * 1024); // past the 64 KB after which an answer gives a turn
      }
    }
    const answer = await streamOf(chunks());
    expect(typeof answer).not.toBe('string');
    expect(made.slice(0, 3)).toEqual([false, true, true]);
    let bytes = 0;
    for await (const chunk of answer as AsyncIterable<string>) bytes += chunk.length;
    expect(bytes).toBe(5 * 100 * 1024);
  });

  it('ends whole when the chunks end within the first two, and fails before sending when the third fails', async () => {
    expect(await streamOf(['{"a":[', '1]}'])).toBe('{"a":[1]}');
    async function* failing(): AsyncGenerator<string> {
      yield 'a';
      yield 'b';
      throw new Error('database gone');
    }
    await expect(streamOf(failing())).rejects.toThrow('database gone');
  });
});

describe('whileConnected', () => {
  it('stops reading pages once the client has gone', async () => {
    const socket = { destroyed: false };
    let read = 0;
    const got: number[] = [];
    for await (const page of whileConnected(store.labelPages(a.workspaceId, PAGE), socket)) {
      read++;
      got.push(page.length);
      if (read === 2) socket.destroyed = true;
    }
    expect(got).toEqual([PAGE, PAGE]);
  });
});
