// The drizzle schemas of both databases are built from one description (src/db/tables.ts); the committed
// migrations must be what drizzle-kit generates from them: the last snapshot of each migrations folder equals
// the schema as drizzle-kit reads it now. A column or index added without `npm run db:generate` and
// `npm run db:generate:pg`, or a change to the build that would alter either database, fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDrizzleJson, generateSQLiteDrizzleJson } from 'drizzle-kit/api';
import { describe, expect, it } from 'vitest';
import * as pgSchema from '../src/db/pg/schema.js';
import * as sqliteSchema from '../src/db/sqlite/schema.js';

const ROOT = join(import.meta.dirname, '..');

/** The newest snapshot of a migrations folder, without what names the migration (ids, drizzle-kit's bookkeeping). */
function lastSnapshot(dialect: 'sqlite' | 'pg'): Record<string, unknown> {
  const dir = join(ROOT, 'migrations', dialect, 'meta');
  const last = readdirSync(dir).filter((f) => f.endsWith('_snapshot.json')).sort().at(-1)!;
  return comparable(JSON.parse(readFileSync(join(dir, last), 'utf8')));
}

const comparable = (snapshot: object): Record<string, unknown> => {
  const { id: _id, prevId: _prev, _meta: _m, ...rest } = snapshot as Record<string, unknown>;
  return rest;
};

describe('schema and migrations', () => {
  it('SQLite: the built schema is the last migration snapshot', async () => {
    expect(comparable(await generateSQLiteDrizzleJson(sqliteSchema))).toEqual(lastSnapshot('sqlite'));
  });

  it('PostgreSQL: the built schema is the last migration snapshot', () => {
    expect(comparable(generateDrizzleJson(pgSchema))).toEqual(lastSnapshot('pg'));
  });

  // SQLite lists a unique column as an index (`…_unique`), PostgreSQL as a constraint.
  // Indexes built on one database only (`.on(…)` in tables.ts): none at present.
  const ONE_DATABASE = new Set<string>([]);
  it('both databases have every table, and the same indexes but those built on one of them', async () => {
    const s = (await generateSQLiteDrizzleJson(sqliteSchema)).tables;
    const p = generateDrizzleJson(pgSchema).tables;
    expect(Object.keys(p).map((k) => k.replace(/^public\./, '')).sort()).toEqual(Object.keys(s).sort());
    for (const [name, t] of Object.entries(s) as [string, { indexes: object }][]) {
      const pgIndexes = Object.keys(p[`public.${name}`]!.indexes).filter((i) => !ONE_DATABASE.has(i));
      expect(Object.keys(t.indexes).filter((i) => !ONE_DATABASE.has(i) && !i.endsWith('_unique')).sort()).toEqual(pgIndexes.sort());
    }
  });
});
