// Tenancy rows (workspaces, users, keys, memberships) and the key and membership lookups, shared by the SQLite
// and PostgreSQL stores (both take `?` placeholders). A workspace key's membership is read with the key: one
// query per request instead of two.
import type { KeyPrincipal, WorkspaceSelector } from '../core/ports.js';
import type { ApiKeyInfo, MembershipWithWorkspace, Role, User, Workspace } from '../core/types.js';

export interface WorkspaceRow { id: number; uuid: string; name: string; created_at: number }
export interface UserRow { id: number; email: string; name: string; created_at: number }
export interface KeyRow { id: number; user_id: number; workspace_id: number | null; name: string; created_at: number }

export const toWorkspace = (r: WorkspaceRow): Workspace => ({ id: r.id, uuid: r.uuid, name: r.name, createdAt: r.created_at });
export const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, name: r.name, createdAt: r.created_at });
export const toKey = (r: KeyRow): ApiKeyInfo => ({ id: r.id, userId: r.user_id, workspaceId: r.workspace_id, name: r.name, createdAt: r.created_at });

/** FIND_KEY's row: the key and, for a workspace key, its membership there (null columns when it has none). */
export interface FoundKeyRow {
  id: number;
  user_id: number;
  workspace_id: number | null;
  role: Role | null;
  uuid: string | null;
  name: string | null;
  created_at: number | null;
}

export interface MembershipRow {
  workspace_id: number;
  user_id: number;
  role: Role;
  uuid: string;
  name: string;
  created_at: number;
}

export const FIND_KEY = `SELECT k.id, k.user_id, k.workspace_id, m.role, w.uuid, w.name, w.created_at
  FROM api_keys k
  LEFT JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
  LEFT JOIN workspaces w ON w.id = m.workspace_id
  WHERE k.key_hash = ? AND k.revoked_at IS NULL`;

export const toMembership = (r: MembershipRow): MembershipWithWorkspace => ({
  workspaceId: r.workspace_id,
  userId: r.user_id,
  role: r.role,
  workspace: { id: r.workspace_id, uuid: r.uuid, name: r.name, createdAt: r.created_at },
});

/** The key, with its workspace membership when it is a workspace key (null: the user is no longer a member). */
export function toKeyPrincipal(r: FoundKeyRow): KeyPrincipal {
  const p: KeyPrincipal = { apiKeyId: r.id, userId: r.user_id, keyWorkspaceId: r.workspace_id };
  if (r.workspace_id !== null) p.keyMembership = r.role === null ? null : toMembership(r as MembershipRow);
  return p;
}

const MEMBERSHIP = `SELECT m.workspace_id, m.user_id, m.role, w.uuid, w.name, w.created_at FROM memberships m JOIN workspaces w ON w.id = m.workspace_id`;

/** The membership query for a selector, with its parameters. */
export function membershipQuery(userId: number, ws: WorkspaceSelector): [string, unknown[]] {
  if ('id' in ws) return [`${MEMBERSHIP} WHERE m.user_id = ? AND m.workspace_id = ?`, [userId, ws.id]];
  if ('uuid' in ws) return [`${MEMBERSHIP} WHERE m.user_id = ? AND w.uuid = ?`, [userId, ws.uuid]];
  return [`${MEMBERSHIP} WHERE m.user_id = ? ORDER BY m.created_at, m.workspace_id LIMIT 1`, [userId]];
}
