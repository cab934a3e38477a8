// The database every test runs on, chosen for the whole suite by LABELMUX_TEST_DB: `sqlite` (the default:
// a fresh :memory: database per store) or `postgres` (a fresh PostgreSQL database per store, on the server
// test/pg/global-setup.ts starts or LABELMUX_TEST_PG_URL names). `npm test` runs SQLite, `npm run test:pg`
// PostgreSQL. Tests reach the database only through the store's query interface (`store.db`), written in
// SQL both databases accept.
import { createSqliteStore, type DatabaseStore } from '../src/db/index.js';
import { createTestPgStore, freshDatabaseUrl } from './pg/test-db.js';

export const TEST_DB: 'sqlite' | 'postgres' = process.env.LABELMUX_TEST_DB === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = TEST_DB === 'postgres';

/** A store over a fresh, empty database of the suite's kind. */
export function createTestStore(): DatabaseStore {
  return onPostgres ? createTestPgStore() : createSqliteStore(':memory:');
}

/**
 * LABELMUX_DB for a server process or the CLI: `sqliteFile` on SQLite, a fresh PostgreSQL database's URL on
 * PostgreSQL (the same URL on each call with the same file, so a restarted process finds its data).
 */
export async function testDatabase(sqliteFile: string): Promise<string> {
  return onPostgres ? freshDatabaseUrl(sqliteFile) : sqliteFile;
}

/** One row (or undefined) of a query run on the store's database. */
export const peek = <T = Record<string, unknown>>(store: DatabaseStore, sql: string, ...params: unknown[]): Promise<T | undefined> => store.db.one<T>(sql, ...params);
/** Every row of a query run on the store's database. */
export const peekAll = <T = Record<string, unknown>>(store: DatabaseStore, sql: string, ...params: unknown[]): Promise<T[]> => store.db.all<T>(sql, ...params);
