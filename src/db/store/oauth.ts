// OAuth credentials: password logins with throttling, and access/refresh token pairs (stored as hashes only).
// The two rules, each a named function over `q`: the login lock window and the rotation of a pair.
import type { LoginLock, LoginUser, OAuthStore, TokenRow } from '../../core/ports-oauth.js';
import type { Db, Q } from './db.js';

const INSERT_PAIR = `INSERT INTO oauth_tokens (user_id, access_hash, refresh_hash, access_expires_at, refresh_expires_at, created_at) VALUES (?,?,?,?,?,?)`;

/**
 * Login lock window: one more failure for `emailKey`, counted from zero again when its last failure is older
 * than `windowMs` (and no lock is running); stale rows of other addresses are swept on the way. The lock is
 * what `lockFor(failures)` says.
 */
export async function countLoginFailure(q: Q, emailKey: string, at: number, windowMs: number, lockFor: (failures: number) => number): Promise<LoginLock> {
  await q.run(`DELETE FROM oauth_login_failures WHERE last_failed_at < ? AND locked_until < ?`, at - windowMs, at);
  const row = await q.one<{ failures: number }>(`SELECT failures FROM oauth_login_failures WHERE email_key = ?`, emailKey);
  const failures = (row?.failures ?? 0) + 1;
  const lockedUntil = lockFor(failures);
  await q.run(
    `INSERT INTO oauth_login_failures (email_key, failures, last_failed_at, locked_until) VALUES (?,?,?,?)
     ON CONFLICT (email_key) DO UPDATE SET failures = excluded.failures, last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until`,
    emailKey, failures, at, lockedUntil,
  );
  return { failures, lockedUntil };
}

/**
 * Token rotation: a live refresh token is spent once. Its pair (access token included) is revoked and the new
 * pair stored for the same user; the user's id, or null when the refresh token is unknown, spent or expired.
 */
export async function rotatePair(q: Q, refreshHash: string, t: TokenRow, at: number): Promise<number | null> {
  const row = await q.one<{ id: number; user_id: number }>(
    `SELECT id, user_id FROM oauth_tokens WHERE refresh_hash = ? AND revoked_at IS NULL AND refresh_expires_at > ?`,
    refreshHash, at,
  );
  if (!row) return null;
  await q.run(`UPDATE oauth_tokens SET revoked_at = ? WHERE id = ?`, at, row.id);
  await q.run(INSERT_PAIR, row.user_id, t.accessHash, t.refreshHash, t.accessExpiresAt, t.refreshExpiresAt, at);
  return row.user_id;
}

export function oauthStore(db: Db): OAuthStore {
  return {
    async findLoginUser(emailKey) {
      const r = await db.one<{ id: number; password_hash: string | null }>(`SELECT id, password_hash FROM users WHERE email_key = ?`, emailKey);
      return r ? ({ id: r.id, passwordHash: r.password_hash } satisfies LoginUser) : null;
    },

    async loginLock(emailKey) {
      const r = await db.one<{ failures: number; locked_until: number }>(`SELECT failures, locked_until FROM oauth_login_failures WHERE email_key = ?`, emailKey);
      return r ? { failures: r.failures, lockedUntil: r.locked_until } : null;
    },

    async recordLoginFailure(emailKey, at, windowMs, lockFor) {
      return db.write((q) => countLoginFailure(q, emailKey, at, windowMs, lockFor), 'any');
    },

    async clearLoginFailures(emailKey) {
      await db.run(`DELETE FROM oauth_login_failures WHERE email_key = ?`, emailKey);
    },

    async issueTokens(userId, t, at) {
      await db.write(async (q) => {
        // The user's pairs whose refresh token has expired are swept with each new one.
        await q.run(`DELETE FROM oauth_tokens WHERE user_id = ? AND refresh_expires_at <= ?`, userId, at);
        await q.run(INSERT_PAIR, userId, t.accessHash, t.refreshHash, t.accessExpiresAt, t.refreshExpiresAt, at);
      }, 'any');
    },

    async rotateTokens(refreshHash, t, at) {
      return db.write((q) => rotatePair(q, refreshHash, t, at), 'any');
    },

    async findAccessToken(accessHash, at) {
      const r = await db.one<{ user_id: number }>(`SELECT user_id FROM oauth_tokens WHERE access_hash = ? AND revoked_at IS NULL AND access_expires_at > ?`, accessHash, at);
      return r?.user_id ?? null;
    },
  };
}
