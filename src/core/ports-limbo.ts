// Storage port for the limbo dialect's needs (see ports.ts for the rules: one call = one transaction).
// limbo's credentials span workspaces, so most reads here take the list of workspaces a credential sees.
import type { Audit, Label, Page, Resource, Role, Workspace } from './types.js';

/** One workspace a credential sees, with the user's role there. */
export interface LimboGrant {
  workspace: Workspace;
  role: Role;
}

export interface LoginUser {
  id: number;
  /** null: the user has no password and cannot use the password grant. */
  passwordHash: string | null;
}

export interface LoginLock {
  failures: number;
  /** UTC ms; 0 or in the past = not locked. */
  lockedUntil: number;
}

/** A new access/refresh pair, as stored: hashes only. */
export interface TokenRow {
  accessHash: string;
  refreshHash: string;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

export type LabelSortField = 'name' | 'created_at' | 'updated_at' | 'id';
export type ProductSortField = 'id' | 'name' | 'status' | 'created_at' | 'updated_at';
export interface SortKey<F extends string> {
  field: F;
  desc: boolean;
}

export interface LimboLabelQuery extends Page {
  /** The workspaces searched (never empty). */
  workspaceIds: number[];
  /** Case-insensitive exact name. */
  name?: string;
  /** Only these ids (filter[id] and filter[label-ids] intersected). */
  ids?: number[];
  /** Labels with at least one product matching both conditions given. */
  productName?: string;
  productStatus?: string;
  hasProducts?: boolean;
  /** Every label has a company here, so false matches nothing. */
  hasCompany?: boolean;
  /** Applied in order, then by id ascending. */
  sort: SortKey<LabelSortField>[];
}

export interface LimboProductQuery extends Page {
  /** The workspaces searched: every product of each is listed (each has its own id on the wire). */
  workspaceIds: number[];
  /** Only products assigned to this label. */
  labelId?: number;
  name?: string;
  status?: string;
  sort: SortKey<ProductSortField>[];
}

/** Changes to a label, possibly moving it to another workspace. */
export interface LimboLabelPatch {
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

export type LinkMode = 'add' | 'remove' | 'replace';

/** A product named in a linkage request: the id as sent, and the external ids it may stand for, preferred first. */
export interface ProductChoice {
  ref: string;
  externalIds: string[];
}

/** Tokens, login throttling and the workspaces a credential sees. */
export interface LimboAuthStore {
  limboFindLoginUser(emailKey: string): Promise<LoginUser | null>;
  limboLoginLock(emailKey: string): Promise<LoginLock | null>;
  /**
   * Counts one failed login (restarting the count when the last failure is older than `windowMs`) and
   * stores the lock `lockFor(failures)` returns; sweeps rows idle for longer than `windowMs`.
   */
  limboRecordLoginFailure(emailKey: string, at: number, windowMs: number, lockFor: (failures: number) => number): Promise<LoginLock>;
  limboClearLoginFailures(emailKey: string): Promise<void>;
  /** Stores a new token pair, sweeping the user's pairs whose refresh token has expired. */
  limboIssueTokens(userId: number, tokens: TokenRow, at: number): Promise<void>;
  /** Revokes the live pair of `refreshHash` and stores `tokens` for its user; null if that refresh token is not live. */
  limboRotateTokens(refreshHash: string, tokens: TokenRow, at: number): Promise<number | null>;
  /** The user of a live access token, or null. */
  limboFindAccessToken(accessHash: string, at: number): Promise<number | null>;
  /** The user's memberships (only `workspaceId`'s when given), earliest first. */
  limboGrants(userId: number, workspaceId: number | null): Promise<LimboGrant[]>;
}

/** A label as limbo lists it: the members a JSON:API label document renders, and no more (fewer columns to read). */
export type LimboListedLabel = Pick<Label, 'id' | 'workspaceId' | 'name' | 'description' | 'extras' | 'createdAt' | 'updatedAt'>;

export interface LimboLabelStore {
  limboFindLabel(workspaceIds: number[], id: number): Promise<Label | null>;
  /** One page of labels and the total. */
  limboListLabels(query: LimboLabelQuery): Promise<{ items: LimboListedLabel[]; total: number }>;
  /** Updates (and maybe moves) a label of `workspaceId`; NOT_FOUND, NAME_TAKEN, VALIDATION(company, has_children). */
  limboUpdateLabel(workspaceId: number, id: number, patch: LimboLabelPatch, audit: Audit): Promise<Label>;
}

export interface LimboProductStore {
  /** The products of each label (every label id gets an entry). */
  limboProductsOfLabels(labelIds: number[]): Promise<Map<number, Resource[]>>;
  /**
   * Adds, removes or replaces the label's products: each choice is the first of its external ids that is a
   * product of the workspace; NOT_FOUND(resource, choice.ref) when none is.
   */
  limboLinkProducts(workspaceId: number, labelId: number, mode: LinkMode, choices: ProductChoice[], audit: Audit): Promise<void>;
  /** Sorting on `id` orders by workspace, then external id (the two parts of a qualified product id). */
  limboListProducts(query: LimboProductQuery): Promise<{ items: Resource[]; total: number }>;
  /** The products with that external id in any of `workspaceIds` (at most one each), by workspace id. */
  limboFindProducts(workspaceIds: number[], externalId: string): Promise<Resource[]>;
}

export interface LimboStore extends LimboAuthStore, LimboLabelStore, LimboProductStore {}
