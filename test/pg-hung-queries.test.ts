// The PostgreSQL client's own statement deadline (src/db/pg/hung-queries.ts), on a fake pool and fake timers:
// a connection whose statement outlives the server's timeout by 0.5–1 s is destroyed; finished statements,
// connections back in the pool and idle transactions are left alone.
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HungQueries } from '../src/db/pg/hung-queries.js';

const fakeClient = () => {
  const destroy = vi.fn();
  return { client: { connection: { stream: { destroy } } } as unknown as pg.PoolClient, destroy };
};

describe('HungQueries', () => {
  let hung: HungQueries;
  beforeEach(() => {
    vi.useFakeTimers();
    hung = new HungQueries(1000);
  });
  afterEach(() => {
    hung.close();
    vi.useRealTimers();
  });

  it('destroys a connection whose statement runs 0.5–1 s past the statement timeout, not before', () => {
    const { client, destroy } = fakeClient();
    vi.advanceTimersByTime(100);
    hung.begin(client);
    vi.advanceTimersByTime(1400); // 1.5 s after it began: within the server's timeout and half a second
    expect(destroy).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(destroy).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(5000);
    expect(destroy).toHaveBeenCalledTimes(1);
  });

  it('leaves finished statements alone, however long the connection lives', () => {
    const { client, destroy } = fakeClient();
    for (let i = 0; i < 20; i++) {
      hung.begin(client);
      vi.advanceTimersByTime(900);
      hung.end(client);
      vi.advanceTimersByTime(900);
    }
    expect(destroy).not.toHaveBeenCalled();
  });

  it("watches a pool's checkouts: acquired is busy, released or removed is not", () => {
    const pool = new EventEmitter() as unknown as pg.Pool;
    hung.watch(pool);
    const a = fakeClient();
    const b = fakeClient();
    const c = fakeClient();
    pool.emit('acquire', a.client);
    pool.emit('acquire', b.client);
    pool.emit('acquire', c.client);
    pool.emit('release', undefined, b.client);
    pool.emit('remove', c.client);
    vi.advanceTimersByTime(3000);
    expect(a.destroy).toHaveBeenCalledTimes(1);
    expect(b.destroy).not.toHaveBeenCalled();
    expect(c.destroy).not.toHaveBeenCalled();
  });
});
