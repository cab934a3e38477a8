// A database as an older labelmux left it, for the tests of migrations that fill data in: migrated up to one
// migration, rows written with SQL, then opened by this build's store (which runs the migrations after it).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as sqliteDrizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as sqliteMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as pgDrizzle } from 'drizzle-orm/node-postgres';
import { migrate as pgMigrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { createPgStore, createSqliteStore, type DatabaseStore } from '../src/db/index.js';
import { serverUrl } from './pg/test-db.js';

/** The migrations folder of a database without its migrations after `last` (their journal entries cut too). */
function migrationsUpTo(dialect: 'sqlite' | 'pg', last: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'labelmux-migrations-'));
  cpSync(join(import.meta.dirname, '..', 'migrations', dialect), dir, { recursive: true });
  const journal = JSON.parse(readFileSync(join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === last) + 1);
  writeFileSync(join(dir, 'meta', '_journal.json'), JSON.stringify(journal));
  return dir;
}

/**
 * A SQLite database migrated up to `last` with `rows` written, opened by this build's store for `check`; removed
 * after.
 */
export async function withOlderSqlite(last: string, rows: string[], check: (s: DatabaseStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'labelmux-older-'));
  const migrations = migrationsUpTo('sqlite', last);
  let store: DatabaseStore | undefined;
  try {
    const file = join(dir, 'db.sqlite');
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    sqliteMigrate(sqliteDrizzle(old), { migrationsFolder: migrations });
    for (const sql of rows) old.exec(sql);
    old.close();
    store = createSqliteStore(file);
    await check(store);
  } finally {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(migrations, { recursive: true, force: true });
  }
}

/** The same on a database of the suite's PostgreSQL server, dropped after. */
export async function withOlderPg(last: string, rows: string[], check: (s: DatabaseStore) => Promise<void>): Promise<void> {
  const name = `t_older_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl() });
  await admin.connect();
  const migrations = migrationsUpTo('pg', last);
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  let store: ReturnType<typeof createPgStore> | undefined;
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const old = new pg.Client({ connectionString: url.toString() });
    await old.connect();
    await pgMigrate(pgDrizzle(old), { migrationsFolder: migrations });
    for (const sql of rows) await old.query(sql);
    await old.end();
    store = createPgStore(url.toString());
    await store.ready;
    await check(store);
  } finally {
    await store?.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.end();
    rmSync(migrations, { recursive: true, force: true });
  }
}
