// Labels and audit events as rows: the columns read, the mapping to core types, the event insert. Shared by
// every store module that reads labels or writes events.
import type { Audit, Label } from '../../core/types.js';
import type { Q } from './db.js';
import { json, parseJson } from './rows.js';

export interface LabelRow {
  id: number;
  workspace_id: number;
  parent_id: number | null;
  name: string;
  color: string | null;
  description: string;
  starts_at: number | null;
  ends_at: number | null;
  extras: string;
  created_by: number | null;
  created_by_name: string | null;
  created_by_email: string | null;
  created_at: number;
  updated_at: number;
}

/** A label's columns without its creator's name and email (filled in by the caller). */
export const LABEL_COLUMNS = `SELECT l.id, l.workspace_id, l.parent_id, l.name, l.color, l.description, l.starts_at, l.ends_at,
  l.extras, l.created_by, NULL AS created_by_name, NULL AS created_by_email, l.created_at, l.updated_at`;
export const SELECT_LABEL = `SELECT l.id, l.workspace_id, l.parent_id, l.name, l.color, l.description, l.starts_at, l.ends_at,
  l.extras, l.created_by, u.name AS created_by_name, u.email AS created_by_email, l.created_at, l.updated_at
  FROM labels l LEFT JOIN users u ON u.id = l.created_by`;

export const toLabel = (r: LabelRow): Label => ({
  id: r.id,
  workspaceId: r.workspace_id,
  parentId: r.parent_id,
  name: r.name,
  color: r.color,
  description: r.description,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  extras: parseJson<Record<string, unknown>>(r.extras) ?? {},
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  createdByEmail: r.created_by_email,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Label `id` of workspace `ws` with its creator, or null. */
export const readLabel = async (q: Q, ws: number, id: number): Promise<Label | null> => {
  const row = await q.one<LabelRow>(`${SELECT_LABEL} WHERE l.id = ? AND l.workspace_id = ?`, id, ws);
  return row ? toLabel(row) : null;
};

/** Whether label `id` exists in workspace `ws` (a point read by key). */
export const labelInWorkspace = async (q: Q, ws: number, id: number): Promise<boolean> =>
  (await q.one(`SELECT 1 FROM labels WHERE id = ? AND workspace_id = ?`, id, ws)) !== undefined;

/** The label as an audit event records it. */
export const labelState = (l: Label) => ({
  id: l.id,
  parent_id: l.parentId,
  name: l.name,
  color: l.color,
  description: l.description,
  starts_at: l.startsAt,
  ends_at: l.endsAt,
  extras: l.extras,
});
export type LabelState = ReturnType<typeof labelState>;

/** Records one audit event (before/after as JSON text). */
export async function writeEvent(q: Q, workspaceId: number, audit: Audit, action: string, labelId: number | null, before: unknown, after: unknown): Promise<void> {
  await q.run(
    `INSERT INTO events (workspace_id, actor_user_id, api_key_id, dialect, action, label_id, before, after, at) VALUES (?,?,?,?,?,?,?,?,?)`,
    workspaceId, audit.actorUserId, audit.apiKeyId, audit.dialect, action, labelId,
    before === null ? null : json(before), after === null ? null : json(after), audit.at,
  );
}
