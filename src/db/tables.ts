// The tables of both databases, described once: columns, keys, indexes and checks. Each driver's schema.ts
// builds its drizzle tables from this (sqlite-core, pg-core), and drizzle-kit generates each database's
// migrations from those (`npm run db:generate`, `npm run db:generate:pg`). A new column or index is one line
// here, then one generated migration per database. Times are UTC milliseconds; column names are the keys in
// snake_case. What the two databases spell differently is named in an index part `{ sqlite, pg }`.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { pgJsonOrderKeys } from './pg/json-order.js';

/** serial: the 64-bit row id (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's bigserial). */
export type ColumnType = 'serial' | 'int' | 'text';
export type OnDelete = 'cascade' | 'set null';

/** A column as both databases have it; each method returns a new description. */
export class Column {
  readonly notNull: boolean = false;
  readonly unique: boolean = false;
  readonly primaryKey: boolean = false;
  readonly value?: string | number;
  /** References `table`.id. */
  readonly references?: { table: string; onDelete: OnDelete };
  constructor(readonly type: ColumnType) {}
  private with(o: Partial<Column>): Column {
    return Object.assign(new Column(this.type), this, o);
  }
  required(): Column { return this.with({ notNull: true }); }
  isUnique(): Column { return this.with({ unique: true }); }
  key(): Column { return this.with({ primaryKey: true }); }
  default(value: string | number): Column { return this.with({ value }); }
  ref(table: string, onDelete: OnDelete): Column { return this.with({ references: { table, onDelete } }); }
}

const serial = () => new Column('serial');
const int = () => new Column('int');
const text = () => new Column('text');
/** JSON as text, so key order round-trips unchanged. */
const json = text;

/** A column expression of an index, given the table's columns. */
export type Expr = (t: Record<string, SQLWrapper>) => SQL;
/**
 * An index part: a column, an expression, or what each database writes (`null`: nothing there). `nullsFirst`:
 * the column ascending, nulls first (SQLite's ascending order anyway; PostgreSQL says it).
 */
export type Part = string | Expr | { sqlite: string | Expr | null; pg: string | Expr | null } | { nullsFirst: string };

export class Index {
  constructor(
    readonly name: string,
    readonly unique: boolean,
    readonly parts: Part[],
    readonly where?: Expr,
    readonly only?: 'sqlite' | 'pg',
  ) {}
  filter(where: Expr): Index { return new Index(this.name, this.unique, this.parts, where, this.only); }
  /** Built on one database only. */
  on(dialect: 'sqlite' | 'pg'): Index { return new Index(this.name, this.unique, this.parts, this.where, dialect); }
}

const index = (name: string, ...parts: Part[]) => new Index(name, false, parts);
const uniqueIndex = (name: string, ...parts: Part[]) => new Index(name, true, parts);
/** Ends a key with the row id: every SQLite index ends in it by itself, PostgreSQL's has to say so. */
const ROW_ID: Part = { sqlite: null, pg: 'id' };

/**
 * The size order's keys: SQLite's json_extract of the member; on PostgreSQL the three ORDER BY keys its driver
 * sorts by (spelled by the one function both use, so the planner matches them), each parsing the attributes
 * as JSON on every insert or change of a resource.
 */
const SIZE_KEYS: Part[] = pgJsonOrderKeys('"attributes"', 'size').map((key, i) => ({
  sqlite: i === 0 ? (t: Record<string, SQLWrapper>) => sql`json_extract(${t.attributes}, '$.size')` : null,
  pg: () => sql.raw(`(${key})`),
}));

export interface Table {
  columns: Record<string, Column>;
  primaryKey?: string[];
  indexes?: Index[];
  checks?: Record<string, Expr>;
  /** Rows the database keeps by itself (triggers) from other tables' rows: a copy of the database leaves them to it. */
  kept?: true;
}

/** Parents before children: the order a copy inserts them in (foreign keys are checked per statement). */
export const TABLES = {
  workspaces: {
    columns: { id: serial(), uuid: text().required().isUnique(), name: text().required(), createdAt: int().required() },
  },
  /**
   * How many labels each workspace holds, kept by the database (triggers hand-written in the label-counts migration
   * of each database): a workspace's row is made with it and goes with it, and every insert, delete (cascades
   * included) and move to another workspace of a label changes it, whichever statement makes the change. A list of
   * all a workspace's labels reads its total here instead of counting them. A table of its own rather than a column
   * of workspaces: a label write then updates this small row, never the workspace's, which credential checks and
   * every row referencing the workspace (labels, resources, events) read or lock. A workspace's number is the sum
   * of its rows (`slot`): on PostgreSQL each transaction adds to one of 16 (its transaction id's), so concurrent
   * label writes to one workspace update different rows rather than each waiting for the other and being retried;
   * SQLite, one writer at a time, keeps slot 0 only.
   */
  labelCounts: {
    columns: { workspaceId: int().required().ref('workspaces', 'cascade'), slot: int().required().default(0), count: int().required().default(0) },
    primaryKey: ['workspaceId', 'slot'],
    kept: true,
  },
  users: {
    columns: {
      id: serial(),
      email: text().required(),
      /** Lowercased email: uniqueness is case-insensitive. */
      emailKey: text().required().isUnique(),
      name: text().required(),
      passwordHash: text(),
      createdAt: int().required(),
    },
  },
  memberships: {
    columns: {
      workspaceId: int().required().ref('workspaces', 'cascade'),
      userId: int().required().ref('users', 'cascade'),
      role: text().required(),
      createdAt: int().required(),
    },
    primaryKey: ['workspaceId', 'userId'],
    indexes: [index('memberships_user_idx', 'userId', 'createdAt')],
    checks: { memberships_role_check: (t) => sql`${t.role} in ('owner','admin','member','viewer')` },
  },
  apiKeys: {
    columns: {
      id: serial(),
      userId: int().required().ref('users', 'cascade'),
      workspaceId: int().ref('workspaces', 'cascade'),
      name: text().required().default(''),
      keyHash: text().required().isUnique(),
      createdAt: int().required(),
      revokedAt: int(),
    },
    indexes: [index('api_keys_user_idx', 'userId'), index('api_keys_workspace_idx', 'workspaceId')],
  },
  labels: {
    columns: {
      id: serial(),
      workspaceId: int().required().ref('workspaces', 'cascade'),
      parentId: int().ref('labels', 'cascade'),
      name: text().required(),
      /** Case-folded name; unique among siblings for labels without a time span. */
      nameKey: text().required(),
      color: text(),
      description: text().required().default(''),
      startsAt: int(),
      endsAt: int(),
      extras: json().required().default('{}'),
      createdBy: int().ref('users', 'set null'),
      createdAt: int().required(),
      updatedAt: int().required(),
      /**
       * 1 while the label is a category (top level, no time span, a child): kept by triggers (hand-written in the
       * categories migration of each database) on every insert, move and delete of a label, so the categories are
       * read without walking the tree.
       */
      isCategory: int().required().default(0),
    },
    indexes: [
      uniqueIndex('labels_sibling_name_uq', 'workspaceId', { sqlite: (t) => sql`ifnull(${t.parentId}, 0)`, pg: (t) => sql`coalesce(${t.parentId}, 0)` }, 'nameKey').filter((t) => sql`${t.startsAt} is null`),
      // A workspace's labels in id order, without a sort (limbo's default order).
      index('labels_workspace_idx', 'workspaceId', ROW_ID),
      index('labels_workspace_created_idx', 'workspaceId', 'createdAt', 'id'),
      index('labels_workspace_name_idx', 'workspaceId', 'nameKey', ROW_ID),
      index('labels_workspace_start_idx', 'workspaceId', 'startsAt', 'id'),
      index('labels_parent_idx', 'parentId'),
      // A list page sorted by last update reads one page in this order instead of sorting the workspace.
      index('labels_workspace_updated_idx', 'workspaceId', 'updatedAt', 'id'),
      // Top-level labels (Razuna's tree), a category by name, a name among siblings, the parents (categories):
      // bounded by workspace and parent whatever the statistics say.
      index('labels_workspace_parent_idx', 'workspaceId', 'parentId', 'nameKey'),
      // Deleting a user sets its labels' created_by to null: found by index, not by scanning every label.
      index('labels_created_by_idx', 'createdBy'),
      // devtodev's categories (top-level, untimed, with a child) in name order: as many entries as categories.
      index('labels_categories_idx', 'workspaceId', 'name', 'id').filter((t) => sql`${t.isCategory} = 1`),
    ],
  },
  resources: {
    columns: {
      id: serial(),
      workspaceId: int().required().ref('workspaces', 'cascade'),
      type: text().required(),
      externalId: text().required(),
      name: text(),
      status: text(),
      attributes: json().required().default('{}'),
      createdAt: int().required(),
      updatedAt: int().required(),
    },
    indexes: [
      uniqueIndex('resources_ref_uq', 'workspaceId', 'type', 'externalId'),
      index('resources_workspace_created_idx', 'workspaceId', 'type', 'createdAt', 'id'),
      // A resource by external id of any type (Razuna's assets).
      index('resources_workspace_external_idx', 'workspaceId', 'externalId'),
      // The orders a page of one type may be read in, without sorting the whole type (Livestorm's library,
      // limbo's products); names case-insensitively, nulls first as the pages order them.
      index('resources_workspace_name_idx', 'workspaceId', 'type', { sqlite: (t) => sql`${t.name} collate nocase`, pg: (t) => sql`lower(${t.name}) nulls first` }, 'id'),
      // By size: SQLite's json_extract, PostgreSQL's three keys of the same order (pg/json-order.ts).
      index('resources_workspace_size_idx', 'workspaceId', 'type', ...SIZE_KEYS, 'id'),
      index('resources_workspace_updated_idx', 'workspaceId', 'type', 'updatedAt', 'id'),
      index('resources_workspace_status_idx', 'workspaceId', 'type', { nullsFirst: 'status' }, 'externalId', 'id'),
      // A page sorted by type (one type: then by id) walks this in order (SQLite sorted the whole type by id).
      index('resources_workspace_type_idx', 'workspaceId', 'type', 'id'),
    ],
  },
  /**
   * How many resources of each type each workspace holds, kept by the database (triggers hand-written in the
   * page-counts migration of each database): every insert, delete (cascades included) and change of workspace or
   * type of a resource changes it, whichever statement makes the change. A page of all of a workspace's resources
   * of a type (Livestorm's library, limbo's products) reads its total here instead of counting them. A (workspace,
   * type)'s number is the sum of its rows (`slot`), made as its first resource is counted (and deleted with the
   * workspace); on PostgreSQL each transaction adds to one of 16 (its transaction id's), as in label_counts.
   */
  resourceCounts: {
    columns: {
      workspaceId: int().required().ref('workspaces', 'cascade'),
      type: text().required(),
      slot: int().required().default(0),
      count: int().required().default(0),
    },
    primaryKey: ['workspaceId', 'type', 'slot'],
    kept: true,
  },
  assignments: {
    columns: {
      labelId: int().required().ref('labels', 'cascade'),
      resourceId: int().required().ref('resources', 'cascade'),
      createdAt: int().required(),
      /**
       * The resource's type, copied from it when the assignment is written (a resource's type never changes: it
       * is part of its reference), so a label's resources of one type are read and counted from the label.
       */
      resourceType: text().required(),
      /**
       * The resource's creation time, external id and name, copied from it when the assignment is written, so a
       * label's page of every type walks the label's assignments in the page's order (indexes below). A trigger
       * (`assignments_resource_keys_changed`, hand-written in the label-orders migrations) changes them with the
       * resource's (the admin API's upsert renames); a label moved to another workspace copies them from the
       * resources its assignments move to.
       */
      resourceCreatedAt: int().required(),
      resourceExternalId: text().required(),
      resourceName: text(),
    },
    primaryKey: ['labelId', 'resourceId'],
    indexes: [
      index('assignments_resource_idx', 'resourceId', 'labelId'),
      // A label's resources of one type (a page of them, their count, whether there are more than a few); of
      // every type sorted by type (then by resource id).
      index('assignments_label_type_idx', 'labelId', 'resourceType', 'resourceId'),
      // A label's resources of every type in the other orders of a page (Jotform's label resources): by creation,
      // by external id, by name ignoring case with nulls first, as resources_workspace_*_idx order one type.
      index('assignments_label_created_idx', 'labelId', 'resourceCreatedAt', 'resourceId'),
      index('assignments_label_external_idx', 'labelId', 'resourceExternalId', 'resourceId'),
      index('assignments_label_name_idx', 'labelId', { sqlite: (t) => sql`${t.resourceName} collate nocase`, pg: (t) => sql`lower(${t.resourceName}) nulls first` }, 'resourceId'),
    ],
  },
  /**
   * How many resources of each type each label is on (its assignments by `resource_type`), kept by the database
   * like resource_counts: every insert, delete (cascades of a label, a resource, a workspace included) and change
   * of label or type of an assignment changes it. A label's page of one type (Livestorm's items, limbo's
   * products) reads its total here, a page of all types (Jotform) the sum of the label's rows. Rows are made as
   * the label's first assignment of a type is counted and deleted with the label; summed over the slots (16 on
   * PostgreSQL, so concurrent assigns to one popular label update different rows).
   */
  assignmentCounts: {
    columns: {
      labelId: int().required().ref('labels', 'cascade'),
      resourceType: text().required(),
      slot: int().required().default(0),
      count: int().required().default(0),
    },
    primaryKey: ['labelId', 'resourceType', 'slot'],
    kept: true,
  },
  events: {
    columns: {
      id: serial(),
      workspaceId: int().required().ref('workspaces', 'cascade'),
      actorUserId: int(),
      apiKeyId: int(),
      dialect: text().required(),
      action: text().required(),
      labelId: int(),
      before: json(),
      after: json(),
      at: int().required(),
    },
    indexes: [index('events_workspace_idx', 'workspaceId', 'id'), index('events_label_idx', 'labelId')],
  },
  /** Daily counters (quotas and limits): one row per scope, subject and UTC day. */
  counters: {
    columns: { scope: text().required(), subject: text().required(), day: text().required(), count: int().required().default(0) },
    primaryKey: ['scope', 'subject', 'day'],
  },
  /**
   * OAuth tokens (POST /oauth/token): only SHA-256 hashes are stored. A refresh rotates the pair: the old row
   * is revoked and a new one inserted. Expired rows of a user are swept when it logs in again.
   */
  oauthTokens: {
    columns: {
      id: serial(),
      userId: int().required().ref('users', 'cascade'),
      accessHash: text().required().isUnique(),
      refreshHash: text().required().isUnique(),
      accessExpiresAt: int().required(),
      refreshExpiresAt: int().required(),
      revokedAt: int(),
      createdAt: int().required(),
    },
    indexes: [index('oauth_tokens_user_idx', 'userId', 'refreshExpiresAt')],
  },
  /**
   * Failed password grants per (case-folded) email, known or not, so repeated failures are slowed down
   * without revealing which emails exist. A success clears the row; stale rows are swept on later failures.
   */
  oauthLoginFailures: {
    columns: { emailKey: text().key(), failures: int().required(), lastFailedAt: int().required(), lockedUntil: int().required().default(0) },
    indexes: [index('oauth_login_failures_last_idx', 'lastFailedAt')],
  },
} satisfies Record<string, Table>;

export type TableKey = keyof typeof TABLES;

/** `createdAt` → `created_at`: the SQL name of a table or column key. */
export const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The methods of a drizzle column builder the build calls (sqlite-core's and pg-core's alike). */
export interface ColumnBuilder {
  notNull(): ColumnBuilder;
  unique(): ColumnBuilder;
  primaryKey(): ColumnBuilder;
  default(value: string | number): ColumnBuilder;
  references(ref: () => SQLWrapper, actions: { onDelete: OnDelete }): ColumnBuilder;
}

/** An index being built, as drizzle's sqlite-core and pg-core have it. */
interface IndexBuilder {
  on(...parts: never[]): { where(condition: SQL): unknown };
}

/** What a driver's schema.ts gives the build: its drizzle functions. */
export interface Kit<T> {
  readonly dialect: 'sqlite' | 'pg';
  /** A column of `type` named `name`; a serial is the primary key already. */
  column(type: ColumnType, name: string): ColumnBuilder;
  table(name: string, columns: Record<string, ColumnBuilder>, extras: (t: Record<string, SQLWrapper>) => unknown[]): T;
  index(name: string): IndexBuilder;
  uniqueIndex(name: string): IndexBuilder;
  primaryKey(config: { columns: never[] }): unknown;
  check(name: string, condition: SQL): unknown;
  /** The column ascending, nulls first. */
  nullsFirst(column: SQLWrapper): unknown;
}

/** Every table of TABLES, built with the kit's drizzle functions. */
export function buildTables<T>(kit: Kit<T>): Record<TableKey, T> {
  const built = {} as Record<TableKey, T>;
  const part = (t: Record<string, SQLWrapper>, p: Part): unknown => {
    if (typeof p === 'string') return t[p];
    if (typeof p === 'function') return p(t);
    if ('nullsFirst' in p) return kit.nullsFirst(t[p.nullsFirst]!);
    const mine = p[kit.dialect];
    return typeof mine === 'string' ? t[mine] : mine === null ? null : mine(t);
  };
  for (const [key, table] of Object.entries(TABLES) as [TableKey, Table][]) {
    const columns: Record<string, ColumnBuilder> = {};
    for (const [name, c] of Object.entries(table.columns)) {
      let b = kit.column(c.type, snake(name));
      if (c.primaryKey) b = b.primaryKey();
      if (c.notNull) b = b.notNull();
      if (c.unique) b = b.unique();
      if (c.value !== undefined) b = b.default(c.value);
      const ref = c.references;
      if (ref) b = b.references(() => (built[ref.table as TableKey] as Record<string, SQLWrapper>).id!, { onDelete: ref.onDelete });
      columns[name] = b;
    }
    built[key] = kit.table(snake(key), columns, (t) => [
      ...(table.primaryKey ? [kit.primaryKey({ columns: table.primaryKey.map((k) => t[k]) as never[] })] : []),
      ...(table.indexes ?? []).filter((i) => !i.only || i.only === kit.dialect).map((i) => {
        const b = (i.unique ? kit.uniqueIndex : kit.index)(i.name).on(...(i.parts.map((p) => part(t, p)).filter((p) => p !== null) as never[]));
        return i.where ? b.where(i.where(t)) : b;
      }),
      ...Object.entries(table.checks ?? {}).map(([name, condition]) => kit.check(name, condition(t))),
    ]);
  }
  return built;
}
