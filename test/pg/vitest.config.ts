// The PostgreSQL suites (`npm run test:pg`): the core and dialect test files, unchanged, over PostgreSQL
// (see setup-store.ts), plus the PostgreSQL-only tests in test/pg/*.pgtest.ts (several instances).
// LABELMUX_PG_SUITES (comma-separated paths) runs other files instead.
import { defineConfig } from 'vitest/config';

const SUITES = [
  'test/core.test.ts',
  'test/jotform.test.ts',
  'test/razuna.test.ts',
  'test/livestorm.test.ts',
  'test/jotform-clients.test.ts',
  'test/livestorm-clients.test.ts',
  'test/devtodev.test.ts',
  'test/devtodev-limits.test.ts',
  'test/limbo.test.ts',
  'test/limbo-cross.test.ts',
  'test/limbo-query.test.ts',
  'test/limbo-oauth.test.ts',
  'test/limbo-client.test.ts',
  'test/limbo-snippet.test.ts',
  'test/limbo-methods.test.ts',
  'test/admin-api.test.ts',
  'test/store-cross-workspace.test.ts',
  'test/pg/**/*.pgtest.ts',
];

/** Tests about SQLite itself (they spy on better-sqlite3's prepare, or scan sqlite_master): not run here. */
const SQLITE_ONLY = ['runs the filter in SQL, not over every label', 'POST /_admin/api-keys: 201, the key is 32 lowercase hex, shown once, stored only as its SHA-256'];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: process.env.LABELMUX_PG_SUITES?.split(',') ?? SUITES,
    testNamePattern: new RegExp(`^(?!.*(?:${SQLITE_ONLY.map(escape).join('|')}))`),
    globalSetup: ['test/pg/global-setup.ts'],
    setupFiles: ['test/pg/setup-store.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
