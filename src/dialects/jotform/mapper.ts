// Core objects ⇄ Jotform wire objects: string ids, "YYYY-MM-DD HH:MM:SS" UTC dates, the virtual root label.
import type { Label, Resource, Workspace } from '../../core/types.js';
import type { TreeLabel } from './schemas.js';

export const date = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
/** The root label's id: the workspace uuid without dashes. */
export const rootId = (ws: Workspace) => ws.uuid.replaceAll('-', '');

export const label = (l: Label, root: string) => ({
  id: String(l.id),
  name: l.name,
  color: l.color,
  parent: l.parentId === null ? root : String(l.parentId),
  owner: l.createdByEmail,
  created_at: date(l.createdAt),
  updated_at: date(l.updatedAt),
});

export const rootLabel = (ws: Workspace) => ({
  id: rootId(ws),
  name: ws.name,
  color: null,
  parent: null,
  owner: null,
  created_at: date(ws.createdAt),
  updated_at: date(ws.createdAt),
});

const byName = (a: TreeLabel, b: TreeLabel) => {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : Number(a.id) - Number(b.id);
};

/** The root with every label nested under its parent, siblings ordered by name. */
export function tree(ws: Workspace, labels: Label[]): TreeLabel {
  const root: TreeLabel = { ...rootLabel(ws), sublabels: [] };
  const nodes = new Map<number, TreeLabel>(labels.map((l) => [l.id, { ...label(l, root.id), sublabels: [] }]));
  for (const l of labels) (l.parentId === null ? root : nodes.get(l.parentId) ?? root).sublabels.push(nodes.get(l.id)!);
  const sort = (n: TreeLabel) => {
    n.sublabels.sort(byName);
    n.sublabels.forEach(sort);
  };
  sort(root);
  return root;
}

export const resource = (r: Resource) => ({
  ...r.attributes,
  id: r.externalId,
  type: r.type,
  title: r.name,
  status: r.status,
  created_at: date(r.createdAt),
  updated_at: date(r.updatedAt),
});

export const ref = (r: { type: string; externalId: string }) => ({ id: r.externalId, type: r.type });

export const ORDER_BY = { created_at: 'created_at', id: 'id', type: 'type', title: 'name' } as const;
