// Storage ports. Async and coarse: one method call is one atomic unit of work (one transaction), so a
// PostgreSQL adapter can implement them later without touching the core. Invariants that must hold under
// concurrency (sibling-unique names, no cycles, parents in the same workspace) are enforced by the adapter
// inside that transaction or by the database itself, and reported as CoreErrors.
import type { TimedLabelStore } from './ports-timed-labels.js';
import type { CatalogStore } from './ports-catalog.js';
import type { ConsoleStore } from './ports-console.js';
import type { CrossWorkspaceLabelStore } from './ports-cross-workspace.js';
import type { GrantStore } from './ports-grants.js';
import type { OAuthStore } from './ports-oauth.js';
import type { PathStore } from './ports-paths.js';
import type { SandboxStore } from './ports-sandbox.js';
import type {
  ApiKeyInfo,
  Audit,
  AuditEvent,
  Label,
  LabelExtras,
  LabelListing,
  LabelSummary,
  Membership,
  MembershipWithWorkspace,
  Page,
  Resource,
  ResourceWithLabels,
  Role,
  User,
  Workspace,
} from './types.js';

/** Which labels a name must be unique among (always case-insensitive, timed labels excepted). */
export type NameScope = 'siblings' | 'workspace';

export interface NewLabel {
  parentId: number | null;
  name: string;
  color: string | null;
  description: string;
  startsAt: number | null;
  endsAt: number | null;
  extras: LabelExtras;
}

export type LabelPatch = Partial<NewLabel>;

export interface DeleteOptions {
  ignoreMissing?: boolean;
  timedOnly?: boolean;
}

export interface ResourceRef {
  type: string;
  externalId: string;
}

/** A resource by external id, of one type or (type omitted) of any type. */
export interface AnyTypeRef {
  type?: string;
  externalId: string;
}

export interface ResourceInput extends ResourceRef {
  name?: string | null;
  status?: string | null;
  attributes?: Record<string, unknown>;
}

export interface ResourceQuery extends Page {
  type?: string;
  /** Any of these types (with `type`, both must hold). */
  types?: string[];
  labelId?: number;
  search?: string;
  status?: string;
  sort: 'created_at' | 'name' | 'size' | 'id' | 'type';
  direction: 'asc' | 'desc';
  /** Skip what the caller does not show: the total (a count over every match) and each item's labels. */
  omit?: { total?: boolean; labels?: boolean };
}

export interface KeyPrincipal {
  apiKeyId: number;
  userId: number;
  keyWorkspaceId: number | null;
  /** A workspace key's membership in its workspace, read with the key (null: not a member any more). */
  keyMembership?: MembershipWithWorkspace | null;
}

/** A workspace as a request names it: by integer id, by uuid, or "the user's earliest". */
export type WorkspaceSelector = { id: number } | { uuid: string } | { earliest: true };

export interface AuthStore {
  /** The live (not revoked, user not deleted) key with this SHA-256 hash. */
  findKey(keyHash: string): Promise<KeyPrincipal | null>;
  /** findKey's answer when the store knows it at once (remembered), else undefined; absent when it never does. */
  findKeyNow?(keyHash: string): KeyPrincipal | null | undefined;
  /** The user's membership in the selected workspace, or null if none/unknown workspace. */
  findMembership(userId: number, ws: WorkspaceSelector): Promise<MembershipWithWorkspace | null>;
}

/** A workspace's labels as listLabels gives them (same order), in pages of at most `pageSize`, each one bounded read. */
export interface LabelPageStore {
  labelPages(workspaceId: number, pageSize?: number): AsyncIterable<Label[]>;
  /** The same pages with only what a label list shows of each label (fewer columns read). */
  labelListingPages(workspaceId: number, pageSize?: number): AsyncIterable<LabelListing[]>;
}

export interface LabelStore {
  listLabels(workspaceId: number): Promise<Label[]>;
  getLabel(workspaceId: number, id: number): Promise<Label | null>;
  createLabel(workspaceId: number, label: NewLabel, scope: NameScope, audit: Audit, createdBy: number): Promise<Label>;
  updateLabel(workspaceId: number, id: number, patch: LabelPatch, scope: NameScope, audit: Audit): Promise<Label>;
  /**
   * Deletes the labels, their subtrees and their assignments, in one transaction. A missing id is NOT_FOUND
   * and nothing is deleted, unless `ignoreMissing`; with `timedOnly`, labels without a time span count as missing.
   */
  deleteLabels(workspaceId: number, ids: number[], audit: Audit, opts?: DeleteOptions): Promise<number[]>;
}

export interface AssignmentStore {
  /** Assigns labels to one resource (created if `create` and unknown); returns the resource's labels after (none, unread, unless `answer`). */
  assign(workspaceId: number, resource: ResourceInput, labelIds: number[], opts: { create: boolean; replace: boolean; answer: boolean }, audit: Audit): Promise<LabelSummary[]>;
  /**
   * Removes labels from one resource (of every type carrying that external id when `type` is omitted);
   * returns the label ids actually removed. An unknown resource is NOT_FOUND unless `missingOk`.
   */
  unassign(workspaceId: number, resource: AnyTypeRef, labelIds: number[], audit: Audit, opts?: { missingOk?: boolean }): Promise<number[]>;
  /** Assigns one label to many resources (created if `create` and unknown); returns the refs now assigned. */
  attach(workspaceId: number, labelId: number, resources: ResourceInput[], opts: { create: boolean }, audit: Audit): Promise<ResourceRef[]>;
  /** Removes one label from many resources; returns the refs that were actually removed. */
  detach(workspaceId: number, labelId: number, resources: ResourceRef[], audit: Audit): Promise<ResourceRef[]>;
  getResource(workspaceId: number, ref: ResourceRef): Promise<ResourceWithLabels | null>;
  /** A page of resources; with `omit`, `total` is null and items' `labels` are empty where skipped. */
  listResources(workspaceId: number, query: ResourceQuery): Promise<{ items: ResourceWithLabels[]; total: number | null }>;
}

export interface AdminStore {
  isEmpty(): Promise<boolean>;
  createWorkspace(name: string, uuid: string, at: number): Promise<Workspace>;
  listWorkspaces(): Promise<Workspace[]>;
  getWorkspace(id: number): Promise<Workspace | null>;
  createUser(email: string, name: string, passwordHash: string | null, at: number): Promise<User>;
  deleteUser(id: number): Promise<boolean>;
  setMember(workspaceId: number, userId: number, role: Role, at: number): Promise<Membership>;
  /**
   * Ends the user's membership and revokes their keys for that workspace, in one unit of work. False when the
   * user was not a member; NOT_FOUND for an unknown workspace or user.
   */
  removeMember(workspaceId: number, userId: number, at: number): Promise<boolean>;
  createApiKey(userId: number, workspaceId: number | null, name: string, keyHash: string, at: number): Promise<ApiKeyInfo>;
  revokeApiKey(id: number, at: number): Promise<boolean>;
  upsertResources(workspaceId: number, resources: ResourceInput[], at: number): Promise<number>;
  listEvents(workspaceId: number, after: number, limit: number): Promise<AuditEvent[]>;
  exportWorkspace(workspaceId: number): Promise<WorkspaceExport>;
  /**
   * Writes the document into an empty workspace. Label ids are kept when all are free in this database, else
   * every label gets a new id (parents, assignments and product links follow). Returns document id → stored id.
   */
  importWorkspace(workspaceId: number, doc: WorkspaceExport, audit: Audit): Promise<Map<number, number>>;
}

export interface CounterStore {
  /**
   * Atomically adds `n` to the counter unless that would pass `limit`. Returns whether it was added and
   * the count after (or the unchanged count when refused).
   */
  consume(scope: string, subject: string, day: string, n: number, limit: number): Promise<{ allowed: boolean; count: number }>;
  /** The counter's count (0 when it has no row), without writing. */
  readCounter(scope: string, subject: string, day: string): Promise<number>;
  /** Deletes the scope's counters whose `day` sorts before `before`; returns how many. */
  pruneCounters(scope: string, before: string): Promise<number>;
}

export interface Store extends AuthStore, LabelStore, LabelPageStore, AssignmentStore, AdminStore, CounterStore, PathStore, TimedLabelStore, OAuthStore, GrantStore, CrossWorkspaceLabelStore, CatalogStore, SandboxStore, ConsoleStore {
  /** Several server instances may share this database: counters kept in one process's memory would not hold. */
  readonly shared?: boolean;
  /** Which database this is (GET /_admin/info says it); absent in test doubles. */
  readonly kind?: 'sqlite' | 'postgres';
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ExportedLabel {
  id: number;
  parent_id: number | null;
  name: string;
  color: string | null;
  description: string;
  starts_at: number | null;
  ends_at: number | null;
  extras: LabelExtras;
  created_by_email: string | null;
  created_at: number;
  updated_at: number;
}

export interface ExportedResource {
  type: string;
  id: string;
  name: string | null;
  status: string | null;
  attributes: Record<string, unknown>;
  created_at: number;
  updated_at: number;
  label_ids: number[];
}

export interface WorkspaceExport {
  format: 'labelmux-workspace';
  version: 1;
  workspace: { name: string };
  labels: ExportedLabel[];
  resources: ExportedResource[];
}

export type { Resource };
