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
