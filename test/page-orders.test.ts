// The orders pages are read in, with their ties, on a bare store (the PostgreSQL suite runs this file against
// PostgreSQL, with the same expectations): each order's tie-breaker is one its index ends in and follows the
// direction, so a descending page is the ascending one reversed (products, limbo's labels); the size order ranks every JSON type as
// SQLite's json_extract does, and a resource whose attributes PostgreSQL's JSON parser would refuse is still
// written (an index is built on the size keys) and sorted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResourceInput } from '../src/core/ports.js';
import type { ProductSortField } from '../src/core/ports-catalog.js';
import type { LabelSortField } from '../src/core/ports-cross-workspace.js';
import type { DatabaseStore } from '../src/db/index.js';
import { createTestStore } from './test-store.js';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);

let store: DatabaseStore;
let a: number;
let b: number;
beforeEach(async () => {
  store = createTestStore();
  a = (await store.createWorkspace('A', '00000000-0000-4000-8000-00000000000a', AT)).id;
  b = (await store.createWorkspace('B', '00000000-0000-4000-8000-00000000000b', AT)).id;
});
afterEach(async () => {
  await store.close();
});

/** Every page of a list, `limit` at a time, concatenated. */
async function paged<T>(read: (offset: number) => Promise<{ items: T[]; total: number | null }>, limit: number): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += limit) {
    const { items, total } = await read(offset);
    out.push(...items);
    if (items.length < limit) {
      if (total !== null) expect(total).toBe(out.length);
      return out;
    }
  }
}

describe('products', () => {
  const product = (externalId: string, name: string | null, status: string | null): ResourceInput => ({ type: 'product', externalId, name, status });
  beforeEach(async () => {
    // Added in this order (row ids ascending), all at one time: names tie (case aside), some have none.
    await store.upsertResources(a, [
      product('p5', 'Beta', 'live'), product('p1', 'alpha', 'draft'), product('p9', null, 'live'), product('p3', 'ALPHA', null),
      product('p2', 'beta', 'live'), product('p7', null, 'draft'), product('p4', 'Gamma', 'live'), product('p8', 'alpha', null),
    ], AT);
    await store.upsertResources(b, [product('p1', 'Beta', 'live'), product('p6', 'alpha', 'live'), product('p9', null, 'draft')], AT);
    // Three changed later, at one time.
    await store.upsertResources(a, [product('p4', 'Gamma', 'draft'), product('p9', null, 'draft'), product('p1', 'alpha', 'live')], AT + 1000);
  });
  const list = (workspaceIds: number[], field: ProductSortField | null, desc: boolean) =>
    paged((offset) => store.listProducts({ workspaceIds, sort: field ? [{ field, desc }] : [], limit: 3, offset }), 3).then((rows) => rows.map((r) => `${r.workspaceId === a ? 'A' : 'B'}:${r.externalId}`));

  it('breaks ties in each order as documented, the same on both databases', async () => {
    // Name ignoring case, nulls first; ties in the order the products were added.
    expect(await list([a], 'name', false)).toEqual(['A:p9', 'A:p7', 'A:p1', 'A:p3', 'A:p8', 'A:p5', 'A:p2', 'A:p4']);
    // All added at one time: the order they were added.
    expect(await list([a], 'created_at', false)).toEqual(['A:p5', 'A:p1', 'A:p9', 'A:p3', 'A:p2', 'A:p7', 'A:p4', 'A:p8']);
    expect(await list([a], 'updated_at', false)).toEqual(['A:p5', 'A:p3', 'A:p2', 'A:p7', 'A:p8', 'A:p1', 'A:p9', 'A:p4']);
    // Status, nulls first; ties by external id.
    expect(await list([a], 'status', false)).toEqual(['A:p3', 'A:p8', 'A:p4', 'A:p7', 'A:p9', 'A:p1', 'A:p2', 'A:p5']);
    expect(await list([a], 'id', false)).toEqual(['A:p1', 'A:p2', 'A:p3', 'A:p4', 'A:p5', 'A:p7', 'A:p8', 'A:p9']);
    expect(await list([a], null, false)).toEqual(['A:p1', 'A:p2', 'A:p3', 'A:p4', 'A:p5', 'A:p7', 'A:p8', 'A:p9']);
    // Several workspaces, merged: ties across them by row id (A's were added first), or by external id then
    // workspace.
    expect(await list([a, b], 'name', false)).toEqual(['A:p9', 'A:p7', 'B:p9', 'A:p1', 'A:p3', 'A:p8', 'B:p6', 'A:p5', 'A:p2', 'B:p1', 'A:p4']);
    expect(await list([a, b], 'status', false)).toEqual(['A:p3', 'A:p8', 'A:p4', 'A:p7', 'A:p9', 'B:p9', 'A:p1', 'B:p1', 'A:p2', 'A:p5', 'B:p6']);
    expect(await list([a, b], null, false)).toEqual(['A:p1', 'B:p1', 'A:p2', 'A:p3', 'A:p4', 'A:p5', 'B:p6', 'A:p7', 'A:p8', 'A:p9', 'B:p9']);
  });

  it('reads a descending order as the ascending one reversed, in one workspace and several', async () => {
    for (const ws of [[a], [a, b]]) {
      for (const field of ['name', 'created_at', 'updated_at', 'status', 'id'] as const) {
        expect(await list(ws, field, true), `${field} over ${ws.length}`).toEqual((await list(ws, field, false)).reverse());
      }
    }
  });
});

describe("limbo's labels", () => {
  /** The labels by tag (`A1`: workspace A's first), the tag of each id. */
  const tags = new Map<number, string>();
  beforeEach(async () => {
    tags.clear();
    const owner = (await store.createUser('owner@orders.test', 'Owner', null, AT)).id;
    const audit = (at: number) => ({ actorUserId: null, apiKeyId: null, dialect: 'test', at });
    // Added in this order (ids ascending), all at one time: names tie (case aside; timed labels may share a name).
    const add = async (ws: number, tag: string, name: string, timed = false) => {
      const l = await store.createLabel(ws, { parentId: null, name, color: null, description: '', startsAt: timed ? 1 : null, endsAt: timed ? 2 : null, extras: {} }, 'siblings', audit(AT), owner);
      tags.set(l.id, tag);
      return l.id;
    };
    await add(a, 'A1', 'Beta');
    const a2 = await add(a, 'A2', 'alpha');
    await add(a, 'A3', 'ALPHA', true);
    await add(a, 'A4', 'beta', true);
    const a5 = await add(a, 'A5', 'Gamma');
    await add(a, 'A6', 'alpha', true);
    await add(b, 'B1', 'Beta');
    await add(b, 'B2', 'alpha');
    // Two changed later, at one time.
    for (const id of [a2, a5]) await store.updateLabel(a, id, { description: 'changed' }, 'siblings', audit(AT + 1000));
  });
  const list = (workspaceIds: number[], field: LabelSortField | null, desc: boolean) =>
    paged((offset) => store.listLabelsIn({ workspaceIds, sort: field ? [{ field, desc }] : [], limit: 3, offset }), 3).then((rows) => rows.map((l) => tags.get(l.id)));

  it('breaks ties by id, in the order the labels were added, the same on both databases', async () => {
    expect(await list([a], 'name', false)).toEqual(['A2', 'A3', 'A6', 'A1', 'A4', 'A5']);
    expect(await list([a], 'created_at', false)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    expect(await list([a], 'updated_at', false)).toEqual(['A1', 'A3', 'A4', 'A6', 'A2', 'A5']);
    expect(await list([a], null, false)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6']);
    // Several workspaces, merged: ties across them by id too (A's were added first).
    expect(await list([a, b], 'name', false)).toEqual(['A2', 'A3', 'A6', 'B2', 'A1', 'A4', 'B1', 'A5']);
    expect(await list([a, b], 'created_at', false)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'B1', 'B2']);
    // The last key's direction decides the ties': name ascending, then creation time descending (all one time),
    // so the id descending.
    const nameThenNewest = await paged((offset) => store.listLabelsIn({ workspaceIds: [a, b], sort: [{ field: 'name', desc: false }, { field: 'created_at', desc: true }], limit: 3, offset }), 3);
    expect(nameThenNewest.map((l) => tags.get(l.id))).toEqual(['B2', 'A6', 'A3', 'A2', 'B1', 'A4', 'A1', 'A5']);
  });

  it('reads a descending order as the ascending one reversed, in one workspace and several', async () => {
    for (const ws of [[a], [a, b]]) {
      for (const field of ['name', 'created_at', 'updated_at', 'id'] as const) {
        expect(await list(ws, field, true), `${field} over ${ws.length}`).toEqual((await list(ws, field, false)).reverse());
      }
    }
  });
});

describe('resources by size', () => {
  // Added in this order (row ids ascending). Booleans are 0 and 1, text compares byte-wise (on PostgreSQL its
  // first 200 characters: the two long ones tie there and keep the order they were added, the order SQLite
  // gives them too).
  const SIZES: [string, Record<string, unknown>][] = [
    ['missing', {}],
    ['null', { size: null }],
    ['ten', { size: 10 }],
    ['negative', { size: -1.5 }],
    ['true', { size: true }],
    ['one', { size: 1 }],
    ['false', { size: false }],
    ['b', { size: 'b' }],
    ['B', { size: 'B' }],
    ['nul', { size: 'x\u0000' }],
    ['accent', { size: 'é' }],
    ['long a', { size: `${'y'.repeat(250)}a` }],
    ['long b', { size: `${'y'.repeat(250)}b` }],
    ['object', { size: { a: 1 } }],
    ['array', { size: [1] }],
    ['surrogate elsewhere', { note: 'a\ud800b', other: '\udc00', size: 2 }],
    ['nul elsewhere', { note: 'a\u0000b', escaped: '\\u0000', size: 3 }],
    ['surrogate', { size: '\ud800' }],
  ];
  const ASCENDING = ['missing', 'null', 'negative', 'false', 'true', 'one', 'surrogate elsewhere', 'nul elsewhere', 'ten', 'B', 'array', 'b', 'nul', 'long a', 'long b', 'object', 'accent', 'surrogate'];
  const list = (direction: 'asc' | 'desc', limit: number) =>
    paged((offset) => store.listResources(a, { type: 'library_item', sort: 'size', direction, limit, offset }), limit).then((rows) => rows.map((r) => r.externalId));

  it('writes every item (PostgreSQL indexes the keys) and orders them as SQLite does, descending the reverse', async () => {
    await store.upsertResources(a, SIZES.map(([externalId, attributes]) => ({ type: 'library_item', externalId, attributes })), AT);
    expect(await list('asc', 4)).toEqual(ASCENDING);
    expect(await list('desc', 5)).toEqual([...ASCENDING].reverse());
    // A change of the attributes moves the item (its index entry is written again).
    await store.upsertResources(a, [{ type: 'library_item', externalId: 'ten', attributes: { size: -10, note: '\ud800' } }], AT + 1);
    expect((await list('asc', 50)).slice(0, 4)).toEqual(['missing', 'null', 'ten', 'negative']);
  });
});
