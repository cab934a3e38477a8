// A database grown the way users grow theirs: through the store's own writes (no seed, never ANALYZEd), and
// skewed — one huge workspace beside small ones, a hot label on half the resources, a warm one on 2%, most
// labels on one resource or none, thousands of timed labels under categories, products (limbo) in every
// workspace, an owner whose credential spans every workspace, and several users who created labels.
// Used by test/query-plans.test.ts (small sizes) and scripts/measure-plans.ts (up to 100k labels).
import type { DatabaseStore } from '../src/db/index.js';
import type { Audit } from '../src/core/types.js';
import type { ResourceInput, ResourceRef } from '../src/core/ports.js';

export interface Grown {
  /** The huge workspace and the small ones. */
  huge: number;
  small: number[];
  /** Member of every workspace; its key (workspace null) spans them all. */
  owner: number;
  ownerKeyHash: string;
  /** Users who created labels in the huge workspace. */
  creators: number[];
  /**
   * On about half of the huge workspace's resources (and more than MANY products and library items, whatever
   * the size: its pages of those types are walked from the resources' side), on 2% of them, on one.
   */
  hot: number;
  warm: number;
  cold: number;
  /** A label with children (a category of timed labels) and its name. */
  category: number;
  categoryName: string;
  /** A timed label and a plain label with a parent. */
  timed: number;
  child: number;
  /** A label without children, free to move to another workspace. */
  loner: number;
  /** A resource of each type the dialects use, in the huge workspace. */
  asset: ResourceRef;
  item: ResourceRef;
  product: ResourceRef;
  labels: number;
}

const TYPES = ['library_item', 'img', 'form', 'product'] as const;
const DAY = 86_400_000;

/** Runs `fn` over 0..n-1, `width` at a time (SQLite commits each turn's writes together). */
async function inBatches(n: number, width: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < n; i += width) await Promise.all(Array.from({ length: Math.min(width, n - i) }, (_, k) => fn(i + k)));
}

/**
 * Grows the database to `labels` labels in the huge workspace (about 40% timed, the rest plain, one in ten
 * nested) with as many resources, and five small workspaces of 50 labels each.
 */
export async function growSkewed(store: DatabaseStore, labels: number): Promise<Grown> {
  const width = store.kind === 'postgres' ? 8 : 64;
  let clock = Date.UTC(2026, 0, 1);
  const audit = (actor: number): Audit => ({ actorUserId: actor, apiKeyId: null, dialect: 'grow', at: (clock += 1000) });
  const owner = (await store.createUser('owner@grow.test', 'Owner', null, clock)).id;
  const creators: number[] = [];
  for (let i = 0; i < 3; i++) creators.push((await store.createUser(`c${i}@grow.test`, `Creator ${i}`, null, clock)).id);
  const huge = (await store.createWorkspace('Huge', '00000000-0000-4000-8000-000000000001', clock)).id;
  const small: number[] = [];
  for (let i = 0; i < 5; i++) small.push((await store.createWorkspace(`Small ${i}`, `00000000-0000-4000-8000-00000000010${i}`, clock)).id);
  for (const ws of [huge, ...small]) await store.setMember(ws, owner, 'owner', clock);
  for (const c of creators) await store.setMember(huge, c, 'member', clock);
  const ownerKeyHash = 'f'.repeat(64);
  await store.createApiKey(owner, null, 'spans all', ownerKeyHash, clock);

  // Resources first (operators push them), then labels as clients create them.
  const resourceCount = Math.max(200, labels);
  const resource = (i: number): ResourceInput => ({
    type: TYPES[i % TYPES.length]!, externalId: `r${i}`, name: i % 50 === 0 ? null : `Resource ${(i * 7919) % resourceCount}`,
    status: i % 3 === 0 ? 'active' : 'draft', attributes: { size: (i * 31) % 1000 },
  });
  for (let i = 0; i < resourceCount; i += 500) {
    await store.upsertResources(huge, Array.from({ length: Math.min(500, resourceCount - i) }, (_, k) => resource(i + k)), clock);
  }
  for (const ws of small) await store.upsertResources(ws, Array.from({ length: 50 }, (_, i) => resource(i)), clock);

  const timedCount = Math.floor(labels * 0.4);
  const categories = Math.max(5, Math.floor(labels / 200));
  const quota = { day: '2026-01-01', counters: [] };
  await inBatches(Math.ceil(timedCount / 100), Math.max(1, width / 8), (b) =>
    store.createTimedLabels(huge, Array.from({ length: Math.min(100, timedCount - b * 100) }, (_, k) => {
      const i = b * 100 + k;
      return { name: `Event ${i}`, description: '', category: `Category ${i % categories}`, startsAt: Date.UTC(2026, 0, 1) + (i % 365) * DAY, endsAt: Date.UTC(2026, 0, 2) + (i % 365) * DAY };
    }), quota, audit(creators[b % 3]!), creators[b % 3]!),
  );
  const plain: number[] = [];
  const plainCount = labels - timedCount - categories;
  const create = (ws: number, i: number, parentId: number | null, by: number) =>
    store.createLabel(ws, { parentId, name: `Label ${i}`, color: null, description: '', startsAt: null, endsAt: null, extras: {} }, 'workspace', audit(by), by);
  // Top-level labels first, then the nested ones (one in ten) under them.
  const nested = Math.floor(plainCount / 10);
  await inBatches(plainCount - nested, width, async (i) => plain.push((await create(huge, i, null, creators[i % 3]!)).id));
  const parents = plain.slice(0, Math.max(1, nested));
  await inBatches(nested, width, async (i) => plain.push((await create(huge, plainCount + i, parents[i % parents.length]!, creators[i % 3]!)).id));
  for (const ws of small) {
    for (let i = 0; i < 50; i++) await create(ws, i, null, owner);
    await store.createTimedLabels(ws, [{ name: 'Small event', description: '', category: 'Small category', startsAt: clock, endsAt: clock + DAY }], quota, audit(owner), owner);
  }

  // Skewed assignments: hot on half, warm on 2%, most labels on one resource or none.
  const [hot, warm] = [plain[0]!, plain[1]!];
  const refs = (step: number) => Array.from({ length: Math.ceil(resourceCount / step) }, (_, k) => resource(k * step));
  for (const [label, list] of [[hot, refs(2)], [warm, refs(50)]] as const) {
    for (let i = 0; i < list.length; i += 500) await store.attach(huge, label, list.slice(i, i + 500), { create: false }, audit(owner));
  }
  // The hot label also on 600 more products and library items of their own (created by the attach).
  for (const type of ['product', 'library_item'] as const) {
    const extra = Array.from({ length: 600 }, (_, i): ResourceInput => ({ type, externalId: `x${i}`, name: `Extra ${i}`, status: 'active', attributes: { size: i } }));
    for (let i = 0; i < extra.length; i += 300) await store.attach(huge, hot, extra.slice(i, i + 300), { create: true }, audit(owner));
  }
  await inBatches(Math.floor(plain.length / 4), width, (i) => store.attach(huge, plain[2 + i]!, [resource((i * 13) % resourceCount)], { create: false }, audit(owner)));
  for (const ws of small) await store.attach(ws, (await store.listLabels(ws))[0]!.id, [resource(3), resource(7)], { create: false }, audit(owner));

  const timed = (await store.listTimedLabels(huge, [{ field: 'id', op: 'gt', value: 0 }]))[0]!;
  const child = plain[plain.length - 1]!;
  return {
    huge, small, owner, ownerKeyHash, creators, hot, warm, cold: plain[2]!, category: timed.parentId!, categoryName: timed.category, timed: timed.id, child, loner: plain[plain.length - 2]!,
    asset: { type: 'img', externalId: 'r1' }, item: { type: 'library_item', externalId: 'r0' }, product: { type: 'product', externalId: 'r3' }, labels,
  };
}
