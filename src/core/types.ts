// The shared label/assignment model. Times are UTC milliseconds; ids are the one id space all dialects share.
export const ROLES = ['owner', 'admin', 'member', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface Workspace {
  id: number;
  uuid: string;
  name: string;
  createdAt: number;
}

export interface User {
  id: number;
  email: string;
  name: string;
  createdAt: number;
}

export interface Membership {
  workspaceId: number;
  userId: number;
  role: Role;
}

export interface MembershipWithWorkspace extends Membership {
  workspace: Workspace;
}

export interface ApiKeyInfo {
  id: number;
  userId: number;
  /** null = user-wide: acts in every workspace of its user. */
  workspaceId: number | null;
  name: string;
  createdAt: number;
}

/** Dialect-owned extras, kept as one JSON object validated by the owning dialect. */
export type LabelExtras = Record<string, unknown>;

export interface Label {
  id: number;
  workspaceId: number;
  parentId: number | null;
  name: string;
  /** #rrggbb lowercase, or null when the creating dialect had no colour. */
  color: string | null;
  description: string;
  startsAt: number | null;
  endsAt: number | null;
  extras: LabelExtras;
  createdBy: number | null;
  createdByName: string | null;
  createdByEmail: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What a list of a workspace's labels shows of each (Livestorm's label list): read without the rest. */
export type LabelListing = Pick<Label, 'id' | 'name' | 'color' | 'createdByName' | 'createdAt'>;

export interface LabelSummary {
  id: number;
  name: string;
  color: string | null;
}

export interface Resource {
  id: number;
  workspaceId: number;
  type: string;
  externalId: string;
  name: string | null;
  status: string | null;
  attributes: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface ResourceWithLabels extends Resource {
  labels: LabelSummary[];
}

export interface AuditEvent {
  id: number;
  workspaceId: number;
  actorUserId: number | null;
  apiKeyId: number | null;
  dialect: string;
  action: string;
  labelId: number | null;
  before: unknown;
  after: unknown;
  at: number;
}

/** Who is acting, where, with which role, through which front end. Built by the core's auth. */
export interface Actor {
  userId: number;
  workspaceId: number;
  /** The workspace entered, for dialects that render it (Jotform's root label, limbo's company). */
  workspace: Workspace;
  role: Role;
  apiKeyId: number | null;
  dialect: string;
}

/** Who made a change, as written on its audit event. */
export interface Audit {
  actorUserId: number | null;
  apiKeyId: number | null;
  dialect: string;
  at: number;
}

export interface Page {
  limit: number;
  offset: number;
}
