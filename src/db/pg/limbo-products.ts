// limbo's products on PostgreSQL (counterpart of ../sqlite-limbo-products.ts, same behaviour): resources of
// type `product`, listed across workspaces (an id present in several is listed once, from the earliest of
// them) and linked to labels.
import { notFound } from '../../core/errors.js';
import type { LimboProductStore, ProductSortField, SortKey } from '../../core/ports-limbo.js';
import type { Resource } from '../../core/types.js';
import { toResource } from '../sqlite-assignments.js';
import type { PgDb } from './client.js';
import { labelInWorkspace, writeEvent } from './labels.js';
import { readPage } from './limbo-query.js';

type ResourceRow = Parameters<typeof toResource>[0];

/** limbo's products are resources of this type (core/limbo-labels.ts PRODUCT_TYPE). */
const PRODUCT = 'product';
const SORT: Record<ProductSortField, string> = {
  id: 'r.external_id',
  name: 'lower(r.name)',
  status: 'r.status',
  created_at: 'r.created_at',
  updated_at: 'r.updated_at',
};
// SQLite sorts NULL first ascending and last descending; so do these.
const orderBy = (keys: SortKey<ProductSortField>[]) =>
  [...keys.map((k) => `${SORT[k.field]} ${k.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`), 'r.external_id ASC', 'r.id ASC'].join(', ');

/** Later workspaces' copies of an id an earlier workspace (ordinality = rank) already has are hidden. */
const FIRST_COPY = `NOT EXISTS (SELECT 1 FROM resources r2 JOIN unnest(?::bigint[]) WITH ORDINALITY AS g2(value, key) ON g2.value = r2.workspace_id
  WHERE r2.type = 'product' AND r2.external_id = r.external_id AND g2.key < g.key)`;

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
      // The workspace list joins as `g` (ordinality = its rank); parameters follow the SQL text's order.
      const where = [`r.type = 'product'`];
      const params: unknown[] = [q.workspaceIds];
      if (q.workspaceIds.length > 1) (where.push(FIRST_COPY), params.push(q.workspaceIds));
      if (q.labelId !== undefined) (where.push('r.id IN (SELECT resource_id FROM assignments WHERE label_id = ?)'), params.push(q.labelId));
      if (q.name !== undefined) (where.push('lower(r.name) = lower(?::text)'), params.push(q.name));
      if (q.status !== undefined) (where.push('r.status = ?'), params.push(q.status));
      const from = `FROM resources r JOIN unnest(?::bigint[]) WITH ORDINALITY AS g(value, key) ON g.value = r.workspace_id`;
      return readPage(db, { columns: 'r.*', from, where: where.join(' AND '), order: orderBy(q.sort), params, limit: q.limit, offset: q.offset }, toResource);
    },

    async limboFindProduct(workspaceIds, externalId) {
      const row = await db.one<ResourceRow>(
        `SELECT r.* FROM resources r JOIN unnest(?::bigint[]) WITH ORDINALITY AS g(value, key) ON g.value = r.workspace_id
         WHERE r.type = 'product' AND r.external_id = ? ORDER BY g.key LIMIT 1`,
        workspaceIds, externalId,
      );
      return row ? toResource(row) : null;
    },

    async limboLinkProducts(ws, labelId, mode, externalIds, audit) {
      await db.write(async (q) => {
        if (!(await labelInWorkspace(q, ws, labelId))) throw notFound('label', labelId);
        const found = new Map(
          (
            await q.all<{ id: number; external_id: string }>(
              `SELECT id, external_id FROM resources WHERE workspace_id = ? AND type = 'product' AND external_id = ANY(?::text[])`,
              ws, externalIds,
            )
          ).map((r) => [r.external_id, r.id]),
        );
        const missing = externalIds.find((id) => !found.has(id));
        if (missing !== undefined) throw notFound('resource', missing);
        if (mode === 'replace') {
          const current = await q.all<{ resource_id: number; external_id: string }>(
            `SELECT a.resource_id, r.external_id FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE a.label_id = ? AND r.type = 'product' ORDER BY a.resource_id`,
            labelId,
          );
          for (const c of current) {
            if (found.has(c.external_id)) continue;
            await q.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, c.resource_id);
            await writeEvent(q, ws, audit, 'label.unassigned', labelId, ref(c.external_id), null);
          }
        }
        for (const externalId of externalIds) {
          const resourceId = found.get(externalId)!;
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
