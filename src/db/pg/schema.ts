// PostgreSQL schema (drizzle), the same tables, keys and indexes as the SQLite one (../schema.ts). Times are
// UTC milliseconds (bigint); ids are bigint too. Text columns use the "C" collation so comparisons and ORDER BY are byte-wise,
// exactly like SQLite's default BINARY collation, whatever the database's locale. JSON is stored as text
// (like SQLite) so key order round-trips unchanged.
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, bigint, bigserial, check, customType, index, integer, pgTable, primaryKey, uniqueIndex } from 'drizzle-orm/pg-core';

/** text COLLATE "C". */
const text = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});
const ms = (name: string) => bigint(name, { mode: 'number' });
/** Ids are 64-bit, as SQLite's INTEGER PRIMARY KEY (so any id a client sends can be looked up). */
const id = (name: string) => bigint(name, { mode: 'number' });

export const workspaces = pgTable('workspaces', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  uuid: text('uuid').notNull().unique(),
  name: text('name').notNull(),
  createdAt: ms('created_at').notNull(),
});

export const users = pgTable('users', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  email: text('email').notNull(),
  /** Lowercased email: uniqueness is case-insensitive. */
  emailKey: text('email_key').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash'),
  createdAt: ms('created_at').notNull(),
});

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: id('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: id('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index('memberships_user_idx').on(t.userId, t.createdAt),
    check('memberships_role_check', sql`${t.role} in ('owner','admin','member','viewer')`),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: id('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: id('workspace_id').references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    keyHash: text('key_hash').notNull().unique(),
    createdAt: ms('created_at').notNull(),
    revokedAt: ms('revoked_at'),
  },
  (t) => [index('api_keys_user_idx').on(t.userId), index('api_keys_workspace_idx').on(t.workspaceId)],
);

export const labels = pgTable(
  'labels',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: id('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    parentId: id('parent_id').references((): AnyPgColumn => labels.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Case-folded name; unique among siblings for labels without a time span. */
    nameKey: text('name_key').notNull(),
    color: text('color'),
    description: text('description').notNull().default(''),
    startsAt: ms('starts_at'),
    endsAt: ms('ends_at'),
    extras: text('extras').notNull().default('{}'),
    createdBy: id('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    /**
     * 1 while the label is a category (top level, no time span, a child): kept by triggers (migration 0003).
     */
    isCategory: integer('is_category').notNull().default(0),
  },
  (t) => [
    uniqueIndex('labels_sibling_name_uq')
      .on(t.workspaceId, sql`coalesce(${t.parentId}, 0)`, t.nameKey)
      .where(sql`${t.startsAt} is null`),
    // A workspace's labels in id order, without a sort (limbo's default order).
    index('labels_workspace_idx').on(t.workspaceId, t.id),
    index('labels_workspace_created_idx').on(t.workspaceId, t.createdAt, t.id),
    index('labels_workspace_name_idx').on(t.workspaceId, t.nameKey, t.id),
    index('labels_workspace_start_idx').on(t.workspaceId, t.startsAt, t.id),
    index('labels_parent_idx').on(t.parentId),
    // See the SQLite schema for why each of these exists.
    index('labels_workspace_updated_idx').on(t.workspaceId, t.updatedAt, t.id),
    index('labels_workspace_parent_idx').on(t.workspaceId, t.parentId, t.nameKey),
    index('labels_created_by_idx').on(t.createdBy),
    index('labels_categories_idx').on(t.workspaceId, t.name, t.id).where(sql`${t.isCategory} = 1`),
  ],
);

export const resources = pgTable(
  'resources',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: id('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    externalId: text('external_id').notNull(),
    name: text('name'),
    status: text('status'),
    attributes: text('attributes').notNull().default('{}'),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('resources_ref_uq').on(t.workspaceId, t.type, t.externalId),
    index('resources_workspace_created_idx').on(t.workspaceId, t.type, t.createdAt, t.id),
    index('resources_workspace_external_idx').on(t.workspaceId, t.externalId),
    // Nulls first, as the pages order them (ascending; a backward walk gives descending, nulls last).
    index('resources_workspace_name_idx').on(t.workspaceId, t.type, sql`lower(${t.name}) nulls first`, t.id),
    index('resources_workspace_updated_idx').on(t.workspaceId, t.type, t.updatedAt, t.id),
    index('resources_workspace_status_idx').on(t.workspaceId, t.type, t.status.asc().nullsFirst(), t.externalId, t.id),
    // A page sorted by type (one type: then by id) walks this in order once the table is analyzed. (No index for
    // the size order: its keys cast the attributes to jsonb, which refuses text holding \u0000, so an index on
    // them would refuse such a resource's insert.)
    index('resources_workspace_type_idx').on(t.workspaceId, t.type, t.id),
  ],
);

export const assignments = pgTable(
  'assignments',
  {
    labelId: id('label_id').notNull().references(() => labels.id, { onDelete: 'cascade' }),
    resourceId: id('resource_id').notNull().references(() => resources.id, { onDelete: 'cascade' }),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.labelId, t.resourceId] }), index('assignments_resource_idx').on(t.resourceId, t.labelId)],
);

export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: id('workspace_id').notNull().references(() => workspaces.id, { onDelete: 'cascade' }),
    actorUserId: id('actor_user_id'),
    apiKeyId: id('api_key_id'),
    dialect: text('dialect').notNull(),
    action: text('action').notNull(),
    labelId: id('label_id'),
    before: text('before'),
    after: text('after'),
    at: ms('at').notNull(),
  },
  (t) => [index('events_workspace_idx').on(t.workspaceId, t.id), index('events_label_idx').on(t.labelId)],
);

/** Daily counters (quotas and limits): one row per scope, subject and UTC day, shared by every instance. */
export const counters = pgTable(
  'counters',
  {
    scope: text('scope').notNull(),
    subject: text('subject').notNull(),
    day: text('day').notNull(),
    count: ms('count').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.scope, t.subject, t.day] })],
);

export const oauthTokens = pgTable(
  'oauth_tokens',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    userId: id('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    accessHash: text('access_hash').notNull().unique(),
    refreshHash: text('refresh_hash').notNull().unique(),
    accessExpiresAt: ms('access_expires_at').notNull(),
    refreshExpiresAt: ms('refresh_expires_at').notNull(),
    revokedAt: ms('revoked_at'),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('oauth_tokens_user_idx').on(t.userId, t.refreshExpiresAt)],
);

export const oauthLoginFailures = pgTable(
  'oauth_login_failures',
  {
    emailKey: text('email_key').primaryKey(),
    failures: ms('failures').notNull(),
    lastFailedAt: ms('last_failed_at').notNull(),
    lockedUntil: ms('locked_until').notNull().default(0),
  },
  (t) => [index('oauth_login_failures_last_idx').on(t.lastFailedAt)],
);
