// A statement PostgreSQL never cancels (as on a stopped or cut-off server): the client gives it up 0.5–1 s after
// the statement timeout, whether it ran alone (a pooled query) or in a transaction, as UNAVAILABLE; the pool
// then serves the next query on a fresh connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgStore, type PgStore } from '../../src/db/pg/index.js';
import { createTestPgStore } from './test-db.js';

const STATEMENT_MS = 300;
let first: PgStore & { url: string };
let store: PgStore;

beforeAll(async () => {
  first = createTestPgStore();
  await first.ready;
  // One connection, so a session setting reaches the next statement.
  store = createPgStore(first.url, { poolSize: 1, statementMs: STATEMENT_MS });
  await store.ready;
});
afterAll(async () => {
  await store?.close();
  await first?.close();
});

const timed = async (p: Promise<unknown>) => {
  const t0 = performance.now();
  const code = await p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );
  return { code, ms: performance.now() - t0 };
};

describe('a statement the server does not cancel', () => {
  it('alone: given up as UNAVAILABLE 0.5–1 s after the statement timeout; the next query answers', async () => {
    await store.db.run('SET statement_timeout = 0');
    const { code, ms } = await timed(store.db.one('SELECT pg_sleep(5)'));
    expect(code).toBe('UNAVAILABLE');
    expect(ms).toBeGreaterThanOrEqual(STATEMENT_MS + 450);
    expect(ms).toBeLessThan(STATEMENT_MS + 1500);
    expect(await store.db.one<{ ok: number }>('SELECT 1 AS ok')).toEqual({ ok: 1 });
  });

  it('in a transaction: the same, and a transaction of quick statements outliving the deadline is left alone', async () => {
    const slow = store.db.read(async (q) => {
      await q.run('SET LOCAL statement_timeout = 0');
      return q.one('SELECT pg_sleep(5)');
    });
    const { code, ms } = await timed(slow);
    expect(code).toBe('UNAVAILABLE');
    expect(ms).toBeLessThan(STATEMENT_MS + 1500);
    const long = await timed(
      store.db.read(async (q) => {
        for (let i = 0; i < 8; i++) await q.one('SELECT pg_sleep(0.2)');
      }),
    );
    expect(long.code).toBe('ok');
    expect(long.ms).toBeGreaterThan(STATEMENT_MS + 1000);
  });
});
