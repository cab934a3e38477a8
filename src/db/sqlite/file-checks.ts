// Checks of a SQLite database file before it is served: it is a SQLite database, this process can write it,
// and (on demand) its pages are intact. Each failure is one sentence an operator can act on.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { errorCode } from '../store/db.js';

/** A database file that cannot be served; `message` says what is wrong and what to do. */
export class DatabaseFileError extends Error {
  readonly code = 'EDBFILE';
}

/** The first 16 bytes of every SQLite 3 database file. */
const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses an existing file that is not a SQLite database (SQLite would report it only at the first query,
 * or, for a file it cannot read, not at all). An empty file is a new database, as SQLite treats it.
 */
export function requireSqliteFile(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new DatabaseFileError(`${path} is a directory; name a database file inside it`);
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (size === 0) return;
  const head = Buffer.alloc(HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(HEADER)) {
    throw new DatabaseFileError(`${path} is not a SQLite database (its header is not "SQLite format 3"); point LABELMUX_DB at a labelmux database file or move this file away`);
  }
}

/**
 * Proves this process can write the file: SQLite opens a file it may not write read-only without a word, and
 * in WAL mode even BEGIN IMMEDIATE succeeds; only a page write fails. Rewriting user_version with its own
 * value is such a write, rolled back at once.
 */
export function requireWritable(db: Database.Database, path: string): void {
  try {
    db.exec('BEGIN IMMEDIATE');
    const version = Number(db.pragma('user_version', { simple: true }));
    db.pragma(`user_version = ${version}`);
  } catch (e) {
    const code = errorCode(e);
    if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
      throw new DatabaseFileError(`cannot write ${path} (${(e as Error).message}); give this user write access to the file and its directory, or point LABELMUX_DB elsewhere`);
    }
    throw e;
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}

/** Turns a failure to open the file into an operator's sentence; other errors pass unchanged. */
export function explainOpenError(e: unknown, path: string): unknown {
  if (e instanceof DatabaseFileError) return e;
  const code = errorCode(e);
  const why = (e as Error).message;
  if (code === 'SQLITE_NOTADB') return new DatabaseFileError(`${path} is not a SQLite database (${why}); point LABELMUX_DB at a labelmux database file`);
  if (code.startsWith('SQLITE_CORRUPT')) return new DatabaseFileError(`${path} is corrupt (${why}); restore it from a backup (see "labelmux check" and "labelmux backup")`);
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'ENOENT'].includes(code)) {
    return new DatabaseFileError(`cannot open ${path} for writing (${why}); check that its directory exists or can be created and that this user may write both, or point LABELMUX_DB elsewhere`);
  }
  return e;
}

export type IntegrityMode = 'quick' | 'full';

/**
 * SQLite's own check of every page and index (`integrity_check`), or the faster `quick_check` that skips
 * comparing indexes with their tables. The problems it reports; none when the file is intact.
 */
export function integrityProblems(db: Database.Database, mode: IntegrityMode): string[] {
  let rows: Array<Record<string, string>>;
  try {
    rows = db.pragma(mode === 'full' ? 'integrity_check' : 'quick_check') as Array<Record<string, string>>;
  } catch (e) {
    // A badly damaged file fails the check itself (SQLITE_CORRUPT, SQLITE_NOTADB): that is its finding.
    if (errorCode(e).startsWith('SQLITE_')) return [(e as Error).message];
    throw e;
  }
  // One row per problem, though quick_check may put several in one row, after a '*** in database main ***' line.
  const lines = rows.flatMap((r) => String(Object.values(r)[0]).split('\n')).filter((l) => l !== '' && !/^\*\*\* in database /.test(l));
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}
