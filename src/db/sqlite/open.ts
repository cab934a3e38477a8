// Opens the SQLite database, sets the pragmas every connection needs and applies committed migrations.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { explainOpenError, requireSqliteFile, requireWritable } from './file-checks.js';

export type Sqlite = Database.Database;

const MIGRATIONS = fileURLToPath(new URL('../../../migrations/sqlite', import.meta.url));

/**
 * Opens (creating if needed) the database at `path`. A file that is not a SQLite database or that this
 * process cannot write is refused with a DatabaseFileError saying so, never served half-working.
 */
export function openSqlite(path: string): Sqlite {
  const memory = path === ':memory:' || path.startsWith('file::memory:');
  if (memory) return prepare(new Database(path), true);
  let db: Sqlite | undefined;
  try {
    requireSqliteFile(path);
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    // Before the probe: a server writing the same file holds the write lock for a moment at a time.
    db.pragma('busy_timeout = 5000');
    requireWritable(db, path);
    return prepare(db, false);
  } catch (e) {
    db?.close();
    throw explainOpenError(e, path);
  }
}

function prepare(db: Sqlite, memory: boolean): Sqlite {
  // WAL: readers never block the writer. synchronous=NORMAL in WAL keeps every committed transaction across
  // a process crash; only an OS crash or power loss may lose the last commits (see docs/operations.md, "Durability").
  if (!memory) db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(drizzle(db), { migrationsFolder: MIGRATIONS });
  dropStat4(db);
  dropPartialStat1(db);
  return db;
}

/**
 * Statistics are kept only when every index of an analyzed table has its row: an index added by a later
 * migration (after the user's `ANALYZE`) has none, and SQLite then guesses it selective and prefers it over the
 * indexes whose counts it knows (limbo's list of a 10,000-label workspace sorted in a temporary B-tree instead of
 * walked: 970 against 72 µs). The statements are planned well without statistics (test/query-plans.test.ts), so
 * partial ones are dropped at start-up; a full `ANALYZE` is kept.
 */
function dropPartialStat1(db: Sqlite): void {
  const has = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1'`).get();
  if (!has) return;
  const missing = db
    .prepare(
      `SELECT 1 FROM sqlite_schema i WHERE i.type = 'index' AND i.name NOT LIKE 'sqlite_autoindex%'
         AND i.tbl_name IN (SELECT tbl FROM sqlite_stat1 WHERE idx IS NOT NULL)
         AND i.name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL) LIMIT 1`,
    )
    .get();
  if (missing) db.exec('DELETE FROM sqlite_stat1; ANALYZE sqlite_schema;');
}

/**
 * better-sqlite3 builds SQLite with STAT4. Once `ANALYZE` has filled `sqlite_stat4`, SQLite re-plans a
 * prepared statement every time a value is bound to a parameter that meets an indexed column. That costs
 * 20–40 µs per query, several times the query itself, so the statement cache would no longer help. The
 * `sqlite_stat1` row counts stay: they are enough for the planner here. The samples are dropped at start-up,
 * and `ANALYZE sqlite_schema` reloads the statistics without them.
 */
function dropStat4(db: Sqlite): void {
  const has = db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat4'`).get();
  if (!has || !db.prepare('SELECT 1 FROM sqlite_stat4 LIMIT 1').get()) return;
  db.exec('DELETE FROM sqlite_stat4; ANALYZE sqlite_schema;');
}
