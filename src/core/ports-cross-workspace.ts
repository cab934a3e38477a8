// Storage port for labels seen through a credential that spans workspaces (ports-grants.ts): found and listed
// across several workspaces, and updated with a possible move to another one.
import type { Audit, Label, Page } from './types.js';

export interface SortKey<F extends string> {
  field: F;
  desc: boolean;
}
export type LabelSortField = 'name' | 'created_at' | 'updated_at' | 'id';

export interface CrossWorkspaceLabelQuery extends Page {
  /** The workspaces searched (never empty). */
  workspaceIds: number[];
  /** Case-insensitive exact name. */
  name?: string;
  /** Only these ids. */
  ids?: number[];
  /** Labels with at least one product (ports-catalog.ts) matching both conditions given. */
  productName?: string;
  productStatus?: string;
  hasProducts?: boolean;
  /** Every label has a workspace, so false matches nothing. */
  hasWorkspace?: boolean;
  /** Applied in order, then by id ascending. */
  sort: SortKey<LabelSortField>[];
}

/** A label as a list page shows it: fewer columns to read than a whole Label. */
export type ListedLabel = Pick<Label, 'id' | 'workspaceId' | 'name' | 'description' | 'extras' | 'createdAt' | 'updatedAt'>;

/** Changes to a label, possibly moving it to another workspace. */
export interface LabelMovePatch {
  name?: string;
  description?: string;
  /** Merged two levels deep into the stored extras (so {usage:{download:false}} keeps the other flags). */
  extras?: Record<string, Record<string, unknown>>;
  /**
   * Move to this workspace: the label becomes top level there and each of its assignments is re-linked to
   * the resource with the same type and external id there, created (as a copy) if missing.
   */
  workspaceId?: number;
}

export interface CrossWorkspaceLabelStore {
  /** The label if one of `workspaceIds` holds it, as a list shows it. */
  findLabelIn(workspaceIds: number[], id: number): Promise<ListedLabel | null>;
  /** One page of labels and the total. */
  listLabelsIn(query: CrossWorkspaceLabelQuery): Promise<{ items: ListedLabel[]; total: number }>;
  /** Updates (and maybe moves) a label of `workspaceId`; NOT_FOUND, NAME_TAKEN, VALIDATION(workspace, has_children). */
  updateOrMoveLabel(workspaceId: number, id: number, patch: LabelMovePatch, audit: Audit): Promise<Label>;
}
