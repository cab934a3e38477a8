// The workspaces a credential sees: a user's memberships, each with its workspace and the user's role.
import type { Grant, GrantStore } from '../../core/ports-grants.js';
import type { Role } from '../../core/types.js';
import type { Db } from './db.js';

interface GrantRow {
  workspace_id: number;
  role: Role;
  uuid: string;
  name: string;
  created_at: number;
}

const GRANTS = `SELECT m.workspace_id, m.role, w.uuid, w.name, w.created_at FROM memberships m JOIN workspaces w ON w.id = m.workspace_id`;
const toGrant = (r: GrantRow): Grant => ({ role: r.role, workspace: { id: r.workspace_id, uuid: r.uuid, name: r.name, createdAt: r.created_at } });

export function grantStore(db: Db): GrantStore {
  return {
    async listGrants(userId, workspaceId) {
      // Every request of a credential spanning workspaces loads its grants: remembered like a key's lookup.
      return db.memo(
        `grants:${userId}:${workspaceId}`,
        async () =>
          (workspaceId === null
            ? await db.all<GrantRow>(`${GRANTS} WHERE m.user_id = ? ORDER BY m.created_at, m.workspace_id`, userId)
            : await db.all<GrantRow>(`${GRANTS} WHERE m.user_id = ? AND m.workspace_id = ?`, userId, workspaceId)
          ).map(toGrant),
        'auth',
      );
    },
  };
}
