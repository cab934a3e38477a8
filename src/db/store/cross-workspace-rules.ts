// The rules of a label update that may move the label to another workspace, each written once.
import { CoreError } from '../../core/errors.js';
import { merge } from '../../core/objects.js';
import type { LabelMovePatch } from '../../core/ports-cross-workspace.js';
import type { Label } from '../../core/types.js';
import type { Q } from './db.js';
import { labelState, type LabelState } from './label-rows.js';

/** Only a label without sub-labels moves to another workspace (a tree never spans two). */
export async function requireMovable(q: Q, id: number): Promise<void> {
  if (await q.one(`SELECT 1 FROM labels WHERE parent_id = ? LIMIT 1`, id)) {
    throw new CoreError('VALIDATION', 'a label with sub-labels cannot move to another workspace', { field: 'workspace', rule: 'has_children' });
  }
}

/** The label's state after the patch; a label that moves becomes top level in its new workspace. */
export function patchedState(before: Label, patch: LabelMovePatch, moving: boolean): LabelState {
  const next = labelState(before); // a fresh object
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.extras !== undefined) next.extras = mergeExtras(before.extras, patch.extras);
  if (moving) next.parent_id = null;
  return next;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Two-level merge: {usage:{download:false}} into {usage:{…}, other:…} keeps the other flags and keys. */
export function mergeExtras(stored: Record<string, unknown>, patch: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const out = merge(stored, {});
  for (const [k, v] of Object.entries(patch)) out[k] = isObject(out[k]) ? merge(out[k], v) : merge(v, {});
  return out;
}

/**
 * Move across workspaces: each assignment of the label follows it to the resource with the same type and
 * external id in the target workspace, which is created there as a copy (name, status, attributes) when
 * missing. Copies are made in the order of the originals' ids.
 */
export async function relinkAssignments(q: Q, labelId: number, target: number, at: number): Promise<void> {
  await q.run(
    `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at)
     SELECT ?, r.type, r.external_id, r.name, r.status, r.attributes, ?, ? FROM assignments a JOIN resources r ON r.id = a.resource_id
     WHERE a.label_id = ? ORDER BY r.id ON CONFLICT (workspace_id, type, external_id) DO NOTHING`,
    target, at, at, labelId,
  );
  await q.run(
    // The copy found by its whole key, each part a scalar subquery: a join on the original let PostgreSQL
    // without statistics walk the target workspace's resources.
    `UPDATE assignments SET resource_id = (SELECT t.id FROM resources t WHERE t.workspace_id = ?
       AND t.type = (SELECT o.type FROM resources o WHERE o.id = assignments.resource_id)
       AND t.external_id = (SELECT o.external_id FROM resources o WHERE o.id = assignments.resource_id)) WHERE label_id = ?`,
    target, labelId,
  );
  // What the assignments keep of their resources for the label's pages, from the resources they now point to
  // (a copy is created now; one found there has its own time and name).
  await q.run(
    `UPDATE assignments SET resource_created_at = (SELECT r.created_at FROM resources r WHERE r.id = assignments.resource_id),
       resource_name = (SELECT r.name FROM resources r WHERE r.id = assignments.resource_id) WHERE label_id = ?`,
    labelId,
  );
}
