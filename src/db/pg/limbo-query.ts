// limbo's page-plus-total on PostgreSQL: the same two statements as SQLite (../sqlite-limbo-query.ts), on one
// REPEATABLE READ snapshot so the total and the page agree.
import { type PageSpec, pageStatements } from '../sqlite-limbo-query.js';
import type { PgDb } from './client.js';

export async function readPage<T, R>(db: PgDb, q: PageSpec, map: (row: T) => R): Promise<{ items: R[]; total: number }> {
  const sql = pageStatements(q);
  return db.read(async (r) => {
    const { total } = (await r.one<{ total: number }>(sql.count, ...q.params))!;
    const rows = await r.all<T>(sql.page, ...q.params, q.limit, q.offset);
    return { items: rows.map(map), total: Number(total) };
  });
}
