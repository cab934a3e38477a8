// limbo's products on SQLite: resources of type `product`, listed across workspaces and linked to labels.
import { notFound } from '../core/errors.js';
import type { LimboProductStore, ProductSortField, SortKey } from '../core/ports-limbo.js';
import type { Resource } from '../core/types.js';
import { toResource } from './store/resource-rows.js';
import { labelInWorkspace, writeEvent } from './sqlite-labels.js';
import { candidateIds, readPage, resolveChoices } from './sqlite-limbo-query.js';
import { json, type RowReader, type Statements } from './sqlite/driver.js';

type ResourceRow = Parameters<typeof toResource>[0];

/** limbo's products are resources of this type (core/limbo-labels.ts PRODUCT_TYPE). */
const PRODUCT = 'product';
/** Columns per sort field; `id` is the workspace, then the external id (a qualified id's two parts). */
const SORT: Record<ProductSortField, string[]> = {
  id: ['r.workspace_id', 'r.external_id'],
  name: ['r.name COLLATE NOCASE'],
  status: ['r.status'],
  created_at: ['r.created_at'],
  updated_at: ['r.updated_at'],
};
const orderBy = (keys: SortKey<ProductSortField>[]) =>
  [...keys.flatMap((k) => SORT[k.field].map((c) => `${c} ${k.desc ? 'DESC' : 'ASC'}`)), 'r.external_id ASC', 'r.id ASC'].join(', ');

const ref = (externalId: string) => ({ resource: { type: PRODUCT, id: externalId } });

export function sqliteLimboProductStore(s: Statements, dynamic: (sql: string) => RowReader): LimboProductStore {
  return {
    async limboProductsOfLabels(labelIds) {
      const out = new Map<number, Resource[]>(labelIds.map((id) => [id, []]));
      if (labelIds.length === 0) return out;
      const rows = s.all<ResourceRow & { label_id: number }>(
        `SELECT a.label_id, r.* FROM assignments a JOIN resources r ON r.id = a.resource_id
         WHERE a.label_id IN (SELECT value FROM json_each(?)) AND r.type = 'product' ORDER BY a.label_id, r.external_id, r.id`,
        json(labelIds),
      );
      for (const r of rows) out.get(r.label_id)?.push(toResource(r));
      return out;
    },

    async limboListProducts(q) {
      // Parameters follow the SQL text's order: the workspace list (joined as `g`) first.
      const where = [`r.type = 'product'`];
      const params: unknown[] = [json(q.workspaceIds)];
      if (q.labelId !== undefined) (where.push('r.id IN (SELECT resource_id FROM assignments WHERE label_id = ?)'), params.push(q.labelId));
      if (q.name !== undefined) (where.push('r.name = ? COLLATE NOCASE'), params.push(q.name));
      if (q.status !== undefined) (where.push('r.status = ?'), params.push(q.status));
      const from = `FROM resources r JOIN json_each(?) g ON g.value = r.workspace_id`;
      return readPage(s, dynamic, { columns: 'r.*', from, where: where.join(' AND '), order: orderBy(q.sort), params, limit: q.limit, offset: q.offset }, toResource);
    },

    async limboFindProducts(workspaceIds, externalId) {
      return s
        .all<ResourceRow>(
          `SELECT r.* FROM resources r WHERE r.workspace_id IN (SELECT value FROM json_each(?)) AND r.type = 'product' AND r.external_id = ? ORDER BY r.workspace_id`,
          json(workspaceIds), externalId,
        )
        .map(toResource);
    },

    async limboLinkProducts(ws, labelId, mode, choices, audit) {
      await s.writeContent(() => {
        if (!labelInWorkspace(s, ws, labelId)) throw notFound('label', labelId);
        // One product (the common case) is a point read; several go through a json_each table.
        const externalIds = candidateIds(choices);
        const rows =
          externalIds.length === 1
            ? s.all<{ id: number; external_id: string }>(`SELECT id, external_id FROM resources WHERE workspace_id = ? AND type = 'product' AND external_id = ?`, ws, externalIds[0])
            : s.all<{ id: number; external_id: string }>(
                `SELECT id, external_id FROM resources WHERE workspace_id = ? AND type = 'product' AND external_id IN (SELECT value FROM json_each(?))`,
                ws, json(externalIds),
              );
        const products = resolveChoices(choices, new Map(rows.map((r) => [r.external_id, r.id])));
        if (mode === 'replace') {
          const keep = new Set(products.map((x) => x.resourceId));
          const current = s.all<{ resource_id: number; external_id: string }>(
            `SELECT a.resource_id, r.external_id FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE a.label_id = ? AND r.type = 'product'`,
            labelId,
          );
          for (const c of current) {
            if (keep.has(c.resource_id)) continue;
            s.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, c.resource_id);
            writeEvent(s, ws, audit, 'label.unassigned', labelId, ref(c.external_id), null);
          }
        }
        for (const { externalId, resourceId } of products) {
          if (mode === 'remove') {
            if (s.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, resourceId).changes > 0) {
              writeEvent(s, ws, audit, 'label.unassigned', labelId, ref(externalId), null);
            }
          } else if (s.run(`INSERT OR IGNORE INTO assignments (label_id, resource_id, created_at) VALUES (?,?,?)`, labelId, resourceId, audit.at).changes > 0) {
            writeEvent(s, ws, audit, 'label.assigned', labelId, null, ref(externalId));
          }
        }
      });
    },
  };
}

