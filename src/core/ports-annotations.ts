// Storage port for the devtodev dialect's needs: timed labels ("annotations") filed under top-level
// "category" labels, created under daily limits (see ports.ts for the rules: one call = one transaction).
import type { Audit } from './types.js';

/** A label with a time span, as devtodev sees it. Times are UTC milliseconds. */
export interface Annotation {
  id: number;
  parentId: number | null;
  /** The parent label's name; '' for a top-level label. */
  category: string;
  name: string;
  description: string;
  startsAt: number;
  endsAt: number;
}

export interface NewAnnotation {
  name: string;
  description: string;
  /** Name of a top-level label, matched ignoring case (created as given if missing); null = top level. */
  category: string | null;
  startsAt: number;
  endsAt: number;
}

export type AnnotationPatch = Partial<NewAnnotation>;

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

export type AnnotationField = 'id' | 'name' | 'description' | 'category' | 'startsAt' | 'endsAt';
export type FilterValue = string | number;

/**
 * One condition of a list filter; conditions combine with AND. Comparisons are on stored values (ms for
 * times); `category` compares case-folded names, as categories are matched ignoring case.
 */
export type AnnotationCondition =
  | { field: AnnotationField; op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq'; value: FilterValue }
  | { field: AnnotationField; op: 'in' | 'notIn'; values: FilterValue[] }
  /** Not null and not the empty string. */
  | { field: AnnotationField; op: 'present' };

/** What happens to a deleted category's labels: moved to another category (null = top level), or deleted. */
export type CategoryDisposal = { moveTo: string | null } | { deleteLabels: true };

export interface AnnotationStore {
  /** Every timed label of the workspace matching all conditions, ordered by start, then id. */
  listAnnotations(workspaceId: number, conditions: AnnotationCondition[]): Promise<Annotation[]>;
  /**
   * Creates the labels (and any missing category) in one transaction, consuming `n` of every counter in
   * `quota` atomically with the inserts: if one counter would pass its limit, LIMIT_EXCEEDED and nothing is written.
   */
  createAnnotations(workspaceId: number, items: NewAnnotation[], quota: CreationQuota, audit: Audit, createdBy: number): Promise<Annotation[]>;
  /** Edits a timed label (NOT_FOUND otherwise), creating a missing category (matched like createAnnotations). */
  updateAnnotation(workspaceId: number, id: number, patch: AnnotationPatch, audit: Audit, createdBy: number): Promise<Annotation>;
  /** Names of top-level labels without a time span that have at least one child, sorted. */
  listCategories(workspaceId: number): Promise<string[]>;
  /**
   * Deletes a category (a name listed by listCategories, matched ignoring case; NOT_FOUND(category) otherwise)
   * and disposes of its labels; returns its stored name. The target is matched ignoring case too: one that does
   * not exist, or the category itself in another case, renames the category label in place (checkMoveTarget).
   */
  deleteCategory(workspaceId: number, name: string, disposal: CategoryDisposal, audit: Audit): Promise<string>;
}
