// Label use cases for a credential that spans workspaces: labels of every workspace it sees, listed in one
// query; each write checks the role the user has in the label's own workspace (and, for a move, in the
// target one). Products (catalog.ts) come along when asked for.
import { choiceIn, type ProductName, type ProductQuery } from './catalog.js';
import { notFound } from './errors.js';
import { createLabels } from './labels.js';
import { merge } from './objects.js';
import { actorIn, auditOf, type Principal, workspaceIds } from './principal.js';
import type { LabelPageStore, LabelStore } from './ports.js';
import type { CatalogStore, LinkMode } from './ports-catalog.js';
import type { CrossWorkspaceLabelQuery, CrossWorkspaceLabelStore, LabelMovePatch, ListedLabel } from './ports-cross-workspace.js';
import { assertMay, normalizeName } from './rules.js';
import type { Label, Resource, Workspace } from './types.js';

export type LabelQuery = Omit<CrossWorkspaceLabelQuery, 'workspaceIds'>;
/** Dialect extras, merged two levels deep on update (e.g. {usage: {download: false}}). */
export type LabelExtrasPatch = Record<string, Record<string, unknown>>;

/** The request field that names the label's workspace (errors point at it). */
export const WORKSPACE_FIELD = 'workspace';

export interface NewLabelIn {
  workspaceId: number;
  name: string;
  description?: string;
  extras?: LabelExtrasPatch;
}

export interface LabelChanges {
  name?: string;
  description?: string;
  extras?: LabelExtrasPatch;
  /** Another workspace the credential sees: the label moves there. */
  workspaceId?: number;
}

export interface LabelPage {
  items: ListedLabel[];
  total: number;
  /** Each listed label's products, when asked for. */
  products: Map<number, Resource[]> | null;
}

export function createCrossWorkspaceLabels(store: CrossWorkspaceLabelStore & CatalogStore & LabelStore & LabelPageStore, now: () => number) {
  const shared = createLabels(store, now);

  /** The label if one of the credential's workspaces holds it; NOT_FOUND otherwise (no existence oracle). */
  const visible = async (p: Principal, id: number): Promise<ListedLabel> => {
    const label = p.grants.length === 0 ? null : await store.findLabelIn(workspaceIds(p), id);
    if (!label) throw notFound('label', id);
    return label;
  };
  const productsOf = async (id: number) => (await store.productsOfLabels([id])).get(id) ?? [];

  return {
    async list(p: Principal, q: LabelQuery, withProducts: boolean): Promise<LabelPage> {
      if (p.grants.length === 0) return { items: [], total: 0, products: withProducts ? new Map() : null };
      const page = await store.listLabelsIn(merge(q, { workspaceIds: workspaceIds(p) }));
      const products = withProducts ? await store.productsOfLabels(page.items.map((l) => l.id)) : null;
      return { items: page.items, total: page.total, products };
    },

    async get(p: Principal, id: number, withProducts: boolean): Promise<{ label: ListedLabel; products: Resource[] | null }> {
      const label = await visible(p, id);
      return { label, products: withProducts ? await productsOf(id) : null };
    },

    /** A top-level label in the workspace (owner/admin there). */
    async create(p: Principal, input: NewLabelIn): Promise<Label> {
      const actor = actorIn(p, input.workspaceId, WORKSPACE_FIELD);
      return shared.create(actor, { name: input.name, description: input.description ?? '', extras: input.extras ?? {} });
    },

    /**
     * Owner/admin of the label's workspace; a move also needs owner/admin in the target workspace. With
     * `withProducts`, the label's products after the change come along.
     */
    async update(p: Principal, id: number, changes: LabelChanges, withProducts = false): Promise<{ label: Label; products: Resource[] | null }> {
      const label = await visible(p, id);
      assertMay(actorIn(p, label.workspaceId), 'update');
      const patch: LabelMovePatch = {};
      if (changes.name !== undefined) patch.name = normalizeName(changes.name);
      if (changes.description !== undefined) patch.description = changes.description;
      if (changes.extras !== undefined) patch.extras = changes.extras;
      if (changes.workspaceId !== undefined && changes.workspaceId !== label.workspaceId) {
        assertMay(actorIn(p, changes.workspaceId, WORKSPACE_FIELD), 'create');
        patch.workspaceId = changes.workspaceId;
      }
      const updated = await store.updateOrMoveLabel(label.workspaceId, id, patch, auditOf(p, now()));
      return { label: updated, products: withProducts ? await productsOf(id) : null };
    },

    async remove(p: Principal, id: number): Promise<void> {
      const label = await visible(p, id);
      await shared.remove(actorIn(p, label.workspaceId), [id]);
    },

    async workspace(p: Principal, id: number): Promise<Workspace> {
      return actorIn(p, (await visible(p, id)).workspaceId).workspace;
    },

    async products(p: Principal, id: number, q: ProductQuery): Promise<{ items: Resource[]; total: number }> {
      const label = await visible(p, id);
      return store.listProducts(merge(q, { workspaceIds: [label.workspaceId], labelId: id }));
    },

    /**
     * Adds, removes or replaces the label's products (owner/admin/member of its workspace). Each name stands
     * for the first of its readings that is a product of the label's own workspace.
     */
    async link(p: Principal, id: number, mode: LinkMode, names: ProductName[]): Promise<void> {
      const label = await visible(p, id);
      assertMay(actorIn(p, label.workspaceId), 'assign');
      const choices = names.map((n) => choiceIn(label.workspaceId, n));
      await store.linkProducts(label.workspaceId, id, mode, choices, auditOf(p, now()));
    },
  };
}
export type CrossWorkspaceLabels = ReturnType<typeof createCrossWorkspaceLabels>;
