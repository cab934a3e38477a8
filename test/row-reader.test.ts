import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { RowReader, rowBuilder } from '../src/db/sqlite/driver.js';

describe('RowReader', () => {
  it('answers the same objects as better-sqlite3, key order included', () => {
    const db = new Database(':memory:');
    db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, "we""ird name" TEXT, "a\\b" REAL, blob BLOB, "constructor" TEXT, "toString" INTEGER)`);
    db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)').run(1, 'x', 1.5, Buffer.from('hi'), 'c', 7);
    db.prepare('INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)').run(2, null, null, null, null, null);
    const sql = 'SELECT * FROM t ORDER BY id';
    const reader = new RowReader(db, sql);
    const expected = db.prepare(sql).all();
    expect(reader.all()).toEqual(expected);
    expect(reader.all().map((r) => Object.keys(r as object))).toEqual(expected.map((r) => Object.keys(r as object)));
    expect(new RowReader(db, `${sql} LIMIT 1`).get()).toEqual(expected[0]);
    expect(new RowReader(db, 'SELECT * FROM t WHERE id = ?').get(3)).toBeUndefined();
    expect(reader.all()[0]).toBeInstanceOf(Object);
  });

  it('keeps a column named __proto__ as a plain property, not as the prototype', () => {
    const db = new Database(':memory:');
    const row = new RowReader(db, `SELECT 1 AS id, '{"polluted":true}' AS "__proto__", 2 AS z`).get<Record<string, unknown>>()!;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row)).toEqual(['id', '__proto__', 'z']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never runs a column name as code', () => {
    const evil = `x": (globalThis.rowBuilderRan = 1), "y`;
    const build = rowBuilder([evil, '}); globalThis.rowBuilderRan = 2; ({']);
    expect(build([1, 2])).toEqual({ [evil]: 1, '}); globalThis.rowBuilderRan = 2; ({': 2 });
    expect((globalThis as Record<string, unknown>).rowBuilderRan).toBeUndefined();
  });

  it('a repeated name keeps its last value, as better-sqlite3 does', () => {
    const db = new Database(':memory:');
    expect(new RowReader(db, 'SELECT 1 AS a, 2 AS a').get()).toEqual(db.prepare('SELECT 1 AS a, 2 AS a').get());
  });
});
