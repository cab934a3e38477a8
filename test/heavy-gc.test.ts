// One full collection once the heavy reads have been idle for a while (src/http/heavy-gc.ts): never while
// one runs, once per burst.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectAfterBursts } from '../src/http/heavy-gc.js';

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
