// Credential lookups: an API key by its hash (with its workspace membership, one query per request instead
// of two), a user's membership of a workspace, and the workspaces a credential spanning workspaces sees (its
// grants: the user's memberships, each with its workspace and the user's role).
import type { GrantStore } from '../../core/ports-grants.js';
import type { AuthStore, KeyPrincipal, WorkspaceSelector } from '../../core/ports.js';
import type { MembershipWithWorkspace, Role, Workspace } from '../../core/types.js';
import type { Db } from './db.js';

/** FIND_KEY's row: the key and, for a workspace key, its membership there (null columns when it has none). */
interface FoundKeyRow {
  id: number;
  user_id: number;
  workspace_id: number | null;
  role: Role | null;
  uuid: string | null;
  name: string | null;
  created_at: number | null;
}

interface MembershipRow {
  workspace_id: number;
  user_id: number;
  role: Role;
  uuid: string;
  name: string;
  created_at: number;
}

/** A revoked key is no key: the lookup refuses it. */
const FIND_KEY = `SELECT k.id, k.user_id, k.workspace_id, m.role, w.uuid, w.name, w.created_at
  FROM api_keys k
  LEFT JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
  LEFT JOIN workspaces w ON w.id = m.workspace_id
  WHERE k.key_hash = ? AND k.revoked_at IS NULL`;

const MEMBERSHIP = `SELECT m.workspace_id, m.user_id, m.role, w.uuid, w.name, w.created_at FROM memberships m JOIN workspaces w ON w.id = m.workspace_id`;

const workspaceOf = (r: MembershipRow): Workspace => ({ id: r.workspace_id, uuid: r.uuid, name: r.name, createdAt: r.created_at });
const toMembership = (r: MembershipRow): MembershipWithWorkspace => ({ workspaceId: r.workspace_id, userId: r.user_id, role: r.role, workspace: workspaceOf(r) });

/** The key, with its workspace membership when it is a workspace key (null: the user is no longer a member). */
function toKeyPrincipal(r: FoundKeyRow): KeyPrincipal {
  const p: KeyPrincipal = { apiKeyId: r.id, userId: r.user_id, keyWorkspaceId: r.workspace_id };
  if (r.workspace_id !== null) p.keyMembership = r.role === null ? null : toMembership(r as MembershipRow);
  return p;
}

/** The membership query for a selector, with its parameters (no selector: the user's first membership). */
function membershipQuery(userId: number, ws: WorkspaceSelector): [string, unknown[]] {
  if ('id' in ws) return [`${MEMBERSHIP} WHERE m.user_id = ? AND m.workspace_id = ?`, [userId, ws.id]];
  if ('uuid' in ws) return [`${MEMBERSHIP} WHERE m.user_id = ? AND w.uuid = ?`, [userId, ws.uuid]];
  return [`${MEMBERSHIP} WHERE m.user_id = ? ORDER BY m.created_at, m.workspace_id LIMIT 1`, [userId]];
}

export function authStore(db: Db): AuthStore & GrantStore {
  const store: AuthStore & GrantStore = {
    findKey(hash) {
      // Every request looks its key up (not async: the memo's promise is returned as it is): the answer is kept until the database changes (a write that may touch
      // credentials, or any commit by another process, such as `labelmux key revoke`), so a revoked key is
      // refused at once. Writes declared 'content' (labels, assignments, counters) leave it standing.
      return db.memo(
        `key:${hash}`,
        async () => {
          const r = await db.one<FoundKeyRow>(FIND_KEY, hash);
          return r ? toKeyPrincipal(r) : null;
        },
        'auth',
      );
    },
    async findMembership(userId, ws) {
      const [sql, params] = membershipQuery(userId, ws);
      const row = await db.one<MembershipRow>(sql, ...params);
      return row ? toMembership(row) : null;
    },
    listGrants(userId, workspaceId) {
      // Every request of a credential spanning workspaces loads its grants: remembered like a key's lookup.
      return db.memo(
        `grants:${userId}:${workspaceId}`,
        async () =>
          (workspaceId === null
            ? await db.all<MembershipRow>(`${MEMBERSHIP} WHERE m.user_id = ? ORDER BY m.created_at, m.workspace_id`, userId)
            : await db.all<MembershipRow>(`${MEMBERSHIP} WHERE m.user_id = ? AND m.workspace_id = ?`, userId, workspaceId)
          ).map((r) => ({ role: r.role, workspace: workspaceOf(r) })),
        'auth',
      );
    },
  };
  // findKey's answer when it is remembered and still valid (a driver that remembers: SQLite), without a promise.
  const remembered = db.memoNow?.bind(db);
  if (remembered) store.findKeyNow = (hash) => remembered<KeyPrincipal | null>(`key:${hash}`, 'auth');
  return store;
}
