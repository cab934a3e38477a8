// Resources as rows: the columns read, the mapping to core types, the point read by reference. Shared by
// every store module that reads resources.
import type { ResourceRef } from '../../core/ports.js';
import type { LabelSummary, Resource, ResourceWithLabels } from '../../core/types.js';
import type { Q } from './db.js';
import { parseJson } from './rows.js';

export interface ResourceRow {
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

/** The resource of workspace `ws` with this type and external id (a point read on the unique index). */
export const findResource = (q: Q, ws: number, ref: ResourceRef): Promise<ResourceRow | undefined> =>
  q.one<ResourceRow>(`SELECT * FROM resources WHERE workspace_id = ? AND type = ? AND external_id = ?`, ws, ref.type, ref.externalId);

/** A label on more resources than this has a page of them read in the page's order from the resources' side. */
export const MANY = 500;

/**
 * Whether label `labelId` is on more than MANY resources of type `type` (one step of assignments_label_type_idx
 * past them). The side a label's page of one type is read from, whatever the statistics say: from the label
 * (its assignments of the type by key, then each resource by id) costs the label's size in the type; from the
 * resources of the type in the page's order, testing each for the label, costs the page divided by the label's
 * share of the type, which a large label bounds. Counted in the page's type only: a label on many resources of
 * other types may hold few of this one, which a walk of the type would pass over by the thousand.
 */
export const largeLabel = async (q: Q, labelId: number, type: string): Promise<boolean> =>
  (await q.one(`SELECT 1 FROM assignments WHERE label_id = ? AND resource_type = ? LIMIT 1 OFFSET ${MANY}`, labelId, type)) !== undefined;

/** The ids of label ?'s resources of type ? (for inSelect), read from assignments_label_type_idx. */
export const LABEL_OF_TYPE = 'SELECT a.resource_id FROM assignments a WHERE a.label_id = ? AND a.resource_type = ?';

/**
 * `r` (a resource row) has label ? — tested per row, as a scalar subquery on the assignment's key: written as
 * EXISTS, analyzed PostgreSQL's generic plan turned it into a join driven from the label (every resource of a
 * label on half the workspace, then sorted) instead of the page's ordered walk it is for.
 */
export const HAS_LABEL = '(SELECT a.resource_id FROM assignments a WHERE a.label_id = ? AND a.resource_id = r.id) IS NOT NULL';
