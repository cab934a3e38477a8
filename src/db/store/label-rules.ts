// The label tree's rules, each written once and checked inside the unit of work that writes (so they hold
// under concurrency, with the unique index settling races the checks cannot see).
import { CoreError } from '../../core/errors.js';
import type { NameScope } from '../../core/ports.js';
import type { Db, Q } from './db.js';
import { labelInWorkspace } from './label-rows.js';
import { nameKey } from './rows.js';

/**
 * Names are unique ignoring case among a label's siblings, or across the workspace (scope 'workspace'), timed
 * labels excepted. NAME_TAKEN names the label that has it; null when the name is free.
 */
export async function nameTaken(q: Q, ws: number, parentId: number | null, name: string, scope: NameScope, exceptId: number): Promise<CoreError | null> {
  // `+starts_at`: every untimed label matches `starts_at IS NULL`, so that term must not choose the index
  // (labels_workspace_start_idx would walk the whole workspace); the name or the parent and name bound the rows.
  const row =
    scope === 'workspace'
      ? await q.one<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND name_key = ? AND +starts_at IS NULL AND id <> ? LIMIT 1`, ws, nameKey(name), exceptId)
      : parentId === null
        ? await q.one<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND parent_id IS NULL AND name_key = ? AND +starts_at IS NULL AND id <> ? LIMIT 1`, ws, nameKey(name), exceptId)
        : await q.one<{ id: number }>(`SELECT id FROM labels WHERE workspace_id = ? AND parent_id = ? AND name_key = ? AND +starts_at IS NULL AND id <> ? LIMIT 1`, ws, parentId, nameKey(name), exceptId);
  return row ? new CoreError('NAME_TAKEN', `a label named "${name}" already exists`, { field: 'name', existingId: row.id }) : null;
}

export async function requireNameFree(q: Q, ws: number, parentId: number | null, name: string, scope: NameScope, exceptId: number): Promise<void> {
  const taken = await nameTaken(q, ws, parentId, name, scope, exceptId);
  if (taken) throw taken;
}

/** A parent is a label of the same workspace (NOT_FOUND(parent) otherwise); null is the top level. */
export async function requireParent(q: Q, ws: number, parentId: number | null): Promise<void> {
  if (parentId !== null && !(await labelInWorkspace(q, ws, parentId))) {
    throw new CoreError('NOT_FOUND', `parent label ${parentId} not found`, { entity: 'parent', id: parentId, field: 'parent_id' });
  }
}

/**
 * True when `candidate` is `id` or one of its descendants (walks up from candidate, in workspace `ws`). Each
 * step is a label of the workspace by id (CROSS JOIN keeps the queue the outer loop on SQLite): a recursive
 * step names the workspace and its key (test/plan-check.ts).
 */
export async function isAncestorOrSelf(q: Q, ws: number, id: number, candidate: number): Promise<boolean> {
  return !!(await q.one(
    `WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM labels WHERE workspace_id = ? AND id = ?
       UNION ALL SELECT l.id, l.parent_id FROM up CROSS JOIN labels l WHERE l.workspace_id = ? AND l.id = up.parent_id)
     SELECT 1 FROM up WHERE id = ? LIMIT 1`,
    ws, candidate, ws, id,
  ));
}

/** A label never moves under itself or one of its descendants (CYCLE). */
export async function requireNoCycle(q: Q, ws: number, id: number, newParentId: number | null): Promise<void> {
  if (newParentId !== null && (await isAncestorOrSelf(q, ws, id, newParentId))) {
    throw new CoreError('CYCLE', `label ${newParentId} is inside label ${id}; moving there would make a cycle`, { field: 'parent_id', id: newParentId });
  }
}

/** An update that changes nothing writes nothing (no event, no new updated_at). */
export const unchanged = (before: object, after: object): boolean => JSON.stringify(before) === JSON.stringify(after);

/**
 * Runs a write the checks before it cleared. A unique index's refusal can only be a concurrent twin's (a race
 * the checks could not see): SQLite throws what `explain` finds, PostgreSQL runs the unit of work again, whose
 * checks then see the twin (SqlDialect.raced).
 */
export async function settleRace<T>(db: Db, write: () => Promise<T>, explain: () => Promise<CoreError | null> = async () => null): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (!db.sql.isUniqueViolation(e)) throw e;
    return db.sql.raced(e, explain);
  }
}

/** settleRace for a write of a label's name: the twin among the siblings is NAME_TAKEN. */
export const guardName = <T>(db: Db, q: Q, write: () => Promise<T>, ws: number, parentId: number | null, name: string, id: number): Promise<T> =>
  settleRace(db, write, () => nameTaken(q, ws, parentId, name, 'siblings', id));

/**
 * The ids of the labels (of workspace `ws`) and all their descendants, breadth first: the labels asked for in
 * their order, then each level's children by their parent's place and then by id. Each step looks the
 * children up by (workspace, parent) in labels_workspace_parent_idx; the labels asked for are looked up by
 * id (`+workspace_id`: a filter, not an index to walk).
 */
export async function subtreeOf(db: Db, q: Q, ws: number, ids: number[]): Promise<number[]> {
  const rows = await q.all<{ id: number; parent_id: number | null; depth: number }>(
    `WITH RECURSIVE sub(id, parent_id, depth) AS (SELECT id, parent_id, 0 FROM labels WHERE ${db.sql.inList('id', 'int')} AND +workspace_id = ?
       UNION ALL SELECT l.id, l.parent_id, sub.depth + 1 FROM sub CROSS JOIN labels l WHERE l.workspace_id = ? AND l.parent_id = sub.id)
     SELECT id, parent_id, depth FROM sub ORDER BY depth, id`,
    db.sql.list(ids), ws, ws,
  );
  const byDepth = new Map<number, typeof rows>();
  for (const r of rows) byDepth.get(r.depth)?.push(r) ?? byDepth.set(r.depth, [r]);
  const out: number[] = [];
  const place = new Map<number, number>();
  const add = (id: number) => place.has(id) || (place.set(id, out.length), out.push(id));
  const found = new Set((byDepth.get(0) ?? []).map((r) => r.id));
  for (const id of ids) if (found.has(id)) add(id);
  for (let depth = 1; byDepth.has(depth); depth++) {
    const level = byDepth.get(depth)!.filter((r) => r.parent_id !== null && place.has(r.parent_id));
    level.sort((a, b) => place.get(a.parent_id!)! - place.get(b.parent_id!)! || a.id - b.id);
    for (const r of level) add(r.id);
  }
  return out;
}
