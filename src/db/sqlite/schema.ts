// The SQLite tables (drizzle sqlite-core), built from the one description in ../tables.ts; drizzle-kit
// generates migrations/sqlite from them (`npm run db:generate`).
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { buildTables, type Kit } from '../tables.js';

const kit: Kit<SQLiteTable> = {
  dialect: 'sqlite',
  column: (type, name) => (type === 'text' ? text(name) : type === 'int' ? integer(name) : integer(name).primaryKey({ autoIncrement: true })) as never,
  table: (name, columns, extras) => sqliteTable(name, columns as never, extras as never),
  index, uniqueIndex, primaryKey, check,
  // SQLite's ascending order puts nulls first.
  nullsFirst: (column) => column,
};

export const { workspaces, labelCounts, users, memberships, apiKeys, labels, resources, resourceCounts, assignments, assignmentCounts, events, counters, oauthTokens, oauthLoginFailures } =
  buildTables(kit);
