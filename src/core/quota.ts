// Daily quotas: counters per UTC calendar day, consumed atomically in the store.
import { CoreError } from './errors.js';
import type { CounterStore } from './ports.js';

/** The UTC calendar day of a timestamp, e.g. 2026-11-22. */
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function createQuota(store: CounterStore, now: () => number) {
  return {
    /** Consumes `n` of today's `limit` for (scope, subject); LIMIT_EXCEEDED when it would pass the limit. Returns what is left. */
    async consume(scope: string, subject: string, limit: number, n = 1): Promise<number> {
      const { allowed, count } = await store.consume(scope, subject, utcDay(now()), n, limit);
      if (!allowed) throw new CoreError('LIMIT_EXCEEDED', `daily limit of ${limit} reached`, { limit });
      return limit - count;
    },
  };
}
export type Quota = ReturnType<typeof createQuota>;
