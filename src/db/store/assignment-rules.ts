// The assignment rules, each written once and checked inside the unit of work that writes. Every change of
// an assignment records one audit event; nothing is recorded for what was already so.
import { notFound } from '../../core/errors.js';
import type { AnyTypeRef, ResourceInput } from '../../core/ports.js';
import type { Audit } from '../../core/types.js';
import type { Db, Q } from './db.js';
import { labelInWorkspace, writeEvent } from './label-rows.js';
import { findResource, type ResourceRow } from './resource-rows.js';
import { json } from './rows.js';

/** Labels are of the workspace: the first one that is not is NOT_FOUND(label). */
export async function requireLabels(db: Db, q: Q, ws: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  if (ids.length === 1) {
    // The common case (one label): a point read by key instead of a list parameter.
    if (!(await labelInWorkspace(q, ws, ids[0]!))) throw notFound('label', ids[0]!);
    return;
  }
  const rows = await q.all<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND ${db.sql.inList('id', 'int')}`, ws, db.sql.list(ids));
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw notFound('label', missing);
}

/** The resource; an unknown one is created (its row RETURNed, not re-read) only when `create`, else NOT_FOUND(resource). */
export async function ensureResource(q: Q, ws: number, input: ResourceInput, create: boolean, at: number): Promise<ResourceRow> {
  const found = await findResource(q, ws, input);
  if (found) return found;
  if (!create) throw notFound('resource', input.externalId);
  return (await q.one<ResourceRow>(
    `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?) RETURNING *`,
    ws, input.type, input.externalId, input.name ?? null, input.status ?? null, json(input.attributes ?? {}), at, at,
  ))!;
}

/**
 * The resources an unassign acts on: the one of that type, or (type omitted) every type carrying the
 * external id. None is NOT_FOUND(resource) unless `missingOk`.
 */
export async function resourcesToUnassign(q: Q, ws: number, ref: AnyTypeRef, missingOk: boolean): Promise<ResourceRow[]> {
  const found =
    ref.type === undefined
      ? await q.all<ResourceRow>(`SELECT * FROM resources WHERE workspace_id = ? AND external_id = ? ORDER BY id`, ws, ref.externalId)
      : [await findResource(q, ws, { type: ref.type, externalId: ref.externalId })].filter((r): r is ResourceRow => r !== undefined);
  if (found.length === 0 && !missingOk) throw notFound('resource', ref.externalId);
  return found;
}

/** What an assignment rule needs of a resource: its id, and its reference for the event. */
type AssignedResource = Pick<ResourceRow, 'id' | 'type' | 'external_id'>;

/** The resource as an assignment event records it. */
const eventRef = (r: AssignedResource) => ({ resource: { type: r.type, id: r.external_id } });

/**
 * Assigns the label; true, with a 'label.assigned' event, only when it was not assigned already. The assignment
 * keeps what a label's pages order by (the resource's type, creation time, external id, name), copied from the
 * resource's row by its key in the same statement, whatever the caller read of it.
 */
export async function addAssignment(q: Q, ws: number, labelId: number, res: AssignedResource, audit: Audit): Promise<boolean> {
  const { changes } = await q.run(
    `INSERT INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id, resource_name)
     SELECT ?, r.id, ?, r.type, r.created_at, r.external_id, r.name FROM resources r WHERE r.id = ? ON CONFLICT DO NOTHING`,
    labelId, audit.at, res.id,
  );
  if (changes === 0) return false;
  await writeEvent(q, ws, audit, 'label.assigned', labelId, null, eventRef(res));
  return true;
}

/** Removes the label; true, with a 'label.unassigned' event, only when it was assigned. */
export async function removeAssignment(q: Q, ws: number, labelId: number, res: AssignedResource, audit: Audit): Promise<boolean> {
  const { changes } = await q.run(`DELETE FROM assignments WHERE label_id = ? AND resource_id = ?`, labelId, res.id);
  if (changes === 0) return false;
  await writeEvent(q, ws, audit, 'label.unassigned', labelId, eventRef(res), null);
  return true;
}

/** Assign with replace: the resource loses every label not in `keep`, one event each (in label id order). */
export async function removeOtherLabels(q: Q, ws: number, res: ResourceRow, keep: number[], audit: Audit): Promise<void> {
  const kept = new Set(keep);
  const current = await q.all<{ label_id: number }>(`SELECT label_id FROM assignments WHERE resource_id = ? ORDER BY label_id`, res.id);
  for (const { label_id } of current) if (!kept.has(label_id)) await removeAssignment(q, ws, label_id, res, audit);
}
