// The label tree's rules of src/db/store/label-rules.ts, each on its own, against the store itself on the
// suite's database (SQLite under `npm test`, PostgreSQL under `npm run test:pg`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CoreError } from '../src/core/errors.js';
import type { NewLabel } from '../src/core/ports.js';
import type { Audit } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { isAncestorOrSelf, nameTaken, subtreeOf, unchanged } from '../src/db/store/label-rules.js';
import { FIXED_NOW } from './helper.js';
import { createTestStore } from './test-store.js';

let store: DatabaseStore;
let ws: number;
let other: number;
let user: number;
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: FIXED_NOW };
const fields = (name: string, parentId: number | null = null, startsAt: number | null = null): NewLabel => ({
  parentId, name, color: null, description: '', startsAt, endsAt: startsAt, extras: {},
});
const make = async (name: string, parentId: number | null = null, workspace = ws) => (await store.createLabel(workspace, fields(name, parentId), 'siblings', audit, user)).id;
const failure = async (p: Promise<unknown>) => p.then(() => 'ok', (e: CoreError) => `${e.code} ${JSON.stringify(e.details)}`);
const eventCount = async () => (await store.listEvents(ws, 0, 1000)).length;

beforeEach(async () => {
  store = createTestStore();
  ws = (await store.createWorkspace('Labels', '00000000-0000-4000-8000-000000000001', FIXED_NOW)).id;
  other = (await store.createWorkspace('Other', '00000000-0000-4000-8000-000000000002', FIXED_NOW)).id;
  user = (await store.createUser('owner@example.com', 'Owner', null, FIXED_NOW)).id;
});
afterEach(() => store.close());

describe('names (nameTaken)', () => {
  it('are unique among siblings ignoring case, and free under another parent', async () => {
    const a = await make('A');
    const first = await make('Release', a);
    expect(await failure(make('RELEASE', a))).toBe(`NAME_TAKEN {"field":"name","existingId":${first}}`);
    expect(await failure(make('release'))).toBe('ok'); // top level is another parent
    expect(await nameTaken(store.db, ws, a, 'rElEaSe', 'siblings', 0)).toMatchObject({ code: 'NAME_TAKEN' });
    expect(await nameTaken(store.db, ws, a, 'Release', 'siblings', first)).toBeNull(); // the label itself
  });

  it("with scope 'workspace' are unique across the whole workspace, never across workspaces", async () => {
    const a = await make('A');
    await make('Deep', a);
    expect(await failure(store.createLabel(ws, fields('deep'), 'workspace', audit, user))).toMatch(/^NAME_TAKEN/);
    expect(await failure(store.createLabel(other, fields('deep'), 'workspace', audit, user))).toBe('ok');
  });

  it('timed labels are excepted', async () => {
    await make('Launch');
    expect(await failure(store.createLabel(ws, fields('launch', null, 1000), 'siblings', audit, user))).toBe('ok');
    expect(await failure(store.createLabel(ws, fields('LAUNCH', null, 2000), 'workspace', audit, user))).toBe('ok');
  });

  it('a rename onto a sibling is refused and writes nothing', async () => {
    const x = await make('X');
    const y = await make('Y');
    const before = await eventCount();
    expect(await failure(store.updateLabel(ws, y, { name: 'x' }, 'siblings', audit))).toBe(`NAME_TAKEN {"field":"name","existingId":${x}}`);
    expect((await store.getLabel(ws, y))!.name).toBe('Y');
    expect(await eventCount()).toBe(before);
  });
});

describe('parents (requireParent) and cycles (requireNoCycle)', () => {
  it("a parent must be a label of the same workspace", async () => {
    const theirs = await make('Theirs', null, other);
    expect(await failure(make('Child', theirs))).toBe(`NOT_FOUND {"entity":"parent","id":${theirs},"field":"parent_id"}`);
    expect(await failure(make('Child', 999_999))).toMatch(/^NOT_FOUND/);
    const mine = await make('Mine');
    expect(await failure(store.updateLabel(ws, mine, { parentId: theirs }, 'siblings', audit))).toMatch(/^NOT_FOUND/);
  });

  it('a label never moves under itself or a descendant', async () => {
    const a = await make('A');
    const b = await make('B', a);
    const c = await make('C', b);
    expect(await isAncestorOrSelf(store.db, ws, a, c)).toBe(true);
    expect(await isAncestorOrSelf(store.db, ws, c, a)).toBe(false);
    expect(await failure(store.updateLabel(ws, a, { parentId: c }, 'siblings', audit))).toBe(`CYCLE {"field":"parent_id","id":${c}}`);
    expect(await failure(store.updateLabel(ws, a, { parentId: a }, 'siblings', audit))).toMatch(/^CYCLE/);
    expect((await store.getLabel(ws, a))!.parentId).toBeNull();
    expect(await failure(store.updateLabel(ws, c, { parentId: a }, 'siblings', audit))).toBe('ok');
  });
});

describe('an update that changes nothing (unchanged)', () => {
  it('writes nothing: no event, the same updated_at', async () => {
    const id = await make('Same');
    const before = await eventCount();
    const label = await store.updateLabel(ws, id, { name: 'Same', color: null }, 'siblings', { ...audit, at: FIXED_NOW + 5000 });
    expect(label.updatedAt).toBe(FIXED_NOW);
    expect(await eventCount()).toBe(before);
    expect(unchanged({ a: 1, b: [2] }, { a: 1, b: [2] })).toBe(true);
    expect(unchanged({ a: 1 }, { a: 2 })).toBe(false);
  });
});

describe('delete (subtreeOf)', () => {
  it('takes every descendant, breadth first in the order asked, and writes one event per deleted root', async () => {
    const a = await make('A');
    const b = await make('B');
    const a1 = await make('a1', a);
    const b1 = await make('b1', b);
    const a2 = await make('a2', a);
    const a11 = await make('a11', a1);
    expect(await subtreeOf(store.db, store.db, ws, [b, a])).toEqual([b, a, b1, a1, a2, a11]);
    expect(await subtreeOf(store.db, store.db, ws, [a, a1])).toEqual([a, a1, a2, a11]); // a root inside another is listed once
    const before = await eventCount();
    expect(await store.deleteLabels(ws, [a, a1], audit)).toEqual([a, a1, a2, a11]);
    const deleted = (await store.listEvents(ws, 0, 1000)).slice(before);
    expect(deleted.map((e) => [e.action, e.labelId])).toEqual([['label.deleted', a]]);
    expect((await store.listLabels(ws)).map((l) => l.name)).toEqual(['B', 'b1']);
  });

  it('a missing id deletes nothing (NOT_FOUND), unless told to ignore it', async () => {
    const a = await make('A');
    expect(await failure(store.deleteLabels(ws, [a, 999_999], audit))).toMatch(/^NOT_FOUND/);
    expect(await store.getLabel(ws, a)).not.toBeNull();
    expect(await store.deleteLabels(ws, [999_999, a], audit, { ignoreMissing: true })).toEqual([a]);
  });

  it("another workspace's label counts as missing", async () => {
    const theirs = await make('Theirs', null, other);
    expect(await failure(store.deleteLabels(ws, [theirs], audit))).toMatch(/^NOT_FOUND/);
    expect(await store.getLabel(other, theirs)).not.toBeNull();
  });
});

describe('listLabels', () => {
  it("reads every label with its creator's name and email", async () => {
    await make('One');
    await store.createLabel(ws, fields('Two'), 'siblings', audit, null as unknown as number);
    const labels = await store.listLabels(ws);
    expect(labels.map((l) => [l.name, l.createdByName, l.createdByEmail])).toEqual([
      ['One', 'Owner', 'owner@example.com'],
      ['Two', null, null],
    ]);
  });
});
