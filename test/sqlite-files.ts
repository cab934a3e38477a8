// SQLite files damaged on purpose, for the tests of refusing and checking them (start-up, `labelmux check`).
import { closeSync, openSync, writeSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Overwrites the cells of the first index page of `table` in a SQLite file with garbage (the file header stays sound). */
export function corruptIndex(file: string, table: string): void {
  const sqlite = new Database(file);
  const pageSize = Number(sqlite.pragma('page_size', { simple: true }));
  const { rootpage } = sqlite.prepare(`SELECT rootpage FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? ORDER BY rootpage LIMIT 1`).get(table) as { rootpage: number };
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize - 16, 0xa5), 0, pageSize - 16, (rootpage - 1) * pageSize + 16);
  } finally {
    closeSync(fd);
  }
}
