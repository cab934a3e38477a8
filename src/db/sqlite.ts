// Opens the SQLite database, sets the pragmas every connection needs and applies committed migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';

export type Sqlite = Database.Database;

const MIGRATIONS = fileURLToPath(new URL('../../migrations/sqlite', import.meta.url));

export function openSqlite(path: string): Sqlite {
  const memory = path === ':memory:' || path.startsWith('file::memory:');
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL: readers never block the writer. synchronous=NORMAL in WAL keeps every committed transaction across
  // a process crash; only an OS crash or power loss may lose the last commits (see README "Durability").
  if (!memory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(drizzle(db), { migrationsFolder: MIGRATIONS });
  return db;
}
