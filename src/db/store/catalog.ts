// The catalog: products (resources of type `product`) listed and found across workspaces, the products of
// labels, and linking a label to products (product-links.ts).
import { notFound } from '../../core/errors.js';
import { merge } from '../../core/objects.js';
import type { CatalogStore, ProductSortField } from '../../core/ports-catalog.js';
import type { SortKey } from '../../core/ports-cross-workspace.js';
import type { Resource } from '../../core/types.js';
import { HAS_LABEL, LABEL_OF_TYPE, largeLabel, toResource } from './resource-rows.js';
import type { Db } from './db.js';
import { labelInWorkspace } from './label-rows.js';
import { orderBy, readPage, type OrderTerm, type PageSpec } from './list-query.js';
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

/**
 * What breaks ties, so that one index gives the page's order whole (its walk stops after the page): the column
 * the sort field's index ends in, in the last key's direction (a descending order is the ascending one walked
 * backwards). Name and times: the row id (the order products were added); status and no sort: the external
 * id, unique in a workspace (resources_workspace_status_idx, resources_ref_uq), then across workspaces the
 * workspace, which each workspace's ordered walk has as a constant (the row id there made PostgreSQL sort each
 * workspace's products); id (workspace, external id) is unique already. Ending a descending order in an
 * ascending tie-breaker made PostgreSQL sort every product of the workspace.
 */
function tailOf(sort: SortKey<ProductSortField>[], several: boolean): OrderTerm[] {
  const last = sort.at(-1);
  const dir = last?.desc ? 'DESC' : 'ASC';
  if (last?.field === 'id') return [];
  if (last !== undefined && last.field !== 'status') return [{ expr: 'r.id', dir }];
  return [{ expr: 'r.external_id', dir }, ...(several ? [{ expr: 'r.workspace_id', dir }] : [])];
}

/** A workspace's number of products as the database keeps it (resource_counts, kept by triggers): the sum of its slots. */
const WORKSPACE_PRODUCTS = (ws: string): string => `(SELECT sum(c.count) FROM resource_counts c WHERE c.workspace_id = ${ws} AND c.type = 'product')`;
/**
 * Label ?'s number of products (assignment_counts, kept by triggers), counted in a workspace only if the label is
 * that workspace's (its products are in its workspace): as counting them from the label's side in the workspace.
 */
const LABEL_PRODUCTS = (ws: string): string =>
  `(SELECT sum(c.count) FROM assignment_counts c WHERE c.label_id = (SELECT l.id FROM labels l WHERE l.id = ? AND l.workspace_id = ${ws}) AND c.resource_type = 'product')`;

export function catalogStore(db: Db): CatalogStore {
  const SORT = sortColumns(db);
  return {
    async productsOfLabels(labelIds) {
      const out = new Map<number, Resource[]>(labelIds.map((id) => [id, []]));
      if (labelIds.length === 0) return out;
      // The labels' products by id from their assignments of products (inSelect): as a join, un-analyzed
      // PostgreSQL hashed every product of every workspace. The pairs come back with the products, on one snapshot.
      const ofProducts = `${db.sql.inList('a.label_id', 'int')} AND a.resource_type = 'product'`;
      const [pairs, products] = await db.read(async (q) => [
        await q.all<{ label_id: number; resource_id: number }>(`SELECT a.label_id, a.resource_id FROM assignments a WHERE ${ofProducts}`, db.sql.list(labelIds)),
        await q.all<ResourceRow>(
          `SELECT r.* FROM resources r WHERE ${db.sql.inSelect('r.id', `SELECT a.resource_id FROM assignments a WHERE ${ofProducts}`)} AND r.type = 'product' ORDER BY r.external_id, r.id`,
          db.sql.list(labelIds),
        ),
      ]);
      const labelsOf = new Map<number, number[]>();
      for (const p of pairs) labelsOf.get(p.resource_id)?.push(p.label_id) ?? labelsOf.set(p.resource_id, [p.label_id]);
      for (const r of products) for (const label of labelsOf.get(r.id) ?? []) out.get(label)?.push(toResource(r));
      return out;
    },

    async listProducts(q) {
      const filters = [`r.type = 'product'`];
      const params: unknown[] = [];
      if (q.name !== undefined) (filters.push(`${db.sql.nocase('r.name')} = ${db.sql.nocase('CAST(? AS text)')}`), params.push(q.name));
      if (q.status !== undefined) (filters.push('r.status = ?'), params.push(q.status));
      const order = orderBy(q.sort, SORT, tailOf(q.sort, q.workspaceIds.length > 1), NULLABLE);
      const where = filters.join(' AND ');
      // No filter but the type (and the label): the total is the number the database keeps (page totals below).
      const whole = filters.length === 1;
      const spec: PageSpec = {
        columns: 'r.*', from: 'FROM resources r', workspaceColumn: 'r.workspace_id', workspaceIds: q.workspaceIds, where, order, params, limit: q.limit, offset: q.offset,
        ...(whole && q.labelId === undefined && { keptTotal: WORKSPACE_PRODUCTS }),
        ...(whole && q.labelId !== undefined && { keptTotal: LABEL_PRODUCTS, keptParams: [q.labelId] }),
      };
      if (q.labelId === undefined) return readPage(db, spec, toResource);
      // A label's products: a label on few products has them read from its assignments of products, each by id
      // (the workspace `+`: a filter that must not choose an index); one on many, found walking the products in
      // the page's order (HAS_LABEL). Counted from the label's side either way: its products bound the count.
      const fromLabel = { workspaceColumn: '+r.workspace_id', where: `${db.sql.inSelect('r.id', LABEL_OF_TYPE)} AND ${where}`, params: [q.labelId, 'product', ...params] };
      const walked = { where: `${where} AND ${HAS_LABEL}`, params: [...params, q.labelId] };
      const large = await largeLabel(db, q.labelId, 'product');
      return readPage(db, merge(merge(spec, large ? walked : fromLabel), { counted: fromLabel }), toResource);
    },

    async findProducts(workspaceIds, externalId) {
      // Each workspace's product looked up by the whole key (a scalar subquery per workspace), then read by id:
      // with the workspaces as a list, un-analyzed PostgreSQL walked every product of them on (workspace, type).
      const byKey = `SELECT (SELECT t.id FROM resources t WHERE t.workspace_id = g.value AND t.type = 'product' AND t.external_id = ?) FROM ${db.sql.listTable('g', 'int')}`;
      const rows = await db.all<ResourceRow>(`SELECT r.* FROM resources r WHERE ${db.sql.inSelect('r.id', byKey)} ORDER BY r.workspace_id`, externalId, db.sql.list(workspaceIds));
      return rows.map(toResource);
    },

    async linkProducts(ws, labelId, mode, choices, audit) {
      await db.write(async (q) => {
        if (!(await labelInWorkspace(q, ws, labelId))) throw notFound('label', labelId);
        await linkProducts(db, q, ws, labelId, mode, choices, audit);
      }, 'no-label-rows');
    },
  };
}
