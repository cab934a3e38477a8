// The page-plus-total statements of limbo's lists, which both stores run.
import type { RowReader, Statements } from './statements.js';

/**
 * One page and the total of one filtered selection, for both stores. Two statements, so the page is an
 * indexed `ORDER BY … LIMIT` and the count reads no joined columns: a window function over the whole
 * selection made every page cost as much as reading all rows (3 req/s on 10,000 labels).
 * `from` is the FROM clause the filter needs; `join` what only the page's `columns` need (the count skips it:
 * a LEFT JOIN per counted row tripled the count's cost); `where` the filter; the page takes `?` limit and offset.
 */
export interface PageSpec {
  columns: string;
  from: string;
  join?: string;
  where: string;
  order: string;
  params: unknown[];
  limit: number;
  offset: number;
}

export const pageStatements = (q: PageSpec) => ({
  count: `SELECT count(*) AS total ${q.from} WHERE ${q.where}`,
  page: `SELECT ${q.columns} ${q.from} ${q.join ?? ''} WHERE ${q.where} ORDER BY ${q.order} LIMIT ? OFFSET ?`,
});

/**
 * SQLite: both statements in one synchronous call (no write can interleave). The total is remembered until
 * the database changes (Statements.memo): counting walks every match, 10,000 index entries for a
 * workspace's labels, while paging on through an unchanged list is the common case.
 */
export function readPage<T, R>(s: Statements, prepare: (sql: string) => RowReader, q: PageSpec, map: (row: T) => R): { items: R[]; total: number } {
  const sql = pageStatements(q);
  const total = s.memo(`${sql.count}\0${JSON.stringify(q.params)}`, () => prepare(sql.count).get<{ total: number }>(...q.params)!.total);
  const rows = prepare(sql.page).all<T>(...q.params, q.limit, q.offset);
  return { items: rows.map(map), total };
}
