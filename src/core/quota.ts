// Daily quotas: counters per UTC calendar day, kept in the store so they survive restarts and are shared by
// every instance on one database.
import { CoreError } from './errors.js';
import type { CounterStore } from './ports.js';

const DAY_MS = 86_400_000;
let lastDay = { start: 0, text: '1970-01-01' };
/** The UTC calendar day of a timestamp, e.g. 2026-11-22 (remembered for the current day: every quota call asks). */
export function utcDay(ms: number): string {
  if (ms >= lastDay.start && ms < lastDay.start + DAY_MS) return lastDay.text;
  const text = new Date(ms).toISOString().slice(0, 10);
  if (Number.isFinite(ms)) lastDay = { start: Math.floor(ms / DAY_MS) * DAY_MS, text };
  return text;
}

export interface QuotaOptions {
  /**
   * Calls counted in memory and written in one statement every `flushMs` while more than `slack` remain.
   * Within `slack` of the limit every call is counted in the store, atomically, so a limit is never passed
   * by more than what other instances counted in their last unflushed interval.
   */
  flushMs?: number;
  slack?: number;
}

interface Tally {
  scope: string;
  subject: string;
  day: string;
  /** The store's count when last read or written. */
  stored: number;
  /** Counted here, not yet in the store. */
  pending: number;
}

export function createQuota(store: CounterStore, now: () => number, { flushMs = 100, slack = 100 }: QuotaOptions = {}) {
  const tallies = new Map<string, Tally>();
  let timer: NodeJS.Timeout | null = null;
  const NO_LIMIT = Number.MAX_SAFE_INTEGER;

  const write = async (t: Tally): Promise<void> => {
    const n = t.pending;
    if (n === 0) return;
    t.pending -= n;
    try {
      t.stored = (await store.consume(t.scope, t.subject, t.day, n, NO_LIMIT)).count;
    } catch (e) {
      t.pending += n; // counted again at the next flush
      throw e;
    }
  };

  const flush = async (): Promise<void> => {
    timer = null;
    const today = utcDay(now());
    const all = [...tallies.values()];
    for (const t of all) if (t.day !== today && t.pending === 0) tallies.delete(`${t.scope}\0${t.subject}\0${t.day}`);
    await Promise.all(all.map(write));
  };

  const schedule = () => {
    timer ??= setTimeout(() => void flush().catch(() => schedule()), flushMs).unref();
  };

  return {
    /** Consumes `n` of today's `limit` for (scope, subject); LIMIT_EXCEEDED when it would pass the limit. Returns what is left. */
    async consume(scope: string, subject: string, limit: number, n = 1): Promise<number> {
      const day = utcDay(now());
      const id = `${scope}\0${subject}\0${day}`;
      const t = tallies.get(id);
      if (t && limit - (t.stored + t.pending + n) >= slack) {
        t.pending += n;
        schedule();
        return limit - t.stored - t.pending;
      }
      // First call of the day here, or near the limit: count in the store itself.
      if (t) await write(t);
      const { allowed, count } = await store.consume(scope, subject, day, n, limit);
      if (t) t.stored = Math.max(t.stored, count);
      else tallies.set(id, { scope, subject, day, stored: count, pending: 0 });
      if (!allowed) throw new CoreError('LIMIT_EXCEEDED', `daily limit of ${limit} reached`, { limit });
      return limit - count;
    },
    /** Writes what is counted in memory; the app calls it when it closes. */
    async flush(): Promise<void> {
      if (timer) clearTimeout(timer);
      await flush();
    },
  };
}
export type Quota = ReturnType<typeof createQuota>;

/**
 * Request rate counting in the store, for limits that must hold across instances sharing a database: fixed
 * windows of `windowMs` aligned to the epoch, one counter row per subject and window. Rows of past windows
 * are deleted every PRUNE_EVERY hits.
 */
export function createRateCounter(store: CounterStore, now: () => number) {
  const PRUNE_EVERY = 1000;
  let hits = 0;
  const windowKey = (windowMs: number, index: number) => `w${windowMs}:${String(index).padStart(16, '0')}`;
  return {
    /** Counts one request of `subject`; returns the count in the current window and the ms until it ends. */
    async hit(subject: string, windowMs: number): Promise<{ count: number; resetInMs: number }> {
      const at = now();
      const index = Math.floor(at / windowMs);
      const key = windowKey(windowMs, index);
      const { count } = await store.consume('rate', subject, key, 1, Number.MAX_SAFE_INTEGER);
      if (++hits % PRUNE_EVERY === 0) await store.pruneCounters('rate', key);
      return { count, resetInMs: (index + 1) * windowMs - at };
    },
  };
}
export type RateCounter = ReturnType<typeof createRateCounter>;
