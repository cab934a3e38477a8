// Daily counters (quotas, rate limits): check-and-add in one statement, so it is atomic on its own, across
// every instance sharing a PostgreSQL database as on SQLite's one connection.
import type { CounterStore } from '../../core/ports.js';
import type { Db } from './db.js';

/**
 * Adds n unless the count would pass limit: the row lock ON CONFLICT takes makes check-and-add one step.
 * A new counter is inserted only when n itself is within the limit (the SELECT's WHERE, which SQLite also
 * needs to tell the upsert's ON CONFLICT from a join's ON); an existing one is raised only when the sum is.
 * Returns the new count, or no row when refused.
 */
const CONSUME = `INSERT INTO counters (scope, subject, day, count) SELECT ?, ?, ?, CAST(? AS bigint) WHERE CAST(? AS bigint) <= CAST(? AS bigint)
  ON CONFLICT (scope, subject, day) DO UPDATE SET count = counters.count + excluded.count WHERE counters.count + excluded.count <= CAST(? AS bigint)
  RETURNING count`;

export function counterStore(db: Db): CounterStore {
  const readCounter = async (scope: string, subject: string, day: string): Promise<number> =>
    (await db.one<{ count: number }>(`SELECT count FROM counters WHERE scope = ? AND subject = ? AND day = ?`, scope, subject, day))?.count ?? 0;
  return {
    async consume(scope, subject, day, n, limit) {
      const added = await db.writeOne<{ count: number }>('content', CONSUME, scope, subject, day, n, n, limit, limit);
      if (added) return { allowed: true, count: added.count };
      return { allowed: false, count: await readCounter(scope, subject, day) };
    },
    readCounter,
    async pruneCounters(scope, before) {
      return db.writeRun('content', `DELETE FROM counters WHERE scope = ? AND day < ?`, scope, before);
    },
  };
}
