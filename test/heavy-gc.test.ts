// One full collection once the heavy reads have been idle for a while (src/http/heavy-gc.ts): never while
// one runs, once per burst.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectAfterBursts, heapBudget } from '../src/http/heavy-gc.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('collection after a burst of heavy reads', () => {
  it('collects once, idleMs after the last heavy read ended, never while one runs', () => {
    const collect = vi.fn();
    const idle = collectAfterBursts(2000, collect);
    idle.started();
    idle.started();
    idle.ended();
    vi.advanceTimersByTime(5000);
    expect(collect).not.toHaveBeenCalled(); // one still running
    idle.ended();
    vi.advanceTimersByTime(1999);
    expect(collect).not.toHaveBeenCalled();
    idle.started(); // a new read within the wait: no collection under it
    vi.advanceTimersByTime(5000);
    expect(collect).not.toHaveBeenCalled();
    idle.ended();
    vi.advanceTimersByTime(2000);
    expect(collect).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('the default collector is V8 own (exposed for it) and runs', () => {
    const idle = collectAfterBursts(10);
    idle.started();
    idle.ended();
    expect(() => vi.advanceTimersByTime(10)).not.toThrow();
  });
});

describe('the heap budget of whole lists', () => {
  const MB = 2 ** 20;
  /** A heap whose use the test sets, and a collector that leaves `live` of it. */
  const heap = () => {
    const h = { used: 0, live: 0, collections: 0 };
    const check = heapBudget(100 * MB, () => h.used, () => {
      h.collections++;
      h.used = h.live;
    });
    return { h, check };
  };

  it('collects once the heap in use passes the budget, not before', () => {
    const { h, check } = heap();
    h.live = 30 * MB;
    for (const used of [10, 60, 99, 100]) {
      h.used = used * MB;
      check();
    }
    expect(h.collections).toBe(0);
    h.used = 101 * MB;
    check();
    expect(h.collections).toBe(1);
    expect(h.used).toBe(30 * MB);
    h.used = 90 * MB;
    check();
    expect(h.collections).toBe(1);
    h.used = 120 * MB;
    check();
    expect(h.collections).toBe(2);
  });

  it('with more live than the budget, collects again only after half a budget more, not at every piece', () => {
    const { h, check } = heap();
    h.live = 150 * MB; // several big lists at once
    h.used = 160 * MB;
    check();
    expect(h.collections).toBe(1);
    for (let used = 150; used <= 200; used += 10) {
      h.used = used * MB;
      check();
    }
    expect(h.collections).toBe(1);
    h.used = 201 * MB;
    check();
    expect(h.collections).toBe(2);
    // The lists end: the next collection finds little live, and the bar is the budget again.
    h.live = 30 * MB;
    h.used = 201 * MB;
    check();
    expect(h.collections).toBe(3);
    h.used = 101 * MB;
    check();
    expect(h.collections).toBe(4);
  });
});
