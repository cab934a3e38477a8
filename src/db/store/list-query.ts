// The lists a client sorts and filters (labels and products across workspaces): the SQL is built from the
// request, once for both databases, and read as one page plus the total of the whole selection.
import type { SortKey } from '../../core/ports-cross-workspace.js';
import type { Db } from './db.js';

/**
 * One filtered selection: `from` is the FROM clause the filter needs (the count reads no other table: a LEFT
 * JOIN per counted row tripled its cost), `where` the filter, `params` its parameters in the SQL text's order.
 */
export interface PageSpec {
  columns: string;
  from: string;
  where: string;
  order: string;
  params: unknown[];
  limit: number;
  offset: number;
}

/**
 * One page and the total, on one snapshot so they agree. Two statements, so the page is an indexed
 * `ORDER BY … LIMIT` and the count reads no joined columns: a window function over the whole selection made
 * every page cost as much as reading all rows (3 req/s on 10,000 labels). The total is remembered until the
 * database changes (Db.memo): counting walks every match, while paging on through an unchanged list is the
 * common case.
 */
export async function readPage<T, R>(db: Db, spec: PageSpec, map: (row: T) => R): Promise<{ items: R[]; total: number }> {
  const count = `SELECT count(*) AS total ${spec.from} WHERE ${spec.where}`;
  const page = `SELECT ${spec.columns} ${spec.from} WHERE ${spec.where} ORDER BY ${spec.order} LIMIT ? OFFSET ?`;
  return db.read(async (q) => {
    const total = await db.memo(`${count}\0${JSON.stringify(spec.params)}`, async () => Number((await q.one<{ total: number }>(count, ...spec.params))!.total));
    const rows = await q.all<T>(page, ...spec.params, spec.limit, spec.offset);
    return { items: rows.map(map), total };
  });
}

/**
 * `column` is one of these workspaces: one (a workspace key) is an equality, so the planner walks the
 * (workspace_id, …) indexes; several are a list parameter. The condition and its parameter.
 */
export const inWorkspaces = (db: Db, column: string, ids: number[]): [string, unknown] =>
  ids.length === 1 ? [`${column} = ?`, ids[0]] : [db.sql.inList(column, 'int'), db.sql.list(ids)];

/**
 * ORDER BY for the client's sort keys (`columns`: the SQL per field, several for a field sorted on its parts),
 * then `tail` for a stable order. Nulls sort first ascending and last descending on both databases.
 */
export const orderBy = <F extends string>(keys: SortKey<F>[], columns: Record<F, string[]>, tail: string[]): string =>
  [...keys.flatMap((k) => columns[k.field].map((c) => `${c} ${k.desc ? 'DESC NULLS LAST' : 'ASC NULLS FIRST'}`)), ...tail].join(', ');
