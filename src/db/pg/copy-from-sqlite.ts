// Copies a whole SQLite database into an empty PostgreSQL database (same ids, same rows), for moving an
// installation to the PostgreSQL store and for seeding benchmarks. One transaction: all or nothing; the
// tables are analyzed after it.
import type Database from 'better-sqlite3';
import { parentsFirst } from '../store/transfer-rules.js';
import { snake, TABLES as DESCRIBED } from '../tables.js';
import { PgDb } from './client.js';
import { migratePg } from './index.js';

/**
 * Parents before children (FKs are checked per statement), as described. Tables the database keeps by itself
 * (the counts of labels, of resources per type, of a label's resources per type) are left out: its triggers fill
 * them in as the rows they count are copied.
 */
const TABLES = Object.entries(DESCRIBED).flatMap(([k, t]) => ('kept' in t ? [] : [snake(k)]));
const WITH_ID = Object.entries(DESCRIBED).flatMap(([k, t]) => ('id' in t.columns ? [snake(k)] : []));
const BATCH = 5000;

export interface CopyResult {
  rows: Record<string, number>;
}

export async function copySqliteToPg(sqlite: Database.Database, pgUrl: string): Promise<CopyResult> {
  const db = new PgDb(pgUrl, 1);
  try {
    await migratePg(db);
    const rows: Record<string, number> = {};
    await db.write(async (q) => {
      for (const table of TABLES) {
        if (await q.one(`SELECT 1 FROM ${table} LIMIT 1`)) throw new Error(`the PostgreSQL database is not empty (table ${table} has rows)`);
      }
      for (const table of TABLES) {
        let data = sqlite.prepare(`SELECT * FROM ${table}${WITH_ID.includes(table) ? ' ORDER BY id' : ''}`).all() as Record<string, unknown>[];
        // Parents before children (ids need not be in that order).
        if (table === 'labels') data = parentsFirst(data as { id: number; parent_id: number | null }[]);
        // Table names come from the closed list above; the rows travel as one bound JSON parameter per batch.
        for (let i = 0; i < data.length; i += BATCH) {
          await q.run(`INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, ?::json)`, JSON.stringify(data.slice(i, i + BATCH)));
        }
        if (WITH_ID.includes(table)) {
          await q.run(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce((SELECT max(id) FROM ${table}), 0) + 1, false)`);
        }
        rows[table] = data.length;
      }
    });
    // Statistics at once, rather than after autovacuum's first pass: never analyzed, PostgreSQL guesses every
    // workspace to hold a handful of rows and sorts pages it would otherwise read in index order.
    await db.write((q) => q.run('ANALYZE'));
    return { rows };
  } finally {
    await db.close();
  }
}
