// Label storage on PostgreSQL (counterpart of ../sqlite-labels.ts, same behaviour): every write is one
// serializable transaction that checks the tree invariants; the unique index settles name races (the loser
// is retried and then sees the winner, so it reports NAME_TAKEN with the winner's id).
import { CoreError, notFound } from '../../core/errors.js';
import type { LabelPatch, LabelStore, NameScope, NewLabel } from '../../core/ports.js';
import { checkSpan } from '../../core/rules.js';
import type { Audit, Label } from '../../core/types.js';
import { EVENT_INSERT, eventParams, LABEL_IN_WORKSPACE, labelState, SELECT_LABEL, toLabel, type LabelRow } from '../sqlite-labels.js';
import { json, nameKey } from '../sqlite/driver.js';
import { isUniqueViolation, RetryTransaction, type PgDb, type Q } from './client.js';
import { merge } from '../../core/objects.js';

export async function writeEvent(q: Q, workspaceId: number, audit: Audit, action: string, labelId: number | null, before: unknown, after: unknown): Promise<void> {
  await q.run(EVENT_INSERT, ...eventParams(workspaceId, audit, action, labelId, before, after));
}

/** Whether label `id` exists in workspace `ws` (../sqlite-labels.ts labelInWorkspace). */
export const labelInWorkspace = async (q: Q, ws: number, id: number): Promise<boolean> => (await q.one(LABEL_IN_WORKSPACE, id, ws)) !== undefined;

export const readLabel = async (q: Q, ws: number, id: number): Promise<Label | null> => {
  const row = await q.one<LabelRow>(`${SELECT_LABEL} WHERE l.id = ? AND l.workspace_id = ?`, id, ws);
  return row ? toLabel(row) : null;
};

/** Runs an insert/update; a unique-index violation (a concurrent twin) restarts the transaction. */
export async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isUniqueViolation(e)) throw new RetryTransaction(e);
    throw e;
  }
}

export function pgLabelStore(db: PgDb): LabelStore {
  const nameConflict = async (q: Q, ws: number, parentId: number | null, name: string, scope: NameScope, exceptId: number): Promise<CoreError | null> => {
    const row =
      scope === 'workspace'
        ? await q.one<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND name_key = ? AND starts_at IS NULL AND id <> ? LIMIT 1`, ws, nameKey(name), exceptId)
        : await q.one<{ id: number }>(
            `SELECT id FROM labels WHERE workspace_id = ? AND coalesce(parent_id, 0) = ? AND name_key = ? AND starts_at IS NULL AND id <> ? LIMIT 1`,
            ws,
            parentId ?? 0,
            nameKey(name),
            exceptId,
          );
    return row ? new CoreError('NAME_TAKEN', `a label named "${name}" already exists`, { field: 'name', existingId: row.id }) : null;
  };

  const requireParent = async (q: Q, ws: number, parentId: number | null): Promise<void> => {
    if (parentId !== null && !(await labelInWorkspace(q, ws, parentId))) {
      throw new CoreError('NOT_FOUND', `parent label ${parentId} not found`, { entity: 'parent', id: parentId, field: 'parent_id' });
    }
  };

  return {
    async listLabels(ws) {
      return (await db.all<LabelRow>(`${SELECT_LABEL} WHERE l.workspace_id = ? ORDER BY l.created_at, l.id`, ws)).map(toLabel);
    },

    async getLabel(ws, id) {
      return readLabel(db, ws, id);
    },

    async createLabel(ws, l: NewLabel, scope, audit, createdBy) {
      return db.write(async (q) => {
        await requireParent(q, ws, l.parentId);
        if (l.startsAt === null) {
          const taken = await nameConflict(q, ws, l.parentId, l.name, scope, 0);
          if (taken) throw taken;
        }
        const row = await guarded(() =>
          q.one<{ id: number }>(
            `INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
            ws, l.parentId, l.name, nameKey(l.name), l.color, l.description, l.startsAt, l.endsAt, json(l.extras), createdBy, audit.at, audit.at,
          ),
        );
        const created = (await readLabel(q, ws, row!.id))!;
        await writeEvent(q, ws, audit, 'label.created', created.id, null, labelState(created));
        return created;
      });
    },

    async updateLabel(ws, id, patch: LabelPatch, scope, audit) {
      return db.write(async (q) => {
        const before = await readLabel(q, ws, id);
        if (!before) throw notFound('label', id);
        const next = merge(labelState(before), stateOfPatch(patch));
        const moved = patch.parentId !== undefined && patch.parentId !== before.parentId;
        if (moved) {
          await requireParent(q, ws, next.parent_id);
          if (next.parent_id !== null && (await isAncestorOrSelf(q, id, next.parent_id))) {
            throw new CoreError('CYCLE', `label ${next.parent_id} is inside label ${id}; moving there would make a cycle`, { field: 'parent_id', id: next.parent_id });
          }
        }
        checkSpan(next.starts_at, next.ends_at);
        if (JSON.stringify(next) === JSON.stringify(labelState(before))) return before;
        if (next.starts_at === null) {
          const taken = await nameConflict(q, ws, next.parent_id, next.name, scope, id);
          if (taken) throw taken;
        }
        await guarded(() =>
          q.run(
            `UPDATE labels SET parent_id = ?, name = ?, name_key = ?, color = ?, description = ?, starts_at = ?, ends_at = ?, extras = ?, updated_at = ? WHERE id = ?`,
            next.parent_id, next.name, nameKey(next.name), next.color, next.description, next.starts_at, next.ends_at, json(next.extras), audit.at, id,
          ),
        );
        const after = (await readLabel(q, ws, id))!;
        await writeEvent(q, ws, audit, moved ? 'label.moved' : 'label.updated', id, labelState(before), labelState(after));
        return after;
      });
    },

    async deleteLabels(ws, requested, audit, opts = {}) {
      return db.write(async (q) => {
        const roots: Label[] = [];
        for (const id of requested) {
          const label = await readLabel(q, ws, id);
          if (label && (!opts.timedOnly || label.startsAt !== null)) roots.push(label);
          else if (!opts.ignoreMissing) throw notFound('label', id);
        }
        if (roots.length === 0) return [];
        const ids = roots.map((r) => r.id);
        const subtree = (await subtreeOf(q, ids)).map((r) => r.id);
        const inside = new Set(subtree);
        for (const root of roots) {
          // One event per deleted root; labels deleted with an ancestor are part of that event.
          if (root.parentId !== null && inside.has(root.parentId) && (await isInside(q, root.parentId, ids))) continue;
          await writeEvent(q, ws, audit, 'label.deleted', root.id, labelState(root), null);
        }
        await q.run(`DELETE FROM labels WHERE id = ANY(?::bigint[])`, subtree);
        return subtree;
      });
    },
  };
}

/** The ids of the labels and all their descendants, breadth first like SQLite's recursive UNION queue. */
export const subtreeOf = (q: Q, ids: number[]) =>
  q.all<{ id: number }>(
    `WITH RECURSIVE sub(id, depth, path) AS (SELECT v, 0, ARRAY[o] FROM unnest(?::bigint[]) WITH ORDINALITY AS u(v, o)
       UNION ALL SELECT l.id, sub.depth + 1, sub.path || l.id FROM labels l JOIN sub ON l.parent_id = sub.id)
     SELECT id FROM sub GROUP BY id ORDER BY min(depth), min(path)`,
    ids,
  );

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
async function isAncestorOrSelf(q: Q, id: number, candidate: number): Promise<boolean> {
  return !!(await q.one(
    `WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM labels WHERE id = ?
       UNION ALL SELECT l.id, l.parent_id FROM labels l JOIN up ON l.id = up.parent_id)
     SELECT 1 FROM up WHERE id = ? LIMIT 1`,
    candidate,
    id,
  ));
}

/** True when label `id` is one of `roots` or below one of them. */
async function isInside(q: Q, id: number, roots: number[]): Promise<boolean> {
  for (const r of roots) if (await isAncestorOrSelf(q, r, id)) return true;
  return false;
}
