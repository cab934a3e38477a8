// The tenancy, credential and counter rules of src/db/store (admin-rules.ts, transfer-rules.ts, auth.ts,
// counters.ts), each checked through the store on a fresh database: SQLite here, PostgreSQL in `npm run test:pg`.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../src/core/errors.js';
import type { ExportedLabel, ExportedResource, WorkspaceExport } from '../src/core/ports.js';
import type { Audit } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { createTestStore, peek } from './test-store.js';
import { parentsFirst } from '../src/db/store/transfer-rules.js';

let store: DatabaseStore;
beforeEach(() => {
  store = createTestStore();
});
afterEach(async () => {
  await store.close();
});

const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: 5 };
const newLabel = (name: string, parentId: number | null = null) => ({ parentId, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} });
const exported = (id: number, name: string, parent_id: number | null = null, created_by_email: string | null = null): ExportedLabel => ({
  id, parent_id, name, color: null, description: '', starts_at: null, ends_at: null, extras: {}, created_by_email, created_at: 1, updated_at: 2,
});
const resource = (id: string, label_ids: number[]): ExportedResource => ({ type: 'form', id, name: null, status: null, attributes: {}, created_at: 1, updated_at: 2, label_ids });
const doc = (labels: ExportedLabel[], resources: ExportedResource[] = []): WorkspaceExport => ({ format: 'labelmux-workspace', version: 1, workspace: { name: 'x' }, labels, resources });

/** The CoreError a promise rejects with. */
async function refusal(p: Promise<unknown>): Promise<CoreError> {
  const e: unknown = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(CoreError);
  return e as CoreError;
}

async function workspaceWithKey() {
  const ws = await store.createWorkspace('W', `uuid-${Math.random()}`, 1);
  const user = await store.createUser('owner@example.com', 'Owner', null, 1);
  await store.setMember(ws.id, user.id, 'owner', 1);
  const key = await store.createApiKey(user.id, ws.id, 'k', 'hash-1', 1);
  return { ws, user, key };
}

describe('import checks (transfer-rules.ts)', () => {
  it('needs an empty workspace: a label or a resource there is CONFLICT', async () => {
    const ws = await store.createWorkspace('W', 'u1', 1);
    await store.upsertResources(ws.id, [{ type: 'form', externalId: 'r' }], 1);
    expect((await refusal(store.importWorkspace(ws.id, doc([exported(1, 'A')]), audit))).code).toBe('CONFLICT');
    expect((await store.exportWorkspace(ws.id)).labels).toEqual([]);
  });

  it('inserts parents before their children, whatever the document order; a cycle is CYCLE', async () => {
    const ws = await store.createWorkspace('W', 'u1', 1);
    await store.importWorkspace(ws.id, doc([exported(30, 'Grandchild', 20), exported(20, 'Child', 10), exported(10, 'Root')]), audit);
    expect((await store.listLabels(ws.id)).map((l) => [l.id, l.parentId])).toEqual(expect.arrayContaining([[10, null], [20, 10], [30, 20]]));
    expect(() => parentsFirst([exported(1, 'A', 2), exported(2, 'B', 1)])).toThrow(expect.objectContaining({ code: 'CYCLE' }));
  });

  it('a parent missing from the document is VALIDATION and writes nothing', async () => {
    const ws = await store.createWorkspace('W', 'u1', 1);
    const e = await refusal(store.importWorkspace(ws.id, doc([exported(1, 'A'), exported(2, 'B', 99)]), audit));
    expect([e.code, e.details.field, e.details.rule]).toEqual(['VALIDATION', 'parent_id', 'reference']);
    expect(await store.listLabels(ws.id)).toEqual([]);
  });

  it('an id held by another label of the database gives every label a new id; a name twice among siblings is CONFLICT and writes nothing', async () => {
    const other = await store.createWorkspace('Other', 'u0', 1);
    const maker = await store.createUser('maker@example.com', 'Maker', null, 1);
    const held = await store.createLabel(other.id, newLabel('Held'), 'siblings', audit, maker.id);
    const ws = await store.createWorkspace('W', 'u1', 1);
    const clone = await store.createWorkspace('Clone', 'u2', 1);
    const ids = await store.importWorkspace(clone.id, doc([exported(held.id + 100, 'Fresh'), exported(held.id, 'Mine', held.id + 100)], [resource('r', [held.id])]), audit);
    const mine = ids.get(held.id)!;
    expect(mine).not.toBe(held.id);
    expect(ids.get(held.id + 100)).not.toBe(held.id + 100);
    expect((await store.getLabel(clone.id, mine))?.parentId).toBe(ids.get(held.id + 100));
    expect((await store.exportWorkspace(clone.id)).resources.map((r) => r.label_ids)).toEqual([[mine]]);
    expect((await store.getLabel(other.id, held.id))?.name).toBe('Held');
    const nameTwice = await refusal(store.importWorkspace(ws.id, doc([exported(500, 'Same'), exported(501, 'SAME')]), audit));
    expect([nameTwice.code, nameTwice.details.id]).toEqual(['CONFLICT', 501]);
    expect(await store.listLabels(ws.id)).toEqual([]);
  });

  it('a resource twice, or naming a label outside the document, is VALIDATION and writes nothing', async () => {
    const ws = await store.createWorkspace('W', 'u1', 1);
    const twice = await refusal(store.importWorkspace(ws.id, doc([exported(1, 'A')], [resource('r', [1]), resource('r', [])]), audit));
    expect([twice.code, twice.details.rule]).toEqual(['VALIDATION', 'unique']);
    const stranger = await refusal(store.importWorkspace(ws.id, doc([exported(1, 'A')], [resource('r', [7])]), audit));
    expect([stranger.code, stranger.details.field]).toEqual(['VALIDATION', 'label_ids']);
    expect(await store.exportWorkspace(ws.id)).toMatchObject({ labels: [], resources: [] });
  });

  it('keeps the ids; labels created afterwards get new ids past them', async () => {
    const ws = await store.createWorkspace('W', 'u1', 1);
    await store.importWorkspace(ws.id, doc([exported(1000, 'A')], [resource('r', [1000])]), audit);
    const maker = await store.createUser('maker@example.com', 'Maker', null, 1);
    const next = await store.createLabel(ws.id, newLabel('B'), 'siblings', audit, maker.id);
    expect(next.id).toBeGreaterThan(1000);
    expect((await store.exportWorkspace(ws.id)).resources.map((r) => r.label_ids)).toEqual([[1000]]);
  });
});

describe('email uniqueness ignoring case (admin-rules.ts)', () => {
  it('a second user whose email differs only in case is CONFLICT on email', async () => {
    await store.createUser('Ann@Example.com', 'Ann', null, 1);
    const e = await refusal(store.createUser('ann@example.COM', 'Ann again', null, 2));
    expect([e.code, e.details.field]).toEqual(['CONFLICT', 'email']);
    expect((await store.createUser('bob@example.com', 'Bob', null, 3)).email).toBe('bob@example.com');
  });

  it('import finds a label creator by email ignoring case', async () => {
    const ann = await store.createUser('Ann@Example.com', 'Ann', null, 1);
    const ws = await store.createWorkspace('W', 'u1', 1);
    await store.importWorkspace(ws.id, doc([exported(1, 'A', null, 'ANN@example.com')]), audit);
    expect((await store.getLabel(ws.id, 1))?.createdBy).toBe(ann.id);
  });
});

describe('API keys: revoke and lookup (admin-rules.ts revokeKey, auth.ts findKey)', () => {
  it('revoke: false for an unknown key; true for a known one, again true once revoked, the first time kept', async () => {
    const { key } = await workspaceWithKey();
    expect(await store.revokeApiKey(key.id + 1, 10)).toBe(false);
    expect(await store.revokeApiKey(key.id, 10)).toBe(true);
    expect(await store.revokeApiKey(key.id, 20)).toBe(true);
    expect((await peek(store, 'SELECT revoked_at FROM api_keys WHERE id = ?', key.id))).toEqual({ revoked_at: 10 });
  });

  it('a key looked up (and remembered) is refused at once after it is revoked', async () => {
    const { key, user, ws } = await workspaceWithKey();
    const found = await store.findKey('hash-1');
    expect(found).toMatchObject({ apiKeyId: key.id, userId: user.id, keyWorkspaceId: ws.id, keyMembership: { role: 'owner' } });
    expect(await store.findKey('hash-1')).toEqual(found);
    // A write of content (a label) leaves the remembered lookup standing; the revocation must not.
    await store.createLabel(ws.id, newLabel('L'), 'siblings', audit, user.id);
    await store.revokeApiKey(key.id, 10);
    expect(await store.findKey('hash-1')).toBeNull();
  });

  it('a membership change shows in the next lookup of a workspace key', async () => {
    const { ws, user } = await workspaceWithKey();
    await store.findKey('hash-1');
    await store.setMember(ws.id, user.id, 'viewer', 2);
    expect((await store.findKey('hash-1'))?.keyMembership?.role).toBe('viewer');
  });

  it('a workspace key needs a member: VALIDATION otherwise; unknown user or workspace is NOT_FOUND', async () => {
    const ws = await store.createWorkspace('W', 'u1', 1);
    const user = await store.createUser('x@example.com', 'X', null, 1);
    expect((await refusal(store.createApiKey(user.id, ws.id, 'k', 'h', 1))).details.rule).toBe('membership');
    expect((await refusal(store.createApiKey(user.id + 1, null, 'k', 'h', 1))).details.entity).toBe('user');
    expect((await refusal(store.createApiKey(user.id, ws.id + 1, 'k', 'h', 1))).details.entity).toBe('workspace');
  });
});

describe('counters (counters.ts)', () => {
  it('consume never passes its limit and reports the count, added or not', async () => {
    expect(await store.consume('q', 's', 'd', 2, 3)).toEqual({ allowed: true, count: 2 });
    expect(await store.consume('q', 's', 'd', 2, 3)).toEqual({ allowed: false, count: 2 });
    expect(await store.consume('q', 's', 'd', 1, 3)).toEqual({ allowed: true, count: 3 });
    expect(await store.consume('q', 's', 'd', 1, 3)).toEqual({ allowed: false, count: 3 });
    // A new counter is not created by a refused consume.
    expect(await store.consume('q', 'new', 'd', 4, 3)).toEqual({ allowed: false, count: 0 });
    expect((await peek(store, `SELECT count(*) AS n FROM counters WHERE subject = 'new'`))).toEqual({ n: 0 });
    expect(await store.readCounter('q', 's', 'd')).toBe(3);
  });

  it('concurrent consumes add exactly up to the limit', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => store.consume('q', 's', 'd', 1, 5)));
    expect(results.filter((r) => r.allowed).map((r) => r.count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
    expect(await store.readCounter('q', 's', 'd')).toBe(5);
  });

  it('prune deletes the scope’s days before the given one and says how many', async () => {
    for (const day of ['2026-01-01', '2026-01-02', '2026-01-03']) await store.consume('rate', 's', day, 1, 10);
    await store.consume('other', 's', '2026-01-01', 1, 10);
    expect(await store.pruneCounters('rate', '2026-01-03')).toBe(2);
    expect(await store.readCounter('rate', 's', '2026-01-03')).toBe(1);
    expect(await store.readCounter('other', 's', '2026-01-01')).toBe(1);
  });
});
