// Razuna's whole record sets (getall, searchlabel) read in keyset pages and ordered in the process
// (src/db/store/paths.ts): the order and the answers are those of the single recursive read they replace (kept
// here as the reference), across many page seams and on names whose byte order differs from a naive one; the
// read stops when the client has gone; other requests get through between its pages.
import { request, type ClientRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore, type Core, type LabelPath, type Pace } from '../src/core/index.js';
import type { DatabaseStore } from '../src/db/index.js';
import * as razunaMap from '../src/dialects/razuna/mapper.js';
import { DEFAULT_FORMAT, encode, type Format } from '../src/dialects/razuna/output.js';
import { ADMIN_TOKEN, FIXED_NOW, createTenant, type Tenant } from './helper.js';
import { createTestStore } from './test-store.js';

const PAGE = 7;
const COUNT = 260;
/**
 * Names whose order as UTF-8 bytes is not their order as UTF-16 units or by a locale: a space and `-` sort before
 * the path's `/`, an astral character (surrogates in UTF-16) after U+E000–U+FFFF, case folded first.
 */
const NAMES = ['a', 'a b', 'a-b', 'A!', 'Äpfel', 'émoji 🏷️', '\ue000 private', '\uff21 wide', '😀 grin', 'Zeta', 'x'];

let store: DatabaseStore;
let core: Core;
let app: FastifyInstance;
let port: number;
let a: Tenant;
const clock = { now: FIXED_NOW };
/** Per test: wraps the pace the route gives the read (counts pages, may act between them). */
let onPace: ((n: number, pace: Pace) => Promise<boolean>) | undefined;
let paces = 0;
let listResult: 'list' | 'null' | undefined;

/** The single statement getall and searchlabel were answered from until now, the order's reference. */
async function reference(ws: number, search?: string): Promise<LabelPath[]> {
  const TOP_DOWN = `WITH RECURSIVE tree(id, parent_id, name, path, path_key, depth) AS (
      SELECT id, parent_id, name, name, name_key, 0 FROM labels WHERE workspace_id = ? AND parent_id IS NULL
      UNION ALL
      SELECT l.id, l.parent_id, l.name, t.path || '/' || l.name, t.path_key || '/' || l.name_key, t.depth + 1
      FROM tree t CROSS JOIN labels l WHERE l.workspace_id = ? AND l.parent_id = t.id AND t.depth < 10000
    )
    SELECT id, parent_id, name, path FROM tree`;
  const order = 'ORDER BY path_key, path, id';
  const rows =
    search === undefined
      ? await store.db.all<{ id: number; parent_id: number | null; name: string; path: string }>(`${TOP_DOWN} ${order}`, ws, ws)
      : await store.db.all<{ id: number; parent_id: number | null; name: string; path: string }>(`${TOP_DOWN} WHERE ${store.db.sql.contains('path_key')} ${order}`, ws, ws, search);
  return rows.map((r) => ({ id: Number(r.id), parentId: r.parent_id === null ? null : Number(r.parent_id), name: r.name, path: r.path }));
}

beforeAll(async () => {
  store = createTestStore();
  // The same store, its record sets read in pages of PAGE labels, the route's pace observed.
  const paged = {
    ...store,
    labelPathList: async (ws: number, query: { search?: string; limit?: number }, pace?: Pace) => {
      const observed: Pace | undefined = pace && (() => (++paces, onPace ? onPace(paces, pace) : pace()));
      const list = await store.labelPathList(ws, query, observed, PAGE);
      listResult = list ? 'list' : 'null';
      return list;
    },
  } as DatabaseStore;
  core = createCore({ store: paged, now: () => clock.now });
  app = await buildApp({ config: loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent' }), core, adminToken: ADMIN_TOKEN });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
  a = await createTenant(core);
  const owner = await core.auth.enter(await core.auth.authenticate(a.keys.owner), { id: a.workspaceId }, 'test');
  const ids: number[] = [];
  for (let i = 0; i < COUNT; i++) {
    if (i % 3 === 0) clock.now += 1000; // ties in created_at
    // A tree four deep; the first NAMES.length labels are top-level siblings with the names alone.
    const parentId = i < NAMES.length || i % 5 === 0 ? null : ids[(i * 7) % ids.length]!;
    const name = i < NAMES.length ? NAMES[i]! : `${NAMES[i % NAMES.length]}${i % 2 ? ' ' : '-'}${i}`;
    ids.push((await core.labels.create(owner, { name, parentId })).id);
  }
  // A label moved under a later one: its children's created_at come before their parent's.
  await core.labels.update(owner, ids[NAMES.length + 1]!, { parentId: ids[COUNT - 1]! });
}, 120_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe('store: the path list read in pages', () => {
  it('is the recursive read: the same labels in the same order, across page seams', async () => {
    const list = (await store.labelPathList(a.workspaceId, {}, async () => true, PAGE))!;
    expect(list.total).toBe(COUNT);
    expect(list.slice(0, list.length)).toEqual(await reference(a.workspaceId));
    // Slices are the list's pieces, clamped to it.
    expect([...list.slice(0, 100), ...list.slice(100, 1000)]).toEqual(list.slice(-5, COUNT + 5));
  });

  it('orders as the bottom-up read of the same labels does', async () => {
    const all = (await store.labelPathList(a.workspaceId, {}))!.slice(0, COUNT);
    const byIds = await store.listLabelPaths(a.workspaceId, { ids: all.map((l) => l.id).reverse() });
    expect(byIds.labels).toEqual(all);
  });

  it.each(['a', 'Ä', '/a', '🏷', ' 1', 'nothing like it'])('searches %j as the recursive read does, with the total past the limit', async (text) => {
    const key = text.normalize('NFC').toUpperCase().toLowerCase();
    const want = await reference(a.workspaceId, key);
    const list = (await store.labelPathList(a.workspaceId, { search: text }, undefined, PAGE))!;
    expect(list.slice(0, list.length)).toEqual(want);
    const capped = await store.listLabelPaths(a.workspaceId, { search: text, limit: 3 });
    expect(capped).toEqual({ labels: want.slice(0, 3), total: want.length });
  });

  it('stops reading when the pace says so', async () => {
    let n = 0;
    expect(await store.labelPathList(a.workspaceId, {}, async () => ++n < 3, PAGE)).toBeNull();
    expect(n).toBe(3);
  });
});

const FORMATS: [string, Record<string, string>, Format][] = [
  ['JSON, rows', {}, DEFAULT_FORMAT],
  ['JSON, columns', { __BDQUERYFORMAT: 'column' }, { ...DEFAULT_FORMAT, query: 'column' }],
  ['JSONP', { __BDRETURNFORMAT: 'jsonp', callback: 'cb' }, { ...DEFAULT_FORMAT, returns: 'jsonp', callback: 'cb' }],
  ['WDDX', { __BDRETURNFORMAT: 'wddx' }, { ...DEFAULT_FORMAT, returns: 'wddx' }],
];
const url = (params: Record<string, string>) => `/global/api2/label.cfc?${new URLSearchParams({ api_key: `${a.workspaceId}-${a.keys.owner}`, ...params })}`;

describe('getall and searchlabel over HTTP, read in pages', () => {
  it.each(FORMATS)('%s: the whole record set as it was built from the recursive read', async (_name, params, format) => {
    const whole = encode(razunaMap.labels(await reference(a.workspaceId)), format).body;
    const found = encode(razunaMap.labels(await reference(a.workspaceId, 'a')), format).body;
    paces = 0;
    expect((await app.inject(url({ method: 'getall', ...params }))).body).toBe(whole);
    expect(paces).toBe(Math.floor(COUNT / PAGE)); // between every two pages
    expect((await app.inject(url({ method: 'searchlabel', searchfor: '*', overridemax: '1', ...params }))).body).toBe(whole);
    expect((await app.inject(url({ method: 'searchlabel', searchfor: 'A', overridemax: '1', ...params }))).body).toBe(found);
  });

  it('stops reading pages once the client has gone, and answers nothing', async () => {
    let bytes = 0;
    paces = 0;
    listResult = undefined;
    onPace = (n, pace) => {
      if (n === 2) client.destroy(); // the client hangs up after the second page
      return pace();
    };
    const client: ClientRequest = request({ port, host: '127.0.0.1', path: url({ method: 'getall' }) }, (res) => res.on('data', (c: Buffer) => (bytes += c.length)));
    client.on('error', () => undefined);
    client.end();
    await expect.poll(() => listResult).toBe('null');
    onPace = undefined;
    // The server noticed within a few pages, not at the end of the list.
    expect(paces).toBeLessThan(Math.floor(COUNT / PAGE) / 2);
    expect(bytes).toBe(0);
    expect((await app.inject(url({ method: 'getall' }))).statusCode).toBe(200);
  });

  it('lets a point read through between two pages', async () => {
    let answeredAt = 0;
    onPace = (n, pace) => {
      if (n === 2) void app.inject(url({ method: 'getlabel', label_id: '1' })).then(() => (answeredAt = paces));
      return pace();
    };
    paces = 0;
    expect((await app.inject(url({ method: 'getall' }))).statusCode).toBe(200);
    onPace = undefined;
    expect(answeredAt).toBeGreaterThan(0);
    expect(answeredAt).toBeLessThan(Math.floor(COUNT / PAGE));
  });
});
