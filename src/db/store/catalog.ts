// The catalog: products (resources of type `product`) listed and found across workspaces, the products of
// labels, and linking a label to products (product-links.ts).
import { notFound } from '../../core/errors.js';
import type { CatalogStore, ProductSortField } from '../../core/ports-catalog.js';
import type { Resource } from '../../core/types.js';
import { onMany } from './assignments.js';
import { toResource } from './resource-rows.js';
import type { Db } from './db.js';
import { labelInWorkspace } from './label-rows.js';
import { orderBy, readPage } from './list-query.js';
import { linkProducts } from './product-links.js';

type ResourceRow = Parameters<typeof toResource>[0];

/** Columns per sort field; `id` is the workspace, then the external id. */
const sortColumns = (db: Db): Record<ProductSortField, string[]> => ({
  id: ['r.workspace_id', 'r.external_id'],
  name: [db.sql.nocase('r.name')],
  status: ['r.status'],
  created_at: ['r.created_at'],
  updated_at: ['r.updated_at'],
});

/** The sort fields whose columns may be null (the indexes on them keep nulls first on PostgreSQL). */
const NULLABLE: ReadonlySet<ProductSortField> = new Set(['name', 'status']);

export function catalogStore(db: Db): CatalogStore {
  const SORT = sortColumns(db);
  return {
    async productsOfLabels(labelIds) {
      const out = new Map<number, Resource[]>(labelIds.map((id) => [id, []]));
      if (labelIds.length === 0) return out;
      const rows = await db.all<ResourceRow & { label_id: number }>(
        `SELECT a.label_id, r.* FROM assignments a JOIN resources r ON r.id = a.resource_id
         WHERE ${db.sql.inList('a.label_id', 'int')} AND r.type = 'product' ORDER BY a.label_id, r.external_id, r.id`,
        db.sql.list(labelIds),
      );
      for (const r of rows) out.get(r.label_id)?.push(toResource(r));
      return out;
    },

    async listProducts(q) {
      const where = [`r.type = 'product'`];
      const params: unknown[] = [];
      let from = 'FROM resources r';
      // A label's products are read as a label's page of one type (assignments.ts, sideOf): from its assignments
      // when it is on at most MANY resources, else the products in the page's order, each probed for the label
      // (`r.id IN (…)` read the label's whole list for every page and count: O(label) for a page of 20). A name
      // picks a few products by its index whatever the statistics; the label's list is then read once.
      if (q.labelId !== undefined) {
        const many = await onMany(db, q.labelId);
        if (many && q.name === undefined) where.push('EXISTS (SELECT 1 FROM assignments a WHERE a.label_id = ? AND a.resource_id = r.id)');
        else if (many) where.push('r.id IN (SELECT resource_id FROM assignments WHERE label_id = ?)');
        else (from = 'FROM assignments a CROSS JOIN resources r'), where.push('a.label_id = ? AND r.id = a.resource_id');
        params.push(q.labelId);
      }
      if (q.name !== undefined) (where.push(`${db.sql.nocase('r.name')} = ${db.sql.nocase('CAST(? AS text)')}`), params.push(q.name));
      if (q.status !== undefined) (where.push('r.status = ?'), params.push(q.status));
      const order = orderBy(q.sort, SORT, [{ expr: 'r.external_id', dir: 'ASC' }, { expr: 'r.id', dir: 'ASC' }], NULLABLE);
      const spec = {
        columns: 'r.*', from, workspaceColumn: 'r.workspace_id', workspaceIds: q.workspaceIds, where: where.join(' AND '),
        order, params, limit: q.limit, offset: q.offset,
      };
      return readPage(db, spec, toResource);
    },

    async findProducts(workspaceIds, externalId) {
      const rows = await db.all<ResourceRow>(
        `SELECT r.* FROM resources r WHERE ${db.sql.inList('r.workspace_id', 'int')} AND r.type = 'product' AND r.external_id = ? ORDER BY r.workspace_id`,
        db.sql.list(workspaceIds), externalId,
      );
      return rows.map(toResource);
    },

    async linkProducts(ws, labelId, mode, choices, audit) {
      await db.write(async (q) => {
        if (!(await labelInWorkspace(q, ws, labelId))) throw notFound('label', labelId);
        await linkProducts(db, q, ws, labelId, mode, choices, audit);
      }, 'content');
    },
  };
}
