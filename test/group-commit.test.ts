// Writes that arrive in the same turn of the event loop share one COMMIT (Statements.write). Each must still be
// atomic on its own, and nobody may hear of a write before it is committed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Statements } from '../src/db/sqlite/driver.js';

let dir: string;
let db: Database.Database;
let other: Database.Database; // another connection to the same file: sees committed data only
let s: Statements;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelmux-group-'));
  db = new Database(join(dir, 'db.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
  other = new Database(join(dir, 'db.sqlite'));
  s = new Statements(db);
});
afterEach(() => {
  db.close();
  other.close();
  rmSync(dir, { recursive: true, force: true });
});

const committed = () => (other.prepare('SELECT name FROM t ORDER BY name').pluck().all() as string[]).join(',');
const insert = (name: string) => () => void s.run('INSERT INTO t (name) VALUES (?)', name);

describe('group commit', () => {
  it('commits the writes of one turn together, and settles each only once committed', async () => {
    const seen: string[] = [];
    const writes = ['a', 'b', 'c'].map((n) => s.write(insert(n)).then(() => seen.push(committed())));
    expect(committed()).toBe(''); // all three ran, none is committed yet
    expect(db.inTransaction).toBe(true);
    await Promise.all(writes);
    expect(seen).toEqual(['a,b,c', 'a,b,c', 'a,b,c']);
    expect(db.inTransaction).toBe(false);
  });

  it('rolls back a failing write alone: its promise rejects, the others of its group commit', async () => {
    const ok1 = s.write(insert('a'));
    const bad = s.write(() => {
      insert('b')();
      insert('a')(); // duplicate key: the whole write is undone, 'b' included
    });
    const ok2 = s.write(insert('c'));
    await expect(bad).rejects.toThrow(/UNIQUE/);
    await Promise.all([ok1, ok2]);
    expect(committed()).toBe('a,c');
  });

  it('runs a write inside another write as part of it', async () => {
    await s.write(() => {
      insert('outer')();
      void s.write(insert('inner'));
    });
    expect(committed()).toBe('inner,outer');
  });

  it('joins a transaction begun by someone else on the connection instead of failing', async () => {
    const count = () => s.memo('count', () => (s.one<{ n: number }>('SELECT count(*) AS n FROM t')!).n);
    db.exec('BEGIN');
    expect(count()).toBe(0);
    await s.write(() => void db.prepare('INSERT INTO t (name) VALUES (?)').run('x')); // no s.run: only write() marks the change
    expect(count()).toBe(1); // the remembered count did not outlive the write
    expect(committed()).toBe('');
    db.exec('ROLLBACK');
    expect(committed()).toBe('');
  });

  it('commits an open group on flush (before the database closes)', () => {
    void s.write(insert('late'));
    s.flush();
    expect(committed()).toBe('late');
    expect(db.inTransaction).toBe(false);
  });

  it('starts a new group once the last one committed', async () => {
    await s.write(insert('a'));
    await s.write(insert('b'));
    expect(committed()).toBe('a,b');
  });
});
