// Resources and assignments: assign/unassign one resource's labels, attach/detach one label to many
// resources, read and list resources with their labels. Each write is one unit of work that checks the
// rules of assignment-rules.ts and records one audit event per change; none changes a label row
// ('no-label-rows'), so remembered label totals stand.
import { notFound } from '../../core/errors.js';
import type { AssignmentStore, ResourceQuery, ResourceRef } from '../../core/ports.js';
import type { LabelSummary, ResourceWithLabels } from '../../core/types.js';
import { addAssignment, ensureResource, removeAssignment, removeOtherLabels, requireLabels, resourcesToUnassign } from './assignment-rules.js';
import type { Db, Q } from './db.js';
import { labelInWorkspace } from './label-rows.js';
import { readKeptTotal, type KeptTotal } from './list-query.js';
import { findResource, HAS_LABEL, LABEL_OF_TYPE, largeLabel, toResourceWithLabels, type ResourceRow } from './resource-rows.js';
import { json } from './rows.js';

export function assignmentStore(db: Db): AssignmentStore {
  const withLabels = async (q: Q, rows: ResourceRow[]): Promise<ResourceWithLabels[]> => {
    const labels = await labelsOf(db, q, rows.map((r) => r.id));
    return rows.map((r) => toResourceWithLabels(r, labels.get(r.id)!));
  };

  return {
    async assign(ws, input, labelIds, opts, audit) {
      return db.write(async (q) => {
        await requireLabels(db, q, ws, labelIds);
        const res = await ensureResource(q, ws, input, opts.create, audit.at);
        if (opts.replace) await removeOtherLabels(q, ws, res, labelIds, audit);
        for (const id of labelIds) await addAssignment(q, ws, id, res, audit);
        return opts.answer ? (await labelsOf(db, q, [res.id])).get(res.id)! : [];
      }, 'no-label-rows');
    },

    async attach(ws, labelId, list, opts, audit) {
      return db.write(async (q) => {
        await requireLabels(db, q, ws, [labelId]);
        const out: ResourceRef[] = [];
        for (const input of list) {
          const res = await ensureResource(q, ws, input, opts.create, audit.at);
          await addAssignment(q, ws, labelId, res, audit);
          out.push({ type: input.type, externalId: input.externalId });
        }
        return out;
      }, 'no-label-rows');
    },

    async detach(ws, labelId, list, audit) {
      return db.write(async (q) => {
        await requireLabels(db, q, ws, [labelId]);
        const out: ResourceRef[] = [];
        for (const input of list) {
          const res = await findResource(q, ws, input);
          if (res && (await removeAssignment(q, ws, labelId, res, audit))) out.push({ type: input.type, externalId: input.externalId });
        }
        return out;
      }, 'no-label-rows');
    },

    async unassign(ws, input, labelIds, audit, opts = {}) {
      return db.write(async (q) => {
        const found = await resourcesToUnassign(q, ws, input, opts.missingOk ?? false);
        await requireLabels(db, q, ws, labelIds);
        const removed = new Set<number>();
        for (const res of found) {
          for (const id of labelIds) if (await removeAssignment(q, ws, id, res, audit)) removed.add(id);
        }
        return [...removed];
      }, 'no-label-rows');
    },

    async getResource(ws, ref) {
      const row = await findResource(db, ws, ref);
      return row ? (await withLabels(db, [row]))[0]! : null;
    },

    async listResources(ws, query) {
      return db.read(async (q) => {
        if (query.labelId !== undefined && !(await labelInWorkspace(q, ws, query.labelId))) throw notFound('label', query.labelId);
        const side = await sideOf(q, query);
        const { from, cond, params } = filterOf(db, ws, query, side);
        // Walked in order, the label's assignments hold the page already: its rows are sorted, none skipped.
        const offset = side === 'ordered' ? 0 : query.offset;
        const [lim, limParams] = db.sql.pageLimit(query.limit);
        const rows = await q.all<ResourceRow>(`SELECT r.* ${from} WHERE ${cond} ORDER BY ${orderOf(db, query)} LIMIT ${lim} OFFSET ${db.sql.pageBound}`, ...params, ...limParams, offset);
        // A page with fewer rows than asked ends the selection: it tells the total without counting. A selection
        // the database keeps the number of (page totals below) reads it; any other is counted.
        const ends = rows.length < query.limit && (rows.length > 0 || query.offset === 0);
        const total = query.omit?.total ? null : ends ? query.offset + rows.length : await totalOf(db, q, ws, query, { from, cond, params });
        const items = query.omit?.labels ? rows.map((r) => toResourceWithLabels(r, [])) : await withLabels(q, rows);
        return { items, total };
      });
    },
  };
}

/**
 * Page totals the database keeps (resource_counts, assignment_counts: triggers keep them on every write of
 * resources and assignments, cascades included), described as list pages describe theirs (list-query.ts,
 * KeptTotal). A selection filtered by nothing but the workspace, a label and types is the sum of a few rows read
 * by key: the label's numbers per type (counted only if the label is the workspace's, which the read checked; its
 * resources are its workspace's), or the workspace's per type. Null when another filter (status, name) leaves it
 * to be counted.
 */
function keptTotal(db: Db, query: ResourceQuery): KeptTotal | null {
  if (query.status !== undefined || query.search !== undefined) return null;
  const typeColumn = query.labelId === undefined ? 'c.type' : 'c.resource_type';
  // The types' terms first: a kept total's own parameters come before the workspace's id.
  const [types, keptParams]: [string, unknown[]] =
    query.type !== undefined ? [`${typeColumn} = ? AND `, [query.type]]
      : query.types !== undefined ? [`${db.sql.inList(typeColumn, 'text')} AND `, [db.sql.list(query.types)]]
        : ['', []];
  if (query.labelId === undefined) return { keptTotal: (ws) => `(SELECT sum(c.count) FROM resource_counts c WHERE ${types}c.workspace_id = ${ws})`, keptParams };
  return {
    keptTotal: (ws) => `(SELECT sum(c.count) FROM assignment_counts c WHERE ${types}c.label_id = (SELECT l.id FROM labels l WHERE l.id = ? AND l.workspace_id = ${ws}))`,
    keptParams: [...keptParams, query.labelId],
  };
}

/**
 * The total of a page's selection (`page`): the number kept (keptTotal), or counted — from the label's side when
 * there is a label (its assignments bound the count). Counting walks every match; the count is remembered until
 * the database changes (Db.memo within the read).
 */
async function totalOf(db: Db, q: Q, ws: number, query: ResourceQuery, page: { from: string; cond: string; params: unknown[] }): Promise<number> {
  const kept = keptTotal(db, query);
  if (kept) return readKeptTotal(db, q, kept, [ws]);
  const { from, cond, params } = query.labelId === undefined ? page : filterOf(db, ws, query, 'label');
  const sql = `SELECT count(*) AS n ${from} WHERE ${cond}`;
  return db.memo(`resources:${sql}:${json(params)}`, async () => (await q.one<{ n: number }>(sql, ...params))!.n, 'any', q);
}

/** Each resource's labels, in the order they were assigned. */
async function labelsOf(db: Db, q: Q, resourceIds: number[]): Promise<Map<number, LabelSummary[]>> {
  const out = new Map<number, LabelSummary[]>(resourceIds.map((id) => [id, []]));
  if (resourceIds.length === 0) return out;
  // One resource (a read or an assign's answer): a point read on the index instead of a list parameter.
  const [where, param] = resourceIds.length === 1 ? ['a.resource_id = ?', resourceIds[0]] : [db.sql.inList('a.resource_id', 'int'), db.sql.list(resourceIds)];
  // Each label looked up by key (scalar subqueries): as a join, un-analyzed PostgreSQL guessed a tenth of the
  // assignments for twenty resources and hashed every label of every workspace (90-160 ms at 100,000 labels).
  const rows = await q.all<{ resource_id: number; id: number; name: string; color: string | null }>(
    `SELECT a.resource_id, a.label_id AS id, (SELECT l.name FROM labels l WHERE l.id = a.label_id) AS name, (SELECT l.color FROM labels l WHERE l.id = a.label_id) AS color
     FROM assignments a WHERE ${where} ORDER BY a.created_at, a.label_id`,
    param,
  );
  for (const r of rows) out.get(r.resource_id)!.push({ id: r.id, name: r.name, color: r.color });
  return out;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type Side = 'label' | 'resources' | 'ordered' | null;

/**
 * What a label's assignments keep of their resources for each order of a page of every type, as ORDER BY keys
 * of the same values and collation as orderOf's (each an index ending in the resource id: assignments_label_*_idx).
 * Size is not kept: such a page is sorted.
 */
const KEPT_ORDER: Partial<Record<ResourceQuery['sort'], (db: Db) => string>> = {
  created_at: () => 'a.resource_created_at',
  id: () => 'a.resource_external_id',
  type: () => 'a.resource_type',
  name: (db) => db.sql.nocase('a.resource_name'),
};

/**
 * Which side a label's page of resources is read from, whatever the statistics say. From the label (its
 * assignments by key, then each resource by id) costs the label's size; from the resources of the type in
 * the page's order, testing each for the label, costs the page divided by the label's share of the type.
 * A label on at most MANY resources of the type is read from its side (at most MANY rows, whatever it holds of
 * other types); a larger one from the resources' side. A page of every type filtered by nothing else walks the
 * label's assignments in its order (`ordered`: they keep the resources' keys), offset and page only, whatever the
 * label's size; several types, other filters and the size order are read from the label's side and sorted.
 */
async function sideOf(q: Q, query: ResourceQuery): Promise<Side> {
  if (query.labelId === undefined) return null;
  if (query.type === undefined && query.types === undefined && query.status === undefined && query.search === undefined && KEPT_ORDER[query.sort]) return 'ordered';
  if (query.type === undefined || query.types !== undefined) return 'label';
  return (await largeLabel(q, query.labelId, query.type)) ? 'resources' : 'label';
}

/**
 * The page of a label's resources of every type, as the ids of its assignments walked in the page's order (one
 * of assignments_label_*_idx, backwards for a descending page), the offset skipped there. Ties end in the resource
 * id, as orderOf's in r.id; names with nulls first ascending, last descending, as orderOf's.
 */
function orderedSide(db: Db, query: ResourceQuery): [string, unknown[]] {
  const dir = query.direction === 'desc' ? 'DESC' : 'ASC';
  const nulls = query.sort !== 'name' ? '' : dir === 'ASC' ? ' NULLS FIRST' : ' NULLS LAST';
  const bound = db.sql.pageBound;
  const select = `SELECT a.resource_id FROM assignments a WHERE a.label_id = ? ORDER BY ${KEPT_ORDER[query.sort]!(db)} ${dir}${nulls}, a.resource_id ${dir} LIMIT ${bound} OFFSET ${bound}`;
  return [db.sql.inSelect('r.id', select), [query.labelId, query.limit, query.offset]];
}

/** The label's side of a query: its assignments, of the query's types when it names them (assignments_label_type_idx). */
function labelSide(db: Db, query: ResourceQuery): [string, unknown[]] {
  const sql = (more: string) => db.sql.inSelect('r.id', `SELECT a.resource_id FROM assignments a WHERE a.label_id = ?${more}`);
  if (query.types !== undefined) return [sql(` AND ${db.sql.inList('a.resource_type', 'text')}`), [query.labelId, db.sql.list(query.types)]];
  if (query.type !== undefined) return [db.sql.inSelect('r.id', LABEL_OF_TYPE), [query.labelId, query.type]];
  return [sql(''), [query.labelId]];
}

/**
 * The FROM and WHERE of a resource query and its parameters. From the label's side, the label's assignments
 * are read first and each resource looked up by id (inSelect); the workspace is written `+r.workspace_id`,
 * so no (workspace_id, …) index competes: un-analyzed PostgreSQL guesses an equality keeps 0.5% of the rows,
 * so workspace and type looked like two rows and it walked the whole type testing each for the label.
 */
function filterOf(db: Db, ws: number, query: ResourceQuery, side: Side): { from: string; cond: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...param: unknown[]) => (where.push(sql), params.push(...param));
  if (side === 'label' || side === 'ordered') {
    const [cond, ps] = side === 'label' ? labelSide(db, query) : orderedSide(db, query);
    add(cond, ...ps);
  }
  add(side === 'label' || side === 'ordered' ? '+r.workspace_id = ?' : 'r.workspace_id = ?', ws);
  if (query.type !== undefined) add('r.type = ?', query.type);
  if (query.types !== undefined) add(db.sql.inList('r.type', 'text'), db.sql.list(query.types));
  if (query.status !== undefined) add('r.status = ?', query.status);
  // Case-insensitive like SQLite's LIKE (which folds ASCII only, as SQLite's lower() does).
  if (query.search !== undefined) add(`lower(r.name) LIKE lower(?) ESCAPE '\\'`, `%${escapeLike(query.search)}%`);
  if (side === 'resources') add(HAS_LABEL, query.labelId);
  return { from: 'FROM resources r', cond: where.join(' AND '), params };
}

/**
 * The ORDER BY of a resource query, ties broken by id. NULL sorts first ascending and last descending
 * (SQLite's default, spelled out for PostgreSQL).
 */
function orderOf(db: Db, query: ResourceQuery): string {
  const dir = query.direction === 'desc' ? 'DESC' : 'ASC';
  // Said only for columns that may be null: PostgreSQL walks an index in the page's order only when the nulls
  // go where the index keeps them (nulls first for name; its default, last ascending, elsewhere). Not for size:
  // on SQLite null is first ascending anyway, and PostgreSQL's keys rank by JSON type first (pg/json-order.ts).
  const nulls = query.sort !== 'name' ? '' : dir === 'ASC' ? ' NULLS FIRST' : ' NULLS LAST';
  const keys: Record<ResourceQuery['sort'], () => string[]> = {
    created_at: () => ['r.created_at'],
    name: () => [db.sql.nocase('r.name')],
    size: () => db.sql.jsonOrderKeys('r.attributes', 'size'),
    id: () => ['r.external_id'],
    type: () => ['r.type'],
  };
  // An external id is unique within one type: it ends the order, which resources_ref_uq then gives whole
  // (with the id after it, PostgreSQL sorted the whole type).
  const unique = query.sort === 'id' && query.type !== undefined && query.types === undefined;
  return [...keys[query.sort]().map((k) => `${k} ${dir}${nulls}`), ...(unique ? [] : [`r.id ${dir}`])].join(', ');
}
