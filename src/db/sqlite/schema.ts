// SQLite schema (drizzle). Times are UTC milliseconds. Every lookup a dialect makes has an index here.
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const workspaces = sqliteTable('workspaces', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  uuid: text('uuid').notNull().unique(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  email: text('email').notNull(),
  /** Lowercased email: uniqueness is case-insensitive. */
  emailKey: text('email_key').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  createdAt: integer('created_at').notNull(),
});

export const memberships = sqliteTable(
  'memberships',
  {
    workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['owner', 'admin', 'member', 'viewer'] }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index('memberships_user_idx').on(t.userId, t.createdAt),
    check('memberships_role_check', sql`${t.role} in ('owner','admin','member','viewer')`),
  ],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: integer('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_keys_user_idx').on(t.userId), index('api_keys_workspace_idx').on(t.workspaceId)],
);

export const labels = sqliteTable(
  'labels',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    parentId: integer('parent_id').references((): AnySQLiteColumn => labels.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Case-folded name; unique among siblings for labels without a time span. */
    nameKey: text('name_key').notNull(),
    color: text('color'),
    description: text('description').notNull().default(''),
    startsAt: integer('starts_at'),
    endsAt: integer('ends_at'),
    extras: text('extras', { mode: 'json' }).notNull().$type<Record<string, unknown>>().default({}),
    createdBy: integer('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /**
     * 1 while the label is a category (top level, no time span, a child): kept by triggers (migration 0005) on every
     * insert, move and delete of a label, so the categories are read without walking the tree.
     */
    isCategory: integer('is_category').notNull().default(0),
  },
  (t) => [
    uniqueIndex('labels_sibling_name_uq')
      .on(t.workspaceId, sql`ifnull(${t.parentId}, 0)`, t.nameKey)
      .where(sql`${t.startsAt} is null`),
    // (workspace_id) alone ends in the row id: a workspace's labels in id order, without a sort (limbo's default).
    index('labels_workspace_idx').on(t.workspaceId),
    index('labels_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('labels_workspace_name_idx').on(t.workspaceId, t.nameKey),
    index('labels_workspace_start_idx').on(t.workspaceId, t.startsAt, t.id),
    index('labels_parent_idx').on(t.parentId),
    // A list page sorted by last update reads one page in this order instead of sorting the workspace.
    index('labels_workspace_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    // Top-level labels (Razuna's tree), a category by name, a name among siblings, the parents (categories):
    // bounded by workspace and parent whatever the statistics say.
    index('labels_workspace_parent_idx').on(t.workspaceId, t.parentId, t.nameKey),
    // Deleting a user sets its labels' created_by to null: found by index, not by scanning every label.
    index('labels_created_by_idx').on(t.createdBy),
    // devtodev's categories (top-level, untimed, with a child) in name order: as many entries as categories.
    index('labels_categories_idx').on(t.workspaceId, t.name, t.id).where(sql`${t.isCategory} = 1`),
  ],
);

export const resources = sqliteTable(
  'resources',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name'),
    status: text('status'),
    attributes: text('attributes', { mode: 'json' }).notNull().$type<Record<string, unknown>>().default({}),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('resources_ref_uq').on(t.workspaceId, t.type, t.externalId),
    index('resources_workspace_created_idx').on(t.workspaceId, t.type, t.createdAt, t.id),
    // A resource by external id of any type (Razuna's assets).
    index('resources_workspace_external_idx').on(t.workspaceId, t.externalId),
    // The orders a page of one type may be read in, without sorting the whole type (Livestorm's library,
    // limbo's products).
    index('resources_workspace_name_idx').on(t.workspaceId, t.type, sql`${t.name} collate nocase`, t.id),
    index('resources_workspace_size_idx').on(t.workspaceId, t.type, sql`json_extract(${t.attributes}, '$.size')`, t.id),
    index('resources_workspace_updated_idx').on(t.workspaceId, t.type, t.updatedAt, t.id),
    index('resources_workspace_status_idx').on(t.workspaceId, t.type, t.status, t.externalId, t.id),
  ],
);

export const assignments = sqliteTable(
  'assignments',
  {
    labelId: integer('label_id').notNull().references(() => labels.id, { onDelete: 'cascade' }),
    resourceId: integer('resource_id').notNull().references(() => resources.id, { onDelete: 'cascade' }),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.labelId, t.resourceId] }), index('assignments_resource_idx').on(t.resourceId, t.labelId)],
);

export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    workspaceId: integer('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    actorUserId: integer('actor_user_id'),
    apiKeyId: integer('api_key_id'),
    dialect: text('dialect').notNull(),
    action: text('action').notNull(),
    labelId: integer('label_id'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    at: integer('at').notNull(),
  },
  (t) => [index('events_workspace_idx').on(t.workspaceId, t.id), index('events_label_idx').on(t.labelId)],
);

/** Daily counters (quotas and limits): one row per scope, subject and UTC day. */
export const counters = sqliteTable(
  'counters',
  {
    scope: text('scope').notNull(),
    subject: text('subject').notNull(),
    day: text('day').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.subject, t.day] })],
);

/**
 * limbo's OAuth tokens (POST /oauth/token): only SHA-256 hashes are stored. A refresh rotates the pair:
 * the old row is revoked and a new one inserted. Expired rows of a user are swept when it logs in again.
 */
export const oauthTokens = sqliteTable(
  'oauth_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    accessHash: text('access_hash').notNull().unique(),
    refreshHash: text('refresh_hash').notNull().unique(),
    accessExpiresAt: integer('access_expires_at').notNull(),
    refreshExpiresAt: integer('refresh_expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('oauth_tokens_user_idx').on(t.userId, t.refreshExpiresAt)],
);

/**
 * Failed password grants per (case-folded) email, known or not, so repeated failures are slowed down
 * without revealing which emails exist. A success clears the row; stale rows are swept on later failures.
 */
export const oauthLoginFailures = sqliteTable(
  'oauth_login_failures',
  {
    emailKey: text('email_key').primaryKey(),
    failures: integer('failures').notNull(),
    lastFailedAt: integer('last_failed_at').notNull(),
    lockedUntil: integer('locked_until').notNull().default(0),
  },
  (t) => [index('oauth_login_failures_last_idx').on(t.lastFailedAt)],
);
