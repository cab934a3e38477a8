// Label storage on SQLite: every write is one immediate transaction that checks the tree invariants,
// lets the unique index settle name races, and writes its audit event.
import { CoreError, notFound } from '../core/errors.js';
import type { LabelPatch, LabelStore, NameScope, NewLabel } from '../core/ports.js';
import { checkSpan } from '../core/rules.js';
import type { Audit, Label } from '../core/types.js';
import { isUniqueViolation, json, nameKey, parseJson, type Statements } from './sqlite/driver.js';
import { merge } from '../core/objects.js';

export interface LabelRow {
  id: number;
  workspace_id: number;
  parent_id: number | null;
  name: string;
  color: string | null;
  description: string;
  starts_at: number | null;
  ends_at: number | null;
  extras: string;
  created_by: number | null;
  created_by_name: string | null;
  created_by_email: string | null;
  created_at: number;
  updated_at: number;
}

const LABEL_COLUMNS = `SELECT l.id, l.workspace_id, l.parent_id, l.name, l.color, l.description, l.starts_at, l.ends_at,
  l.extras, l.created_by, NULL AS created_by_name, NULL AS created_by_email, l.created_at, l.updated_at`;
export const SELECT_LABEL = `SELECT l.id, l.workspace_id, l.parent_id, l.name, l.color, l.description, l.starts_at, l.ends_at,
  l.extras, l.created_by, u.name AS created_by_name, u.email AS created_by_email, l.created_at, l.updated_at
  FROM labels l LEFT JOIN users u ON u.id = l.created_by`;

export const toLabel = (r: LabelRow): Label => ({
  id: r.id,
  workspaceId: r.workspace_id,
  parentId: r.parent_id,
  name: r.name,
  color: r.color,
  description: r.description,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  extras: parseJson<Record<string, unknown>>(r.extras) ?? {},
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  createdByEmail: r.created_by_email,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The label as an audit event records it. */
export const labelState = (l: Label) => ({
  id: l.id,
  parent_id: l.parentId,
  name: l.name,
  color: l.color,
  description: l.description,
  starts_at: l.startsAt,
  ends_at: l.endsAt,
  extras: l.extras,
});

/** The audit event insert and its parameters, for both stores. */
export const EVENT_INSERT = `INSERT INTO events (workspace_id, actor_user_id, api_key_id, dialect, action, label_id, before, after, at) VALUES (?,?,?,?,?,?,?,?,?)`;
export const eventParams = (workspaceId: number, audit: Audit, action: string, labelId: number | null, before: unknown, after: unknown): unknown[] => [
  workspaceId,
  audit.actorUserId,
  audit.apiKeyId,
  audit.dialect,
  action,
  labelId,
  before === null ? null : json(before),
  after === null ? null : json(after),
  audit.at,
];

export function writeEvent(s: Statements, workspaceId: number, audit: Audit, action: string, labelId: number | null, before: unknown, after: unknown): void {
  s.run(EVENT_INSERT, ...eventParams(workspaceId, audit, action, labelId, before, after));
}

/** Whether label `id` exists in workspace `ws` (a point read by key); the statement both stores run. */
export const LABEL_IN_WORKSPACE = `SELECT 1 FROM labels WHERE id = ? AND workspace_id = ?`;
export const labelInWorkspace = (s: Statements, ws: number, id: number): boolean => s.one(LABEL_IN_WORKSPACE, id, ws) !== undefined;

export function sqliteLabelStore(s: Statements): LabelStore {
  const readLabel = (ws: number, id: number): Label | null => {
    const row = s.one<LabelRow>(`${SELECT_LABEL} WHERE l.id = ? AND l.workspace_id = ?`, id, ws);
    return row ? toLabel(row) : null;
  };

  const nameConflict = (ws: number, parentId: number | null, name: string, scope: NameScope, exceptId: number): CoreError | null => {
    const row =
      scope === 'workspace'
        ? s.one<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND name_key = ? AND starts_at IS NULL AND id <> ? LIMIT 1`, ws, nameKey(name), exceptId)
        : s.one<{ id: number }>(
            `SELECT id FROM labels WHERE workspace_id = ? AND ifnull(parent_id, 0) = ? AND name_key = ? AND starts_at IS NULL AND id <> ? LIMIT 1`,
            ws,
            parentId ?? 0,
            nameKey(name),
            exceptId,
          );
    return row ? new CoreError('NAME_TAKEN', `a label named "${name}" already exists`, { field: 'name', existingId: row.id }) : null;
  };

  const requireParent = (ws: number, parentId: number | null): void => {
    if (parentId !== null && !labelInWorkspace(s, ws, parentId)) {
      throw new CoreError('NOT_FOUND', `parent label ${parentId} not found`, { entity: 'parent', id: parentId, field: 'parent_id' });
    }
  };

  /** Runs an insert/update; a unique-index violation (a concurrent twin) becomes NAME_TAKEN. */
  const guarded = <T>(fn: () => T, ws: number, parentId: number | null, name: string, id: number): T => {
    try {
      return fn();
    } catch (e) {
      if (isUniqueViolation(e)) throw nameConflict(ws, parentId, name, 'siblings', id) ?? e;
      throw e;
    }
  };

  return {
    async listLabels(ws) {
      // Creators are few: one lookup each instead of a join per label (a third of a 10,000-label read).
      const rows = s.all<LabelRow>(`${LABEL_COLUMNS} FROM labels l WHERE l.workspace_id = ? ORDER BY l.created_at, l.id`, ws);
      const creators = new Map<number, { name: string; email: string } | undefined>();
      for (const r of rows) {
        if (r.created_by === null) continue;
        if (!creators.has(r.created_by)) creators.set(r.created_by, s.one(`SELECT name, email FROM users WHERE id = ?`, r.created_by));
        const u = creators.get(r.created_by);
        r.created_by_name = u?.name ?? null;
        r.created_by_email = u?.email ?? null;
      }
      return rows.map(toLabel);
    },

    async getLabel(ws, id) {
      return readLabel(ws, id);
    },

    async createLabel(ws, l: NewLabel, scope, audit, createdBy) {
      return s.writeContent(() => {
        requireParent(ws, l.parentId);
        if (l.startsAt === null) {
          const taken = nameConflict(ws, l.parentId, l.name, scope, 0);
          if (taken) throw taken;
        }
        const { lastInsertRowid } = guarded(
          () =>
            s.run(
              `INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
              ws, l.parentId, l.name, nameKey(l.name), l.color, l.description, l.startsAt, l.endsAt, json(l.extras), createdBy, audit.at, audit.at,
            ),
          ws, l.parentId, l.name, 0,
        );
        const created = readLabel(ws, Number(lastInsertRowid))!;
        writeEvent(s, ws, audit, 'label.created', created.id, null, labelState(created));
        return created;
      });
    },

    async updateLabel(ws, id, patch: LabelPatch, scope, audit) {
      return s.writeContent(() => {
        const before = readLabel(ws, id);
        if (!before) throw notFound('label', id);
        const next = merge(labelState(before), stateOfPatch(patch));
        const moved = patch.parentId !== undefined && patch.parentId !== before.parentId;
        if (moved) {
          requireParent(ws, next.parent_id);
          if (next.parent_id !== null && isAncestorOrSelf(s, id, next.parent_id)) {
            throw new CoreError('CYCLE', `label ${next.parent_id} is inside label ${id}; moving there would make a cycle`, { field: 'parent_id', id: next.parent_id });
          }
        }
        checkSpan(next.starts_at, next.ends_at);
        if (JSON.stringify(next) === JSON.stringify(labelState(before))) return before;
        if (next.starts_at === null) {
          const taken = nameConflict(ws, next.parent_id, next.name, scope, id);
          if (taken) throw taken;
        }
        guarded(
          () =>
            s.run(
              `UPDATE labels SET parent_id = ?, name = ?, name_key = ?, color = ?, description = ?, starts_at = ?, ends_at = ?, extras = ?, updated_at = ? WHERE id = ?`,
              next.parent_id, next.name, nameKey(next.name), next.color, next.description, next.starts_at, next.ends_at, json(next.extras), audit.at, id,
            ),
          ws, next.parent_id, next.name, id,
        );
        const after = readLabel(ws, id)!;
        writeEvent(s, ws, audit, moved ? 'label.moved' : 'label.updated', id, labelState(before), labelState(after));
        return after;
      });
    },

    async deleteLabels(ws, requested, audit, opts = {}) {
      return s.writeContent(() => {
        const roots: Label[] = [];
        for (const id of requested) {
          const label = readLabel(ws, id);
          if (label && (!opts.timedOnly || label.startsAt !== null)) roots.push(label);
          else if (!opts.ignoreMissing) throwNotFound(id);
        }
        if (roots.length === 0) return [];
        const ids = roots.map((r) => r.id);
        const subtree = s
          .all<{ id: number }>(
            `WITH RECURSIVE sub(id) AS (SELECT value FROM json_each(?) UNION SELECT l.id FROM labels l JOIN sub ON l.parent_id = sub.id) SELECT id FROM sub`,
            json(ids),
          )
          .map((r) => r.id);
        const inside = new Set(subtree);
        for (const root of roots) {
          // One event per deleted root; labels deleted with an ancestor are part of that event.
          if (root.parentId !== null && inside.has(root.parentId) && isInside(s, root.parentId, ids)) continue;
          writeEvent(s, ws, audit, 'label.deleted', root.id, labelState(root), null);
        }
        s.run(`DELETE FROM labels WHERE id IN (SELECT value FROM json_each(?))`, json(subtree));
        return subtree;
      });
    },
  };
}

const throwNotFound = (id: number): never => {
  throw notFound('label', id);
};

function stateOfPatch(p: LabelPatch) {
  const out: Partial<ReturnType<typeof labelState>> = {};
  if (p.parentId !== undefined) out.parent_id = p.parentId;
  if (p.name !== undefined) out.name = p.name;
  if (p.color !== undefined) out.color = p.color;
  if (p.description !== undefined) out.description = p.description;
  if (p.startsAt !== undefined) out.starts_at = p.startsAt;
  if (p.endsAt !== undefined) out.ends_at = p.endsAt;
  if (p.extras !== undefined) out.extras = p.extras;
  return out;
}

/** True when `candidate` is `id` or one of its descendants (walks up from candidate). */
function isAncestorOrSelf(s: Statements, id: number, candidate: number): boolean {
  return !!s.one(
    `WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM labels WHERE id = ?
       UNION ALL SELECT l.id, l.parent_id FROM labels l JOIN up ON l.id = up.parent_id)
     SELECT 1 FROM up WHERE id = ? LIMIT 1`,
    candidate,
    id,
  );
}

/** True when label `id` is one of `roots` or below one of them. */
function isInside(s: Statements, id: number, roots: number[]): boolean {
  return roots.some((r) => isAncestorOrSelf(s, r, id));
}
