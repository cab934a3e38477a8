// limbo's label SQL and the page-plus-total statements of its lists, shared by both stores (`?` placeholders).
import { notFound } from '../core/errors.js';
import type { LabelSortField, LimboListedLabel, ProductChoice, SortKey } from '../core/ports-limbo.js';
import type { LabelRow } from './sqlite-labels.js';
import { parseJson, type RowReader, type Statements } from './sqlite/driver.js';
import { merge } from '../core/objects.js';

/** A label with its creator, as limbo reads it. */
export const COLUMNS = `l.id, l.workspace_id, l.parent_id, l.name, l.name_key, l.color, l.description, l.starts_at, l.ends_at, l.extras,
  l.created_by, u.name AS created_by_name, u.email AS created_by_email, l.created_at, l.updated_at`;
export const CREATOR = `LEFT JOIN users u ON u.id = l.created_by`;
/** What a list page reads (LimboListedLabel): each column of each row costs its conversion to a JS value. */
export const LIST_COLUMNS = `l.id, l.workspace_id, l.name, l.description, l.extras, l.created_at, l.updated_at`;
export const toListedLabel = (r: Pick<LabelRow, 'id' | 'workspace_id' | 'name' | 'description' | 'extras' | 'created_at' | 'updated_at'>): LimboListedLabel => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  extras: parseJson<Record<string, unknown>>(r.extras) ?? {},
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export const FROM = `FROM labels l ${CREATOR}`;
export const PRODUCT_OF = `SELECT 1 FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE a.label_id = l.id AND r.type = 'product'`;

const SORT: Record<LabelSortField, string> = { name: 'l.name_key', created_at: 'l.created_at', updated_at: 'l.updated_at', id: 'l.id' };
export const labelOrder = (keys: SortKey<LabelSortField>[]) => [...keys.map((k) => `${SORT[k.field]} ${k.desc ? 'DESC' : 'ASC'}`), 'l.id ASC'].join(', ');

/**
 * Linkage: each choice's first external id that is a product of the workspace (`found`: external id →
 * resource id), each product once; NOT_FOUND(resource, ref) for the first choice that names none.
 */
export function resolveChoices(choices: ProductChoice[], found: Map<string, number>): { externalId: string; resourceId: number }[] {
  const out = new Map<number, string>();
  for (const c of choices) {
    const externalId = c.externalIds.find((x) => found.has(x));
    if (externalId === undefined) throw notFound('resource', c.ref);
    if (!out.has(found.get(externalId)!)) out.set(found.get(externalId)!, externalId);
  }
  return [...out].map(([resourceId, externalId]) => ({ externalId, resourceId }));
}

/** Every external id the choices may stand for, once each. */
export const candidateIds = (choices: ProductChoice[]): string[] => [...new Set(choices.flatMap((c) => c.externalIds))];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Two-level merge: {usage:{download:false}} into {usage:{…}, other:…} keeps the other flags and keys. */
export function mergeExtras(stored: Record<string, unknown>, patch: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const out = merge(stored, {});
  for (const [k, v] of Object.entries(patch)) out[k] = isObject(out[k]) ? merge(out[k], v) : merge(v, {});
  return out;
}

/**
 * One page and the total of one filtered selection, for both stores. Two statements, so the page is an
 * indexed `ORDER BY … LIMIT` and the count reads no joined columns: a window function over the whole
 * selection made every page cost as much as reading all rows (3 req/s on 10,000 labels).
 * `from` is the FROM clause the filter needs (the count reads no other table: a LEFT JOIN per counted row
 * tripled its cost); `where` the filter; the page takes `?` limit and offset.
 */
export interface PageSpec {
  columns: string;
  from: string;
  where: string;
  order: string;
  params: unknown[];
  limit: number;
  offset: number;
}

export const pageStatements = (q: PageSpec) => ({
  count: `SELECT count(*) AS total ${q.from} WHERE ${q.where}`,
  page: `SELECT ${q.columns} ${q.from} WHERE ${q.where} ORDER BY ${q.order} LIMIT ? OFFSET ?`,
});

/**
 * SQLite: both statements in one synchronous call (no write can interleave). The total is remembered until
 * the database changes (Statements.memo): counting walks every match, 10,000 index entries for a
 * workspace's labels, while paging on through an unchanged list is the common case.
 */
export function readPage<T, R>(s: Statements, prepare: (sql: string) => RowReader, q: PageSpec, map: (row: T) => R): { items: R[]; total: number } {
  const sql = pageStatements(q);
  const total = s.memo(`${sql.count}\0${JSON.stringify(q.params)}`, () => prepare(sql.count).get<{ total: number }>(...q.params)!.total);
  const rows = prepare(sql.page).all<T>(...q.params, q.limit, q.offset);
  return { items: rows.map(map), total };
}
