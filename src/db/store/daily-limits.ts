// Daily limits consumed inside a unit of work that writes what they limit, so the count and the rows commit
// together: nothing is counted for a failed write, and concurrent writes never pass a limit.
import { CoreError } from '../../core/errors.js';
import type { CreationQuota } from '../../core/ports-timed-labels.js';
import type { Q } from './db.js';

/**
 * Adds `n` to every counter of `quota` for its day. A counter that would pass its limit is LIMIT_EXCEEDED
 * (the first such, in the quota's order), which rolls the unit of work back: nothing is counted or written.
 * One statement per counter: it adds only while the sum stays within the limit, and says whether it did.
 */
export async function consumeIn(q: Q, quota: CreationQuota, n: number): Promise<void> {
  for (const c of quota.counters) {
    const added = await q.one<{ count: number }>(
      `INSERT INTO counters (scope, subject, day, count) SELECT ?, ?, ?, CAST(? AS bigint) WHERE CAST(? AS bigint) <= CAST(? AS bigint)
       ON CONFLICT (scope, subject, day) DO UPDATE SET count = counters.count + excluded.count WHERE counters.count + excluded.count <= CAST(? AS bigint)
       RETURNING count`,
      c.scope, c.subject, quota.day, n, n, c.limit, c.limit,
    );
    if (added) continue;
    const used = (await q.one<{ count: number }>(`SELECT count FROM counters WHERE scope = ? AND subject = ? AND day = ?`, c.scope, c.subject, quota.day))?.count ?? 0;
    throw new CoreError('LIMIT_EXCEEDED', `daily limit of ${c.limit} created labels for this ${c.rule} reached: ${used} created today (UTC), ${n} requested`, {
      rule: c.rule,
      limit: c.limit,
    });
  }
}
