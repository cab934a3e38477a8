// limbo label use cases: labels of every workspace the credential sees, listed in one query; each write
// checks the role the user has in the label's own workspace (and, for a move, in the target one).
import { notFound } from './errors.js';
import { createLabels } from './labels.js';
import { actorIn, limboAudit, type LimboPrincipal, workspaceIds } from './limbo-principal.js';
import { choiceIn } from './limbo-products.js';
import type { LabelStore } from './ports.js';
import type { LimboLabelPatch, LimboLabelQuery, LimboListedLabel, LimboProductQuery, LimboStore, LinkMode } from './ports-limbo.js';
import { assertMay, normalizeName } from './rules.js';
import type { Label, Resource, Workspace } from './types.js';
import { merge } from './objects.js';

/** limbo's products are the shared core's resources of this type. */
export const PRODUCT_TYPE = 'product';

export type LabelQuery = Omit<LimboLabelQuery, 'workspaceIds'>;
export type LabelProductQuery = Omit<LimboProductQuery, 'workspaceIds' | 'labelId'>;
/** Dialect extras, merged two levels deep on update (e.g. {usage: {download: false}}). */
export type LimboExtras = Record<string, Record<string, unknown>>;

export interface NewLimboLabel {
  companyId: number;
  name: string;
  description?: string;
  extras?: LimboExtras;
}

export interface LimboLabelChanges {
  name?: string;
  description?: string;
  extras?: LimboExtras;
  /** Another workspace the credential sees: the label moves there. */
  companyId?: number;
}

export interface LabelPage {
  items: LimboListedLabel[];
  total: number;
  /** Each listed label's products, when asked for. */
  products: Map<number, Resource[]> | null;
}

export function createLimboLabels(store: LimboStore & LabelStore, now: () => number) {
  const shared = createLabels(store, now);

  /** The label if one of the credential's workspaces holds it; NOT_FOUND otherwise (no existence oracle). */
  const visible = async (p: LimboPrincipal, id: number): Promise<Label> => {
    const label = p.grants.length === 0 ? null : await store.limboFindLabel(workspaceIds(p), id);
    if (!label) throw notFound('label', id);
    return label;
  };

  return {
    async list(p: LimboPrincipal, q: LabelQuery, withProducts: boolean): Promise<LabelPage> {
      if (p.grants.length === 0) return { items: [], total: 0, products: withProducts ? new Map() : null };
      const page = await store.limboListLabels(merge(q, { workspaceIds: workspaceIds(p) }));
      const products = withProducts ? await store.limboProductsOfLabels(page.items.map((l) => l.id)) : null;
      return { items: page.items, total: page.total, products };
    },

    async get(p: LimboPrincipal, id: number, withProducts: boolean): Promise<{ label: Label; products: Resource[] | null }> {
      const label = await visible(p, id);
      const products = withProducts ? ((await store.limboProductsOfLabels([id])).get(id) ?? []) : null;
      return { label, products };
    },

    /** A top-level label in the company's workspace (owner/admin there). */
    async create(p: LimboPrincipal, input: NewLimboLabel): Promise<Label> {
      const actor = actorIn(p, input.companyId, 'company');
      return shared.create(actor, { name: input.name, description: input.description ?? '', extras: input.extras ?? {} });
    },

    /**
     * Owner/admin of the label's workspace; a move also needs owner/admin in the target workspace. With
     * `withProducts`, the label's products after the change come along.
     */
    async update(p: LimboPrincipal, id: number, changes: LimboLabelChanges, withProducts = false): Promise<{ label: Label; products: Resource[] | null }> {
      const label = await visible(p, id);
      assertMay(actorIn(p, label.workspaceId), 'update');
      const patch: LimboLabelPatch = {};
      if (changes.name !== undefined) patch.name = normalizeName(changes.name);
      if (changes.description !== undefined) patch.description = changes.description;
      if (changes.extras !== undefined) patch.extras = changes.extras;
      if (changes.companyId !== undefined && changes.companyId !== label.workspaceId) {
        assertMay(actorIn(p, changes.companyId, 'company'), 'create');
        patch.workspaceId = changes.companyId;
      }
      const updated = await store.limboUpdateLabel(label.workspaceId, id, patch, limboAudit(p, now()));
      const products = withProducts ? ((await store.limboProductsOfLabels([id])).get(id) ?? []) : null;
      return { label: updated, products };
    },

    async remove(p: LimboPrincipal, id: number): Promise<void> {
      const label = await visible(p, id);
      await shared.remove(actorIn(p, label.workspaceId), [id]);
    },

    async company(p: LimboPrincipal, id: number): Promise<Workspace> {
      return actorIn(p, (await visible(p, id)).workspaceId).workspace;
    },

    async products(p: LimboPrincipal, id: number, q: LabelProductQuery): Promise<{ items: Resource[]; total: number }> {
      const label = await visible(p, id);
      return store.limboListProducts(merge(q, { workspaceIds: [label.workspaceId], labelId: id }));
    },

    /**
     * Adds, removes or replaces the label's products (owner/admin/member of its workspace). Ids name products
     * of the label's own company: qualified with it, or a bare external id (limbo-products.ts).
     */
    async link(p: LimboPrincipal, id: number, mode: LinkMode, productIds: string[]): Promise<void> {
      const label = await visible(p, id);
      assertMay(actorIn(p, label.workspaceId), 'assign');
      const choices = [...new Set(productIds)].map((pid) => choiceIn(p, label.workspaceId, pid));
      await store.limboLinkProducts(label.workspaceId, id, mode, choices, limboAudit(p, now()));
    },
  };
}
export type LimboLabels = ReturnType<typeof createLimboLabels>;
