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
  /** The store's count when last read or written (other instances' calls included); known once `ready`. */
  stored: number;
  ready: boolean;
  /** Counted here and being written now: still counted while the write is under way. */
  writing: number;
  /** Counted here, not yet in the store. */
  pending: number;
  /** The count the last caller here was told: each caller is told a higher one, so no two see the same `left`. */
  told: number;
  /** This tally's store calls, one after another, so their answers arrive (and apply) in order. */
  queue: Promise<unknown>;
}

/** Every call this instance knows of: the store's count plus what it has not yet seen from here. */
const known = (t: Tally) => Math.max(t.told, t.stored + t.writing + t.pending);

export function createQuota(store: CounterStore, now: () => number, { flushMs = 100, slack = 100 }: QuotaOptions = {}) {
  const tallies = new Map<string, Tally>();
  let timer: NodeJS.Timeout | null = null;
  const NO_LIMIT = Number.MAX_SAFE_INTEGER;

  /** Runs `op` after the tally's earlier store calls; a failure does not stop the later ones. */
  const serial = <T>(t: Tally, op: () => Promise<T>): Promise<T> => {
    const run = t.queue.then(op);
    t.queue = run.catch(() => undefined);
    return run;
  };

  /** Writes the calls counted in memory (call inside `serial`). */
  const write = async (t: Tally): Promise<void> => {
    const n = t.pending;
    if (n === 0) return;
    t.pending -= n;
    t.writing += n;
    try {
      t.stored = Math.max(t.stored, (await store.consume(t.scope, t.subject, t.day, n, NO_LIMIT)).count);
    } catch (e) {
      t.pending += n; // counted again at the next flush
      throw e;
    } finally {
      t.writing -= n;
    }
  };

  const flush = async (): Promise<void> => {
    timer = null;
    const today = utcDay(now());
    const all = [...tallies.values()];
    for (const t of all) if (t.day !== today && t.pending === 0 && t.writing === 0) tallies.delete(`${t.scope}\0${t.subject}\0${t.day}`);
    await Promise.all(all.map((t) => serial(t, () => write(t))));
  };

  const schedule = () => {
    timer ??= setTimeout(() => void flush().catch(() => schedule()), flushMs).unref();
  };

  /** What the caller is told: one past the last caller here, or more if the store has seen other instances' calls. */
  const tell = (t: Tally, n: number, limit: number) => {
    t.told = Math.max(t.told + n, t.stored + t.writing + t.pending);
    return limit - t.told;
  };

  /** Counts in memory when the tally is known and far from the limit: what is left, or null (ask the store). */
  const inMemory = (t: Tally | undefined, limit: number, n: number): number | null => {
    if (!t?.ready || limit - (known(t) + n) < slack) return null;
    t.pending += n;
    schedule();
    return tell(t, n, limit);
  };

  return {
    /**
     * consume() when its answer is known at once (counted in memory, far from the limit): what is left, or
     * null, when nothing was counted and consume() must be called. A request's hot path without a promise.
     */
    consumeNow(scope: string, subject: string, limit: number, n = 1): number | null {
      return inMemory(tallies.get(`${scope}\0${subject}\0${utcDay(now())}`), limit, n);
    },
    /** Consumes `n` of today's `limit` for (scope, subject); LIMIT_EXCEEDED when it would pass the limit. Returns what is left. */
    async consume(scope: string, subject: string, limit: number, n = 1): Promise<number> {
      const day = utcDay(now());
      const id = `${scope}\0${subject}\0${day}`;
      let t = tallies.get(id);
      const left = inMemory(t, limit, n);
      if (left !== null) return left;
      // First call of the day here, or near the limit: count in the store itself, after what is counted here.
      if (!t) tallies.set(id, (t = { scope, subject, day, stored: 0, ready: false, writing: 0, pending: 0, told: 0, queue: Promise.resolve() }));
      const tally = t;
      return serial(tally, async () => {
        await write(tally);
        const { allowed, count } = await store.consume(scope, subject, day, n, limit);
        tally.stored = Math.max(tally.stored, count);
        tally.ready = true;
        if (!allowed) throw new CoreError('LIMIT_EXCEEDED', `daily limit of ${limit} reached`, { limit });
        return tell(tally, n, limit);
      });
    },
    /** What is left of today's `limit` for (scope, subject), without counting a call. */
    async left(scope: string, subject: string, limit: number): Promise<number> {
      const day = utcDay(now());
      const t = tallies.get(`${scope}\0${subject}\0${day}`);
      const count = t?.ready ? known(t) : await store.readCounter(scope, subject, day);
      return Math.max(0, limit - count);
    },
    /**
     * Forgets every count kept here, unwritten ones too: a reset emptied the store's counters, and a tally
     * would otherwise go on telling callers yesterday's state.
     */
    clear(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      tallies.clear();
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
