// The rules of categories (top-level labels without a time span that file timed labels), each written once
// and checked inside the unit of work that writes.
import { checkMoveTarget } from '../../core/timed-labels.js';
import { CoreError } from '../../core/errors.js';
import { merge } from '../../core/objects.js';
import type { CategoryDisposal } from '../../core/ports-timed-labels.js';
import { DEFAULT_COLOR } from '../../core/rules.js';
import type { Audit, Label } from '../../core/types.js';
import type { Db, Q } from './db.js';
import { nameTaken, settleRace } from './label-rules.js';
import { LABEL_COLUMNS, labelState, readLabel, toLabel, writeEvent, type LabelRow } from './label-rows.js';
import { nameKey } from './rows.js';

export interface Category {
  id: number;
  /** As stored (the spelling it was created with). */
  name: string;
}

/** What a new label holds (a category: no description, no time span). */
export interface LabelFields {
  name: string;
  description: string;
  startsAt: number | null;
  endsAt: number | null;
}

/**
 * The category named `name` ignoring case: the top-level label without a time span whose name folds to
 * `name`'s (at most one, by the sibling-name unique index).
 */
export const findCategory = (q: Q, ws: number, name: string): Promise<Category | undefined> =>
  q.one<Category>(`SELECT id, name FROM labels WHERE workspace_id = ? AND parent_id IS NULL AND name_key = ? AND +starts_at IS NULL`, ws, nameKey(name));

/**
 * Category auto-create: the category matched ignoring case (so "alpha" is the existing "Alpha"), or a new
 * top-level label spelled as given. `seen` remembers the categories of one unit of work by folded name.
 */
export async function ensureCategory(db: Db, q: Q, ws: number, name: string, audit: Audit, createdBy: number, seen = new Map<string, Category>()): Promise<Category> {
  const key = nameKey(name);
  const known = seen.get(key) ?? (await findCategory(q, ws, name));
  const category = known ?? { id: await insertLabel(db, q, ws, null, { name, description: '', startsAt: null, endsAt: null }, audit, createdBy), name };
  seen.set(key, category);
  return category;
}

/**
 * Inserts a label with the default colour and no extras and records its creation. Timed labels are excepted
 * from name uniqueness (the sibling-name index covers only labels without a time span), so they are inserted
 * unchecked; an untimed one (a category, looked up first) can only collide with a concurrent twin.
 */
export async function insertLabel(db: Db, q: Q, ws: number, parentId: number | null, l: LabelFields, audit: Audit, createdBy: number): Promise<number> {
  const row = await settleRace(db, () =>
    q.one<{ id: number }>(
      `INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
       VALUES (?,?,?,?,?,?,?,?,'{}',?,?,?) RETURNING id`,
      ws, parentId, l.name, nameKey(l.name), DEFAULT_COLOR, l.description, l.startsAt, l.endsAt, createdBy, audit.at, audit.at,
    ),
  );
  const id = row!.id;
  // The event's state from what was written (labelState reads only these members): no read back.
  const written = { id, parentId, name: l.name, color: DEFAULT_COLOR, description: l.description, startsAt: l.startsAt, endsAt: l.endsAt, extras: {} } as Label;
  await writeEvent(q, ws, audit, 'label.created', id, null, labelState(written));
  return id;
}

/** A category to delete is one listCategories lists: found ignoring case and holding a label; NOT_FOUND(category) otherwise. */
export async function requireCategory(q: Q, ws: number, name: string): Promise<Label> {
  const found = await findCategory(q, ws, name);
  const hasChild = found && (await q.one(`SELECT 1 FROM labels WHERE parent_id = ? LIMIT 1`, found.id));
  if (!found || !hasChild) throw new CoreError('NOT_FOUND', `category "${name}" not found`, { entity: 'category', id: name, field: 'category' });
  return (await readLabel(q, ws, found.id))!;
}

/**
 * Disposal of a deleted category's labels, then the category's deletion: its labels move to another category
 * or to the top level (null), or are deleted with it. A target that does not exist yet, or is the category
 * itself in another case (checkMoveTarget refuses the very same name), renames the category label in place,
 * keeping its id, colour and assignments; nothing is deleted then.
 */
export async function disposeOfCategory(db: Db, q: Q, ws: number, source: Label, disposal: CategoryDisposal, audit: Audit): Promise<void> {
  if ('moveTo' in disposal) {
    if (disposal.moveTo !== null) {
      checkMoveTarget(source, disposal.moveTo);
      const target = await findCategory(q, ws, disposal.moveTo);
      if (!target || target.id === source.id) return renameCategory(db, q, ws, source, disposal.moveTo, audit);
      await moveChildren(db, q, ws, source.id, target.id, audit);
    } else {
      await moveChildren(db, q, ws, source.id, null, audit);
    }
  }
  // Each step looks the children up by (workspace, parent); CROSS JOIN keeps the queue the outer loop on SQLite.
  await q.run(
    `WITH RECURSIVE sub(id) AS (SELECT CAST(? AS bigint) UNION SELECT l.id FROM sub CROSS JOIN labels l WHERE l.workspace_id = ? AND l.parent_id = sub.id)
     DELETE FROM labels WHERE id IN (SELECT id FROM sub)`,
    source.id, ws,
  );
  await writeEvent(q, ws, audit, 'label.deleted', source.id, labelState(source), null);
}

async function renameCategory(db: Db, q: Q, ws: number, source: Label, name: string, audit: Audit): Promise<void> {
  await settleRace(db, () => q.run(`UPDATE labels SET name = ?, name_key = ?, updated_at = ? WHERE id = ?`, name, nameKey(name), audit.at, source.id));
  await writeEvent(q, ws, audit, 'category.renamed', source.id, labelState(source), labelState(merge(source, { name })));
}

/**
 * Moves every child of `from` under `to` (null = the top level), in id order. An untimed child whose name is
 * taken among its new siblings is NAME_TAKEN, and nothing moves.
 */
async function moveChildren(db: Db, q: Q, ws: number, from: number, to: number | null, audit: Audit): Promise<void> {
  const children = (await q.all<LabelRow>(`${LABEL_COLUMNS} FROM labels l WHERE l.parent_id = ? ORDER BY l.id`, from)).map(toLabel);
  for (const c of children) {
    if (c.startsAt === null) {
      const taken = await nameTaken(q, ws, to, c.name, 'siblings', c.id);
      if (taken) throw new CoreError('NAME_TAKEN', `cannot move label "${c.name}": a label with this name already exists there`, taken.details);
    }
    await settleRace(db, () => q.run(`UPDATE labels SET parent_id = ?, updated_at = ? WHERE id = ?`, to, audit.at, c.id));
    await writeEvent(q, ws, audit, 'label.moved', c.id, labelState(c), labelState(merge(c, { parentId: to })));
  }
}
