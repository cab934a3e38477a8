// limbo's labels on SQLite: labels across several workspaces (one query per page, total included),
// updates that may move a label to another workspace, and product linkage.
import { CoreError, notFound } from '../core/errors.js';
import type { LimboLabelPatch, LimboLabelStore, LimboProductStore } from '../core/ports-limbo.js';
import type { Audit, Label } from '../core/types.js';
import { sqliteLimboProductStore } from './sqlite-limbo-products.js';
import { COLUMNS, FROM, labelOrder as orderBy, LIST_COLUMNS, mergeExtras, PRODUCT_OF, readPage, toListedLabel } from './sqlite-limbo-query.js';
import { labelState, toLabel, writeEvent } from './sqlite-labels.js';
import { boundedStatements, isUniqueViolation, json, nameKey, type Statements } from './sqlite/driver.js';
import { merge } from '../core/objects.js';

type LabelRow = Parameters<typeof toLabel>[0];

/**
 * The labels of these workspaces: one workspace (a workspace key) is an equality, so the planner can walk the
 * (workspace_id, …) indexes; several go through a json_each table. The condition and its parameter.
 */
const inWorkspaces = (ids: number[]): [string, unknown] =>
  ids.length === 1 ? ['l.workspace_id = ?', ids[0]] : ['l.workspace_id IN (SELECT value FROM json_each(?))', json(ids)];

export function sqliteLimboLabelStore(s: Statements): LimboLabelStore & LimboProductStore {
  const dynamic = boundedStatements(s.db);
  const readLabel = (ws: number, id: number): Label | null => {
    const row = s.one<LabelRow>(`SELECT ${COLUMNS} ${FROM} WHERE l.id = ? AND l.workspace_id = ?`, id, ws);
    return row ? toLabel(row) : null;
  };

  const requireFreeName = (ws: number, parentId: number | null, name: string, id: number) => {
    const row = s.one<{ id: number }>(
      `SELECT id FROM labels WHERE workspace_id = ? AND ifnull(parent_id, 0) = ? AND name_key = ? AND starts_at IS NULL AND id <> ? LIMIT 1`,
      ws, parentId ?? 0, nameKey(name), id,
    );
    if (row) throw new CoreError('NAME_TAKEN', `a label named "${name}" already exists`, { field: 'name', existingId: row.id });
  };

  /** Each assignment follows the label: to the resource with the same type and id there, copied if missing. */
  const relinkAssignments = (labelId: number, target: number, at: number) => {
    s.run(
      `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at)
       SELECT ?, r.type, r.external_id, r.name, r.status, r.attributes, ?, ? FROM assignments a JOIN resources r ON r.id = a.resource_id
       WHERE a.label_id = ? ON CONFLICT (workspace_id, type, external_id) DO NOTHING`,
      target, at, at, labelId,
    );
    s.run(
      `UPDATE assignments SET resource_id = (SELECT t.id FROM resources o JOIN resources t ON t.workspace_id = ? AND t.type = o.type AND t.external_id = o.external_id
       WHERE o.id = assignments.resource_id) WHERE label_id = ?`,
      target, labelId,
    );
  };

  return {
    async limboFindLabel(workspaceIds, id) {
      const [inWs, wsParam] = inWorkspaces(workspaceIds);
      const row = s.one<LabelRow>(`SELECT ${COLUMNS} ${FROM} WHERE l.id = ? AND ${inWs}`, id, wsParam);
      return row ? toLabel(row) : null;
    },

    async limboListLabels(q) {
      const [inWs, wsParam] = inWorkspaces(q.workspaceIds);
      const where = [inWs];
      const params: unknown[] = [wsParam];
      if (q.name !== undefined) (where.push('l.name_key = ?'), params.push(nameKey(q.name)));
      if (q.ids !== undefined) (where.push('l.id IN (SELECT value FROM json_each(?))'), params.push(json(q.ids)));
      if (q.productName !== undefined || q.productStatus !== undefined) {
        const cond = [PRODUCT_OF];
        if (q.productName !== undefined) (cond.push('r.name = ? COLLATE NOCASE'), params.push(q.productName));
        if (q.productStatus !== undefined) (cond.push('r.status = ?'), params.push(q.productStatus));
        where.push(`EXISTS (${cond.join(' AND ')})`);
      }
      if (q.hasProducts !== undefined) where.push(`${q.hasProducts ? '' : 'NOT '}EXISTS (${PRODUCT_OF})`);
      if (q.hasCompany === false) where.push('0');
      return readPage(s, dynamic, { columns: LIST_COLUMNS, from: 'FROM labels l', where: where.join(' AND '), order: orderBy(q.sort), params, limit: q.limit, offset: q.offset }, toListedLabel);
    },

    async limboUpdateLabel(ws, id, patch: LimboLabelPatch, audit: Audit) {
      return s.writeContent(() => {
        const before = readLabel(ws, id);
        if (!before) throw notFound('label', id);
        const target = patch.workspaceId ?? ws;
        const moving = target !== ws;
        if (moving && s.one(`SELECT 1 FROM labels WHERE parent_id = ? LIMIT 1`, id)) {
          throw new CoreError('VALIDATION', 'a label with sub-labels cannot move to another company', { field: 'company', rule: 'has_children' });
        }
        const next = labelState(before); // a fresh object
        if (patch.name !== undefined) next.name = patch.name;
        if (patch.description !== undefined) next.description = patch.description;
        if (patch.extras !== undefined) next.extras = mergeExtras(before.extras, patch.extras);
        if (moving) next.parent_id = null;
        if (!moving && JSON.stringify(next) === JSON.stringify(labelState(before))) return before;
        if (next.starts_at === null) requireFreeName(target, next.parent_id, next.name, id);
        try {
          s.run(
            `UPDATE labels SET workspace_id = ?, parent_id = ?, name = ?, name_key = ?, description = ?, extras = ?, updated_at = ? WHERE id = ?`,
            target, next.parent_id, next.name, nameKey(next.name), next.description, json(next.extras), audit.at, id,
          );
        } catch (e) {
          if (isUniqueViolation(e)) throw new CoreError('NAME_TAKEN', `a label named "${next.name}" already exists`, { field: 'name' });
          throw e;
        }
        const after = readLabel(target, id)!;
        if (!moving) {
          writeEvent(s, ws, audit, 'label.updated', id, labelState(before), labelState(after));
          return after;
        }
        relinkAssignments(id, target, audit.at);
        // Each workspace's own log records the move (out of the one, into the other).
        const states = [merge(labelState(before), { workspace_id: ws }), merge(labelState(after), { workspace_id: target })] as const;
        writeEvent(s, ws, audit, 'label.moved', id, ...states);
        writeEvent(s, target, audit, 'label.moved', id, ...states);
        return after;
      });
    },

    ...sqliteLimboProductStore(s, dynamic),
  };
}
