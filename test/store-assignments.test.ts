// The assignment rules of src/db/store/assignment-rules.ts, each on its own, against the store itself (SQLite
// here; the PostgreSQL suite runs this file over PostgreSQL), plus the resource sorts both databases must agree on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreError } from '../src/core/errors.js';
import type { ResourceQuery } from '../src/core/ports.js';
import type { Audit } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { createTestStore } from './test-store.js';
import { FIXED_NOW } from './helper.js';

let store: DatabaseStore;
let ws: number;
let user: number;
let red: number;
let blue: number;
let green: number;
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: FIXED_NOW };
const doc = (externalId: string, attributes?: Record<string, unknown>, name?: string | null) => ({ type: 'doc', externalId, attributes, name });
const create = { create: true, replace: false, answer: true };

const label = async (workspace: number, name: string) =>
  (await store.createLabel(workspace, { parentId: null, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'siblings', audit, user)).id;
const events = async () => (await store.listEvents(ws, 0, 1000)).filter((e) => e.action.startsWith('label.') && e.action.endsWith('assigned')).map((e) => [e.action, e.labelId]);
const failure = async (p: Promise<unknown>) => p.then(() => 'ok', (e: CoreError) => `${e.code} ${JSON.stringify(e.details)}`);

beforeEach(async () => {
  store = createTestStore();
  ws = (await store.createWorkspace('Store', '00000000-0000-4000-8000-000000000001', FIXED_NOW)).id;
  user = (await store.createUser('owner@example.com', 'Owner', null, FIXED_NOW)).id;
  [red, blue, green] = [await label(ws, 'red'), await label(ws, 'blue'), await label(ws, 'green')];
});
afterEach(() => store.close());

describe('assign', () => {
  it('with replace removes the labels not asked for, one event each, and adds the new ones', async () => {
    await store.assign(ws, doc('d1'), [red, blue], create, audit);
    const after = await store.assign(ws, doc('d1'), [blue, green], { create: false, replace: true, answer: true }, audit);
    expect(after.map((l) => l.id)).toEqual([blue, green]);
    expect(await events()).toEqual([['label.assigned', red], ['label.assigned', blue], ['label.unassigned', red], ['label.assigned', green]]);
  });

  it('without replace keeps the other labels; an assignment already there records nothing', async () => {
    await store.assign(ws, doc('d1'), [red], create, audit);
    expect((await store.assign(ws, doc('d1'), [red, blue], create, audit)).map((l) => l.id)).toEqual([red, blue]);
    expect(await events()).toEqual([['label.assigned', red], ['label.assigned', blue]]);
  });

  it('takes only labels of the workspace: another workspace’s label is NOT_FOUND, and nothing is written', async () => {
    const other = (await store.createWorkspace('Other', '00000000-0000-4000-8000-000000000002', FIXED_NOW)).id;
    const foreign = await label(other, 'foreign');
    expect(await failure(store.assign(ws, doc('d1'), [foreign], create, audit))).toBe(`NOT_FOUND ${JSON.stringify({ entity: 'label', id: foreign })}`);
    expect(await failure(store.assign(ws, doc('d1'), [red, foreign], create, audit))).toBe(`NOT_FOUND ${JSON.stringify({ entity: 'label', id: foreign })}`);
    expect(await failure(store.attach(ws, foreign, [doc('d1')], { create: true }, audit))).toMatch(/^NOT_FOUND/);
    expect(await store.getResource(ws, doc('d1'))).toBeNull();
    expect(await events()).toEqual([]);
  });

  it('creates an unknown resource only when asked to (create), with its name, status and attributes', async () => {
    expect(await failure(store.assign(ws, doc('d1'), [red], { ...create, create: false }, audit))).toMatch(/^NOT_FOUND .*"resource"/);
    expect(await failure(store.attach(ws, red, [doc('d1')], { create: false }, audit))).toMatch(/^NOT_FOUND .*"resource"/);
    expect(await store.getResource(ws, doc('d1'))).toBeNull();
    await store.assign(ws, { ...doc('d1', { size: 3 }, 'One'), status: 'open' }, [red], create, audit);
    const res = await store.getResource(ws, doc('d1'));
    expect(res).toMatchObject({ workspaceId: ws, type: 'doc', externalId: 'd1', name: 'One', status: 'open', attributes: { size: 3 }, createdAt: FIXED_NOW });
    expect(res!.labels.map((l) => l.id)).toEqual([red]);
  });
});

describe('unassign', () => {
  it('of an unknown resource is NOT_FOUND, unless missingOk (then nothing is removed)', async () => {
    expect(await failure(store.unassign(ws, { type: 'doc', externalId: 'nope' }, [red], audit))).toMatch(/^NOT_FOUND .*"resource"/);
    expect(await store.unassign(ws, { type: 'doc', externalId: 'nope' }, [red], audit, { missingOk: true })).toEqual([]);
  });

  it('without a type acts on every type carrying the external id; returns the labels actually removed', async () => {
    await store.assign(ws, doc('x'), [red], create, audit);
    await store.assign(ws, { type: 'img', externalId: 'x' }, [red, blue], create, audit);
    expect(await store.unassign(ws, { externalId: 'x' }, [red, blue, green], audit)).toEqual([red, blue]);
    expect((await events()).filter(([a]) => a === 'label.unassigned')).toEqual([['label.unassigned', red], ['label.unassigned', red], ['label.unassigned', blue]]);
  });
});

describe('attach and detach', () => {
  it('record events only for what changed; detach reports only the resources it removed the label from', async () => {
    await store.assign(ws, doc('d1'), [red], create, audit);
    expect(await store.attach(ws, red, [doc('d1'), doc('d2')], { create: true }, audit)).toEqual([
      { type: 'doc', externalId: 'd1' },
      { type: 'doc', externalId: 'd2' },
    ]);
    expect(await events()).toEqual([['label.assigned', red], ['label.assigned', red]]);
    const refs = [doc('d2'), doc('d3'), doc('d1'), doc('d2')].map(({ type, externalId }) => ({ type, externalId }));
    expect(await store.detach(ws, red, refs, audit)).toEqual([{ type: 'doc', externalId: 'd2' }, { type: 'doc', externalId: 'd1' }]);
    expect((await events()).slice(2)).toEqual([['label.unassigned', red], ['label.unassigned', red]]);
  });
});

describe('listResources sorts the same on both databases', () => {
  const list = async (sort: ResourceQuery['sort'], direction: 'asc' | 'desc') =>
    (await store.listResources(ws, { sort, direction, limit: 100, offset: 0 })).items.map((r) => r.externalId);

  it('size: missing and null first, then numbers (booleans as 0 and 1), then text', async () => {
    const sizes: Array<[string, Record<string, unknown>]> = [['none', {}], ['null', { size: null }], ['10.5', { size: 10.5 }], ['true', { size: true }], ['2', { size: 2 }], ['false', { size: false }], ['pear', { size: 'pear' }], ['apple', { size: 'apple' }]];
    for (const [id, attributes] of sizes) await store.assign(ws, doc(id, attributes), [], create, audit);
    expect(await list('size', 'asc')).toEqual(['none', 'null', 'false', 'true', '2', '10.5', 'apple', 'pear']);
    expect(await list('size', 'desc')).toEqual(['pear', 'apple', '10.5', '2', 'true', 'false', 'null', 'none']);
  });

  it('name: ignoring ASCII case, no name first ascending and last descending; the total is counted', async () => {
    for (const [id, name] of [['1', 'b'], ['2', 'A'], ['3', null], ['4', 'c']] as const) await store.assign(ws, doc(id, {}, name), [], create, audit);
    expect(await list('name', 'asc')).toEqual(['3', '2', '1', '4']);
    expect(await list('name', 'desc')).toEqual(['4', '1', '2', '3']);
    expect((await store.listResources(ws, { sort: 'name', direction: 'asc', limit: 1, offset: 0, search: 'B' })).total).toBe(1);
  });

  it('a page of more than 100 (its LIMIT a parameter) and one of at most 100 (written into the statement) agree', async () => {
    for (let i = 0; i < 130; i++) await store.assign(ws, doc(`r${String(i).padStart(3, '0')}`, {}, `n${i % 7}`), [red], create, audit);
    for (const query of [{ labelId: red }, {}] as const) {
      const page = async (limit: number, offset: number) =>
        (await store.listResources(ws, { ...query, sort: 'name', direction: 'asc', limit, offset })).items.map((r) => r.externalId);
      const whole = await page(1000, 0);
      expect(whole).toHaveLength(130);
      expect(await page(100, 0)).toEqual(whole.slice(0, 100));
      expect(await page(20, 110)).toEqual(whole.slice(110, 130));
      expect(await page(101, 29)).toEqual(whole.slice(29, 130));
    }
  });
});
