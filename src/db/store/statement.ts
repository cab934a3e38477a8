// A write that is one statement, run the cheapest way each database allows.
import type { Db, WriteScope } from './db.js';

/**
 * Runs one writing statement and gives its first RETURNING row. PostgreSQL runs it on its own: a lone
 * statement is atomic, and a transaction around it would add BEGIN and COMMIT round trips to hot paths (a
 * request's counter). SQLite runs it as a write of `scope`, so that it joins the turn's group commit and
 * remembered answers (Db.memo) learn what it may have changed.
 */
export function writeOne<T>(db: Db, scope: WriteScope, sql: string, ...params: unknown[]): Promise<T | undefined> {
  return db.kind === 'postgres' ? db.one<T>(sql, ...params) : db.write((q) => q.one<T>(sql, ...params), scope);
}

/** writeOne for a statement without RETURNING: the number of rows it changed. */
export async function writeRun(db: Db, scope: WriteScope, sql: string, ...params: unknown[]): Promise<number> {
  const r = db.kind === 'postgres' ? await db.run(sql, ...params) : await db.write((q) => q.run(sql, ...params), scope);
  return r.changes;
}
