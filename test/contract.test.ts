// The cross-dialect contract: one scenario, written once, run through each of the five dialects with a
// small driver per dialect (test/contract/<dialect>.ts): create a tree, rename, move, assign, unassign,
// delete a subtree. After each stage every dialect (the writer included) is asked what it shows, and must
// agree with the scenario's model: the same ids, the same names, the same paths (Razuna's label_path, the
// Jotform tree), the same assignments (where the reader can show that resource type). Finally the audit
// trail holds exactly the scenario's events, each with the writer's dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devtodev } from './contract/devtodev.js';
import type { Ctx, Driver } from './contract/driver.js';
import { jotform } from './contract/jotform.js';
import { limbo } from './contract/limbo.js';
import { livestorm } from './contract/livestorm.js';
import { razuna } from './contract/razuna.js';
import { buildTestApp, createTenant, type TestApp } from './helper.js';

const DRIVERS: Driver[] = [jotform, razuna, livestorm, devtodev, limbo];
const RESOURCE = 'R1';

interface ModelLabel {
  id: number;
  name: string;
  parent: number | null;
  timed: boolean;
}

/** What the scenario did, as every dialect should see it. */
class Model {
  readonly labels = new Map<number, ModelLabel>();
  readonly assigned = new Set<number>();
  readonly events: [string, number][] = [];

  path(id: number): string {
    const l = this.labels.get(id)!;
    return l.parent === null ? l.name : `${this.path(l.parent)}/${l.name}`;
  }

  removeSubtree(id: number): void {
    for (const l of [...this.labels.values()]) if (l.parent === id) this.removeSubtree(l.id);
    this.labels.delete(id);
    this.assigned.delete(id);
  }
}

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

/** Every dialect's view of the tenant against the model. */
async function checkViews(ctx: Ctx, writer: Driver, m: Model, stage: string): Promise<void> {
  const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
  for (const reader of DRIVERS) {
    const where = `${writer.name} wrote, ${reader.name} reads, ${stage}`;
    const expected = [...m.labels.values()].filter((l) => reader.visible(l)).sort(byId);
    const seen = (await reader.labels(ctx)).sort(byId);
    expect(seen.map((l) => [l.id, l.name]), where).toEqual(expected.map((l) => [l.id, l.name]));
    for (const l of seen) if (l.path !== undefined) expect(l.path, `${where}: path of ${l.id}`).toBe(m.path(l.id));
    if (writer.resourceType === null) continue;
    const ids = [...m.labels.keys()].sort((a, b) => a - b);
    const on = await reader.assigned(ctx, writer.resourceType, RESOURCE, ids);
    if (on !== null) expect(on.sort((a, b) => a - b), `${where}: labels on ${writer.resourceType} ${RESOURCE}`).toEqual([...m.assigned].sort((a, b) => a - b));
  }
}

/** The scenario, written once. Flat dialects create every label at the top level and skip the move. */
async function scenario(d: Driver, ctx: Ctx): Promise<Model> {
  const m = new Model();
  const create = async (name: string, parent: number | null) => {
    const id = await d.create(ctx, name, d.tree ? parent : null);
    m.labels.set(id, { id, name, parent: d.tree ? parent : null, timed: d.name === 'devtodev' });
    m.events.push(['label.created', id]);
    return id;
  };
  // 1. a tree: Marketing / Campaigns / Spring, and Archive at the top level
  const a = await create('Marketing', null);
  const b = await create('Campaigns', a);
  const c = await create('Spring', b);
  const archive = await create('Archive', null);
  await checkViews(ctx, d, m, 'after creating the tree');

  // 2. rename; move Spring under Archive
  await d.rename(ctx, b, 'Campaigns 2026');
  m.labels.get(b)!.name = 'Campaigns 2026';
  m.events.push(['label.updated', b]);
  if (d.tree) {
    await d.move(ctx, m.labels.get(c)!, archive);
    m.labels.get(c)!.parent = archive;
    m.events.push(['label.moved', c]);
  }
  await checkViews(ctx, d, m, 'after rename and move');

  // 3. assign Marketing, Archive and Campaigns to one resource, then unassign Campaigns
  if (d.resourceType !== null) {
    for (const id of [a, archive, b]) {
      await d.assign(ctx, id, RESOURCE);
      m.assigned.add(id);
      m.events.push(['label.assigned', id]);
    }
    await d.unassign(ctx, b, RESOURCE);
    m.assigned.delete(b);
    m.events.push(['label.unassigned', b]);
    await checkViews(ctx, d, m, 'after assign and unassign');
  }

  // 4. delete the Marketing subtree (with its assignments)
  await d.remove(ctx, a);
  m.removeSubtree(a);
  m.events.push(['label.deleted', a]);
  await checkViews(ctx, d, m, 'after deleting a subtree');
  return m;
}

describe('one scenario through every dialect, checked from every dialect', () => {
  it.each(DRIVERS.map((d) => [d.name, d] as const))('written through %s', async (_name, writer) => {
    const tenant = await createTenant(t.core, `Contract ${writer.name}`);
    // Livestorm and limbo assign only to resources registered beforehand; Jotform and Razuna create them.
    await t.core.admin.upsertResources(tenant.workspaceId, [
      { type: 'library_item', externalId: RESOURCE, name: 'Intro video' },
      { type: 'product', externalId: RESOURCE, name: 'Debut album' },
    ]);
    const ctx: Ctx = { t, tenant };
    const m = await scenario(writer, ctx);

    // What is left is what the model says: for a tree dialect Archive / Spring (moved out of the deleted
    // subtree), for a flat one Campaigns 2026, Spring and Archive.
    expect([...m.labels.values()].map((l) => m.path(l.id)).sort()).toEqual(writer.tree ? ['Archive', 'Archive/Spring'] : ['Archive', 'Campaigns 2026', 'Spring']);

    const events = await t.core.admin.listEvents(tenant.workspaceId, 0, 1000);
    expect(events.map((e) => [e.action, e.labelId])).toEqual(m.events);
    expect(new Set(events.map((e) => e.dialect))).toEqual(new Set([writer.name]));
    expect(new Set(events.map((e) => e.actorUserId))).toEqual(new Set([tenant.userIds.owner]));
  });
});
