// Storage port for timed labels: labels with a time span, filed under top-level "category" labels and
// created under daily limits (see ports.ts for the rules: one call = one transaction).
import type { Audit } from './types.js';

/** A label with a time span, with its category. Times are UTC milliseconds. */
export interface TimedLabel {
  id: number;
  parentId: number | null;
  /** The parent label's name; '' for a top-level label. */
  category: string;
  name: string;
  description: string;
  startsAt: number;
  endsAt: number;
}

export interface NewTimedLabel {
  name: string;
  description: string;
  /** Name of a top-level label, matched ignoring case (created as given if missing); null = top level. */
  category: string | null;
  startsAt: number;
  endsAt: number;
}

export type TimedLabelPatch = Partial<NewTimedLabel>;

/** One daily counter a creation consumes, e.g. per token or per workspace. */
export interface DailyCounter {
  /** Which limit this is, reported as LIMIT_EXCEEDED details.rule. */
  rule: string;
  scope: string;
  subject: string;
  limit: number;
}

export interface CreationQuota {
  /** The UTC day the counters are kept for (YYYY-MM-DD). */
  day: string;
  counters: DailyCounter[];
}

export type TimedLabelField = 'id' | 'name' | 'description' | 'category' | 'startsAt' | 'endsAt';
export type FilterValue = string | number;

/**
 * One condition of a list filter; conditions combine with AND. Comparisons are on stored values (ms for
 * times); `category` compares case-folded names, as categories are matched ignoring case.
 */
export type TimedLabelCondition =
  | { field: TimedLabelField; op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq'; value: FilterValue }
  | { field: TimedLabelField; op: 'in' | 'notIn'; values: FilterValue[] }
  /** Not null and not the empty string. */
  | { field: TimedLabelField; op: 'present' };

/** What happens to a deleted category's labels: moved to another category (null = top level), or deleted. */
export type CategoryDisposal = { moveTo: string | null } | { deleteLabels: true };

export interface TimedLabelStore {
  /** Every timed label of the workspace matching all conditions, ordered by start, then id. */
  listTimedLabels(workspaceId: number, conditions: TimedLabelCondition[]): Promise<TimedLabel[]>;
  /**
   * Creates the labels (and any missing category) in one transaction, consuming `n` of every counter in
   * `quota` atomically with the inserts: if one counter would pass its limit, LIMIT_EXCEEDED and nothing is written.
   */
  createTimedLabels(workspaceId: number, items: NewTimedLabel[], quota: CreationQuota, audit: Audit, createdBy: number): Promise<TimedLabel[]>;
  /** Edits a timed label (NOT_FOUND otherwise), creating a missing category (matched like createTimedLabels). */
  updateTimedLabel(workspaceId: number, id: number, patch: TimedLabelPatch, audit: Audit, createdBy: number): Promise<TimedLabel>;
  /** Names of top-level labels without a time span that have at least one child, sorted. */
  listCategories(workspaceId: number): Promise<string[]>;
  /**
   * Deletes a category (a name listed by listCategories, matched ignoring case; NOT_FOUND(category) otherwise)
   * and disposes of its labels; returns its stored name. The target is matched ignoring case too: one that does
   * not exist, or the category itself in another case, renames the category label in place (checkMoveTarget).
   */
  deleteCategory(workspaceId: number, name: string, disposal: CategoryDisposal, audit: Audit): Promise<string>;
}
