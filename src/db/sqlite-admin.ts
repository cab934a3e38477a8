// Tenancy, identity and operator storage on SQLite.
import { CoreError, notFound } from '../core/errors.js';
import type { AdminStore, AuthStore, ExportedLabel, WorkspaceExport } from '../core/ports.js';
import type { AuditEvent, Role } from '../core/types.js';
import { FIND_KEY, type FoundKeyRow, type KeyRow, membershipQuery, type MembershipRow, toKey, toKeyPrincipal, toMembership, toUser, toWorkspace, type UserRow, type WorkspaceRow } from './auth-queries.js';
import { parentsFirst } from './export-order.js';
import { toResource } from './store/resource-rows.js';
import { writeEvent } from './sqlite-labels.js';
import { isUniqueViolation, json, nameKey, parseJson, type Statements } from './sqlite/driver.js';
import { merge } from '../core/objects.js';


export function sqliteAuthStore(s: Statements): AuthStore {
  return {
    async findKey(hash) {
      // Every request looks its key up: the answer is kept until the database changes (a write here that may
      // touch credentials, or any commit by another process, such as `labelmux key revoke`), so a revoked key
      // is refused at once. Writes of labels and assignments (scope 'content') leave it standing.
      return s.memo(
        `key:${hash}`,
        () => {
          const r = s.one<FoundKeyRow>(FIND_KEY, hash);
          return r ? toKeyPrincipal(r) : null;
        },
        'auth',
      );
    },
    async findMembership(userId, ws) {
      const [sql, params] = membershipQuery(userId, ws);
      const row = s.one<MembershipRow>(sql, ...params);
      return row ? toMembership(row) : null;
    },
  };
}

export function sqliteAdminStore(s: Statements): AdminStore {
  const requireWorkspace = (id: number) => {
    if (!s.one(`SELECT 1 FROM workspaces WHERE id = ?`, id)) throw notFound('workspace', id);
  };
  const requireUser = (id: number) => {
    if (!s.one(`SELECT 1 FROM users WHERE id = ?`, id)) throw notFound('user', id);
  };

  return {
    async isEmpty() {
      return !s.one(`SELECT 1 FROM workspaces UNION ALL SELECT 1 FROM users LIMIT 1`);
    },

    async createWorkspace(name, uuid, at) {
      return s.write(() => {
        const { lastInsertRowid } = s.run(`INSERT INTO workspaces (uuid, name, created_at) VALUES (?,?,?)`, uuid, name, at);
        return toWorkspace(s.one<WorkspaceRow>(`SELECT * FROM workspaces WHERE id = ?`, lastInsertRowid)!);
      });
    },

    async listWorkspaces() {
      return s.all<WorkspaceRow>(`SELECT * FROM workspaces ORDER BY id`).map(toWorkspace);
    },

    async getWorkspace(id) {
      const r = s.one<WorkspaceRow>(`SELECT * FROM workspaces WHERE id = ?`, id);
      return r ? toWorkspace(r) : null;
    },

    async createUser(email, name, passwordHash, at) {
      try {
        return await s.write(() => {
          const { lastInsertRowid } = s.run(
            `INSERT INTO users (email, email_key, name, password_hash, created_at) VALUES (?,?,?,?,?)`,
            email, email.toLowerCase(), name, passwordHash, at,
          );
          return toUser(s.one<UserRow>(`SELECT id, email, name, created_at FROM users WHERE id = ?`, lastInsertRowid)!);
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw new CoreError('CONFLICT', `email ${email} is already registered`, { field: 'email', entity: 'user' });
        throw e;
      }
    },

    async deleteUser(id) {
      return s.write(() => s.run(`DELETE FROM users WHERE id = ?`, id).changes > 0);
    },

    async setMember(workspaceId, userId, role: Role, at) {
      return s.write(() => {
        requireWorkspace(workspaceId);
        requireUser(userId);
        s.run(
          `INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?,?,?,?)
           ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
          workspaceId, userId, role, at,
        );
        return { workspaceId, userId, role };
      });
    },

    async createApiKey(userId, workspaceId, name, keyHash, at) {
      return s.write(() => {
        requireUser(userId);
        if (workspaceId !== null) {
          requireWorkspace(workspaceId);
          if (!s.one(`SELECT 1 FROM memberships WHERE workspace_id = ? AND user_id = ?`, workspaceId, userId)) {
            throw new CoreError('VALIDATION', `user ${userId} is not a member of workspace ${workspaceId}`, { field: 'workspace_id', rule: 'membership' });
          }
        }
        const { lastInsertRowid } = s.run(
          `INSERT INTO api_keys (user_id, workspace_id, name, key_hash, created_at) VALUES (?,?,?,?,?)`,
          userId, workspaceId, name, keyHash, at,
        );
        return toKey(s.one<KeyRow>(`SELECT id, user_id, workspace_id, name, created_at FROM api_keys WHERE id = ?`, lastInsertRowid)!);
      });
    },

    async revokeApiKey(id, at) {
      return s.write(() => {
        if (!s.one(`SELECT 1 FROM api_keys WHERE id = ?`, id)) return false;
        s.run(`UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, at, id);
        return true;
      });
    },

    async upsertResources(ws, list, at) {
      return s.write(() => {
        const seen = new Set<string>();
        for (const r of list) {
          seen.add(`${r.type}\u0000${r.externalId}`);
          s.run(
            `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)
             ON CONFLICT (workspace_id, type, external_id) DO UPDATE SET name = excluded.name, status = excluded.status,
               attributes = excluded.attributes, updated_at = excluded.updated_at`,
            ws, r.type, r.externalId, r.name ?? null, r.status ?? null, json(r.attributes ?? {}), at, at,
          );
        }
        return seen.size;
      });
    },

    async listEvents(ws, after, limit) {
      return s
        .all<Omit<AuditEvent, 'before' | 'after'> & { before: string | null; after: string | null }>(
          `SELECT id, workspace_id AS workspaceId, actor_user_id AS actorUserId, api_key_id AS apiKeyId, dialect, action,
             label_id AS labelId, before, after, at FROM events WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?`,
          ws, after, limit,
        )
        .map((r) => merge(r, { before: parseJson<AuditEvent['before']>(r.before), after: parseJson<AuditEvent['after']>(r.after) }));
    },

    async exportWorkspace(ws) {
      const labels = s
        .all<ExportedLabel & { extras: string }>(
          `SELECT l.id, l.parent_id, l.name, l.color, l.description, l.starts_at, l.ends_at, l.extras, u.email AS created_by_email,
             l.created_at, l.updated_at FROM labels l LEFT JOIN users u ON u.id = l.created_by WHERE l.workspace_id = ? ORDER BY l.id`,
          ws,
        )
        .map((l) => merge(l, { extras: parseJson<Record<string, unknown>>(l.extras) }));
      const assigned = new Map<number, number[]>();
      for (const a of s.all<{ resource_id: number; label_id: number }>(
        `SELECT a.resource_id, a.label_id FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE r.workspace_id = ? ORDER BY a.resource_id, a.label_id`,
        ws,
      )) {
        assigned.set(a.resource_id, [...(assigned.get(a.resource_id) ?? []), a.label_id]);
      }
      const resources = s
        .all<Parameters<typeof toResource>[0]>(`SELECT * FROM resources WHERE workspace_id = ? ORDER BY type, external_id`, ws)
        .map(toResource)
        .map((r) => ({
          type: r.type, id: r.externalId, name: r.name, status: r.status, attributes: r.attributes,
          created_at: r.createdAt, updated_at: r.updatedAt, label_ids: assigned.get(r.id) ?? [],
        }));
      const { name } = s.one<{ name: string }>(`SELECT name FROM workspaces WHERE id = ?`, ws)!;
      return { format: 'labelmux-workspace', version: 1, workspace: { name }, labels, resources } satisfies WorkspaceExport;
    },

    async importWorkspace(ws, doc, audit) {
      await s.write(() => {
        if (s.one(`SELECT 1 FROM labels WHERE workspace_id = ? UNION ALL SELECT 1 FROM resources WHERE workspace_id = ? LIMIT 1`, ws, ws)) {
          throw new CoreError('CONFLICT', `workspace ${ws} is not empty; import needs an empty workspace`, { entity: 'workspace', id: ws });
        }
        const ids = new Set(doc.labels.map((l) => l.id));
        for (const l of parentsFirst(doc.labels)) {
          if (l.parent_id !== null && !ids.has(l.parent_id)) {
            throw new CoreError('VALIDATION', `label ${l.id} names parent ${l.parent_id}, which is not in the document`, { field: 'parent_id', rule: 'reference' });
          }
          const owner = l.created_by_email === null ? undefined : s.one<{ id: number }>(`SELECT id FROM users WHERE email_key = ?`, l.created_by_email.toLowerCase());
          try {
            s.run(
              `INSERT INTO labels (id, workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
              l.id, ws, l.parent_id, l.name, nameKey(l.name), l.color, l.description, l.starts_at, l.ends_at, json(l.extras),
              owner?.id ?? null, l.created_at, l.updated_at,
            );
          } catch (e) {
            if (isUniqueViolation(e)) throw new CoreError('CONFLICT', `label id ${l.id} or its name among its siblings is already taken`, { entity: 'label', id: l.id });
            throw e;
          }
        }
        for (const r of doc.resources) {
          if (s.one(`SELECT 1 FROM resources WHERE workspace_id = ? AND type = ? AND external_id = ?`, ws, r.type, r.id)) {
            throw new CoreError('VALIDATION', `resource ${r.type}/${r.id} appears twice in the document`, { field: 'resources', rule: 'unique' });
          }
          const { lastInsertRowid } = s.run(
            `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
            ws, r.type, r.id, r.name, r.status, json(r.attributes), r.created_at, r.updated_at,
          );
          for (const labelId of r.label_ids) {
            if (!ids.has(labelId)) throw new CoreError('VALIDATION', `resource ${r.id} names label ${labelId}, which is not in the document`, { field: 'label_ids', rule: 'reference' });
            s.run(`INSERT OR IGNORE INTO assignments (label_id, resource_id, created_at) VALUES (?,?,?)`, labelId, lastInsertRowid, audit.at);
          }
        }
        writeEvent(s, ws, audit, 'workspace.imported', null, null, { labels: doc.labels.length, resources: doc.resources.length });
      });
    },
  };
}
