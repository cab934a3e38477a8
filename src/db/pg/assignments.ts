// Resources and assignments on PostgreSQL (counterpart of ../sqlite-assignments.ts, same behaviour).
import { notFound } from '../../core/errors.js';
import type { AssignmentStore, ResourceInput, ResourceQuery, ResourceRef } from '../../core/ports.js';
import type { Audit, LabelSummary, ResourceWithLabels } from '../../core/types.js';
import { toResource, toResourceWithLabels } from '../sqlite-assignments.js';
import { json } from '../sqlite/driver.js';
import type { PgDb, Q } from './client.js';
import { labelInWorkspace, writeEvent } from './labels.js';

export type ResourceRow = Parameters<typeof toResource>[0];

/** SQLite's ORDER BY json_extract(attributes, '$.size'): NULL (or missing), then numbers, then text. */
const SIZE_TYPE = `jsonb_typeof(r.attributes::jsonb -> 'size')`;
const SIZE_RANK = `CASE ${SIZE_TYPE} WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 WHEN 'string' THEN 2 WHEN 'object' THEN 2 WHEN 'array' THEN 2 ELSE 0 END`;
const SIZE_NUMBER = `CASE ${SIZE_TYPE} WHEN 'number' THEN (r.attributes::jsonb ->> 'size')::numeric WHEN 'boolean' THEN CASE WHEN (r.attributes::jsonb ->> 'size')::boolean THEN 1 ELSE 0 END END`;
const SIZE_TEXT = `CASE WHEN ${SIZE_TYPE} IN ('string', 'object', 'array') THEN r.attributes::jsonb ->> 'size' END`;
const SORTS: Record<ResourceQuery['sort'], (dir: string) => string> = {
  created_at: (d) => `r.created_at ${d}`,
  name: (d) => `lower(r.name) ${d}`,
  size: (d) => `${SIZE_RANK} ${d}, ${SIZE_NUMBER} ${d}, ${SIZE_TEXT} ${d}`,
  id: (d) => `r.external_id ${d}`,
  type: (d) => `r.type ${d}`,
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const findResource = (q: Q, ws: number, ref: ResourceRef) =>
  q.one<ResourceRow>(`SELECT * FROM resources WHERE workspace_id = ? AND type = ? AND external_id = ?`, ws, ref.type, ref.externalId);

export function pgAssignmentStore(db: PgDb): AssignmentStore {
  /** The resource, created first when unknown and `create`; NOT_FOUND otherwise. */
  const ensureResource = async (q: Q, ws: number, input: ResourceInput, create: boolean, at: number): Promise<ResourceRow> => {
    const found = await findResource(q, ws, input);
    if (found) return found;
    if (!create) throw notFound('resource', input.externalId);
    await q.run(
      `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
      ws, input.type, input.externalId, input.name ?? null, input.status ?? null, json(input.attributes ?? {}), at, at,
    );
    return (await findResource(q, ws, input))!;
  };

  const labelsOf = async (q: Q, resourceIds: number[]): Promise<Map<number, LabelSummary[]>> => {
    const out = new Map<number, LabelSummary[]>(resourceIds.map((id) => [id, []]));
    if (resourceIds.length === 0) return out;
    const rows = await q.all<{ resource_id: number; id: number; name: string; color: string | null }>(
      `SELECT a.resource_id, l.id, l.name, l.color FROM assignments a JOIN labels l ON l.id = a.label_id
       WHERE a.resource_id = ANY(?::bigint[]) ORDER BY a.created_at, l.id`,
      resourceIds,
    );
    for (const r of rows) out.get(r.resource_id)!.push({ id: r.id, name: r.name, color: r.color });
    return out;
  };

  const requireLabels = async (q: Q, ws: number, ids: number[]): Promise<void> => {
    if (ids.length === 0) return;
    const found = new Set((await q.all<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND id = ANY(?::bigint[])`, ws, ids)).map((r) => r.id));
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound('label', missing);
  };

  const withLabels = async (q: Q, rows: ResourceRow[]): Promise<ResourceWithLabels[]> => {
    const labels = await labelsOf(q, rows.map((r) => r.id));
    return rows.map((r) => toResourceWithLabels(r, labels.get(r.id)!));
  };

  const ref = (r: ResourceRef) => ({ resource: { type: r.type, id: r.externalId } });
  const INSERT_ASSIGNMENT = `INSERT INTO assignments (label_id, resource_id, created_at) VALUES (?,?,?) ON CONFLICT DO NOTHING`;

  return {
    async assign(ws, input: ResourceInput, labelIds, opts, audit: Audit) {
      return db.write(async (q) => {
        await requireLabels(q, ws, labelIds);
        const res = await ensureResource(q, ws, input, opts.create, audit.at);
        if (opts.replace) {
          const keep = new Set(labelIds);
          for (const { label_id } of await q.all<{ label_id: number }>(`SELECT label_id FROM assignments WHERE resource_id = ? ORDER BY label_id`, res.id)) {
            if (keep.has(label_id)) continue;
            await q.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, label_id, res.id);
            await writeEvent(q, ws, audit, 'label.unassigned', label_id, ref(input), null);
          }
        }
        for (const id of labelIds) {
          const { rowCount } = await q.run(INSERT_ASSIGNMENT, id, res.id, audit.at);
          if (rowCount > 0) await writeEvent(q, ws, audit, 'label.assigned', id, null, ref(input));
        }
        return opts.answer ? (await labelsOf(q, [res.id])).get(res.id)! : [];
      });
    },

    async attach(ws, labelId, list, opts, audit) {
      return db.write(async (q) => {
        await requireLabels(q, ws, [labelId]);
        const out: ResourceRef[] = [];
        for (const input of list) {
          const res = await ensureResource(q, ws, input, opts.create, audit.at);
          const { rowCount } = await q.run(INSERT_ASSIGNMENT, labelId, res.id, audit.at);
          if (rowCount > 0) await writeEvent(q, ws, audit, 'label.assigned', labelId, null, ref(input));
          out.push({ type: input.type, externalId: input.externalId });
        }
        return out;
      });
    },

    async detach(ws, labelId, list, audit) {
      return db.write(async (q) => {
        await requireLabels(q, ws, [labelId]);
        const out: ResourceRef[] = [];
        for (const input of list) {
          const res = await findResource(q, ws, input);
          if (!res) continue;
          const { rowCount } = await q.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, res.id);
          if (rowCount === 0) continue;
          await writeEvent(q, ws, audit, 'label.unassigned', labelId, ref(input), null);
          out.push({ type: input.type, externalId: input.externalId });
        }
        return out;
      });
    },

    async unassign(ws, input, labelIds, audit, opts = {}) {
      return db.write(async (q) => {
        const found =
          input.type === undefined
            ? await q.all<ResourceRow>(`SELECT * FROM resources WHERE workspace_id = ? AND external_id = ? ORDER BY id`, ws, input.externalId)
            : [await findResource(q, ws, { type: input.type, externalId: input.externalId })].filter((r): r is ResourceRow => r !== undefined);
        if (found.length === 0 && !opts.missingOk) throw notFound('resource', input.externalId);
        await requireLabels(q, ws, labelIds);
        const removed = new Set<number>();
        for (const res of found) {
          for (const id of labelIds) {
            const { rowCount } = await q.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, id, res.id);
            if (rowCount === 0) continue;
            removed.add(id);
            await writeEvent(q, ws, audit, 'label.unassigned', id, ref({ type: res.type, externalId: res.external_id }), null);
          }
        }
        return [...removed];
      });
    },

    async getResource(ws, r) {
      return db.read(async (q) => {
        const row = await findResource(q, ws, r);
        return row ? (await withLabels(q, [row]))[0]! : null;
      });
    },

    async listResources(ws, query) {
      return db.read(async (q) => {
        if (query.labelId !== undefined && !(await labelInWorkspace(q, ws, query.labelId))) {
          throw notFound('label', query.labelId);
        }
        const where = ['r.workspace_id = ?'];
        const params: unknown[] = [ws];
        if (query.type !== undefined) (where.push('r.type = ?'), params.push(query.type));
        if (query.types !== undefined) (where.push('r.type = ANY(?::text[])'), params.push(query.types));
        if (query.status !== undefined) (where.push('r.status = ?'), params.push(query.status));
        if (query.labelId !== undefined) (where.push('r.id IN (SELECT resource_id FROM assignments WHERE label_id = ?)'), params.push(query.labelId));
        if (query.search !== undefined) (where.push("lower(r.name) LIKE lower(?) ESCAPE '\\'"), params.push(`%${escapeLike(query.search)}%`));
        const cond = where.join(' AND ');
        const dir = query.direction === 'desc' ? 'DESC' : 'ASC';
        // SQLite sorts NULL first ascending, last descending; so does NULLS FIRST/LAST here.
        const nulls = dir === 'ASC' ? 'NULLS FIRST' : 'NULLS LAST';
        const order = SORTS[query.sort](`${dir} ${nulls}`);
        const rows = await q.all<ResourceRow>(`SELECT r.* FROM resources r WHERE ${cond} ORDER BY ${order}, r.id ${dir} LIMIT ? OFFSET ?`, ...params, query.limit, query.offset);
        const total = query.omit?.total ? null : (await q.one<{ n: number }>(`SELECT count(*) AS n FROM resources r WHERE ${cond}`, ...params))!.n;
        const items = query.omit?.labels ? rows.map((r) => toResourceWithLabels(r, [])) : await withLabels(q, rows);
        return { items, total };
      });
    },
  };
}
