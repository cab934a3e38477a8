// setupFiles for the PostgreSQL suites: every `createSqliteStore(':memory:')` — test/helper.ts's
// buildTestApp and the core tests' own stores — gets a fresh PostgreSQL database instead, so the same test
// files run unchanged against both backends. File-backed SQLite stores (restart/backup tests) stay SQLite.
// Tests that peek at the database through `store.sqlite.prepare(sql).get()/.all()` get a synchronous
// stand-in that runs the query through psql on the test's PostgreSQL database.
import { execFileSync } from 'node:child_process';
import { vi } from 'vitest';
import { pgBin } from './pg-server.js';
import { createTestPgStore } from './test-db.js';

/** Runs one statement through psql (from stdin: -c does no interpolation); `?` parameters become psql variables, quoted by psql as literals. */
function psql(url: string, sql: string, params: unknown[], rows: boolean): Record<string, unknown>[] {
  let i = 0;
  const text = sql.replace(/\?/g, () => `:'p${++i}'`);
  const vars = params.flatMap((p, n) => ['-v', `p${n + 1}=${String(p)}`]);
  const statement = rows ? `SELECT coalesce(json_agg(t), '[]') FROM (${text}) t` : text;
  try {
    const out = execFileSync(pgBin('psql'), [url, '-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1', ...vars, '-f', '-'], { input: `${statement};\n`, encoding: 'utf8', stdio: 'pipe' });
    return rows ? (JSON.parse(out) as Record<string, unknown>[]) : [];
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? e);
    // Worded like SQLite's error, which the tests match on.
    if (stderr.includes('violates unique constraint')) throw new Error(`UNIQUE constraint failed (PostgreSQL: ${stderr.trim()})`);
    throw new Error(`PostgreSQL: ${stderr.trim()}`);
  }
}

vi.mock('../../src/db/index.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/db/index.js')>();
  return {
    ...original,
    createSqliteStore: (path: string) => {
      if (path !== ':memory:') return original.createSqliteStore(path);
      const store = createTestPgStore();
      const sqlite = {
        /** "The database goes away": ends the pool, so every later query fails. */
        close: () => void store.close(),
        prepare: (sql: string) => ({
          get: (...p: unknown[]) => psql(store.url, sql, p, true)[0],
          all: (...p: unknown[]) => psql(store.url, sql, p, true),
          run: (...p: unknown[]) => void psql(store.url, sql, p, false),
        }),
      };
      return Object.assign(store, { sqlite });
    },
  };
});
