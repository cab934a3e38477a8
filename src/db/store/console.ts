// The console's reads (ports-console.ts): a tree level with counts, a subtree's size, members and keys.
// Each is bounded by an index: a level walks labels_workspace_parent_idx for one page, its counts look up
// labels_workspace_parent_idx and the assignments' primary key per label.
import type { ConsoleStore, MemberInfo, TreeNode } from '../../core/ports-console.js';
import type { ApiKeyInfo, User } from '../../core/types.js';
import { API_KEY, USER } from './admin.js';
import { emailKey } from './admin-rules.js';
import type { Db } from './db.js';

interface NodeRow { id: number; parent_id: number | null; name: string; color: string | null; children: number; assignments: number }

const LEVEL = (parent: string) => `SELECT l.id, l.parent_id, l.name, l.color,
    (SELECT count(*) FROM labels c WHERE c.workspace_id = l.workspace_id AND c.parent_id = l.id) AS children,
    (SELECT count(*) FROM assignments a WHERE a.label_id = l.id) AS assignments
  FROM labels l WHERE l.workspace_id = ? AND ${parent} ORDER BY l.name_key, l.id LIMIT ? OFFSET ?`;

const toNode = (r: NodeRow): TreeNode => ({ id: r.id, parentId: r.parent_id, name: r.name, color: r.color, children: Number(r.children), assignments: Number(r.assignments) });

export function consoleStore(db: Db): ConsoleStore {
  const ROOTS = LEVEL('l.parent_id IS NULL');
  const CHILDREN = LEVEL('l.parent_id = ?');
  // Down from one label of the workspace, each step by (workspace, parent) with the queue as the outer loop, as
  // label-rules.ts subtreeOf walks it (docs/architecture.md: every recursive step names the workspace and a key).
  const SUBTREE = `WITH RECURSIVE sub(id) AS (SELECT id FROM labels WHERE id = ? AND +workspace_id = ?
      UNION ALL SELECT l.id FROM sub CROSS JOIN labels l WHERE l.workspace_id = ? AND l.parent_id = sub.id)
    SELECT (SELECT count(*) FROM sub) AS labels,
      (SELECT count(*) FROM sub CROSS JOIN assignments a WHERE a.label_id = sub.id) AS assignments`;
  return {
    async labelChildren(ws, parentId, offset, limit) {
      const rows = parentId === null ? await db.all<NodeRow>(ROOTS, ws, limit, offset) : await db.all<NodeRow>(CHILDREN, ws, parentId, limit, offset);
      return rows.map(toNode);
    },

    async subtreeCounts(ws, labelId) {
      const r = await db.one<{ labels: number; assignments: number }>(SUBTREE, labelId, ws, ws);
      return r && Number(r.labels) > 0 ? { labels: Number(r.labels), assignments: Number(r.assignments) } : null;
    },

    async listMembers(ws) {
      return db.all<MemberInfo>(
        `SELECT m.user_id AS "userId", u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? ORDER BY m.user_id`, ws);
    },

    async listWorkspaceKeys(ws) {
      return db.all<ApiKeyInfo>(`SELECT ${API_KEY} FROM api_keys WHERE workspace_id = ? AND revoked_at IS NULL ORDER BY id`, ws);
    },

    async eventCursor(ws, back) {
      return (await db.one<{ id: number }>(`SELECT id FROM events WHERE workspace_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`, ws, 1, back))?.id ?? 0;
    },

    async findUserByEmail(email) {
      return (await db.one<User>(`SELECT ${USER} FROM users WHERE email_key = ?`, emailKey(email))) ?? null;
    },
  };
}
