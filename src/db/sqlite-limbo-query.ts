// Helpers for limbo's dynamic list queries: a bounded statement cache (filter and sort combinations make
// many SQL texts; the shared cache never evicts) and the "one page plus total in one query" shape.
import type Database from 'better-sqlite3';

const MAX_STATEMENTS = 256;

export function boundedStatements(db: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return (sql: string): Database.Statement => {
    let st = cache.get(sql);
    if (st) {
      cache.delete(sql); // re-inserted below: Map order is recency order
    } else {
      st = db.prepare(sql);
      if (cache.size >= MAX_STATEMENTS) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, st);
    return st;
  };
}

/**
 * (PostgreSQL adapter) One statement for a page and the total: the count always yields one row, the page is LEFT JOINed to it
 * (so an empty page still reports the total). `filtered` selects the candidate rows; `order` is over its columns.
 */
export const pageQuery = (filtered: string, order: string) =>
  `WITH f AS (${filtered}),
   p AS (SELECT f.*, row_number() OVER (ORDER BY ${order}) AS rn FROM f ORDER BY rn LIMIT ? OFFSET ?)
   SELECT c.total, p.* FROM (SELECT count(*) AS total FROM f) c LEFT JOIN p ON 1 ORDER BY p.rn`;

export type PageRow<T> = { total: number; rn: number | null } & { [K in keyof T]: T[K] | null };

/** Splits pageQuery rows into the page items (rows with a page part) and the total. */
export function splitPage<T extends { id: number }, R>(rows: PageRow<T>[], map: (row: T) => R): { items: R[]; total: number } {
  const total = rows[0]?.total ?? 0;
  const items = rows.filter((r) => r.rn !== null).map((r) => map(r as unknown as T));
  return { items, total };
}

/**
 * A page and the total of one filtered selection, read in one synchronous call (no write can interleave).
 * Two statements, so the page is an indexed `ORDER BY … LIMIT` and the count reads no joined columns —
 * a window function over the whole selection made every page cost as much as reading all rows.
 * `from` is the FROM clause the filter needs; `join` what only the page's `columns` need (the count skips it:
 * a LEFT JOIN per counted row tripled the count's cost); `where` the filter.
 */
export function readPage<T, R>(
  prepare: (sql: string) => Database.Statement,
  q: { columns: string; from: string; join?: string; where: string; order: string; params: unknown[]; limit: number; offset: number },
  map: (row: T) => R,
): { items: R[]; total: number } {
  const { total } = prepare(`SELECT count(*) AS total ${q.from} WHERE ${q.where}`).get(...q.params) as { total: number };
  const page = `SELECT ${q.columns} ${q.from} ${q.join ?? ''} WHERE ${q.where} ORDER BY ${q.order} LIMIT ? OFFSET ?`;
  const rows = prepare(page).all(...q.params, q.limit, q.offset) as T[];
  return { items: rows.map(map), total };
}
