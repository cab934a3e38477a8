// The catalog a credential spanning workspaces sees: its workspaces (already loaded with it) and their
// products, the shared core's resources of type `product`. A client may name a product in several ways (e.g.
// qualified with its workspace, or by its bare external id); the dialect reads the id it was sent into
// ProductRefs, preferred first, and the first reading that names exactly one visible product wins.
import { notFound } from './errors.js';
import { merge } from './objects.js';
import { type Principal, workspaceIds } from './principal.js';
import type { CatalogStore, ProductChoice, ProductListQuery } from './ports-catalog.js';
import type { Resource, Workspace } from './types.js';

/** Products are the shared core's resources of this type. */
export const PRODUCT_TYPE = 'product';

export interface WorkspaceQuery {
  sort: { field: 'id' | 'name'; desc: boolean }[];
  limit: number;
  offset: number;
}

export type ProductQuery = Omit<ProductListQuery, 'workspaceIds' | 'labelId'>;

/** One reading of a product id: an external id, in one workspace or (null) in whichever the context says. */
export interface ProductRef {
  workspaceId: number | null;
  externalId: string;
}

/** A product id as the client sent it, and its readings, preferred first. */
export interface ProductName {
  ref: string;
  readings: ProductRef[];
}

/** What a product name may stand for in one workspace: the external ids of the readings that fit it. */
export const choiceIn = (workspaceId: number, name: ProductName): ProductChoice => ({
  ref: name.ref,
  externalIds: name.readings.filter((r) => r.workspaceId === null || r.workspaceId === workspaceId).map((r) => r.externalId),
});

const compareWorkspaces = (sort: WorkspaceQuery['sort']) => (a: Workspace, b: Workspace) => {
  for (const { field, desc } of sort) {
    const x = field === 'id' ? a.id : a.name.toLowerCase();
    const y = field === 'id' ? b.id : b.name.toLowerCase();
    if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
  }
  return a.id - b.id;
};

export function createCatalog(store: CatalogStore) {
  return {
    workspaces: {
      /** The credential's workspaces are already loaded with it: sorted and paged in memory. */
      list(p: Principal, q: WorkspaceQuery): { items: Workspace[]; total: number } {
        const all = p.grants.map((g) => g.workspace).sort(compareWorkspaces(q.sort));
        return { items: all.slice(q.offset, q.offset + q.limit), total: all.length };
      },
      /** NOT_FOUND unless the credential sees it. */
      get(p: Principal, id: number): Workspace {
        const g = p.grants.find((x) => x.workspace.id === id);
        if (!g) throw notFound('workspace', id);
        return g.workspace;
      },
    },

    products: {
      async list(p: Principal, q: ProductQuery): Promise<{ items: Resource[]; total: number }> {
        if (p.grants.length === 0) return { items: [], total: 0 };
        return store.listProducts(merge(q, { workspaceIds: workspaceIds(p) }));
      },

      /**
       * The product the name stands for: a reading in one of the credential's workspaces, or a reading without
       * a workspace that exactly one of them has (several: ambiguous, so not this reading). NOT_FOUND otherwise.
       */
      async get(p: Principal, name: ProductName): Promise<Resource> {
        const visible = workspaceIds(p);
        for (const r of name.readings) {
          if (r.workspaceId !== null && !visible.includes(r.workspaceId)) continue;
          const found = await store.findProducts(r.workspaceId === null ? visible : [r.workspaceId], r.externalId);
          if (found.length === 1) return found[0]!;
        }
        throw notFound('resource', name.ref);
      },
    },
  };
}
export type Catalog = ReturnType<typeof createCatalog>;
