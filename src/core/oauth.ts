// OAuth 2.0 token endpoint use cases (RFC 6749 §4.3 password grant, §6 refresh): opaque random
// tokens stored only as SHA-256, refresh rotation, and exponential slow-down of repeated failed logins.
import { randomBytes } from 'node:crypto';
import { CoreError } from './errors.js';
import type { OAuthStore, TokenRow } from './ports-oauth.js';
import { hashPassword, sha256, verifyPassword } from './secrets.js';

/** 32 random bytes, base64url: never confused with a 32-hex API key. */
export const ACCESS_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{64}$/;
/** Refresh tokens outlive access tokens by design; a refresh rotates both. */
export const REFRESH_TTL_MS = 30 * 86_400_000;
/** Failures allowed before slowing down, the window they are counted in, and the longest lock. */
export const FREE_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const MAX_LOCK_MS = 15 * 60_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds. */
  expiresIn: number;
}

/** From the FREE_FAILURES-th failure on, each failure locks the email for 1 s, 2 s, 4 s … up to MAX_LOCK_MS. */
export const lockUntil = (failures: number, at: number): number =>
  failures < FREE_FAILURES ? 0 : at + Math.min(2 ** (failures - FREE_FAILURES) * 1000, MAX_LOCK_MS);

const badCredentials = () => new CoreError('UNAUTHENTICATED', 'The user credentials were incorrect.', { field: 'password' });
const badRefresh = () => new CoreError('UNAUTHENTICATED', 'The refresh token is invalid.', { field: 'refresh_token' });
const throttled = (ms: number) =>
  new CoreError('LIMIT_EXCEEDED', 'Too many failed login attempts for this email.', { field: 'email', retryAfterSeconds: Math.max(1, Math.ceil(ms / 1000)) });

export function createOAuth(store: OAuthStore, now: () => number) {
  /** Verifying against a throwaway hash when the user is unknown keeps both paths equally slow. */
  let dummy: Promise<string> | undefined;
  const dummyHash = () => (dummy ??= hashPassword(randomBytes(16).toString('hex')));

  const newPair = (ttlSeconds: number, at: number): { row: TokenRow; pair: TokenPair } => {
    const accessToken = randomBytes(32).toString('base64url');
    const refreshToken = randomBytes(48).toString('base64url');
    return {
      row: { accessHash: sha256(accessToken), refreshHash: sha256(refreshToken), accessExpiresAt: at + ttlSeconds * 1000, refreshExpiresAt: at + REFRESH_TTL_MS },
      pair: { accessToken, refreshToken, expiresIn: ttlSeconds },
    };
  };

  return {
    /**
     * grant_type=password. UNAUTHENTICATED for any bad email/password; LIMIT_EXCEEDED while the email is locked
     * for this source. `source` is where the attempt comes from (the client's address): failures lock the pair
     * (source, email), so failures from one source never lock the email for another (the real user).
     */
    async password(email: string, password: string, ttlSeconds: number, source: string): Promise<TokenPair> {
      const key = email.trim().toLowerCase();
      const lockKey = `${source} ${key}`; // a source holds no space: the pair reads back unambiguously
      const at = now();
      const lock = await store.loginLock(lockKey);
      if (lock && lock.lockedUntil > at) throw throttled(lock.lockedUntil - at);
      const user = await store.findLoginUser(key);
      const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
      if (!user || user.passwordHash === null || !ok) {
        await store.recordLoginFailure(lockKey, at, FAILURE_WINDOW_MS, (n) => lockUntil(n, at));
        throw badCredentials();
      }
      if (lock) await store.clearLoginFailures(lockKey);
      const { row, pair } = newPair(ttlSeconds, at);
      await store.issueTokens(user.id, row, at);
      return pair;
    },

    /** grant_type=refresh_token: the presented pair is revoked and a new one issued (rotation). */
    async refresh(refreshToken: string, ttlSeconds: number): Promise<TokenPair> {
      if (!REFRESH_TOKEN_PATTERN.test(refreshToken)) throw badRefresh();
      const at = now();
      const { row, pair } = newPair(ttlSeconds, at);
      if ((await store.rotateTokens(sha256(refreshToken), row, at)) === null) throw badRefresh();
      return pair;
    },
  };
}
export type OAuth = ReturnType<typeof createOAuth>;
