// The lists a client sorts and filters (labels and products across workspaces): the SQL is built from the
// request, once for both databases, and read as one page plus the total of the whole selection.
import type { SortKey } from '../../core/ports-cross-workspace.js';
import { merge } from '../../core/objects.js';
import type { Db, MemoScope, Q } from './db.js';

/** One ORDER BY term: an expression and its direction (with where nulls go). */
export interface OrderTerm {
  expr: string;
  dir: string;
}

/**
 * One filtered selection over the workspaces `workspaceIds` (compared with `workspaceColumn`): `from` is the
 * FROM clause the filter needs (the count reads no other table: a LEFT JOIN per counted row tripled its cost),
 * `where` the rest of the filter, `params` its parameters in the SQL text's order. `totalOf`: 'labels' when
 * label rows alone decide the total (Db.memo), so a write of assignments leaves it remembered.
 */
export interface PageSpec {
  columns: string;
  from: string;
  workspaceColumn: string;
  workspaceIds: number[];
  where: string;
  order: OrderTerm[];
  params: unknown[];
  limit: number;
  offset: number;
  totalOf?: MemoScope;
  /** The same selection written as it is counted fastest, when that differs from how a page is read. */
  counted?: Pick<PageSpec, 'workspaceColumn' | 'where' | 'params'>;
  /**
   * Set only when the database keeps how many rows the selection has in each workspace (no filter but what a
   * kept number is kept for: label_counts, resource_counts, assignment_counts): a scalar subquery of one
   * workspace's number, given that workspace's id as SQL (`?` or a column). The total is then read from it (a
   * few rows by key per workspace) instead of counting the rows. `keptParams`: its own parameters, each `?` of
   * them written before the workspace's id.
   */
  keptTotal?: (ws: string) => string;
  keptParams?: unknown[];
}

const orderSql = (terms: OrderTerm[]): string => terms.map((t) => `${t.expr} ${t.dir}`).join(', ');

/**
 * The page's statement and parameters. One workspace: an equality, so the planner walks a (workspace_id, …)
 * index in the page's order and stops after it. Several: each workspace's first offset+limit rows in that
 * order (an ordered walk each, bounded), merged, rather than the union of every workspace's rows sorted — the
 * sort keys travel as columns k0, k1, … for the merge, which reads at most offset+limit rows of each.
 */
function pageStatement(db: Db, spec: PageSpec): [string, unknown[]] {
  const { columns, from, workspaceColumn: col, where, order, params, limit, offset } = spec;
  const bound = db.sql.pageBound;
  if (spec.workspaceIds.length === 1) {
    const [lim, limParams] = db.sql.pageLimit(limit);
    return [`SELECT ${columns} ${from} WHERE ${col} = ? AND ${where} ORDER BY ${orderSql(order)} LIMIT ${lim} OFFSET ${bound}`, [spec.workspaceIds[0], ...params, ...limParams, offset]];
  }
  const keys = order.map((t, i) => `${t.expr} AS k${i}`).join(', ');
  // Every value the planner could read is hidden (pageBound's form), the workspaces' ids and the outer bounds
  // too: knowing them, analyzed PostgreSQL costed the plan for these values below the plan for any values (a
  // huge workspace beside small ones, a known LIMIT), so it planned the whole union again for every request
  // (~390 µs of its CPU a page at 100,000 labels, against ~50 µs executing it) where one plan serves all.
  const one = (i: number) => `SELECT * FROM (SELECT ${columns}, ${keys} ${from} WHERE ${col} = ${bound} AND ${where} ORDER BY ${orderSql(order)} LIMIT ${bound}) AS w${i}`;
  const merged = order.map((t, i) => ({ expr: /COLLATE NOCASE$/.test(t.expr) ? `k${i} COLLATE NOCASE` : `k${i}`, dir: t.dir }));
  const sql = `SELECT * FROM (${spec.workspaceIds.map((_, i) => one(i)).join(' UNION ALL ')}) AS u ORDER BY ${orderSql(merged)} LIMIT ${bound} OFFSET ${bound}`;
  return [sql, [...spec.workspaceIds.flatMap((ws) => [ws, ...params, offset + limit]), limit, offset]];
}

/** A total the database keeps, as a page describes it (PageSpec.keptTotal, keptParams). */
export type KeptTotal = Required<Pick<PageSpec, 'keptTotal'>> & Pick<PageSpec, 'keptParams'>;

/** The statement reading a kept total over these workspaces (one workspace's number, or the sum of each's), and its parameters. */
function keptStatement(db: Db, kept: KeptTotal, workspaceIds: number[]): [string, unknown[]] {
  const own = kept.keptParams ?? [];
  if (workspaceIds.length === 1) return [`SELECT ${kept.keptTotal('?')} AS total`, [...own, workspaceIds[0]]];
  return [`SELECT sum(${kept.keptTotal('g.value')}) AS total FROM ${db.sql.listTable('g', 'int')}`, [...own, db.sql.list(workspaceIds)]];
}

/** A kept total read (a few rows by key per workspace, whatever the selection's size): pages that build their own SQL read it here. */
export async function readKeptTotal(db: Db, q: Q, kept: KeptTotal, workspaceIds: number[]): Promise<number> {
  const [sql, params] = keptStatement(db, kept, workspaceIds);
  return Number((await q.one<{ total: number | null }>(sql, ...params))?.total ?? 0);
}

/**
 * The total's statement and parameters. A kept total (`keptTotal`) is read: one workspace's, or the sum of each
 * workspace's. Otherwise the rows are counted per workspace by its index; several workspaces are a sum of one
 * count per workspace (a scalar subquery each): as a join of the list with the table, un-analyzed PostgreSQL
 * hashed the list and read every workspace's rows. `counted`, when given, stands for the selection.
 */
function totalStatement(db: Db, page: PageSpec): [string, unknown[]] {
  const { keptTotal, keptParams } = page;
  if (keptTotal) return keptStatement(db, { keptTotal, keptParams }, page.workspaceIds);
  const spec = page.counted ? merge(page, page.counted) : page;
  const one = (ws: string) => `SELECT count(*) ${spec.from} WHERE ${spec.workspaceColumn} = ${ws} AND ${spec.where}`;
  if (spec.workspaceIds.length === 1) return [one('?').replace('count(*)', 'count(*) AS total'), [spec.workspaceIds[0], ...spec.params]];
  return [`SELECT sum((${one('g.value')})) AS total FROM ${db.sql.listTable('g', 'int')}`, [...spec.params, db.sql.list(spec.workspaceIds)]];
}

/**
 * One page and the total, on one snapshot so they agree. Two statements, so the page is an indexed
 * `ORDER BY … LIMIT` and the count reads no joined columns: a window function over the whole selection made
 * every page cost as much as reading all rows (3 req/s on 10,000 labels). A page that ends the selection
 * (fewer rows than asked, and not past the end) tells the total without counting. Otherwise a total the
 * database keeps (`keptTotal`) is read, a key lookup whatever the size and whatever was written since; any other
 * total is counted and remembered until the database changes (Db.memo within the read; `totalOf`): counting
 * walks every match, while paging on through an unchanged list is the common case.
 */
export async function readPage<T, R>(db: Db, spec: PageSpec, map: (row: T) => R): Promise<{ items: R[]; total: number }> {
  const [page, pageParams] = pageStatement(db, spec);
  const [total, totalParams] = totalStatement(db, spec);
  const read = async (q: Q) => Number((await q.one<{ total: number | null }>(total, ...totalParams))?.total ?? 0);
  return db.read(async (q) => {
    const rows = await q.all<T>(page, ...pageParams);
    const ends = rows.length < spec.limit && (rows.length > 0 || spec.offset === 0);
    const n = ends
      ? spec.offset + rows.length
      : spec.keptTotal
        ? await read(q)
        : await db.memo(`${total}\0${JSON.stringify(totalParams)}`, () => read(q), spec.totalOf ?? 'any', q);
    return { items: rows.map(map), total: n };
  });
}

/**
 * `column` is one of these workspaces: one (a workspace key) is an equality, so the planner walks the
 * (workspace_id, …) indexes; several are a list parameter. The condition and its parameter.
 */
export const inWorkspaces = (db: Db, column: string, ids: number[]): [string, unknown] =>
  ids.length === 1 ? [`${column} = ?`, ids[0]] : [db.sql.inList(column, 'int'), db.sql.list(ids)];

/**
 * ORDER BY terms for the client's sort keys (`columns`: the SQL per field, several for a field sorted on its
 * parts), then `tail` for a stable order. Nulls sort first ascending and last descending on both databases:
 * said only for the `nullable` fields, since PostgreSQL walks an index in a page's order only when the nulls
 * go where the index keeps them (its default: last ascending), and says nothing of NOT NULL columns.
 */
export const orderBy = <F extends string>(keys: SortKey<F>[], columns: Record<F, string[]>, tail: OrderTerm[], nullable: ReadonlySet<F> = new Set()): OrderTerm[] => [
  ...keys.flatMap((k) => {
    const nulls = nullable.has(k.field) ? (k.desc ? ' NULLS LAST' : ' NULLS FIRST') : '';
    return columns[k.field].map((expr) => ({ expr, dir: (k.desc ? 'DESC' : 'ASC') + nulls }));
  }),
  ...tail,
];
