// What an import checks before and while it writes a workspace document: the target is empty, parents come
// before their children and are in the document, ids and names are free, each resource appears once and
// names only labels of the document. Each rule written once; all of them hold inside the import's one unit
// of work, so a refused document writes nothing.
import { CoreError } from '../../core/errors.js';
import type { ExportedLabel, ExportedResource } from '../../core/ports.js';
import type { Q } from './db.js';

/** Import needs an empty workspace: no label and no resource (CONFLICT otherwise). */
export async function requireEmptyWorkspace(q: Q, ws: number): Promise<void> {
  if (await q.one(`SELECT 1 FROM labels WHERE workspace_id = ? UNION ALL SELECT 1 FROM resources WHERE workspace_id = ? LIMIT 1`, ws, ws)) {
    throw new CoreError('CONFLICT', `workspace ${ws} is not empty; import needs an empty workspace`, { entity: 'workspace', id: ws });
  }
}

/** Orders labels so that every parent comes before its children (a cycle is CYCLE, not looped on). */
export function parentsFirst<L extends { id: number; parent_id: number | null }>(labels: L[]): L[] {
  const byId = new Map(labels.map((l) => [l.id, l]));
  const out: L[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (l: L) => {
    if (state.get(l.id) === 'done') return;
    if (state.get(l.id) === 'visiting') throw new CoreError('CYCLE', `labels ${l.id} and its parents form a cycle`, { field: 'parent_id', id: l.id });
    state.set(l.id, 'visiting');
    const parent = l.parent_id === null ? undefined : byId.get(l.parent_id);
    if (parent) visit(parent);
    state.set(l.id, 'done');
    out.push(l);
  };
  labels.forEach(visit);
  return out;
}

/** A label's parent is a label of the document (VALIDATION otherwise). */
export function requireParentInDocument(l: ExportedLabel, ids: ReadonlySet<number>): void {
  if (l.parent_id !== null && !ids.has(l.parent_id)) {
    throw new CoreError('VALIDATION', `label ${l.id} names parent ${l.parent_id}, which is not in the document`, { field: 'parent_id', rule: 'reference' });
  }
}

/**
 * A unique index's refusal of a label (its name is a sibling's, or a concurrent import took its id) is CONFLICT.
 * Thrown straight out: the import's unit of work is then rolled back.
 */
export const labelTaken = (l: ExportedLabel): CoreError =>
  new CoreError('CONFLICT', `label ${l.id}: its id or its name among its siblings is already taken`, { entity: 'label', id: l.id });

/** A resource appears once in the document (VALIDATION when the import already wrote its twin). */
export async function requireResourceOnce(q: Q, ws: number, r: ExportedResource): Promise<void> {
  if (await q.one(`SELECT 1 FROM resources WHERE workspace_id = ? AND type = ? AND external_id = ?`, ws, r.type, r.id)) {
    throw new CoreError('VALIDATION', `resource ${r.type}/${r.id} appears twice in the document`, { field: 'resources', rule: 'unique' });
  }
}

/** A resource's labels are labels of the document (VALIDATION otherwise). */
export function requireLabelInDocument(r: ExportedResource, labelId: number, ids: ReadonlySet<number>): void {
  if (!ids.has(labelId)) {
    throw new CoreError('VALIDATION', `resource ${r.id} names label ${labelId}, which is not in the document`, { field: 'label_ids', rule: 'reference' });
  }
}
