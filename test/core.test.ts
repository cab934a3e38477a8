// The shared core over the SQLite store: tree rules, name uniqueness, cascades, events, races.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../src/core/errors.js';
import { createCore, type Core } from '../src/core/index.js';
import type { Actor } from '../src/core/types.js';
import { createStore, type DatabaseStore } from '../src/db/index.js';
import { createTenant, FIXED_NOW, type Tenant } from './helper.js';
import { createTestStore, testDatabase } from './test-store.js';

let store: DatabaseStore;
let core: Core;
let tenant: Tenant;
let owner: Actor;

beforeEach(async () => {
  store = createTestStore();
  core = createCore({ store, now: () => FIXED_NOW });
  tenant = await createTenant(core);
  owner = await core.auth.actorForKey(tenant.keys.owner, { id: tenant.workspaceId }, 'test');
});
afterEach(() => store.close());

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: CoreError) => e.code);

describe('names', () => {
  it('are trimmed and validated', async () => {
    expect((await core.labels.create(owner, { name: '  Spaced  ' })).name).toBe('Spaced');
    expect(await code(core.labels.create(owner, { name: ' ' }))).toBe('VALIDATION');
    expect(await code(core.labels.create(owner, { name: 'a'.repeat(256) }))).toBe('VALIDATION');
    expect(await code(core.labels.create(owner, { name: 'é'.repeat(255) }))).toBe('ok');
    expect(await code(core.labels.create(owner, { name: '😀'.repeat(255) }))).toBe('ok'); // 255 characters, 510 UTF-16 units
    expect(await code(core.labels.create(owner, { name: 'tab\there' }))).toBe('VALIDATION');
  });

  it('are unique among siblings, case-insensitively (including non-ASCII), and may repeat elsewhere', async () => {
    const a = await core.labels.create(owner, { name: 'Äpfel' });
    const b = await core.labels.create(owner, { name: 'Birnen' });
    expect(await code(core.labels.create(owner, { name: 'äPFEL' }))).toBe('NAME_TAKEN');
    expect(await code(core.labels.create(owner, { name: 'Äpfel', parentId: a.id }))).toBe('ok');
    expect(await code(core.labels.create(owner, { name: 'Äpfel', parentId: b.id }))).toBe('ok');
    expect(await code(core.labels.create(owner, { name: 'STRASSE' }))).toBe('ok');
    expect(await code(core.labels.create(owner, { name: 'straße' }))).toBe('NAME_TAKEN');
    const err = await core.labels.create(owner, { name: 'birnen' }).catch((e: CoreError) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).details.existingId).toBe(b.id);
  });

  it('timed labels (annotations) may repeat names', async () => {
    await core.labels.create(owner, { name: 'Release', startsAt: 1000, endsAt: 1000 });
    expect(await code(core.labels.create(owner, { name: 'Release', startsAt: 2000 }))).toBe('ok');
    expect(await code(core.labels.create(owner, { name: 'Release' }))).toBe('ok');
    expect(await code(core.labels.create(owner, { name: 'release' }))).toBe('NAME_TAKEN');
  });

  it('the database itself refuses a duplicate sibling name (race-free)', async () => {
    const insert = (name: string) =>
      store.db.run(`INSERT INTO labels (workspace_id, parent_id, name, name_key, created_at, updated_at) VALUES (?, NULL, ?, ?, 0, 0)`, tenant.workspaceId, name, 'dup');
    await insert('Dup');
    await expect(insert('DUP')).rejects.toThrow(/UNIQUE|unique constraint/);
  });

  it('moving into a parent with a sibling of the same name is refused', async () => {
    const p = await core.labels.create(owner, { name: 'P' });
    await core.labels.create(owner, { name: 'Same', parentId: p.id });
    const other = await core.labels.create(owner, { name: 'same' });
    expect(await code(core.labels.update(owner, other.id, { parentId: p.id }))).toBe('NAME_TAKEN');
  });
});

describe('tree', () => {
  it('refuses cycles, self-parenting and parents of another workspace', async () => {
    const a = await core.labels.create(owner, { name: 'A' });
    const b = await core.labels.create(owner, { name: 'B', parentId: a.id });
    const c = await core.labels.create(owner, { name: 'C', parentId: b.id });
    expect(await code(core.labels.update(owner, a.id, { parentId: c.id }))).toBe('CYCLE');
    expect(await code(core.labels.update(owner, a.id, { parentId: a.id }))).toBe('VALIDATION');
    const other = await createTenant(core);
    const foreignActor = await core.auth.actorForKey(other.keys.owner, { id: other.workspaceId }, 'test');
    const foreign = await core.labels.create(foreignActor, { name: 'F' });
    expect(await code(core.labels.update(owner, a.id, { parentId: foreign.id }))).toBe('NOT_FOUND');
    expect(await code(core.labels.create(owner, { name: 'X', parentId: foreign.id }))).toBe('NOT_FOUND');
    expect((await core.labels.update(owner, c.id, { parentId: null })).parentId).toBeNull();
    expect((await core.labels.update(owner, a.id, { parentId: c.id })).parentId).toBe(c.id);
  });

  it('deleting removes the subtree and its assignments in one transaction, with one event per deleted root', async () => {
    const a = await core.labels.create(owner, { name: 'A' });
    const b = await core.labels.create(owner, { name: 'B', parentId: a.id });
    const c = await core.labels.create(owner, { name: 'C', parentId: b.id });
    const keep = await core.labels.create(owner, { name: 'Keep' });
    await core.resources.assign(owner, { type: 'form', externalId: '1' }, [c.id, keep.id], { create: true });
    const before = (await core.admin.listEvents(tenant.workspaceId, 0, 1000)).length;
    expect((await core.labels.remove(owner, [a.id, c.id])).sort()).toEqual([a.id, b.id, c.id].sort());
    const events = (await core.admin.listEvents(tenant.workspaceId, 0, 1000)).slice(before);
    expect(events.map((e) => [e.action, e.labelId])).toEqual([['label.deleted', a.id]]);
    expect((await core.labels.list(owner)).map((l) => l.id)).toEqual([keep.id]);
    expect((await core.resources.get(owner, { type: 'form', externalId: '1' })).labels.map((l) => l.id)).toEqual([keep.id]);
  });

  it("assign answers the resource's labels, or nothing when the caller does not show them (answer: false)", async () => {
    const a = await core.labels.create(owner, { name: 'A' });
    const b = await core.labels.create(owner, { name: 'B' });
    const ref = { type: 'form', externalId: 'answer-1' };
    expect((await core.resources.assign(owner, ref, [a.id], { create: true })).map((l) => l.id)).toEqual([a.id]);
    expect(await core.resources.assign(owner, ref, [b.id], { answer: false })).toEqual([]);
    expect((await core.resources.get(owner, ref)).labels.map((l) => l.id)).toEqual([a.id, b.id]);
  });

  it('a delete naming one missing id deletes nothing', async () => {
    const a = await core.labels.create(owner, { name: 'A' });
    expect(await code(core.labels.remove(owner, [a.id, 999_999]))).toBe('NOT_FOUND');
    expect((await core.labels.list(owner)).map((l) => l.id)).toEqual([a.id]);
  });
});

describe('roles and workspaces', () => {
  it('enforces the role table', async () => {
    const label = await core.labels.create(owner, { name: 'L' });
    for (const role of ['member', 'viewer'] as const) {
      const actor = await core.auth.actorForKey(tenant.keys[role], { id: tenant.workspaceId }, 'test');
      expect(await code(core.labels.list(actor))).toBe('ok');
      expect(await code(core.labels.create(actor, { name: 'X' }))).toBe('FORBIDDEN');
      expect(await code(core.labels.update(actor, label.id, { name: 'X' }))).toBe('FORBIDDEN');
      expect(await code(core.labels.remove(actor, [label.id]))).toBe('FORBIDDEN');
      expect(await code(core.resources.assign(actor, { type: 'form', externalId: '1' }, [label.id], { create: true }))).toBe(role === 'member' ? 'ok' : 'FORBIDDEN');
    }
  });

  it('a workspace key enters only its workspace; a user-wide key every workspace of its user; deleted users and revoked keys nothing', async () => {
    const other = await createTenant(core);
    expect(await code(core.auth.actorForKey(tenant.keys.owner, { id: other.workspaceId }, 't'))).toBe('NOT_FOUND');
    expect(await code(core.auth.actorForKey(tenant.keys.owner, { uuid: other.uuid }, 't'))).toBe('NOT_FOUND');
    expect((await core.auth.actorForKey(tenant.keys.owner, { earliest: true }, 't')).workspaceId).toBe(tenant.workspaceId);
    await core.admin.setMember(other.workspaceId, tenant.userIds.owner, 'viewer');
    const { key } = await core.admin.createApiKey({ userId: tenant.userIds.owner });
    expect((await core.auth.actorForKey(key, { id: other.workspaceId }, 't')).role).toBe('viewer');
    expect((await core.auth.actorForKey(key, { uuid: tenant.uuid }, 't')).role).toBe('owner');
    expect((await core.auth.actorForKey(key, { earliest: true }, 't')).workspaceId).toBe(tenant.workspaceId);
    expect(await code(core.auth.actorForKey(key, { id: 999 }, 't'))).toBe('NOT_FOUND');
    await core.admin.deleteUser(tenant.userIds.owner);
    expect(await code(core.auth.actorForKey(key, { id: other.workspaceId }, 't'))).toBe('UNAUTHENTICATED');
    expect(await code(core.auth.actorForKey(tenant.keys.owner, { id: tenant.workspaceId }, 't'))).toBe('UNAUTHENTICATED');
  });
});

describe('concurrency across connections', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'labelmux-race-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('processes racing to create the same name on one database file: exactly one wins', async () => {
    const file = await testDatabase(join(dir, 'race.db'));
    const fileStore = createStore(file);
    const fileCore = createCore({ store: fileStore });
    const t = await createTenant(fileCore);
    await fileStore.close();
    const run = promisify(execFile);
    const startAt = String(Date.now() + 1500);
    const script = join(import.meta.dirname, 'fixtures', 'race-create.ts');
    const results = await Promise.all(
      ['Launch', 'launch', 'LAUNCH', 'Launch'].map((name) => run(process.execPath, ['--import', 'tsx', script, file, t.keys.owner, String(t.workspaceId), name, startAt])),
    );
    const outcomes = results.map((r) => JSON.parse(r.stdout) as { ok?: number; error?: string });
    expect(outcomes.filter((o) => o.ok !== undefined)).toHaveLength(1);
    expect(outcomes.filter((o) => o.error === 'NAME_TAKEN')).toHaveLength(3);
  });
});
