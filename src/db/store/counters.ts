// Daily counters (quotas, rate limits, daily creation limits): check-and-add in one statement, so it is atomic
// on its own, across every instance sharing a PostgreSQL database as on SQLite's one connection.
import { CoreError } from '../../core/errors.js';
import type { CounterStore } from '../../core/ports.js';
import type { CreationQuota } from '../../core/ports-timed-labels.js';
import type { Db, Q } from './db.js';

/**
 * Adds n unless the count would pass limit: the row lock ON CONFLICT takes makes check-and-add one step.
 * A new counter is inserted only when n itself is within the limit (the SELECT's WHERE, which SQLite also
 * needs to tell the upsert's ON CONFLICT from a join's ON); an existing one is raised only when the sum is.
 * Parameters: scope, subject, day, n, n, limit, limit. Returns the new count, or no row when refused.
 */
const CONSUME = `INSERT INTO counters (scope, subject, day, count) SELECT ?, ?, ?, CAST(? AS bigint) WHERE CAST(? AS bigint) <= CAST(? AS bigint)
  ON CONFLICT (scope, subject, day) DO UPDATE SET count = counters.count + excluded.count WHERE counters.count + excluded.count <= CAST(? AS bigint)
  RETURNING count`;

const readCount = async (q: Q, scope: string, subject: string, day: string): Promise<number> =>
  (await q.one<{ count: number }>(`SELECT count FROM counters WHERE scope = ? AND subject = ? AND day = ?`, scope, subject, day))?.count ?? 0;

/**
 * Daily limits consumed inside a unit of work that writes what they limit, so the count and the rows commit
 * together: nothing is counted for a failed write, and concurrent writes never pass a limit. Adds `n` to every
 * counter of `quota` for its day; one that would pass its limit is LIMIT_EXCEEDED (the first such, in the
 * quota's order), which rolls the unit of work back: nothing is counted or written.
 */
export async function consumeIn(q: Q, quota: CreationQuota, n: number): Promise<void> {
  for (const c of quota.counters) {
    if (await q.one(CONSUME, c.scope, c.subject, quota.day, n, n, c.limit, c.limit)) continue;
    const used = await readCount(q, c.scope, c.subject, quota.day);
    throw new CoreError('LIMIT_EXCEEDED', `daily limit of ${c.limit} created labels for this ${c.rule} reached: ${used} created today (UTC), ${n} requested`, {
      rule: c.rule,
      limit: c.limit,
    });
  }
}

/** A counter is no label row: counting requests (quotas flushed every 100 ms) leaves label totals remembered. */
export function counterStore(db: Db): CounterStore {
  return {
    async consume(scope, subject, day, n, limit) {
      const added = await db.writeOne<{ count: number }>('no-label-rows', CONSUME, scope, subject, day, n, n, limit, limit);
      if (added) return { allowed: true, count: added.count };
      return { allowed: false, count: await readCount(db, scope, subject, day) };
    },
    readCounter: (scope, subject, day) => readCount(db, scope, subject, day),
    async pruneCounters(scope, before) {
      return db.writeRun('no-label-rows', `DELETE FROM counters WHERE scope = ? AND day < ?`, scope, before);
    },
  };
}
