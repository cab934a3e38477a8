// An online, consistent copy of a SQLite database file (the CLI's `backup`).
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Sqlite } from './open.js';

export interface BackupResult {
  file: string;
  pages: number;
  bytes: number;
}

/**
 * Copies into `<path>.partial-<pid>` and renames it to `path` once complete and checked, so an interrupted
 * backup never leaves a file that looks finished. An existing `path` is refused rather than overwritten.
 * All pages go in one step, i.e. inside one read transaction: a writer in another process would restart a
 * page-by-page backup each time it commits, and in WAL mode one read transaction never blocks writers.
 */
export async function backupTo(sqlite: Sqlite, path: string): Promise<BackupResult> {
  if (existsSync(path)) throw Object.assign(new Error(`${path} already exists; choose a new file name`), { code: 'EEXIST' });
  if (!existsSync(dirname(path))) throw Object.assign(new Error(`the directory of ${path} does not exist`), { code: 'ENOENT' });
  const partial = `${path}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  try {
    const { totalPages } = await sqlite.backup(partial, { progress: () => 0x7fffffff });
    const copy = new Database(partial, { fileMustExist: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    renameSync(partial, path);
    return { file: path, pages: totalPages, bytes: statSync(path).size };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

