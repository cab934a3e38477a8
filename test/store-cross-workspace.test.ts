// The store's rules for credentials and labels that span workspaces (src/db/store/oauth.ts,
// cross-workspace-rules.ts, product-links.ts), each checked on a bare store: the move of a label across
// workspaces, the three link modes with their product choice preference, the login lock window and token
// rotation. The PostgreSQL suite runs this file against PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../src/core/errors.js';
import type { Store, NewLabel } from '../src/core/ports.js';
import type { Audit } from '../src/core/types.js';
import { createTestStore } from './test-store.js';

const AT = Date.UTC(2026, 0, 2, 3, 4, 5);
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: AT };
const label = (name: string, parentId: number | null = null): NewLabel => ({ parentId, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} });
const pair = (n: number, refreshExpiresAt = AT + 60_000) => ({ accessHash: `a${n}`, refreshHash: `r${n}`, accessExpiresAt: AT + 1000, refreshExpiresAt });

let store: Store & { close(): Promise<void> };
let a: number;
let b: number;
let u: number;
beforeEach(async () => {
  store = createTestStore();
  a = (await store.createWorkspace('A', '00000000-0000-4000-8000-00000000000a', AT)).id;
  b = (await store.createWorkspace('B', '00000000-0000-4000-8000-00000000000b', AT)).id;
  u = (await store.createUser('creator@example.com', 'Creator', null, AT)).id;
});
afterEach(async () => {
  await store.close();
});

const productsOf = async (labelId: number) => (await store.productsOfLabels([labelId])).get(labelId)!.map((r) => [r.workspaceId, r.externalId, r.name]);
const caught = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as CoreError);

describe('move across workspaces', () => {
  it('re-links each assignment to the same type and external id in the target, copying resources it lacks', async () => {
    await store.upsertResources(a, [{ type: 'product', externalId: 'p1', name: 'One in A' }, { type: 'product', externalId: 'p2', name: 'Two', status: 'live', attributes: { x: 1 } }], AT);
    await store.upsertResources(b, [{ type: 'product', externalId: 'p1', name: 'One in B' }], AT);
    const parent = await store.createLabel(a, label('Parent'), 'siblings', audit, u);
    const l = await store.createLabel(a, label('Moves', parent.id), 'siblings', audit, u);
    await store.linkProducts(a, l.id, 'add', [{ ref: 'p1', externalIds: ['p1'] }, { ref: 'p2', externalIds: ['p2'] }], audit);

    const moved = await store.updateOrMoveLabel(a, l.id, { workspaceId: b }, { ...audit, at: AT + 1 });

    expect([moved.workspaceId, moved.parentId]).toEqual([b, null]);
    // B's own p1 (its name kept), and a copy of p2 with A's name, status and attributes.
    expect(await productsOf(l.id)).toEqual([[b, 'p1', 'One in B'], [b, 'p2', 'Two']]);
    const copy = await store.getResource(b, { type: 'product', externalId: 'p2' });
    expect([copy?.status, copy?.attributes, copy?.createdAt]).toEqual(['live', { x: 1 }, AT + 1]);
    // A keeps its resources, without the label.
    expect((await store.getResource(a, { type: 'product', externalId: 'p2' }))?.labels).toEqual([]);
    // Both workspaces' logs record the move.
    for (const ws of [a, b]) expect((await store.listEvents(ws, 0, 100)).filter((e) => e.action === 'label.moved').map((e) => e.labelId)).toEqual([l.id]);
  });

  it('refuses a label with sub-labels, and a name its new siblings already have', async () => {
    const parent = await store.createLabel(a, label('Parent'), 'siblings', audit, u);
    await store.createLabel(a, label('Child', parent.id), 'siblings', audit, u);
    expect((await caught(store.updateOrMoveLabel(a, parent.id, { workspaceId: b }, audit)))?.details).toMatchObject({ rule: 'has_children' });
    await store.createLabel(b, label('Twin'), 'siblings', audit, u);
    const twin = await store.createLabel(a, label('twin'), 'siblings', audit, u);
    expect((await caught(store.updateOrMoveLabel(a, twin.id, { workspaceId: b }, audit)))?.code).toBe('NAME_TAKEN');
    expect((await store.getLabel(a, twin.id))?.workspaceId).toBe(a);
  });
});

describe('link modes', () => {
  let l: number;
  beforeEach(async () => {
    await store.upsertResources(a, ['p1', 'p2', 'p3'].map((externalId) => ({ type: 'product', externalId })), AT);
    await store.upsertResources(a, [{ type: 'video', externalId: 'v1' }], AT);
    l = (await store.createLabel(a, label('L'), 'siblings', audit, u)).id;
    await store.assign(a, { type: 'video', externalId: 'v1' }, [l], { create: false, replace: false, answer: false }, audit);
  });
  const ids = async () => (await productsOf(l)).map((p) => p[1]);
  const actions = async () => (await store.listEvents(a, 0, 100)).filter((e) => e.action.startsWith('label.') && e.action !== 'label.created').map((e) => e.action);

  it('add takes each choice’s first external id that is a product of the workspace, each product once', async () => {
    await store.linkProducts(a, l, 'add', [{ ref: 'a-x', externalIds: ['x', 'p2', 'p1'] }, { ref: 'p2', externalIds: ['p2'] }], audit);
    expect(await ids()).toEqual(['p2']);
    await store.linkProducts(a, l, 'add', [{ ref: 'p2', externalIds: ['p2'] }], audit); // already there: no event
    expect(await actions()).toEqual(['label.assigned', 'label.assigned']); // the video, then p2
  });

  it('remove undoes only the chosen assignments; replace keeps the chosen products and the other resources', async () => {
    await store.linkProducts(a, l, 'add', ['p1', 'p2', 'p3'].map((p) => ({ ref: p, externalIds: [p] })), audit);
    await store.linkProducts(a, l, 'remove', [{ ref: 'p1', externalIds: ['p1'] }], audit);
    expect(await ids()).toEqual(['p2', 'p3']);
    await store.linkProducts(a, l, 'replace', [{ ref: 'p3', externalIds: ['p3'] }, { ref: 'p1', externalIds: ['p1'] }], audit);
    expect(await ids()).toEqual(['p1', 'p3']);
    expect((await store.getResource(a, { type: 'video', externalId: 'v1' }))?.labels.map((x) => x.id)).toEqual([l]);
    await store.linkProducts(a, l, 'replace', [], audit);
    expect(await ids()).toEqual([]);
  });

  it('a choice that names no product of the workspace is NOT_FOUND(resource, ref) and changes nothing', async () => {
    await store.upsertResources(b, [{ type: 'product', externalId: 'pb' }], AT);
    const e = await caught(store.linkProducts(a, l, 'add', [{ ref: 'p1', externalIds: ['p1'] }, { ref: 'b-pb', externalIds: ['pb'] }], audit));
    expect([e?.code, e?.details]).toEqual(['NOT_FOUND', expect.objectContaining({ entity: 'resource', id: 'b-pb' })]);
    expect(await ids()).toEqual([]);
  });
});

describe('login lock window', () => {
  const WINDOW = 60_000;
  const lockFor = (n: number) => (n >= 3 ? AT + 10 * WINDOW : 0);

  it('counts failures within the window, stores the lock, and restarts the count after a quiet window', async () => {
    expect(await store.recordLoginFailure('e', AT, WINDOW, lockFor)).toEqual({ failures: 1, lockedUntil: 0 });
    expect(await store.recordLoginFailure('e', AT + WINDOW, WINDOW, lockFor)).toEqual({ failures: 2, lockedUntil: 0 });
    expect(await store.loginLock('e')).toEqual({ failures: 2, lockedUntil: 0 });
    expect(await store.recordLoginFailure('e', AT + 2 * WINDOW + 1, WINDOW, lockFor)).toEqual({ failures: 1, lockedUntil: 0 });
  });

  it('a running lock keeps the count past the window; clearing forgets it', async () => {
    for (let i = 0; i < 3; i++) await store.recordLoginFailure('e', AT, WINDOW, lockFor);
    expect(await store.recordLoginFailure('e', AT + 5 * WINDOW, WINDOW, lockFor)).toEqual({ failures: 4, lockedUntil: AT + 10 * WINDOW });
    await store.clearLoginFailures('e');
    expect(await store.loginLock('e')).toBeNull();
  });
});

describe('token rotation', () => {
  it('revokes the old pair (access token included) and stores the new one; a spent refresh token rotates nothing', async () => {
    const user = u;
    await store.issueTokens(user, pair(1), AT);
    expect(await store.findAccessToken('a1', AT)).toBe(user);
    expect(await store.rotateTokens('r1', pair(2), AT + 1)).toBe(user);
    expect([await store.findAccessToken('a1', AT + 1), await store.findAccessToken('a2', AT + 1)]).toEqual([null, user]);
    expect(await store.rotateTokens('r1', pair(3), AT + 2)).toBeNull();
    expect(await store.findAccessToken('a3', AT + 2)).toBeNull();
  });

  it('an expired refresh token rotates nothing', async () => {
    const user = u;
    await store.issueTokens(user, pair(1, AT + 10), AT);
    expect(await store.rotateTokens('r1', pair(2), AT + 10)).toBeNull();
  });
});

describe("a label's products", () => {
  // Read from the label's assignments up to 500 of them, from the products' side (each probed) beyond: the same
  // page and total either way, whatever else the label is on.
  it('are the same page and total on a label on few resources and on one on more than 500', async () => {
    await store.upsertResources(a, ['p4', 'p1', 'p3', 'p2', 'p5'].map((externalId) => ({ type: 'product', externalId, name: externalId })), AT);
    const forms = Array.from({ length: 600 }, (_, i) => ({ type: 'form', externalId: `f${i}` }));
    const few = await store.createLabel(a, label('Few'), 'siblings', audit, u);
    const many = await store.createLabel(a, label('Many'), 'siblings', audit, u);
    const chosen = ['p4', 'p2', 'p3'].map((externalId) => ({ type: 'product', externalId }));
    await store.attach(a, few.id, chosen, { create: false }, audit);
    await store.attach(a, many.id, [...forms, ...chosen], { create: true }, audit);
    for (const [offset, limit] of [[0, 2], [2, 2], [0, 10]] as const) {
      const pages = await Promise.all([few, many].map((l) => store.listProducts({ workspaceIds: [a], labelId: l.id, sort: [], limit, offset })));
      for (const page of pages) expect([page.items.map((r) => r.externalId), page.total]).toEqual([['p2', 'p3', 'p4'].slice(offset, offset + limit), 3]);
    }
    for (const l of [few, many]) expect((await store.listProducts({ workspaceIds: [a], labelId: l.id, name: 'P3', sort: [], limit: 10, offset: 0 })).items.map((r) => r.externalId)).toEqual(['p3']);
  });
});
