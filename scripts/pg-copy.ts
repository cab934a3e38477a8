// A grown SQLite database copied into a fresh PostgreSQL database that stays un-analyzed until the caller says
// so (autovacuum's analyze would otherwise run within a minute of the copy): measure-plans.ts, explain-grown.ts.
import pg from 'pg';
import { createPgStore, createSqliteStore } from '../src/db/index.js';
import { copySqliteToPg } from '../src/db/pg/copy-from-sqlite.js';

const TABLES = ['labels', 'resources', 'assignments', 'events', 'users', 'workspaces', 'memberships', 'api_keys'];

/** Creates database `name` on the server of `adminUrl` (dropping one of that name), migrates it, copies `sqliteFile` in; its URL. */
export async function copyToFreshPg(adminUrl: string, name: string, sqliteFile: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const migrated = createPgStore(url);
  for (const t of TABLES) await migrated.db.run(`ALTER TABLE ${t} SET (autovacuum_enabled = false)`);
  await migrated.close();
  const lite = createSqliteStore(sqliteFile);
  await copySqliteToPg((lite.db as unknown as { sqlite: import('better-sqlite3').Database }).sqlite, url);
  await lite.close();
  return url;
}
