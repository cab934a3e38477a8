// Timed labels filed under categories (top-level labels without a time span): list with a client's filter,
// create under daily limits, edit, list and delete categories. Each write is one unit of work that applies
// the category rules (category-rules.ts) and records its audit events.
import { notFound } from '../../core/errors.js';
import { merge } from '../../core/objects.js';
import type { TimedLabel, TimedLabelStore } from '../../core/ports-timed-labels.js';
import type { Db } from './db.js';
import { disposeOfCategory, ensureCategory, insertLabel, requireCategory, type Category } from './category-rules.js';
import { consumeIn } from './counters.js';
import { unchanged } from './label-rules.js';
import { LABEL_COLUMNS, labelState, toLabel, writeEvent, type LabelRow } from './label-rows.js';
import { nameKey } from './rows.js';
import { conditionsSql } from './timed-label-filter.js';

/** Columns named as TimedLabel's members: the rows are the answer. */
const SELECT_TIMED = `SELECT l.id, l.parent_id AS "parentId", coalesce(p.name, '') AS category, l.name, l.description, l.starts_at AS "startsAt",
  l.ends_at AS "endsAt" FROM labels l LEFT JOIN labels p ON p.id = l.parent_id`;
const ORDER = 'ORDER BY l.starts_at, l.id';

/**
 * The categories: the workspace's top-level labels without a time span that have a child, in name order. Read
 * from labels_categories_idx, whose entries are exactly those labels (is_category is kept by triggers on every
 * insert, move and delete of a label), so the cost is the answer's: walking the workspace's distinct parents
 * cost one step per parent (a group of Jotform's tree is one too), 16-160 ms at 100,000 labels. No other
 * index can take `is_category`, so analyzed SQLite cannot prefer (workspace, parent IS NULL): on skewed data
 * that read every top-level label and sorted them.
 */
const CATEGORIES = `SELECT p.name FROM labels p WHERE p.workspace_id = ? AND p.is_category = 1 ORDER BY p.name, p.id`;

export function timedLabelStore(db: Db): TimedLabelStore {
  return {
    listTimedLabels(ws, conditions) {
      const { where, params } = conditionsSql(db.sql, conditions);
      return db.all<TimedLabel>(`${SELECT_TIMED} WHERE l.workspace_id = ? AND l.starts_at IS NOT NULL AND ${where} ${ORDER}`, ws, ...params);
    },

    async createTimedLabels(ws, items, quota, audit, createdBy) {
      return db.write(async (q) => {
        await consumeIn(q, quota, items.length);
        const seen = new Map<string, Category>();
        const out: TimedLabel[] = [];
        for (const item of items) {
          const category = item.category === null ? null : await ensureCategory(db, q, ws, item.category, audit, createdBy, seen);
          const parentId = category?.id ?? null;
          const id = await insertLabel(db, q, ws, parentId, item, audit, createdBy);
          out.push({ id, parentId, category: category?.name ?? '', name: item.name, description: item.description, startsAt: item.startsAt, endsAt: item.endsAt });
        }
        return out;
      }, 'content');
    },

    async updateTimedLabel(ws, id, patch, audit, createdBy) {
      return db.write(async (q) => {
        const row = await q.one<LabelRow & { category: string }>(
          `${LABEL_COLUMNS}, coalesce(p.name, '') AS category FROM labels l LEFT JOIN labels p ON p.id = l.parent_id WHERE l.id = ? AND l.workspace_id = ?`,
          id, ws,
        );
        if (!row || row.starts_at === null) throw notFound('label', id);
        const before = toLabel(row);
        const category =
          patch.category === undefined ? { id: before.parentId, name: row.category }
          : patch.category === null ? { id: null, name: '' }
          : await ensureCategory(db, q, ws, patch.category, audit, createdBy);
        const after = merge(before, {
          parentId: category.id,
          name: patch.name ?? before.name,
          description: patch.description ?? before.description,
          startsAt: patch.startsAt ?? before.startsAt,
          endsAt: patch.endsAt ?? before.endsAt,
        });
        if (!unchanged(labelState(after), labelState(before))) {
          await q.run(
            `UPDATE labels SET parent_id = ?, name = ?, name_key = ?, description = ?, starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?`,
            after.parentId, after.name, nameKey(after.name), after.description, after.startsAt, after.endsAt, audit.at, id,
          );
          await writeEvent(q, ws, audit, after.parentId === before.parentId ? 'label.updated' : 'label.moved', id, labelState(before), labelState(after));
        }
        return { id, parentId: after.parentId, category: category.name, name: after.name, description: after.description, startsAt: after.startsAt!, endsAt: after.endsAt! };
      }, 'content');
    },

    async listCategories(ws) {
      const rows = await db.all<{ name: string }>(CATEGORIES, ws);
      return rows.map((r) => r.name);
    },

    async deleteCategory(ws, name, disposal, audit) {
      return db.write(async (q) => {
        const source = await requireCategory(q, ws, name);
        await disposeOfCategory(db, q, ws, source, disposal, audit);
        return source.name;
      }, 'content');
    },
  };
}
