// Writes that arrive in the same turn of the event loop share one COMMIT (SqliteDb.write over
// src/db/sqlite/driver.ts). Each must still be atomic on its own, run alone on the connection, and nobody may
// hear of a write before it is committed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDb } from '../src/db/sqlite/db.js';
import type { Q } from '../src/db/store/db.js';

let dir: string;
let sqlite: Database.Database;
let other: Database.Database; // another connection to the same file: sees committed data only
let db: SqliteDb;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'labelmux-group-'));
  sqlite = new Database(join(dir, 'db.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('CREATE TABLE t (name TEXT PRIMARY KEY)');
  other = new Database(join(dir, 'db.sqlite'));
  db = new SqliteDb(sqlite);
});
afterEach(() => {
  if (sqlite.open) sqlite.close();
  other.close();
  rmSync(dir, { recursive: true, force: true });
});

const committed = () => (other.prepare('SELECT name FROM t ORDER BY name').pluck().all() as string[]).join(',');
const insert = (name: string) => async (q: Q) => void (await q.run('INSERT INTO t (name) VALUES (?)', name));
const tick = () => new Promise((r) => setImmediate(r));

describe('group commit', () => {
  it('commits the writes of one turn together, and settles each only once committed', async () => {
    const seen: string[] = [];
    const writes = ['a', 'b', 'c'].map((n) => db.write(insert(n)).then(() => seen.push(committed())));
    await Promise.resolve(); // the writes ran (microtasks), the turn has not ended
    await Promise.resolve();
    expect(committed()).toBe('');
    expect(sqlite.inTransaction).toBe(true);
    await Promise.all(writes);
    expect(seen).toEqual(['a,b,c', 'a,b,c', 'a,b,c']);
    expect(sqlite.inTransaction).toBe(false);
  });

  it('rolls back a failing write alone: its promise rejects, the others of its group commit', async () => {
    const ok1 = db.write(insert('a'));
    const bad = db.write(async (q) => {
      await insert('b')(q);
      await insert('a')(q); // duplicate key: the whole write is undone, 'b' included
    });
    const ok2 = db.write(insert('c'));
    await expect(bad).rejects.toThrow(/UNIQUE/);
    await Promise.all([ok1, ok2]);
    expect(committed()).toBe('a,c');
  });

  it('runs writes one at a time: a write awaiting something else holds the connection, the next waits its turn', async () => {
    const order: string[] = [];
    const slow = db.write(async (q) => {
      order.push('slow start');
      await new Promise((r) => setTimeout(r, 30)); // across turns of the event loop
      await insert('slow')(q);
      order.push('slow end');
    });
    const quick = db.write(async (q) => {
      order.push('quick');
      await insert('quick')(q);
    });
    const read = db.one<{ n: number }>('SELECT count(*) AS n FROM t');
    await Promise.all([slow, quick]);
    expect(order).toEqual(['slow start', 'slow end', 'quick']);
    expect(await read).toEqual({ n: 2 }); // the read waited its turn behind the writes queued before it (FIFO)
    expect(committed()).toBe('quick,slow'); // nothing was committed half done
  });

  it('reads on one snapshot (read) never see a write begin in their middle', async () => {
    await db.write(insert('a'));
    const seen = db.read(async (q) => {
      const before = (await q.all('SELECT name FROM t')).length;
      await new Promise((r) => setTimeout(r, 20));
      return [before, (await q.all('SELECT name FROM t')).length];
    });
    const w = db.write(insert('b'));
    expect(await seen).toEqual([1, 1]);
    await w;
    expect(committed()).toBe('a,b');
  });

  it('reads outside a write share one read transaction per turn: another connection\'s commit shows in the next turn', async () => {
    await db.write(insert('a'));
    await tick();
    const names = async () => (await db.all<{ name: string }>('SELECT name FROM t ORDER BY name')).map((r) => r.name).join(',');
    expect(await names()).toBe('a');
    expect(sqlite.inTransaction).toBe(true); // the turn's read transaction
    other.prepare('INSERT INTO t (name) VALUES (?)').run('b');
    expect(await names()).toBe('a'); // the turn's snapshot
    await tick();
    expect(sqlite.inTransaction).toBe(false); // ended with the turn
    expect(await names()).toBe('a,b');
    // A write ends the turn's read transaction first: it writes on the newest snapshot, and is committed alone.
    other.prepare('INSERT INTO t (name) VALUES (?)').run('c');
    await db.write(insert('d'));
    expect(committed()).toBe('a,b,c,d');
    expect(await names()).toBe('a,b,c,d');
    await tick();
    expect(sqlite.inTransaction).toBe(false);
    expect(sqlite.pragma('wal_checkpoint(TRUNCATE)', { simple: true })).toBe(0); // nothing of the turn holds the WAL
  });

  it('a read of its own (read) that outlasts the turn keeps the turn\'s snapshot until it is done', async () => {
    await db.write(insert('a'));
    await tick();
    const names = async (q: Q = db) => (await q.all<{ name: string }>('SELECT name FROM t ORDER BY name')).map((r) => r.name).join(',');
    expect(await names()).toBe('a'); // begins the turn's read transaction
    const seen = db.read(async (q) => {
      const before = await names(q);
      await new Promise((r) => setTimeout(r, 20)); // the turn ends meanwhile
      other.prepare('INSERT INTO t (name) VALUES (?)').run('b');
      return [before, await names(q)];
    });
    expect(await seen).toEqual(['a', 'a']);
    expect(sqlite.inTransaction).toBe(false); // ended once the read let go of the connection
    expect(await names()).toBe('a,b');
  });

  it('joins a transaction begun by someone else on the connection instead of failing', async () => {
    const count = () => db.memo('count', async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM t'))!.n);
    sqlite.exec('BEGIN');
    expect(await count()).toBe(0);
    await db.write(async () => void sqlite.prepare('INSERT INTO t (name) VALUES (?)').run('x')); // not through q: only write() marks the change
    expect(await count()).toBe(1); // the remembered count did not outlive the write
    expect(committed()).toBe('');
    sqlite.exec('ROLLBACK');
    expect(committed()).toBe('');
  });

  it('forgets answers remembered while a group that is then rolled back was open, whatever their scope', async () => {
    sqlite.pragma('foreign_keys = ON');
    sqlite.exec('CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (pid INTEGER REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED)');
    const counts = (['any', 'labels', 'auth'] as const).map((of) => () => db.memo(`count:${of}`, async () => (await db.one<{ n: number }>('SELECT count(*) AS n FROM t'))!.n, of));
    // The foreign key is checked at COMMIT: the whole group is rolled back there.
    const failing = db.write(async (q) => {
      await q.run('INSERT INTO t (name) VALUES (?)', 'gone');
      await q.run('INSERT INTO c (pid) VALUES (?)', 1);
    }, 'content');
    await Promise.resolve();
    expect(await Promise.all(counts.map((c) => c()))).toEqual([1, 1, 1]); // read inside the open group
    await expect(failing).rejects.toThrow();
    expect(committed()).toBe('');
    expect(await Promise.all(counts.map((c) => c()))).toEqual([0, 0, 0]);
  });

  it('commits an open group on close', async () => {
    void db.write(insert('late'));
    await Promise.resolve();
    await db.close();
    expect(committed()).toBe('late');
  });

  it('starts a new group once the last one committed', async () => {
    await db.write(insert('a'));
    await tick();
    await db.write(insert('b'));
    expect(committed()).toBe('a,b');
  });

  it('refuses, rather than queues without end, operations past its bound', async () => {
    let release!: () => void;
    const holder = db.write(() => new Promise<void>((r) => (release = r)));
    const waiting = Array.from({ length: 4096 }, () => db.one('SELECT 1 AS one'));
    // "Storage unavailable" (503 with Retry-After in every dialect), not a generic error.
    await expect(db.one('SELECT 1 AS one')).rejects.toMatchObject({ code: 'UNAVAILABLE', details: { retryAfterSeconds: 1 } });
    release();
    await holder;
    expect(await Promise.all(waiting)).toHaveLength(4096);
  });
});
