// The PostgreSQL tables (drizzle pg-core), built from the one description in ../tables.ts; drizzle-kit
// generates migrations/pg from them (`npm run db:generate:pg`). Ids and times are bigint (64-bit, as SQLite's
// integers), read as JS numbers. Text uses the "C" collation, so comparisons and ORDER BY are byte-wise like
// SQLite's default BINARY collation, whatever the database's locale.
import { bigint, bigserial, check, customType, index, pgTable, primaryKey, uniqueIndex, type ExtraConfigColumn, type PgTable } from 'drizzle-orm/pg-core';
import { buildTables, type Kit } from '../tables.js';

/** text COLLATE "C". */
const text = customType<{ data: string; driverData: string }>({ dataType: () => 'text COLLATE "C"' });

const kit: Kit<PgTable> = {
  dialect: 'pg',
  column: (type, name) => (type === 'text' ? text(name) : type === 'int' ? bigint(name, { mode: 'number' }) : bigserial(name, { mode: 'number' }).primaryKey()) as never,
  table: (name, columns, extras) => pgTable(name, columns as never, extras as never),
  index, uniqueIndex, primaryKey, check,
  nullsFirst: (column) => (column as ExtraConfigColumn).asc().nullsFirst(),
};

export const { workspaces, labelCounts, users, memberships, apiKeys, labels, resources, resourceCounts, assignments, assignmentCounts, events, counters, oauthTokens, oauthLoginFailures } =
  buildTables(kit);
