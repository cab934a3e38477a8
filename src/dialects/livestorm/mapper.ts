// Core objects ⇄ Livestorm wire objects.
import type { Label, LabelListing, LabelSummary, ResourceWithLabels } from '../../core/index.js';
import { shownColor } from '../../core/index.js';

export const ITEM_TYPE = 'library_item';
const seconds = (ms: number) => Math.floor(ms / 1000);

export const labelListItem = (l: LabelListing) => ({ id: l.id, name: l.name, color: shownColor(l.color), created_by_name: l.createdByName, created_at: seconds(l.createdAt) });
export const labelOut = (l: Label) => ({ id: l.id, name: l.name, color: shownColor(l.color), created_at: seconds(l.createdAt) });
export const labelSummary = (l: LabelSummary) => ({ id: l.id, name: l.name, color: shownColor(l.color) });

const str = (v: unknown) => (typeof v === 'string' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** Livestorm ids are integers; an item registered with a non-numeric id keeps it as a string. */
const itemId = (externalId: string) => (/^[1-9][0-9]{0,14}$/.test(externalId) ? Number(externalId) : externalId);

export const item = (r: ResourceWithLabels) => ({
  id: itemId(r.externalId),
  workspace_id: r.workspaceId,
  name: r.name,
  description: str(r.attributes.description),
  mime_type: str(r.attributes.mime_type),
  size: num(r.attributes.size),
  duration: num(r.attributes.duration),
  labels: r.labels.map(labelSummary),
  created_at: seconds(r.createdAt),
  updated_at: seconds(r.updatedAt),
});

export const SORT = { date: 'created_at', name: 'name', size: 'size' } as const;
