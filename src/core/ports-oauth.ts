// Storage port for OAuth 2.0 credentials (see ports.ts for the rules: one call = one transaction): password
// logins with throttling, and access/refresh token pairs stored as hashes only.

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

export interface OAuthStore {
  findLoginUser(emailKey: string): Promise<LoginUser | null>;
  loginLock(emailKey: string): Promise<LoginLock | null>;
  /**
   * Counts one failed login (restarting the count when the last failure is older than `windowMs`) and
   * stores the lock `lockFor(failures)` returns; sweeps rows idle for longer than `windowMs`.
   */
  recordLoginFailure(emailKey: string, at: number, windowMs: number, lockFor: (failures: number) => number): Promise<LoginLock>;
  clearLoginFailures(emailKey: string): Promise<void>;
  /** Stores a new token pair, sweeping the user's pairs whose refresh token has expired. */
  issueTokens(userId: number, tokens: TokenRow, at: number): Promise<void>;
  /** Revokes the live pair of `refreshHash` and stores `tokens` for its user; null if that refresh token is not live. */
  rotateTokens(refreshHash: string, tokens: TokenRow, at: number): Promise<number | null>;
  /** The user of a live access token, or null. */
  findAccessToken(accessHash: string, at: number): Promise<number | null>;
}
