// limbo's products on PostgreSQL (counterpart of ../sqlite-limbo-products.ts, same behaviour): resources of
// type `product`, listed across workspaces and linked to labels.
import { notFound } from '../../core/errors.js';
import type { LimboProductStore, ProductSortField, SortKey } from '../../core/ports-limbo.js';
import type { Resource } from '../../core/types.js';
import { toResource } from '../store/resource-rows.js';
import type { PgDb } from './client.js';
import { labelInWorkspace, writeEvent } from './labels.js';
import { readPage } from './limbo-query.js';
import { candidateIds, resolveChoices } from '../sqlite-limbo-query.js';

type ResourceRow = Parameters<typeof toResource>[0];

/** limbo's products are resources of this type (core/limbo-labels.ts PRODUCT_TYPE). */
const PRODUCT = 'product';
/** Columns per sort field; `id` is the workspace, then the external id (a qualified id's two parts). */
const SORT: Record<ProductSortField, string[]> = {
  id: ['r.workspace_id', 'r.external_id'],
  name: ['lower(r.name)'],
  status: ['r.status'],
  created_at: ['r.created_at'],
  updated_at: ['r.updated_at'],
};
// SQLite sorts NULL first ascending and last descending; so do these.
const orderBy = (keys: SortKey<ProductSortField>[]) =>
  [...keys.flatMap((k) => SORT[k.field].map((c) => `${c} ${k.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`)), 'r.external_id ASC', 'r.id ASC'].join(', ');

const ref = (externalId: string) => ({ resource: { type: PRODUCT, id: externalId } });

export function pgLimboProductStore(db: PgDb): LimboProductStore {
  return {
    async limboProductsOfLabels(labelIds) {
      const out = new Map<number, Resource[]>(labelIds.map((id) => [id, []]));
      if (labelIds.length === 0) return out;
      const rows = await db.all<ResourceRow & { label_id: number }>(
        `SELECT a.label_id, r.* FROM assignments a JOIN resources r ON r.id = a.resource_id
         WHERE a.label_id = ANY(?::bigint[]) AND r.type = 'product' ORDER BY a.label_id, r.external_id, r.id`,
        labelIds,
      );
      for (const r of rows) out.get(r.label_id)?.push(toResource(r));
      return out;
    },

    async limboListProducts(q) {
      // Parameters follow the SQL text's order: the workspace list (joined as `g`) first.
      const where = [`r.type = 'product'`];
      const params: unknown[] = [q.workspaceIds];
      if (q.labelId !== undefined) (where.push('r.id IN (SELECT resource_id FROM assignments WHERE label_id = ?)'), params.push(q.labelId));
      if (q.name !== undefined) (where.push('lower(r.name) = lower(?::text)'), params.push(q.name));
      if (q.status !== undefined) (where.push('r.status = ?'), params.push(q.status));
      const from = `FROM resources r JOIN unnest(?::bigint[]) WITH ORDINALITY AS g(value, key) ON g.value = r.workspace_id`;
      return readPage(db, { columns: 'r.*', from, where: where.join(' AND '), order: orderBy(q.sort), params, limit: q.limit, offset: q.offset }, toResource);
    },

    async limboFindProducts(workspaceIds, externalId) {
      const rows = await db.all<ResourceRow>(
        `SELECT r.* FROM resources r WHERE r.workspace_id = ANY(?::bigint[]) AND r.type = 'product' AND r.external_id = ? ORDER BY r.workspace_id`,
        workspaceIds, externalId,
      );
      return rows.map(toResource);
    },

    async limboLinkProducts(ws, labelId, mode, choices, audit) {
      await db.write(async (q) => {
        if (!(await labelInWorkspace(q, ws, labelId))) throw notFound('label', labelId);
        const rows = await q.all<{ id: number; external_id: string }>(
          `SELECT id, external_id FROM resources WHERE workspace_id = ? AND type = 'product' AND external_id = ANY(?::text[])`,
          ws, candidateIds(choices),
        );
        const products = resolveChoices(choices, new Map(rows.map((r) => [r.external_id, r.id])));
        if (mode === 'replace') {
          const keep = new Set(products.map((x) => x.resourceId));
          const current = await q.all<{ resource_id: number; external_id: string }>(
            `SELECT a.resource_id, r.external_id FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE a.label_id = ? AND r.type = 'product' ORDER BY a.resource_id`,
            labelId,
          );
          for (const c of current) {
            if (keep.has(c.resource_id)) continue;
            await q.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, c.resource_id);
            await writeEvent(q, ws, audit, 'label.unassigned', labelId, ref(c.external_id), null);
          }
        }
        for (const { externalId, resourceId } of products) {
          if (mode === 'remove') {
            if ((await q.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, resourceId)).rowCount > 0) {
              await writeEvent(q, ws, audit, 'label.unassigned', labelId, ref(externalId), null);
            }
          } else if ((await q.run(`INSERT INTO assignments (label_id, resource_id, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING`, labelId, resourceId, audit.at)).rowCount > 0) {
            await writeEvent(q, ws, audit, 'label.assigned', labelId, null, ref(externalId));
          }
        }
      });
    },
  };
}
