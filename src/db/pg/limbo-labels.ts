// limbo's labels on PostgreSQL (counterpart of ../sqlite-limbo-labels.ts, same behaviour): labels across
// several workspaces (a page and its total), updates that may move a label to another
// workspace, and product linkage.
import { CoreError, notFound } from '../../core/errors.js';
import type { LimboLabelPatch, LimboLabelStore, LimboProductStore } from '../../core/ports-limbo.js';
import type { Audit } from '../../core/types.js';
import { labelState, toLabel } from '../sqlite-labels.js';
import { json, nameKey } from '../sqlite/driver.js';
import { isUniqueViolation, type PgDb, type Q } from './client.js';
import { writeEvent } from './labels.js';
import { pgLimboProductStore } from './limbo-products.js';
import { COLUMNS, FROM, labelOrder as orderBy, LIST_COLUMNS, mergeExtras, PRODUCT_OF, toListedLabel } from '../sqlite-limbo-query.js';
import { readPage } from './limbo-query.js';
import { merge } from '../../core/objects.js';

type LabelRow = Parameters<typeof toLabel>[0];

const IN_WORKSPACES = `l.workspace_id = ANY(?::bigint[])`;

export function pgLimboLabelStore(db: PgDb): LimboLabelStore & LimboProductStore {
  const readLabel = async (q: Q, ws: number, id: number) => {
    const row = await q.one<LabelRow>(`SELECT ${COLUMNS} ${FROM} WHERE l.id = ? AND l.workspace_id = ?`, id, ws);
    return row ? toLabel(row) : null;
  };

  const requireFreeName = async (q: Q, ws: number, parentId: number | null, name: string, id: number) => {
    const row = await q.one<{ id: number }>(
      `SELECT id FROM labels WHERE workspace_id = ? AND coalesce(parent_id, 0) = ? AND name_key = ? AND starts_at IS NULL AND id <> ? LIMIT 1`,
      ws, parentId ?? 0, nameKey(name), id,
    );
    if (row) throw new CoreError('NAME_TAKEN', `a label named "${name}" already exists`, { field: 'name', existingId: row.id });
  };

  /** Each assignment follows the label: to the resource with the same type and id there, copied if missing. */
  const relinkAssignments = async (q: Q, labelId: number, target: number, at: number) => {
    await q.run(
      `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at)
       SELECT ?, r.type, r.external_id, r.name, r.status, r.attributes, ?, ? FROM assignments a JOIN resources r ON r.id = a.resource_id
       WHERE a.label_id = ? ORDER BY r.id ON CONFLICT (workspace_id, type, external_id) DO NOTHING`,
      target, at, at, labelId,
    );
    await q.run(
      `UPDATE assignments SET resource_id = (SELECT t.id FROM resources o JOIN resources t ON t.workspace_id = ? AND t.type = o.type AND t.external_id = o.external_id
       WHERE o.id = assignments.resource_id) WHERE label_id = ?`,
      target, labelId,
    );
  };

  return {
    async limboFindLabel(workspaceIds, id) {
      const row = await db.one<LabelRow>(`SELECT ${COLUMNS} ${FROM} WHERE l.id = ? AND ${IN_WORKSPACES}`, id, workspaceIds);
      return row ? toLabel(row) : null;
    },

    async limboListLabels(q) {
      const where = [IN_WORKSPACES];
      const params: unknown[] = [q.workspaceIds];
      if (q.name !== undefined) (where.push('l.name_key = ?'), params.push(nameKey(q.name)));
      if (q.ids !== undefined) (where.push('l.id = ANY(?::bigint[])'), params.push(q.ids));
      if (q.productName !== undefined || q.productStatus !== undefined) {
        const cond = [PRODUCT_OF];
        if (q.productName !== undefined) (cond.push('lower(r.name) = lower(?::text)'), params.push(q.productName));
        if (q.productStatus !== undefined) (cond.push('r.status = ?'), params.push(q.productStatus));
        where.push(`EXISTS (${cond.join(' AND ')})`);
      }
      if (q.hasProducts !== undefined) where.push(`${q.hasProducts ? '' : 'NOT '}EXISTS (${PRODUCT_OF})`);
      if (q.hasCompany === false) where.push('false');
      const page = { columns: LIST_COLUMNS, from: 'FROM labels l', where: where.join(' AND '), order: orderBy(q.sort), params, limit: q.limit, offset: q.offset };
      return readPage(db, page, toListedLabel);
    },

    async limboUpdateLabel(ws, id, patch: LimboLabelPatch, audit: Audit) {
      return db.write(async (q) => {
        const before = await readLabel(q, ws, id);
        if (!before) throw notFound('label', id);
        const target = patch.workspaceId ?? ws;
        const moving = target !== ws;
        if (moving && (await q.one(`SELECT 1 FROM labels WHERE parent_id = ? LIMIT 1`, id))) {
          throw new CoreError('VALIDATION', 'a label with sub-labels cannot move to another company', { field: 'company', rule: 'has_children' });
        }
        const next = labelState(before); // a fresh object
        if (patch.name !== undefined) next.name = patch.name;
        if (patch.description !== undefined) next.description = patch.description;
        if (patch.extras !== undefined) next.extras = mergeExtras(before.extras, patch.extras);
        if (moving) next.parent_id = null;
        if (!moving && JSON.stringify(next) === JSON.stringify(labelState(before))) return before;
        if (next.starts_at === null) await requireFreeName(q, target, next.parent_id, next.name, id);
        try {
          await q.run(
            `UPDATE labels SET workspace_id = ?, parent_id = ?, name = ?, name_key = ?, description = ?, extras = ?, updated_at = ? WHERE id = ?`,
            target, next.parent_id, next.name, nameKey(next.name), next.description, json(next.extras), audit.at, id,
          );
        } catch (e) {
          if (isUniqueViolation(e)) throw new CoreError('NAME_TAKEN', `a label named "${next.name}" already exists`, { field: 'name' });
          throw e;
        }
        const after = (await readLabel(q, target, id))!;
        if (!moving) {
          await writeEvent(q, ws, audit, 'label.updated', id, labelState(before), labelState(after));
          return after;
        }
        await relinkAssignments(q, id, target, audit.at);
        // Each workspace's own log records the move (out of the one, into the other).
        const states = [merge(labelState(before), { workspace_id: ws }), merge(labelState(after), { workspace_id: target })] as const;
        await writeEvent(q, ws, audit, 'label.moved', id, ...states);
        await writeEvent(q, target, audit, 'label.moved', id, ...states);
        return after;
      });
    },

    ...pgLimboProductStore(db),
  };
}
