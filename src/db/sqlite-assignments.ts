// Resources and assignments on SQLite.
import { notFound } from '../core/errors.js';
import type { AssignmentStore, ResourceInput, ResourceQuery, ResourceRef } from '../core/ports.js';
import type { Audit, LabelSummary, Resource, ResourceWithLabels } from '../core/types.js';
import { labelInWorkspace, writeEvent } from './sqlite-labels.js';
import { json, parseJson, type Statements } from './sqlite/driver.js';

interface ResourceRow {
  id: number;
  workspace_id: number;
  type: string;
  external_id: string;
  name: string | null;
  status: string | null;
  attributes: string;
  created_at: number;
  updated_at: number;
}

export const toResource = (r: ResourceRow): Resource => ({
  id: r.id,
  workspaceId: r.workspace_id,
  type: r.type,
  externalId: r.external_id,
  name: r.name,
  status: r.status,
  attributes: parseJson<Record<string, unknown>>(r.attributes) ?? {},
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A resource and its labels (a member added to the mapped object, not a spread copy: see core/objects.ts). */
export const toResourceWithLabels = (r: ResourceRow, labels: LabelSummary[]): ResourceWithLabels => {
  const out = toResource(r) as ResourceWithLabels;
  out.labels = labels;
  return out;
};

const SORTS: Record<ResourceQuery['sort'], string> = {
  created_at: 'r.created_at',
  name: 'r.name COLLATE NOCASE',
  size: "json_extract(r.attributes, '$.size')",
  id: 'r.external_id',
  type: 'r.type',
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function sqliteAssignmentStore(s: Statements): AssignmentStore {
  const findResource = (ws: number, ref: ResourceRef) =>
    s.one<ResourceRow>(`SELECT * FROM resources WHERE workspace_id = ? AND type = ? AND external_id = ?`, ws, ref.type, ref.externalId);

  /** The resource, created first when unknown and `create`; NOT_FOUND otherwise. */
  const ensureResource = (ws: number, input: ResourceInput, create: boolean, at: number): ResourceRow => {
    const found = findResource(ws, input);
    if (found) return found;
    if (!create) throw notFound('resource', input.externalId);
    // Only ever inside s.write(), which marks the database changed.
    return s.one<ResourceRow>(
      `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING *`,
      ws, input.type, input.externalId, input.name ?? null, input.status ?? null, json(input.attributes ?? {}), at, at,
    )!;
  };

  const labelsOf = (resourceIds: number[]): Map<number, LabelSummary[]> => {
    const out = new Map<number, LabelSummary[]>(resourceIds.map((id) => [id, []]));
    if (resourceIds.length === 0) return out;
    const rows = s.all<{ resource_id: number; id: number; name: string; color: string | null }>(
      `SELECT a.resource_id, l.id, l.name, l.color FROM assignments a JOIN labels l ON l.id = a.label_id
       WHERE a.resource_id IN (SELECT value FROM json_each(?)) ORDER BY a.created_at, l.id`,
      json(resourceIds),
    );
    for (const r of rows) out.get(r.resource_id)!.push({ id: r.id, name: r.name, color: r.color });
    return out;
  };

  const requireLabels = (ws: number, ids: number[]): void => {
    if (ids.length === 0) return;
    if (ids.length === 1) {
      // The common case (one label): a point read instead of a json_each table.
      if (!labelInWorkspace(s, ws, ids[0]!)) throw notFound('label', ids[0]!);
      return;
    }
    const found = new Set(
      s.all<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND id IN (SELECT value FROM json_each(?))`, ws, json(ids)).map((r) => r.id),
    );
    const missing = ids.find((id) => !found.has(id));
    if (missing !== undefined) throw notFound('label', missing);
  };

  const withLabels = (rows: ResourceRow[]): ResourceWithLabels[] => {
    const labels = labelsOf(rows.map((r) => r.id));
    return rows.map((r) => toResourceWithLabels(r, labels.get(r.id)!));
  };

  const ref = (r: ResourceRef) => ({ resource: { type: r.type, id: r.externalId } });

  return {
    async assign(ws, input: ResourceInput, labelIds, opts, audit: Audit) {
      return s.writeContent(() => {
        requireLabels(ws, labelIds);
        const res = ensureResource(ws, input, opts.create, audit.at);
        if (opts.replace) {
          const keep = new Set(labelIds);
          for (const { label_id } of s.all<{ label_id: number }>(`SELECT label_id FROM assignments WHERE resource_id = ?`, res.id)) {
            if (keep.has(label_id)) continue;
            s.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, label_id, res.id);
            writeEvent(s, ws, audit, 'label.unassigned', label_id, ref(input), null);
          }
        }
        for (const id of labelIds) {
          const { changes } = s.run(`INSERT OR IGNORE INTO assignments (label_id, resource_id, created_at) VALUES (?,?,?)`, id, res.id, audit.at);
          if (changes > 0) writeEvent(s, ws, audit, 'label.assigned', id, null, ref(input));
        }
        return opts.answer ? labelsOf([res.id]).get(res.id)! : [];
      });
    },

    async attach(ws, labelId, list, opts, audit) {
      return s.writeContent(() => {
        requireLabels(ws, [labelId]);
        const out: ResourceRef[] = [];
        for (const input of list) {
          const res = ensureResource(ws, input, opts.create, audit.at);
          const { changes } = s.run(`INSERT OR IGNORE INTO assignments (label_id, resource_id, created_at) VALUES (?,?,?)`, labelId, res.id, audit.at);
          if (changes > 0) writeEvent(s, ws, audit, 'label.assigned', labelId, null, ref(input));
          out.push({ type: input.type, externalId: input.externalId });
        }
        return out;
      });
    },

    async detach(ws, labelId, list, audit) {
      return s.writeContent(() => {
        requireLabels(ws, [labelId]);
        const out: ResourceRef[] = [];
        for (const input of list) {
          const res = findResource(ws, input);
          if (!res) continue;
          const { changes } = s.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, res.id);
          if (changes === 0) continue;
          writeEvent(s, ws, audit, 'label.unassigned', labelId, ref(input), null);
          out.push({ type: input.type, externalId: input.externalId });
        }
        return out;
      });
    },

    async unassign(ws, input, labelIds, audit, opts = {}) {
      return s.writeContent(() => {
        const found =
          input.type === undefined
            ? s.all<ResourceRow>(`SELECT * FROM resources WHERE workspace_id = ? AND external_id = ? ORDER BY id`, ws, input.externalId)
            : [findResource(ws, { type: input.type, externalId: input.externalId })].filter((r): r is ResourceRow => r !== undefined);
        if (found.length === 0 && !opts.missingOk) throw notFound('resource', input.externalId);
        requireLabels(ws, labelIds);
        const removed = new Set<number>();
        for (const res of found) {
          for (const id of labelIds) {
            const { changes } = s.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, id, res.id);
            if (changes === 0) continue;
            removed.add(id);
            writeEvent(s, ws, audit, 'label.unassigned', id, ref({ type: res.type, externalId: res.external_id }), null);
          }
        }
        return [...removed];
      });
    },

    async getResource(ws, r) {
      const row = findResource(ws, r);
      return row ? withLabels([row])[0]! : null;
    },

    async listResources(ws, q) {
      if (q.labelId !== undefined && !labelInWorkspace(s, ws, q.labelId)) {
        throw notFound('label', q.labelId);
      }
      const where = ['r.workspace_id = ?'];
      const params: unknown[] = [ws];
      if (q.type !== undefined) {
        where.push('r.type = ?');
        params.push(q.type);
      }
      if (q.types !== undefined) {
        where.push('r.type IN (SELECT value FROM json_each(?))');
        params.push(json(q.types));
      }
      if (q.status !== undefined) {
        where.push('r.status = ?');
        params.push(q.status);
      }
      if (q.labelId !== undefined) {
        where.push('r.id IN (SELECT resource_id FROM assignments WHERE label_id = ?)');
        params.push(q.labelId);
      }
      if (q.search !== undefined) {
        where.push("r.name LIKE ? ESCAPE '\\'");
        params.push(`%${escapeLike(q.search)}%`);
      }
      const cond = where.join(' AND ');
      const dir = q.direction === 'desc' ? 'DESC' : 'ASC';
      const rows = s.all<ResourceRow>(
        `SELECT r.* FROM resources r WHERE ${cond} ORDER BY ${SORTS[q.sort]} ${dir}, r.id ${dir} LIMIT ? OFFSET ?`,
        ...params,
        q.limit,
        q.offset,
      );
      const countSql = `SELECT count(*) AS n FROM resources r WHERE ${cond}`;
      // Counting walks every match; the total is remembered until the database changes (Statements.memo).
      const total = q.omit?.total ? null : s.memo(`resources:${countSql}:${json(params)}`, () => s.one<{ n: number }>(countSql, ...params)!.n);
      const items = q.omit?.labels ? rows.map((r) => toResourceWithLabels(r, [])) : withLabels(rows);
      return { items, total };
    },
  };
}
