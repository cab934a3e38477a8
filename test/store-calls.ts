// A representative call of every store function (each variant that changes the SQL text: sorts, filters, one
// workspace or several, with or without a type), run against a grown database. test/query-plans.test.ts
// records what each sends and checks that every function of the store is called here.
import { prepareFixtures } from '../src/core/fixtures.js';
import type { Store, WorkspaceExport } from '../src/core/ports.js';
import type { Audit } from '../src/core/types.js';
import type { Grown } from './grow-skewed.js';

type S = Omit<Store, 'close' | 'shared'>;
export type Call = [name: keyof S, run: () => Promise<unknown>];

const at = Date.UTC(2026, 5, 1);
const audit = (g: Grown): Audit => ({ actorUserId: g.owner, apiKeyId: null, dialect: 'plans', at });
const label = (name: string, parentId: number | null = null) => ({ parentId, name, color: null, description: '', startsAt: null, endsAt: null, extras: {} });
const tokens = (n: number) => ({ accessHash: `a${n}`, refreshHash: `r${n}`, accessExpiresAt: at + 3_600_000, refreshExpiresAt: at + 86_400_000 });

/** The calls, in an order where each finds what it needs (deletions last). */
export function storeCalls(s: S, g: Grown): Call[] {
  const a = audit(g);
  const ws = g.huge;
  const all = [g.huge, ...g.small];
  const page = { limit: 20, offset: 40 };
  const quota = { day: '2026-06-01', counters: [{ rule: 'workspace', scope: 'plans', subject: String(ws), limit: 1000 }] };
  let doc: WorkspaceExport | undefined;
  let target = 0;
  const calls: Call[] = [
    ['ping', () => s.ping()],
    ['isEmpty', () => s.isEmpty()],
    ['listWorkspaces', () => s.listWorkspaces()],
    ['getWorkspace', () => s.getWorkspace(ws)],
    ['findKey', () => s.findKey(g.ownerKeyHash)],
    ['findKeyNow', async () => s.findKeyNow?.(g.ownerKeyHash)], // SQLite only: the lookup just remembered, no SQL
    ['findMembership', () => s.findMembership(g.owner, { id: ws })],
    ['findMembership', () => s.findMembership(g.owner, { uuid: '00000000-0000-4000-8000-000000000001' })],
    ['findMembership', () => s.findMembership(g.owner, { earliest: true })],
    ['listGrants', () => s.listGrants(g.owner, null)],
    ['listGrants', () => s.listGrants(g.owner, ws)],
    ['listLabels', () => s.listLabels(g.small[0]!)],
    ['labelPages', async () => {
      for await (const page of s.labelPages(ws, 500)) if (page.length > 500) throw new Error('a page larger than asked');
    }],
    ['labelListingPages', async () => {
      for await (const page of s.labelListingPages(ws, 500)) if (page.length > 500) throw new Error('a page larger than asked');
    }],
    ['getLabel', () => s.getLabel(ws, g.cold)],
    ['createLabel', () => s.createLabel(ws, label('Plans new'), 'workspace', a, g.owner)],
    ['createLabel', () => s.createLabel(ws, label('Plans child', g.cold), 'siblings', a, g.owner)],
    ['updateLabel', () => s.updateLabel(ws, g.child, { name: 'Plans renamed' }, 'workspace', a)],
    ['updateLabel', () => s.updateLabel(ws, g.child, { parentId: g.warm, name: 'Plans moved' }, 'siblings', a)],
    ['assign', () => s.assign(ws, { ...g.item, name: 'x' }, [g.cold, g.warm], { create: true, replace: true, answer: true }, a)],
    ['assign', () => s.assign(ws, g.asset, [g.cold], { create: false, replace: false, answer: false }, a)],
    ['attach', () => s.attach(ws, g.cold, [g.asset, { type: 'img', externalId: 'plans-new' }], { create: true }, a)],
    ['detach', () => s.detach(ws, g.cold, [g.asset], a)],
    ['unassign', () => s.unassign(ws, g.item, [g.cold], a)],
    ['unassign', () => s.unassign(ws, { externalId: g.asset.externalId }, [g.cold, g.warm], a, { missingOk: true })],
    ['getResource', () => s.getResource(ws, g.item)],
    ['upsertResources', () => s.upsertResources(ws, [{ type: 'img', externalId: 'r5', name: 'Upserted' }], at)],
    ['listEvents', () => s.listEvents(ws, 10, 50)],
    ['labelChildren', () => s.labelChildren(ws, null, 0, 200)],
    ['labelChildren', () => s.labelChildren(ws, g.cold, 40, 20)],
    ['subtreeCounts', () => s.subtreeCounts(ws, g.cold)],
    ['listMembers', () => s.listMembers(ws)],
    ['listWorkspaceKeys', () => s.listWorkspaceKeys(ws)],
    ['eventCursor', () => s.eventCursor(ws, 50)],
    ['findUserByEmail', () => s.findUserByEmail('Console@labelmux.local')],
    ['listLabelPaths', () => s.listLabelPaths(g.small[0]!, {})],
    ['listLabelPaths', () => s.listLabelPaths(g.small[0]!, { search: 'label 1', limit: 10 })],
    ['listLabelPaths', () => s.listLabelPaths(ws, { ids: [g.child, g.cold, g.timed] })],
    ['listLabelPaths', () => s.listLabelPaths(ws, { ids: [g.child] })],
    ['labelPathList', () => s.labelPathList(ws, { search: 'plans' }, async () => true, 500)],
    ['labelsOfResources', () => s.labelsOfResources(ws, ['r0', 'r1', 'r2'], 'img')],
    ['listTimedLabels', () => s.listTimedLabels(g.small[0]!, [{ field: 'startsAt', op: 'gte', value: 0 }, { field: 'category', op: 'in', values: ['small category'] }])],
    ['createTimedLabels', () => s.createTimedLabels(ws, [{ name: 'Plans event', description: '', category: g.categoryName, startsAt: at, endsAt: at + 1 }, { name: 'Plans new cat', description: '', category: 'Plans category', startsAt: at, endsAt: at + 1 }], quota, a, g.owner)],
    ['updateTimedLabel', () => s.updateTimedLabel(ws, g.timed, { name: 'Plans timed', category: 'Plans other category' }, a, g.owner)],
    ['listCategories', () => s.listCategories(ws)],
    ['consume', () => s.consume('plans', 'x', '2026-06-01', 1, 10)],
    ['consume', () => s.consume('plans', 'x', '2026-06-01', 100, 10)],
    ['readCounter', () => s.readCounter('plans', 'x', '2026-06-01')],
    ['pruneCounters', () => s.pruneCounters('plans', '2026-05-01')],
    ['findLoginUser', () => s.findLoginUser('owner@grow.test')],
    ['loginLock', () => s.loginLock('owner@grow.test')],
    ['recordLoginFailure', () => s.recordLoginFailure('owner@grow.test', at, 60_000, () => 0)],
    ['clearLoginFailures', () => s.clearLoginFailures('owner@grow.test')],
    ['issueTokens', () => s.issueTokens(g.owner, tokens(1), at)],
    ['rotateTokens', () => s.rotateTokens('r1', tokens(2), at)],
    ['findAccessToken', () => s.findAccessToken('a2', at)],
    ['findLabelIn', () => s.findLabelIn([ws], g.cold)],
    ['findLabelIn', () => s.findLabelIn(all, g.cold)],
    ['productsOfLabels', () => s.productsOfLabels([g.hot, g.cold])],
    ['linkProducts', () => s.linkProducts(ws, g.cold, 'add', [{ ref: 'r3', externalIds: ['r3'] }], a)],
    ['linkProducts', () => s.linkProducts(ws, g.cold, 'replace', [{ ref: 'r7', externalIds: ['x7', 'r7'] }], a)],
    ['linkProducts', () => s.linkProducts(ws, g.cold, 'remove', [{ ref: 'r7', externalIds: ['r7'] }], a)],
    ['findProducts', () => s.findProducts(all, 'r3')],
    ['findProducts', () => s.findProducts([ws], 'r3')],
    ['updateOrMoveLabel', () => s.updateOrMoveLabel(ws, g.cold, { name: 'Plans cross', extras: { usage: { download: false } } }, a)],
    ['updateOrMoveLabel', () => s.updateOrMoveLabel(ws, g.loner, { workspaceId: g.small[1]! }, a)],
    ['exportWorkspace', async () => (doc = await s.exportWorkspace(g.small[2]!))],
    ['createWorkspace', async () => (target = (await s.createWorkspace('Plans import', '00000000-0000-4000-8000-0000000009ff', at)).id)],
    ['importWorkspace', () => s.importWorkspace(target, moved(doc!), a)],
    ['createUser', () => s.createUser('plans@grow.test', 'Plans', null, at)],
    ['setMember', () => s.setMember(g.small[3]!, g.creators[0]!, 'admin', at)],
    ['createApiKey', () => s.createApiKey(g.owner, ws, 'plans', 'e'.repeat(64), at)],
    ['revokeApiKey', () => s.revokeApiKey(1, at)],
    ['removeMember', () => s.removeMember(g.small[3]!, g.creators[0]!, at)],
    ['deleteCategory', () => s.deleteCategory(ws, 'Plans category', { moveTo: 'Plans renamed category' }, a)],
    ['deleteCategory', () => s.deleteCategory(ws, g.categoryName, { moveTo: 'Plans other category' }, a)],
    ['deleteCategory', () => s.deleteCategory(ws, 'Plans other category', { moveTo: null }, a)],
    ['deleteCategory', () => s.deleteCategory(g.small[4]!, 'Small category', { deleteLabels: true }, a)],
    ['deleteLabels', () => s.deleteLabels(ws, [g.warm], a)],
    ['deleteUser', () => s.deleteUser(g.creators[2]!)],
    ['deleteWorkspace', () => s.deleteWorkspace(target)],
  ];
  return [...calls, ...listCalls(s, g, all, page), ['resetTo', () => resetRolledBack(s)]];
}

/**
 * A reset to fixtures, rolled back: its last INSERT names a label no fixture has, so the grown database stays
 * for the plans to be judged on. Every statement but the closing id-sequence ones (which touch no table a
 * workspace grows) is sent and recorded.
 */
async function resetRolledBack(s: S): Promise<void> {
  const plan = await prepareFixtures({
    users: [{ email: 'plans@reset.test', name: 'Plans', api_keys: [{ key: 'f'.repeat(32) }] }],
    workspaces: [{ name: 'Plans reset', members: [{ user: 'plans@reset.test', role: 'owner' }], labels: [{ name: 'A' }, { name: 'B', parent: 'A' }], resources: [{ type: 'form', id: '1', labels: ['B'] }] }],
  });
  const dangling = { ...plan, assignments: [...plan.assignments, { labelId: 999_999_999, resourceId: 1 }] };
  const e = await s.resetTo(dangling, at).then(() => null, (x: unknown) => x);
  if (e === null) throw new Error('the reset meant to be rolled back was committed: the grown database is gone');
}

/** An exported workspace with its label ids moved out of the way, to import beside the original. */
const moved = (doc: WorkspaceExport): WorkspaceExport => {
  const id = (n: number) => n + 10_000_000;
  return {
    ...doc,
    labels: doc.labels.map((l) => ({ ...l, id: id(l.id), parent_id: l.parent_id === null ? null : id(l.parent_id) })),
    resources: doc.resources.map((r) => ({ ...r, label_ids: r.label_ids.map(id) })),
  };
};

/** The page reads, in each sort and filter that changes the SQL text. */
function listCalls(s: S, g: Grown, all: number[], page: { limit: number; offset: number }): Call[] {
  const ws = g.huge;
  const out: Call[] = [];
  for (const sort of ['created_at', 'name', 'size', 'id', 'type'] as const) {
    for (const direction of ['asc', 'desc'] as const) {
      out.push(['listResources', () => s.listResources(ws, { type: 'library_item', sort, direction, ...page })]);
    }
  }
  for (const labelId of [g.hot, g.cold]) {
    out.push(['listResources', () => s.listResources(ws, { type: 'library_item', labelId, sort: 'created_at', direction: 'desc', ...page })]);
    out.push(['listResources', () => s.listResources(ws, { type: 'form', labelId, sort: 'name', direction: 'asc', ...page })]);
    out.push(['listResources', () => s.listResources(ws, { labelId, types: ['img', 'form'], sort: 'name', direction: 'asc', limit: 50, offset: 0, omit: { total: true, labels: true } })]);
  }
  // The hot label's library items are read from the resources' side, in each order a page may have.
  for (const sort of ['name', 'size', 'type'] as const) out.push(['listResources', () => s.listResources(ws, { type: 'library_item', labelId: g.hot, sort, direction: 'desc', ...page })]);
  // A label's page of every type walks its assignments in the page's order, in each order they keep.
  for (const [sort, direction] of [['created_at', 'asc'], ['id', 'desc'], ['type', 'asc'], ['name', 'desc'], ['name', 'asc']] as const) {
    out.push(['listResources', () => s.listResources(ws, { labelId: g.hot, sort, direction, ...page })]);
  }
  // The hot label holds no image: its images are read from its side, however many resources of other types it holds.
  out.push(['listResources', () => s.listResources(ws, { type: 'img', labelId: g.hot, sort: 'created_at', direction: 'asc', ...page })]);
  out.push(['listResources', () => s.listResources(ws, { type: 'img', search: 'resource 1', status: 'active', sort: 'created_at', direction: 'asc', ...page })]);
  for (const ids of [[ws], all]) {
    for (const field of ['name', 'created_at', 'updated_at', 'id'] as const) {
      for (const desc of [false, true]) out.push(['listLabelsIn', () => s.listLabelsIn({ workspaceIds: ids, sort: [{ field, desc }], ...page })]);
    }
    for (const field of ['name', 'created_at', 'updated_at', 'status', 'id'] as const) {
      for (const desc of [false, true]) out.push(['listProducts', () => s.listProducts({ workspaceIds: ids, sort: [{ field, desc }], ...page })]);
    }
    out.push(['listLabelsIn', () => s.listLabelsIn({ workspaceIds: ids, name: 'Label 7', sort: [], ...page })]);
    out.push(['listLabelsIn', () => s.listLabelsIn({ workspaceIds: ids, ids: [g.hot, g.cold], sort: [], ...page })]);
    out.push(['listLabelsIn', () => s.listLabelsIn({ workspaceIds: ids, productName: 'resource 3', productStatus: 'active', hasProducts: true, sort: [], ...page })]);
    out.push(['listLabelsIn', () => s.listLabelsIn({ workspaceIds: ids, hasProducts: false, hasWorkspace: false, sort: [], ...page })]);
    // A label on more than 500 resources is read from the products' side (a name picks its own index), a
    // smaller one from its assignments.
    for (const labelId of [g.hot, g.cold]) {
      out.push(['listProducts', () => s.listProducts({ workspaceIds: ids, labelId, name: 'resource 3', status: 'active', sort: [], ...page })]);
      out.push(['listProducts', () => s.listProducts({ workspaceIds: ids, labelId, sort: [], ...page })]);
      out.push(['listProducts', () => s.listProducts({ workspaceIds: ids, labelId, sort: [{ field: 'name', desc: true }], ...page })]);
    }
  }
  return out;
}

/**
 * Whole-workspace answers the vendors define, and whole-workspace operations (deleting one, a reset deleting
 * all): they may read all of a workspace's rows (by its index).
 */
export const WHOLE: ReadonlySet<string> = new Set(['listLabels', 'listLabelPaths', 'listTimedLabels', 'exportWorkspace', 'importWorkspace', 'deleteWorkspace', 'resetTo', 'listMembers', 'listWorkspaceKeys']);
