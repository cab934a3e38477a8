// One suite, two databases: LABELMUX_TEST_DB=postgres (`npm run test:pg`) runs every test file on
// PostgreSQL (a throwaway server from test/pg/global-setup.ts unless LABELMUX_TEST_PG_URL names one), plus
// the PostgreSQL-only tests in test/pg/*.pgtest.ts; the default (`npm test`) runs them on SQLite.
import { defineConfig } from 'vitest/config';

const onPostgres = process.env.LABELMUX_TEST_DB === 'postgres';

/** Tests of SQLite itself (its file, its connection, its driver): they would only run SQLite again. */
const SQLITE_ONLY = [
  'test/checkpointer.test.ts',
  'test/group-commit.test.ts',
  'test/row-reader.test.ts',
  'test/count-memo.test.ts',
  'test/ops-reliability.test.ts',
  'test/ops-dockerfile-steps.test.ts',
  'test/reliability-crash.test.ts',
  'test/storage-unavailable.test.ts',
  'test/storage-disk-full.test.ts',
];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', ...(onPostgres ? ['test/pg/**/*.pgtest.ts'] : [])],
    exclude: ['**/node_modules/**', ...(onPostgres ? SQLITE_ONLY : [])],
    globalSetup: onPostgres ? ['test/pg/global-setup.ts'] : [],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
