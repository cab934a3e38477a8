// Core objects → admin API objects (ISO 8601 times).
import type { ApiKeyInfo, AuditEvent, Membership, User, Workspace } from '../core/index.js';

const iso = (ms: number) => new Date(ms).toISOString();

export const workspace = (w: Workspace) => ({ id: w.id, uuid: w.uuid, name: w.name, created_at: iso(w.createdAt) });
export const user = (u: User) => ({ id: u.id, email: u.email, name: u.name });
export const member = (m: Membership) => ({ workspace_id: m.workspaceId, user_id: m.userId, role: m.role });
export const apiKey = (k: ApiKeyInfo, key?: string) => ({
  id: k.id, ...(key !== undefined && { key }), workspace_id: k.workspaceId, user_id: k.userId, name: k.name, created_at: iso(k.createdAt),
});
export const event = (e: AuditEvent) => ({
  id: e.id, workspace_id: e.workspaceId, actor_user_id: e.actorUserId, api_key_id: e.apiKeyId, dialect: e.dialect,
  action: e.action, label_id: e.labelId, before: e.before, after: e.after, at: iso(e.at),
});
