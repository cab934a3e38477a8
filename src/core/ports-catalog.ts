// Storage port for the catalog: products (resources of type `product`) listed and found across the
// workspaces a credential sees, and linked to labels.
import type { SortKey } from './ports-cross-workspace.js';
import type { Audit, Page, Resource } from './types.js';

export type ProductSortField = 'id' | 'name' | 'status' | 'created_at' | 'updated_at';

export interface ProductListQuery extends Page {
  /** The workspaces searched: every product of each is listed. */
  workspaceIds: number[];
  /** Only products assigned to this label. */
  labelId?: number;
  name?: string;
  status?: string;
  sort: SortKey<ProductSortField>[];
}

export type LinkMode = 'add' | 'remove' | 'replace';

/** A product named in a linkage request: the id as sent, and the external ids it may stand for, preferred first. */
export interface ProductChoice {
  ref: string;
  externalIds: string[];
}

export interface CatalogStore {
  /** The products of each label (every label id gets an entry). */
  productsOfLabels(labelIds: number[]): Promise<Map<number, Resource[]>>;
  /**
   * Adds, removes or replaces the label's products: each choice is the first of its external ids that is a
   * product of the workspace; NOT_FOUND(resource, choice.ref) when none is.
   */
  linkProducts(workspaceId: number, labelId: number, mode: LinkMode, choices: ProductChoice[], audit: Audit): Promise<void>;
  /** Sorting on `id` orders by workspace, then external id. */
  listProducts(query: ProductListQuery): Promise<{ items: Resource[]; total: number }>;
  /** The products with that external id in any of `workspaceIds` (at most one each), by workspace id. */
  findProducts(workspaceIds: number[], externalId: string): Promise<Resource[]>;
}
