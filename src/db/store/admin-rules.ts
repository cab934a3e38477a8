// Tenancy rules (users, workspaces, memberships, API keys), each written once and checked inside the unit
// of work that writes.
import { CoreError, notFound } from '../../core/errors.js';
import type { Q } from './db.js';

/** Emails are unique ignoring case: the unique index is on this key. */
export const emailKey = (email: string): string => email.toLowerCase();

/** What a refused user insert (the email index) means. */
export const emailTaken = (email: string): CoreError =>
  new CoreError('CONFLICT', `email ${email} is already registered`, { field: 'email', entity: 'user' });

/** What a refused key insert (the key hash index) means: the chosen key value is another key's. */
export const keyTaken = (): CoreError => new CoreError('CONFLICT', 'key is already taken by another API key', { field: 'key', entity: 'api_key' });

export async function requireWorkspace(q: Q, id: number): Promise<void> {
  if (!(await q.one(`SELECT 1 FROM workspaces WHERE id = ?`, id))) throw notFound('workspace', id);
}

export async function requireUser(q: Q, id: number): Promise<void> {
  if (!(await q.one(`SELECT 1 FROM users WHERE id = ?`, id))) throw notFound('user', id);
}

/** A workspace key belongs to a member of that workspace (VALIDATION otherwise). */
export async function requireMember(q: Q, workspaceId: number, userId: number): Promise<void> {
  if (!(await q.one(`SELECT 1 FROM memberships WHERE workspace_id = ? AND user_id = ?`, workspaceId, userId))) {
    throw new CoreError('VALIDATION', `user ${userId} is not a member of workspace ${workspaceId}`, { field: 'workspace_id', rule: 'membership' });
  }
}

/**
 * Revokes key `id`: true when the key exists, also when it was revoked before (its first revocation time
 * stands); false for an unknown key. One statement; `q` may be the Db itself (a write of scope 'any', so a
 * remembered lookup of the key is forgotten at once).
 */
export async function revokeKey(q: Q, id: number, at: number): Promise<boolean> {
  return (await q.run(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`, at, id)).changes > 0;
}
