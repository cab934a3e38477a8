// The daily quota counts in memory far from the limit and in the store near it: these tests pin down that it
// never lets a limit pass, reports exactly what is left, survives a restart once flushed, and rolls over daily.
import { describe, expect, it } from 'vitest';
import type { CounterStore } from '../src/core/ports.js';
import { createQuota, createRateCounter } from '../src/core/quota.js';

function memoryCounters() {
  const counts = new Map<string, number>();
  const calls: number[] = [];
  const store: CounterStore = {
    async consume(scope, subject, day, n, limit) {
      calls.push(n);
      const k = `${scope}/${subject}/${day}`;
      const count = counts.get(k) ?? 0;
      if (count + n > limit) return { allowed: false, count };
      counts.set(k, count + n);
      return { allowed: true, count: count + n };
    },
    async readCounter(scope, subject, day) {
      return counts.get(`${scope}/${subject}/${day}`) ?? 0;
    },
    async pruneCounters(scope, before) {
      let n = 0;
      for (const k of [...counts.keys()]) {
        if (k.startsWith(`${scope}/`) && k.split('/')[2]! < before) {
          counts.delete(k);
          n++;
        }
      }
      return n;
    },
  };
  return { store, counts, calls };
}

const DAY = Date.UTC(2026, 10, 22, 12);

describe('quota', () => {
  it('counts far from the limit in memory, writes them in one statement, and reports exactly what is left', async () => {
    const m = memoryCounters();
    const q = createQuota(m.store, () => DAY, { flushMs: 60_000, slack: 10 });
    const lefts = [];
    for (let i = 0; i < 50; i++) lefts.push(await q.consume('s', 'k', 1000));
    expect(lefts).toEqual(Array.from({ length: 50 }, (_, i) => 999 - i));
    expect(m.calls).toEqual([1]); // the first call reads the store; the other 49 wait in memory
    await q.flush();
    expect(m.calls).toEqual([1, 49]);
    expect(m.counts.get('s/k/2026-11-22')).toBe(50);
  });

  it('answers at once (consumeNow) only what consume would count in memory; otherwise counts nothing', async () => {
    const m = memoryCounters();
    const q = createQuota(m.store, () => DAY, { flushMs: 60_000, slack: 5 });
    expect(q.consumeNow('s', 'k', 20)).toBeNull(); // the day's first call reads the store
    expect(await q.consume('s', 'k', 20)).toBe(19);
    const lefts = [];
    for (let i = 0; i < 20; i++) lefts.push(q.consumeNow('s', 'k', 20) ?? (await q.consume('s', 'k', 20).catch(() => 'refused')));
    expect(lefts).toEqual([...Array.from({ length: 14 }, (_, i) => 18 - i), 4, 3, 2, 1, 0, 'refused']);
    expect(q.consumeNow('s', 'k', 20)).toBeNull(); // near the limit: the store decides
    await q.flush();
    expect(m.counts.get('s/k/2026-11-22')).toBe(20);
  });

  it('counts every call in the store near the limit and refuses exactly at it', async () => {
    const m = memoryCounters();
    const q = createQuota(m.store, () => DAY, { flushMs: 60_000, slack: 5 });
    const lefts = [];
    for (let i = 0; i < 20; i++) lefts.push(await q.consume('s', 'k', 20));
    expect(lefts).toEqual(Array.from({ length: 20 }, (_, i) => 19 - i));
    await expect(q.consume('s', 'k', 20)).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(m.counts.get('s/k/2026-11-22')).toBe(20);
    // The memory tally was written before the store took over: nothing is lost, nothing counted twice.
    await q.flush();
    expect(m.counts.get('s/k/2026-11-22')).toBe(20);
  });

  it('flushes on its own after flushMs, and a new instance (a restart) continues from the stored count', async () => {
    const m = memoryCounters();
    const q = createQuota(m.store, () => DAY, { flushMs: 5, slack: 10 });
    for (let i = 0; i < 30; i++) await q.consume('s', 'k', 1000);
    await new Promise((r) => setTimeout(r, 30));
    expect(m.counts.get('s/k/2026-11-22')).toBe(30);
    const restarted = createQuota(m.store, () => DAY);
    expect(await restarted.consume('s', 'k', 1000)).toBe(969);
  });

  it('two instances on one store never pass the limit together', async () => {
    const m = memoryCounters();
    const a = createQuota(m.store, () => DAY, { flushMs: 60_000, slack: 10 });
    const b = createQuota(m.store, () => DAY, { flushMs: 60_000, slack: 10 });
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      for (const q of [a, b]) {
        try {
          await q.consume('s', 'k', 60);
          allowed++;
        } catch {
          // refused
        }
      }
      if (i % 7 === 0) await Promise.all([a.flush(), b.flush()]);
    }
    await Promise.all([a.flush(), b.flush()]);
    expect(m.counts.get('s/k/2026-11-22')).toBe(allowed);
    expect(allowed).toBeLessThanOrEqual(60);
    expect(allowed).toBeGreaterThanOrEqual(50);
  });

  it('starts again at the UTC day boundary and keeps keys apart', async () => {
    const m = memoryCounters();
    let now = DAY;
    const q = createQuota(m.store, () => now, { flushMs: 60_000, slack: 1 });
    for (let i = 0; i < 5; i++) await q.consume('s', 'k', 100);
    expect(await q.consume('s', 'other', 100)).toBe(99);
    now += 24 * 3600 * 1000;
    expect(await q.consume('s', 'k', 100)).toBe(99);
    await q.flush();
    expect(m.counts.get('s/k/2026-11-22')).toBe(5);
    expect(m.counts.get('s/k/2026-11-23')).toBe(1);
  });
});

/** A store whose answers wait until released, in the order asked or reversed (as a pool of connections may answer). */
function gatedCounters() {
  const m = memoryCounters();
  const waiting: (() => void)[] = [];
  let gated = false;
  const store: CounterStore = {
    ...m.store,
    async consume(...args) {
      if (gated) await new Promise<void>((resolve) => waiting.push(resolve));
      return m.store.consume(...args);
    },
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    ...m,
    store,
    gate: () => void (gated = true),
    async releaseOne() {
      await settle();
      waiting.shift()?.();
      await settle();
    },
    /** Lets every waiting call through (newest first when `reversed`), as long as new ones keep arriving. */
    async release(reversed = false) {
      gated = false;
      for (let k = 0; k < 10; k++) {
        await settle();
        const batch = waiting.splice(0);
        for (const go of reversed ? batch.reverse() : batch) go();
      }
    },
  };
}

describe('quota: what each caller is told (limit-left)', () => {
  const consecutive = (values: number[], from: number) => expect([...values].sort((x, y) => y - x)).toEqual(Array.from({ length: values.length }, (_, i) => from - i));

  it('concurrent first calls of the day, and calls arriving meanwhile: each told a different value, all counted', async () => {
    const g = gatedCounters();
    const q = createQuota(g.store, () => DAY, { flushMs: 60_000, slack: 10 });
    g.gate();
    const first = Array.from({ length: 10 }, () => q.consume('s', 'k', 1000));
    await g.releaseOne(); // the store has answered one of them: the others, and calls arriving now, go on
    const later = [];
    for (let i = 0; i < 5; i++) later.push(await q.consume('s', 'k', 1000));
    await g.release(true);
    consecutive([...(await Promise.all(first)), ...later], 999);
    await q.flush();
    expect(g.counts.get('s/k/2026-11-22')).toBe(15);
  });

  it('while counted calls are being written, the next callers are told lower values, never the same again', async () => {
    const g = gatedCounters();
    const q = createQuota(g.store, () => DAY, { flushMs: 60_000, slack: 10 });
    const told = [];
    for (let i = 0; i < 5; i++) told.push(await q.consume('s', 'k', 1000));
    g.gate();
    const flushed = q.flush(); // writes the 4 calls counted in memory; the store has not answered yet
    for (let i = 0; i < 5; i++) told.push(await q.consume('s', 'k', 1000));
    await g.release();
    await flushed;
    for (let i = 0; i < 3; i++) told.push(await q.consume('s', 'k', 1000));
    expect(told).toEqual(Array.from({ length: 13 }, (_, i) => 999 - i));
    await q.flush();
    expect(g.counts.get('s/k/2026-11-22')).toBe(13);
  });

  it('near the limit, concurrent calls are counted in the store one after another: consecutive values, the limit holds', async () => {
    const g = gatedCounters();
    const q = createQuota(g.store, () => DAY, { flushMs: 60_000, slack: 50 });
    expect(await q.consume('s', 'k', 30)).toBe(29);
    g.gate();
    const calls = Array.from({ length: 40 }, () => q.consume('s', 'k', 30).catch(() => 'refused'));
    await g.release(true);
    const results = await Promise.all(calls);
    const allowed = results.filter((r): r is number => r !== 'refused');
    consecutive(allowed, 28);
    expect(allowed).toHaveLength(29);
    expect(g.counts.get('s/k/2026-11-22')).toBe(30);
  });

  it('left() tells what is left without counting a call: from memory, or from the store after a restart', async () => {
    const m = memoryCounters();
    const q = createQuota(m.store, () => DAY, { flushMs: 60_000, slack: 10 });
    expect(await q.left('s', 'k', 1000)).toBe(1000);
    for (let i = 0; i < 7; i++) await q.consume('s', 'k', 1000);
    expect(await q.left('s', 'k', 1000)).toBe(993);
    expect(await q.left('s', 'k', 1000)).toBe(993);
    expect(await q.consume('s', 'k', 1000)).toBe(992);
    await q.flush();
    const restarted = createQuota(m.store, () => DAY);
    expect(await restarted.left('s', 'k', 1000)).toBe(992);
    expect(m.counts.get('s/k/2026-11-22')).toBe(8);
  });
});

describe('rate counter (shared stores)', () => {
  it('counts per subject in fixed windows aligned to the clock, says when the window ends, and prunes past windows', async () => {
    const m = memoryCounters();
    let now = 1_000_000_123;
    const rate = createRateCounter(m.store, () => now);
    expect(await rate.hit('key:1', 1000)).toEqual({ count: 1, resetInMs: 877 });
    expect(await rate.hit('key:1', 1000)).toEqual({ count: 2, resetInMs: 877 });
    expect((await rate.hit('key:2', 1000)).count).toBe(1);
    now += 900; // the next window
    expect(await rate.hit('key:1', 1000)).toEqual({ count: 1, resetInMs: 977 });
    for (let i = 0; i < 996; i++) await rate.hit('key:3', 1000); // the 1000th hit prunes
    expect([...m.counts.keys()].filter((k) => k.startsWith('rate/key:1/'))).toHaveLength(1);
    expect(m.counts.has('rate/key:2/w1000:0000000001000000')).toBe(false);
  });
});
