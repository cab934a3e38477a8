// A page's total is remembered on PostgreSQL too, and shared state stays right across instances: the count is
// reused only while no transaction has ended since (src/db/pg/client.ts, PgDb.memo), so a write through another instance
// (another store over the same database) shows at once, while paging on through an unchanged list does not
// count again. A list of all a workspace's labels counts nothing: its total is the number the database keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Audit } from '../../src/core/types.js';
import { createPgStore, type PgStore } from '../../src/db/pg/index.js';
import { storeOver } from '../../src/db/store/index.js';
import { recordingDb, type Recorded } from '../plan-check.js';
import { createTestPgStore } from './test-db.js';

/** Counts the count statements sent (each statement sent passes through `set`). */
class Counted extends Map<string, Recorded> {
  counts = 0;
  override set(sql: string, r: Recorded): this {
    if (/^SELECT count\(\*\)/.test(sql)) this.counts++;
    return super.set(sql, r);
  }
}

let a: PgStore & { url: string };
let b: PgStore;
let ws: number;
let owner: number;
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: 1 };
const label = (name: string) => ({ parentId: null, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} });

beforeAll(async () => {
  a = createTestPgStore();
  ws = (await a.createWorkspace('Memo', '00000000-0000-4000-8000-00000000a001', 1)).id;
  b = createPgStore(a.url); // once a's database exists (it is cloned on a's first query)
  owner = (await a.createUser('memo@example.com', 'Memo', null, 1)).id;
  for (const n of ['one', 'two', 'three']) await a.createLabel(ws, label(n), 'siblings', audit, owner);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** Ids every label of this database has (a filter that selects the workspace's labels, whose total is counted). */
const IDS = Array.from({ length: 1000 }, (_, i) => i + 1);

describe('page totals on PostgreSQL', () => {
  it('of all of a workspace\'s labels are the kept number, never counted, right after a write through another instance', async () => {
    const seen = new Counted();
    const s = storeOver(recordingDb(a.db, seen, { name: 'test' }));
    const total = async () => (await s.listLabelsIn({ workspaceIds: [ws], sort: [], limit: 2, offset: 0 })).total;
    expect(await total()).toBe(3);
    await b.createLabel(ws, label('four'), 'siblings', audit, owner);
    expect(await total()).toBe(4);
    expect(seen.counts).toBe(0);
    await b.deleteLabels(ws, [(await a.listLabels(ws)).at(-1)!.id], audit);
    expect(await total()).toBe(3);
    expect(seen.counts).toBe(0);
    await a.createLabel(ws, label('four'), 'siblings', audit, owner);
  });

  it('are counted once while nothing commits, and again after a write through another instance', async () => {
    const seen = new Counted();
    const s = storeOver(recordingDb(a.db, seen, { name: 'test' }));
    const total = async () => (await s.listLabelsIn({ workspaceIds: [ws], ids: IDS, sort: [], limit: 2, offset: 0 })).total;
    expect(await total()).toBe(4);
    expect(await total()).toBe(4);
    expect(seen.counts).toBe(1);
    await b.createLabel(ws, label('five'), 'siblings', audit, owner);
    expect(await total()).toBe(5);
    expect(seen.counts).toBe(2);
    await a.createLabel(ws, label('six'), 'siblings', audit, owner);
    expect(await total()).toBe(6);
    expect(seen.counts).toBe(3);
  });

  it('of a label\'s resources follow assignments made through another instance', async () => {
    const seen = new Counted();
    const s = storeOver(recordingDb(a.db, seen, { name: 'test' }));
    const id = (await a.listLabels(ws))[0]!.id;
    await a.attach(ws, id, [1, 2, 3].map((i) => ({ type: 'form', externalId: `f${i}`, name: `Form ${i}` })), { create: true }, audit);
    // Filtered by name: counted (the label's number of forms alone is kept by the database, never counted).
    const total = async () => (await s.listResources(ws, { type: 'form', labelId: id, search: 'form', sort: 'created_at', direction: 'desc', limit: 2, offset: 0 })).total;
    const kept = async () => (await s.listResources(ws, { type: 'form', labelId: id, sort: 'created_at', direction: 'desc', limit: 2, offset: 0 })).total;
    expect(await total()).toBe(3);
    expect(await total()).toBe(3);
    expect(await kept()).toBe(3);
    expect(seen.counts).toBe(1);
    await b.attach(ws, id, [{ type: 'form', externalId: 'f4', name: 'Form 4' }], { create: true }, audit);
    expect(await total()).toBe(4);
    expect(await kept()).toBe(4);
    expect(seen.counts).toBe(2);
  });

  it('are not remembered across a transaction that ended, even one of another workspace', async () => {
    const seen = new Counted();
    const s = storeOver(recordingDb(a.db, seen, { name: 'test' }));
    const total = async () => (await s.listLabelsIn({ workspaceIds: [ws], ids: IDS, sort: [], limit: 2, offset: 0 })).total;
    await total();
    const other = (await b.createWorkspace('Other', '00000000-0000-4000-8000-00000000a002', 1)).id;
    await b.createLabel(other, label('elsewhere'), 'siblings', audit, owner);
    expect(await total()).toBe(6);
    expect(seen.counts).toBe(2);
  });
});
