// A list's total is remembered until the database changes: a write through the same connection, or a commit by
// another connection on the same file (another labelmux process), must show at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Audit } from '../src/core/types.js';
import { createSqliteStore, type SqliteStore } from '../src/db/index.js';
import { createCore } from '../src/core/index.js';
import { createTenant, type Tenant } from './helper.js';

let dir: string;
let a: SqliteStore;
let b: SqliteStore;
let tenant: Tenant;
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: 1 };
const label = (name: string) => ({ parentId: null, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labelmux-memo-'));
  a = createSqliteStore(join(dir, 'db.sqlite'));
  b = createSqliteStore(join(dir, 'db.sqlite'));
  tenant = await createTenant(createCore({ store: a }));
});
afterAll(async () => {
  await a.close();
  await b.close();
  rmSync(dir, { recursive: true, force: true });
});

const total = async (s: SqliteStore) =>
  (await s.listLabelsIn({ workspaceIds: [tenant.workspaceId], sort: [], limit: 2, offset: 0 })).total;

describe('list totals', () => {
  it('follow writes through the same store and commits through another connection', async () => {
    expect(await total(a)).toBe(0);
    await a.createLabel(tenant.workspaceId, label('one'), 'siblings', audit, tenant.userIds.owner);
    expect(await total(a)).toBe(1);
    expect(await total(a)).toBe(1);
    await b.createLabel(tenant.workspaceId, label('two'), 'siblings', audit, tenant.userIds.owner);
    expect(await total(a)).toBe(2);
    const [first] = (await a.listLabelsIn({ workspaceIds: [tenant.workspaceId], sort: [], limit: 1, offset: 0 })).items;
    expect(first?.name).toBe('one');
  });

  it('are kept per filter', async () => {
    const named = async (name: string) => (await a.listLabelsIn({ workspaceIds: [tenant.workspaceId], name, sort: [], limit: 5, offset: 0 })).total;
    expect(await named('one')).toBe(1);
    expect(await named('nothing')).toBe(0);
    expect(await named('ONE')).toBe(1);
  });
});

describe('key lookups', () => {
  it('are remembered only until the database changes: a key revoked through another connection is refused at once', async () => {
    const core = createCore({ store: a });
    const other = await createTenant(createCore({ store: b }), 'Other');
    const key = other.keys.viewer;
    for (let i = 0; i < 3; i++) expect((await core.auth.actorForKey(key, { id: other.workspaceId }, 't')).role).toBe('viewer');
    const { apiKeyId } = await createCore({ store: b }).auth.authenticate(key);
    expect(await b.revokeApiKey(apiKeyId, 2)).toBe(true);
    await expect(core.auth.actorForKey(key, { id: other.workspaceId }, 't')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('outlive writes of labels and assignments (scope content), not writes that may touch credentials', async () => {
    const core = createCore({ store: a });
    const mine = await createTenant(core, 'Mine');
    const key = mine.keys.member;
    const lookup = () => core.auth.authenticate(key).then(() => 'found', (e: { code: string }) => e.code);
    expect(await lookup()).toBe('found');
    // Revoked behind Statements' back (same connection: data_version does not move), so only a remembered
    // answer still finds the key.
    a.sqlite.prepare('UPDATE api_keys SET revoked_at = 1 WHERE revoked_at IS NULL').run();
    expect(await lookup()).toBe('found');
    await a.createLabel(mine.workspaceId, label('content'), 'siblings', audit, mine.userIds.owner);
    expect(await lookup()).toBe('found');
    await a.attach(mine.workspaceId, (await a.listLabels(mine.workspaceId))[0]!.id, [{ type: 'form', externalId: 'f1' }], { create: true }, audit);
    expect(await lookup()).toBe('found');
    expect(await limboGrantsOf(mine.userIds.member, mine.workspaceId)).toBe(1);
    a.sqlite.prepare('DELETE FROM memberships WHERE workspace_id = ?').run(mine.workspaceId);
    expect(await limboGrantsOf(mine.userIds.member, mine.workspaceId)).toBe(1); // remembered
    await a.createWorkspace('Any write', 'a0000000-0000-4000-8000-000000000001', 3); // scope any
    expect(await lookup()).toBe('UNAUTHENTICATED');
    expect(await limboGrantsOf(mine.userIds.member, mine.workspaceId)).toBe(0);
  });
});

describe('key lookups known at once (auth.authenticateNow)', () => {
  it('answer without a promise once remembered, and ask again after a write that may touch credentials or another connection\'s commit', async () => {
    const core = createCore({ store: a });
    const mine = await createTenant(core, 'At once');
    const key = mine.keys.member;
    expect(() => core.auth.authenticateNow('not a key')).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(() => core.auth.authenticateNow(undefined)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
    expect(core.auth.authenticateNow(key)).toBeUndefined(); // not remembered yet
    const found = await core.auth.authenticate(key);
    expect(core.auth.authenticateNow(key)).toBe(found);
    await a.createLabel(mine.workspaceId, label('at once'), 'siblings', audit, mine.userIds.owner); // scope content
    expect(core.auth.authenticateNow(key)).toBe(found);
    await a.createWorkspace('Any write at once', 'a0000000-0000-4000-8000-000000000002', 3); // scope any
    expect(core.auth.authenticateNow(key)).toBeUndefined();
    await core.auth.authenticate(key);
    await b.createWorkspace('Another connection', 'a0000000-0000-4000-8000-000000000003', 3);
    await new Promise((resolve) => setImmediate(resolve)); // data_version is read once per turn of the event loop
    expect(core.auth.authenticateNow(key)).toBeUndefined();
    // A key that is not there is known too, once looked up: refused at once.
    const unknown = 'f'.repeat(32);
    await expect(core.auth.authenticate(unknown)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(() => core.auth.authenticateNow(unknown)).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('stay remembered while many other answers (label paths) are read', async () => {
    const core = createCore({ store: a });
    const mine = await createTenant(core, 'Many paths');
    const found = await core.auth.authenticate(mine.keys.member);
    for (let id = 1; id <= 600; id++) await a.listLabelPaths(mine.workspaceId, { ids: [id] });
    expect(core.auth.authenticateNow(mine.keys.member)).toBe(found);
  });
});

const limboGrantsOf = async (userId: number, ws: number) => (await a.listGrants(userId, ws)).length;

describe('label paths (Razuna getlabel)', () => {
  const pathOf = async (s: SqliteStore, id: number) => (await s.listLabelPaths(tenant.workspaceId, { ids: [id] })).labels.map((l) => l.path);

  it('follow renames, moves and deletes of the label and its ancestors, through this connection or another', async () => {
    const ws = tenant.workspaceId;
    const owner = tenant.userIds.owner;
    const top = await a.createLabel(ws, label('top'), 'siblings', audit, owner);
    const mid = await a.createLabel(ws, { ...label('mid'), parentId: top.id }, 'siblings', audit, owner);
    const leaf = await a.createLabel(ws, { ...label('leaf'), parentId: mid.id }, 'siblings', audit, owner);
    expect(await pathOf(a, leaf.id)).toEqual(['top/mid/leaf']);
    expect(await pathOf(a, leaf.id)).toEqual(['top/mid/leaf']);
    await a.updateLabel(ws, top.id, { name: 'TOP' }, 'siblings', audit);
    expect(await pathOf(a, leaf.id)).toEqual(['TOP/mid/leaf']);
    await b.updateLabel(ws, mid.id, { name: 'middle' }, 'siblings', audit);
    expect(await pathOf(a, leaf.id)).toEqual(['TOP/middle/leaf']);
    await b.updateLabel(ws, leaf.id, { parentId: top.id }, 'siblings', audit);
    expect(await pathOf(a, leaf.id)).toEqual(['TOP/leaf']);
    // An assignment changes no label row: the path stays what it is.
    await a.attach(ws, leaf.id, [{ type: 'form', externalId: 'path-f1' }], { create: true }, audit);
    expect(await pathOf(a, leaf.id)).toEqual(['TOP/leaf']);
    expect((await b.listLabelPaths(ws + 1000, { ids: [leaf.id] })).labels).toEqual([]); // another workspace's id
    await b.deleteLabels(ws, [top.id], audit);
    expect(await pathOf(a, leaf.id)).toEqual([]);
  });
});
