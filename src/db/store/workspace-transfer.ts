// A whole workspace as one document (format labelmux-workspace, version 1): export reads it on one snapshot,
// import writes it into an empty workspace in one unit of work, checked by transfer-rules.ts.
import { merge } from '../../core/objects.js';
import type { AdminStore, ExportedLabel, ExportedResource, WorkspaceExport } from '../../core/ports.js';
import { emailKey } from './admin-rules.js';
import type { Db } from './db.js';
import { writeEvent } from './label-rows.js';
import { json, nameKey, parseJson } from './rows.js';
import { labelTaken, parentsFirst, requireEmptyWorkspace, requireLabelInDocument, requireParentInDocument, requireResourceOnce } from './transfer-rules.js';

interface ResourceRow { rid: number; type: string; id: string; name: string | null; status: string | null; attributes: string; created_at: number; updated_at: number }

export function workspaceTransfer(db: Db): Pick<AdminStore, 'exportWorkspace' | 'importWorkspace'> {
  return {
    async exportWorkspace(ws) {
      return db.read(async (q) => {
        const labels = (
          await q.all<ExportedLabel & { extras: string }>(
            `SELECT l.id, l.parent_id, l.name, l.color, l.description, l.starts_at, l.ends_at, l.extras, u.email AS created_by_email,
               l.created_at, l.updated_at FROM labels l LEFT JOIN users u ON u.id = l.created_by WHERE l.workspace_id = ? ORDER BY l.id`,
            ws,
          )
        ).map((l) => merge(l, { extras: parseJson<Record<string, unknown>>(l.extras) }));
        const assigned = new Map<number, number[]>();
        for (const a of await q.all<{ resource_id: number; label_id: number }>(
          `SELECT a.resource_id, a.label_id FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE r.workspace_id = ? ORDER BY a.resource_id, a.label_id`,
          ws,
        )) {
          assigned.get(a.resource_id)?.push(a.label_id) ?? assigned.set(a.resource_id, [a.label_id]);
        }
        const rows = await q.all<ResourceRow>(
          `SELECT id AS rid, type, external_id AS id, name, status, attributes, created_at, updated_at FROM resources WHERE workspace_id = ? ORDER BY type, external_id`,
          ws,
        );
        const resources = rows.map((r): ExportedResource => ({
          type: r.type, id: r.id, name: r.name, status: r.status, attributes: parseJson<Record<string, unknown>>(r.attributes) ?? {},
          created_at: r.created_at, updated_at: r.updated_at, label_ids: assigned.get(r.rid) ?? [],
        }));
        const { name } = (await q.one<{ name: string }>(`SELECT name FROM workspaces WHERE id = ?`, ws))!;
        return { format: 'labelmux-workspace', version: 1, workspace: { name }, labels, resources } satisfies WorkspaceExport;
      });
    },

    async importWorkspace(ws, doc, audit) {
      return db.write(async (q) => {
        await requireEmptyWorkspace(q, ws);
        const ids = new Set(doc.labels.map((l) => l.id));
        // Ids are kept when every one is free in this database (a restore elsewhere keeps clients' stored ids);
        // when any is taken (a clone in the same database), every label gets a new one and references follow.
        const keep = ids.size === 0 || !(await q.one(`SELECT 1 FROM labels WHERE ${db.sql.inList('id', 'int')} LIMIT 1`, db.sql.list([...ids])));
        const newIds = new Map<number, number>();
        for (const l of parentsFirst(doc.labels)) {
          requireParentInDocument(l, ids);
          const owner = l.created_by_email === null ? undefined : await q.one<{ id: number }>(`SELECT id FROM users WHERE email_key = ?`, emailKey(l.created_by_email));
          const parent = l.parent_id === null ? null : newIds.get(l.parent_id)!;
          const values = [ws, parent, l.name, nameKey(l.name), l.color, l.description, l.starts_at, l.ends_at, json(l.extras), owner?.id ?? null, l.created_at, l.updated_at];
          try {
            const row = keep
              ? await q.one<{ id: number }>(`INSERT INTO labels (id, workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
                  VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`, l.id, ...values)
              : await q.one<{ id: number }>(`INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
                  VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`, ...values);
            newIds.set(l.id, row!.id);
          } catch (e) {
            if (db.sql.isUniqueViolation(e)) throw labelTaken(l);
            throw e;
          }
        }
        const syncIds = db.sql.afterExplicitIds('labels');
        if (keep && syncIds !== null && doc.labels.length > 0) await q.run(syncIds);
        for (const r of doc.resources) {
          await requireResourceOnce(q, ws, r);
          const row = await q.one<{ id: number }>(
            `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING id`,
            ws, r.type, r.id, r.name, r.status, json(r.attributes), r.created_at, r.updated_at,
          );
          for (const labelId of r.label_ids) {
            requireLabelInDocument(r, labelId, ids);
            await q.run(
              `INSERT INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id, resource_name) VALUES (?,?,?,?,?,?,?) ON CONFLICT DO NOTHING`,
              newIds.get(labelId)!, row!.id, audit.at, r.type, r.created_at, r.id, r.name,
            );
          }
        }
        await writeEvent(q, ws, audit, 'workspace.imported', null, null, { labels: doc.labels.length, resources: doc.resources.length });
        return newIds;
      }, 'content');
    },
  };
}
