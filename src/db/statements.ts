// A cache of prepared statements keyed by SQL text: every query is prepared once and parameterized.
import type Database from 'better-sqlite3';

export class Statements {
  private readonly cache = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.get(sql).all(...params) as T[];
  }

  one<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.get(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.get(sql).run(...params);
  }

  /** Runs fn in one BEGIN IMMEDIATE transaction (no lock upgrades, so no SQLITE_BUSY deadlocks). */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}

export const isUniqueViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'code' in e && ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'].includes((e as { code: string }).code);

export const isForeignKeyViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && 'code' in e && (e as { code: string }).code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

/** Case folding used for name uniqueness (ß and SS fold together). */
export const nameKey = (name: string): string => name.normalize('NFC').toUpperCase().toLowerCase();

export const json = (v: unknown): string => JSON.stringify(v);
export const parseJson = <T>(s: string | null): T => (s === null ? (null as T) : (JSON.parse(s) as T));
