// Labels: list, read, create, update, delete. Each write is one unit of work that checks the tree's rules
// (label-rules.ts) and records its audit event.
import { notFound } from '../../core/errors.js';
import { merge } from '../../core/objects.js';
import type { LabelPatch, LabelStore, NewLabel } from '../../core/ports.js';
import { checkSpan } from '../../core/rules.js';
import type { Label } from '../../core/types.js';
import type { Db } from './db.js';
import { guardName, requireNameFree, requireNoCycle, requireParent, subtreeOf, unchanged } from './label-rules.js';
import { LABEL_COLUMNS, labelState, readLabel, toLabel, writeEvent, type LabelRow, type LabelState } from './label-rows.js';
import { withCreators } from './label-pages.js';
import { json, nameKey } from './rows.js';

export function labelStore(db: Db): LabelStore {
  return {
    async listLabels(ws) {
      // Creators are few: read once each instead of a join per label (a third of a 10,000-label read).
      const rows = await db.all<LabelRow>(`${LABEL_COLUMNS} FROM labels l WHERE l.workspace_id = ? ORDER BY l.created_at, l.id`, ws);
      await withCreators(db, rows);
      return rows.map(toLabel);
    },

    // Not async: an async function returning a promise costs the read's caller two more microtask turns.
    getLabel(ws, id) {
      return readLabel(db, ws, id);
    },

    async createLabel(ws, l: NewLabel, scope, audit, createdBy) {
      return db.write(async (q) => {
        await requireParent(q, ws, l.parentId);
        if (l.startsAt === null) await requireNameFree(q, ws, l.parentId, l.name, scope, 0);
        const row = await guardName(db, q, () =>
          q.one<{ id: number }>(
            `INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
             VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
            ws, l.parentId, l.name, nameKey(l.name), l.color, l.description, l.startsAt, l.endsAt, json(l.extras), createdBy, audit.at, audit.at,
          ),
          ws, l.parentId, l.name, 0,
        );
        const created = (await readLabel(q, ws, row!.id))!;
        await writeEvent(q, ws, audit, 'label.created', created.id, null, labelState(created));
        return created;
      }, 'content');
    },

    async updateLabel(ws, id, patch: LabelPatch, scope, audit) {
      return db.write(async (q) => {
        const before = await readLabel(q, ws, id);
        if (!before) throw notFound('label', id);
        const next = merge(labelState(before), stateOfPatch(patch));
        const moved = patch.parentId !== undefined && patch.parentId !== before.parentId;
        if (moved) {
          await requireParent(q, ws, next.parent_id);
          await requireNoCycle(q, ws, id, next.parent_id);
        }
        checkSpan(next.starts_at, next.ends_at);
        if (unchanged(next, labelState(before))) return before;
        if (next.starts_at === null) await requireNameFree(q, ws, next.parent_id, next.name, scope, id);
        await guardName(db, q, () =>
          q.run(
            `UPDATE labels SET parent_id = ?, name = ?, name_key = ?, color = ?, description = ?, starts_at = ?, ends_at = ?, extras = ?, updated_at = ? WHERE id = ?`,
            next.parent_id, next.name, nameKey(next.name), next.color, next.description, next.starts_at, next.ends_at, json(next.extras), audit.at, id,
          ),
          ws, next.parent_id, next.name, id,
        );
        const after = (await readLabel(q, ws, id))!;
        await writeEvent(q, ws, audit, moved ? 'label.moved' : 'label.updated', id, labelState(before), labelState(after));
        return after;
      }, 'content');
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
        const subtree = await subtreeOf(db, q, ws, roots.map((r) => r.id));
        const inside = new Set(subtree);
        for (const root of roots) {
          // One event per deleted root; a label deleted with an ancestor (its parent is in the subtree, which
          // holds only the roots and their descendants) is part of that ancestor's event.
          if (root.parentId !== null && inside.has(root.parentId)) continue;
          await writeEvent(q, ws, audit, 'label.deleted', root.id, labelState(root), null);
        }
        await q.run(`DELETE FROM labels WHERE ${db.sql.inList('id', 'int')}`, db.sql.list(subtree));
        return subtree;
      }, 'content');
    },
  };
}

/** The label state a patch asks for (only its given members). */
function stateOfPatch(p: LabelPatch): Partial<LabelState> {
  const out: Partial<LabelState> = {};
  if (p.parentId !== undefined) out.parent_id = p.parentId;
  if (p.name !== undefined) out.name = p.name;
  if (p.color !== undefined) out.color = p.color;
  if (p.description !== undefined) out.description = p.description;
  if (p.startsAt !== undefined) out.starts_at = p.startsAt;
  if (p.endsAt !== undefined) out.ends_at = p.endsAt;
  if (p.extras !== undefined) out.extras = p.extras;
  return out;
}
