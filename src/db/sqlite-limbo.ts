// SQLite implementation of LimboStore: OAuth tokens, login throttling and grants here; labels and
// products across workspaces in sqlite-limbo-labels.ts.
import type { LimboGrant, LimboStore, LoginLock, LoginUser } from '../core/ports-limbo.js';
import type { Role } from '../core/types.js';
import { sqliteLimboLabelStore } from './sqlite-limbo-labels.js';
import type { Statements } from './sqlite/driver.js';

interface GrantRow {
  workspace_id: number;
  role: Role;
  uuid: string;
  name: string;
  created_at: number;
}

const GRANTS = `SELECT m.workspace_id, m.role, w.uuid, w.name, w.created_at FROM memberships m JOIN workspaces w ON w.id = m.workspace_id`;
const toGrant = (r: GrantRow): LimboGrant => ({ role: r.role, workspace: { id: r.workspace_id, uuid: r.uuid, name: r.name, createdAt: r.created_at } });

export function sqliteLimboStore(s: Statements): LimboStore {
  return {
    async limboFindLoginUser(emailKey) {
      const r = s.one<{ id: number; password_hash: string | null }>(`SELECT id, password_hash FROM users WHERE email_key = ?`, emailKey);
      return r ? ({ id: r.id, passwordHash: r.password_hash } satisfies LoginUser) : null;
    },

    async limboLoginLock(emailKey) {
      const r = s.one<{ failures: number; locked_until: number }>(`SELECT failures, locked_until FROM oauth_login_failures WHERE email_key = ?`, emailKey);
      return r ? { failures: r.failures, lockedUntil: r.locked_until } : null;
    },

    async limboRecordLoginFailure(emailKey, at, windowMs, lockFor) {
      return s.write((): LoginLock => {
        // Stale rows (this one included) are forgotten: the count restarts after a quiet window.
        s.run(`DELETE FROM oauth_login_failures WHERE last_failed_at < ? AND locked_until < ?`, at - windowMs, at);
        const row = s.one<{ failures: number }>(`SELECT failures FROM oauth_login_failures WHERE email_key = ?`, emailKey);
        const failures = (row?.failures ?? 0) + 1;
        const lockedUntil = lockFor(failures);
        s.run(
          `INSERT INTO oauth_login_failures (email_key, failures, last_failed_at, locked_until) VALUES (?,?,?,?)
           ON CONFLICT (email_key) DO UPDATE SET failures = excluded.failures, last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until`,
          emailKey, failures, at, lockedUntil,
        );
        return { failures, lockedUntil };
      });
    },

    async limboClearLoginFailures(emailKey) {
      await s.write(() => s.run(`DELETE FROM oauth_login_failures WHERE email_key = ?`, emailKey));
    },

    async limboIssueTokens(userId, t, at) {
      await s.write(() => {
        s.run(`DELETE FROM oauth_tokens WHERE user_id = ? AND refresh_expires_at <= ?`, userId, at);
        s.run(
          `INSERT INTO oauth_tokens (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at) VALUES (?,?,?,?,?,?)`,
          userId, t.accessHash, t.refreshHash, t.accessExpiresAt, t.refreshExpiresAt, at,
        );
      });
    },

    async limboRotateTokens(refreshHash, t, at) {
      return s.write(() => {
        const row = s.one<{ id: number; user_id: number }>(
          `SELECT id, user_id FROM oauth_tokens WHERE refresh_hash = ? AND revoked_at IS NULL AND refresh_expires_at > ?`,
          refreshHash, at,
        );
        if (!row) return null;
        s.run(`UPDATE oauth_tokens SET revoked_at = ? WHERE id = ?`, at, row.id);
        s.run(
          `INSERT INTO oauth_tokens (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at) VALUES (?,?,?,?,?,?)`,
          row.user_id, t.accessHash, t.refreshHash, t.accessExpiresAt, t.refreshExpiresAt, at,
        );
        return row.user_id;
      });
    },

    async limboFindAccessToken(accessHash, at) {
      const r = s.one<{ user_id: number }>(
        `SELECT user_id FROM oauth_tokens WHERE access_hash = ? AND revoked_at IS NULL AND access_expires_at > ?`,
        accessHash, at,
      );
      return r?.user_id ?? null;
    },

    async limboGrants(userId, workspaceId) {
      // Every limbo request loads its grants: remembered like the key lookup (Statements.memo of 'auth').
      return s.memo(
        `grants:${userId}:${workspaceId}`,
        () =>
          (workspaceId === null
            ? s.all<GrantRow>(`${GRANTS} WHERE m.user_id = ? ORDER BY m.created_at, m.workspace_id`, userId)
            : s.all<GrantRow>(`${GRANTS} WHERE m.user_id = ? AND m.workspace_id = ?`, userId, workspaceId)
          ).map(toGrant),
        'auth',
      );
    },

    ...sqliteLimboLabelStore(s),
  };
}
