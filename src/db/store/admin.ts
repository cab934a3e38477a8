// Tenancy, identity and operator storage: workspaces, users, memberships, API keys, resources pushed by an
// operator, the audit log, and (workspace-transfer.ts) export and import of a whole workspace.
import { merge } from '../../core/objects.js';
import type { AdminStore } from '../../core/ports.js';
import type { ApiKeyInfo, AuditEvent, Role, User, Workspace } from '../../core/types.js';
import { emailKey, emailTaken, keyTaken, requireMember, requireUser, requireWorkspace, revokeKey } from './admin-rules.js';
import type { Db } from './db.js';
import { json, parseJson } from './rows.js';
import { workspaceTransfer } from './workspace-transfer.js';

// Columns named as the core types' members (Workspace, User, ApiKeyInfo): the rows are the answers.
const WORKSPACE = `id, uuid, name, created_at AS "createdAt"`;
export const USER = `id, email, name, created_at AS "createdAt"`;
export const API_KEY = `id, user_id AS "userId", workspace_id AS "workspaceId", name, created_at AS "createdAt"`;
type EventRow = Omit<AuditEvent, 'before' | 'after'> & { before: string | null; after: string | null };

export function adminStore(db: Db): AdminStore {
  return {
    async isEmpty() {
      return !(await db.one(`SELECT 1 FROM workspaces UNION ALL SELECT 1 FROM users LIMIT 1`));
    },

    async createWorkspace(name, uuid, at) {
      return (await db.writeOne<Workspace>('any', `INSERT INTO workspaces (uuid, name, created_at) VALUES (?,?,?) RETURNING ${WORKSPACE}`, uuid, name, at))!;
    },

    async listWorkspaces() {
      return db.all<Workspace>(`SELECT ${WORKSPACE} FROM workspaces ORDER BY id`);
    },

    async getWorkspace(id) {
      return (await db.one<Workspace>(`SELECT ${WORKSPACE} FROM workspaces WHERE id = ?`, id)) ?? null;
    },

    async createUser(email, name, passwordHash, at) {
      try {
        const sql = `INSERT INTO users (email, email_key, name, password_hash, created_at) VALUES (?,?,?,?,?) RETURNING ${USER}`;
        return (await db.writeOne<User>('any', sql, email, emailKey(email), name, passwordHash, at))!;
      } catch (e) {
        if (db.sql.isUniqueViolation(e)) throw emailTaken(email);
        throw e;
      }
    },

    async deleteUser(id) {
      return (await db.run(`DELETE FROM users WHERE id = ?`, id)).changes > 0;
    },

    async setMember(workspaceId, userId, role: Role, at) {
      return db.write(async (q) => {
        await requireWorkspace(q, workspaceId);
        await requireUser(q, userId);
        await q.run(
          `INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?,?,?,?)
           ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
          workspaceId, userId, role, at,
        );
        return { workspaceId, userId, role };
      }, 'any');
    },

    async removeMember(workspaceId, userId, at) {
      // Scope 'any': remembered key lookups and grants of the user are forgotten when this commits.
      return db.write(async (q) => {
        await requireWorkspace(q, workspaceId);
        await requireUser(q, userId);
        const { changes } = await q.run(`DELETE FROM memberships WHERE workspace_id = ? AND user_id = ?`, workspaceId, userId);
        // Revoked, not only orphaned: adding the user again later does not bring old keys back.
        await q.run(`UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE workspace_id = ? AND user_id = ?`, at, workspaceId, userId);
        return changes > 0;
      }, 'any');
    },

    async createApiKey(userId, workspaceId, name, keyHash, at) {
      return db.write(async (q) => {
        await requireUser(q, userId);
        if (workspaceId !== null) {
          await requireWorkspace(q, workspaceId);
          await requireMember(q, workspaceId, userId);
        }
        // A chosen key (or, once in 2^128, a generated one) may already be another key's: CONFLICT naming `key`.
        if (await q.one(`SELECT 1 FROM api_keys WHERE key_hash = ?`, keyHash)) throw keyTaken();
        try {
          const sql = `INSERT INTO api_keys (user_id, workspace_id, name, key_hash, created_at) VALUES (?,?,?,?,?) RETURNING ${API_KEY}`;
          return (await q.one<ApiKeyInfo>(sql, userId, workspaceId, name, keyHash, at))!;
        } catch (e) {
          if (db.sql.isUniqueViolation(e)) throw keyTaken();
          throw e;
        }
      }, 'any');
    },

    async revokeApiKey(id, at) {
      // db.run is a write of its own (scope 'any'): a remembered lookup of this key is forgotten.
      return revokeKey(db, id, at);
    },

    async upsertResources(ws, list, at) {
      return db.write(async (q) => {
        const seen = new Set<string>();
        for (const r of list) {
          seen.add(`${r.type}\u0000${r.externalId}`);
          await q.run(
            `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)
             ON CONFLICT (workspace_id, type, external_id) DO UPDATE SET name = excluded.name, status = excluded.status,
               attributes = excluded.attributes, updated_at = excluded.updated_at`,
            ws, r.type, r.externalId, r.name ?? null, r.status ?? null, json(r.attributes ?? {}), at, at,
          );
        }
        return seen.size;
      }, 'content');
    },

    async listEvents(ws, after, limit) {
      const rows = await db.all<EventRow>(
        `SELECT id, workspace_id AS "workspaceId", actor_user_id AS "actorUserId", api_key_id AS "apiKeyId", dialect, action,
           label_id AS "labelId", before, after, at FROM events WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?`,
        ws, after, limit,
      );
      return rows.map((r) => merge(r, { before: parseJson<AuditEvent['before']>(r.before), after: parseJson<AuditEvent['after']>(r.after) }));
    },

    ...workspaceTransfer(db),
  };
}
