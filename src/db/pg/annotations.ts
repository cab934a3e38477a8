// AnnotationStore on PostgreSQL (counterpart of ../sqlite-annotations.ts, same behaviour): timed labels under
// top-level category labels. Daily counters are checked and bumped inside the same serializable transaction
// as the inserts, so concurrent requests — from any instance sharing the database — never overshoot a limit.
import { checkMoveTarget } from '../../core/annotations.js';
import { CoreError, notFound } from '../../core/errors.js';
import type { Annotation, AnnotationStore, CreationQuota, NewAnnotation } from '../../core/ports-annotations.js';
import type { Audit, Label } from '../../core/types.js';
import { labelState, SELECT_LABEL, toLabel, type LabelRow } from '../sqlite-labels.js';
import { nameKey } from '../sqlite/driver.js';
import { compileConditions } from './annotation-filter.js';
import type { PgDb, Q } from './client.js';
import { guarded, readLabel, writeEvent } from './labels.js';
import { merge } from '../../core/objects.js';
import { DEFAULT_COLOR } from '../../core/rules.js';

interface AnnotationRow {
  id: number;
  parent_id: number | null;
  category: string;
  name: string;
  description: string;
  starts_at: number;
  ends_at: number;
}

const SELECT_ANNOTATION = `SELECT l.id, l.parent_id, coalesce(p.name, '') AS category, l.name, l.description, l.starts_at, l.ends_at
  FROM labels l LEFT JOIN labels p ON p.id = l.parent_id`;
const ORDER = 'ORDER BY l.starts_at, l.id';

const toAnnotation = (r: AnnotationRow): Annotation => ({
  id: r.id,
  parentId: r.parent_id,
  category: r.category,
  name: r.name,
  description: r.description,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
});

/** The top-level label without a time span whose name folds to `name`'s (at most one: unique index). */
const findTop = (q: Q, ws: number, name: string) =>
  q.one<{ id: number; name: string }>(
    `SELECT id, name FROM labels WHERE workspace_id = ? AND coalesce(parent_id, 0) = 0 AND name_key = ? AND starts_at IS NULL`,
    ws,
    nameKey(name),
  );

export function pgAnnotationStore(db: PgDb): AnnotationStore {
  const insertLabel = async (q: Q, ws: number, parentId: number | null, l: Omit<NewAnnotation, 'category'> | null, name: string, audit: Audit, createdBy: number): Promise<number> => {
    const row = await guarded(() =>
      q.one<{ id: number }>(
        `INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
         VALUES (?,?,?,?,?,?,?,?,'{}',?,?,?) RETURNING id`,
        ws, parentId, name, nameKey(name), DEFAULT_COLOR, l?.description ?? '', l?.startsAt ?? null, l?.endsAt ?? null, createdBy, audit.at, audit.at,
      ),
    );
    const id = row!.id;
    await writeEvent(q, ws, audit, 'label.created', id, null, labelState((await readLabel(q, ws, id))!));
    return id;
  };

  /** The category's id: the top-level label whose name folds to `name`'s, whatever its case, or a new one spelled as given. */
  const ensureCategory = async (q: Q, ws: number, name: string, audit: Audit, createdBy: number): Promise<number> =>
    (await findTop(q, ws, name))?.id ?? insertLabel(q, ws, null, null, name, audit, createdBy);

  const readAnnotations = async (q: Q, ws: number, ids: number[]): Promise<Annotation[]> => {
    const rows = await q.all<AnnotationRow>(`${SELECT_ANNOTATION} WHERE l.workspace_id = ? AND l.id = ANY(?::bigint[])`, ws, ids);
    const byId = new Map(rows.map((r) => [r.id, toAnnotation(r)]));
    return ids.map((id) => byId.get(id)!);
  };

  const consume = async (q: Q, quota: CreationQuota, n: number): Promise<void> => {
    for (const c of quota.counters) {
      const used = (await q.one<{ count: number }>(`SELECT count FROM counters WHERE scope = ? AND subject = ? AND day = ?`, c.scope, c.subject, quota.day))?.count ?? 0;
      if (used + n > c.limit) {
        throw new CoreError('LIMIT_EXCEEDED', `daily limit of ${c.limit} created labels for this ${c.rule} reached: ${used} created today (UTC), ${n} requested`, {
          rule: c.rule,
          limit: c.limit,
        });
      }
    }
    for (const c of quota.counters) {
      await q.run(
        `INSERT INTO counters (scope, subject, day, count) VALUES (?,?,?,?) ON CONFLICT (scope, subject, day) DO UPDATE SET count = counters.count + excluded.count`,
        c.scope, c.subject, quota.day, n,
      );
    }
  };

  /** Moves every child of `from` under `to` (null = top level); a name clash among untimed siblings is NAME_TAKEN. */
  const moveChildren = async (q: Q, ws: number, from: number, to: number | null, audit: Audit): Promise<void> => {
    const children = (await q.all<LabelRow>(`${SELECT_LABEL} WHERE l.parent_id = ? ORDER BY l.id`, from)).map(toLabel);
    for (const c of children) {
      if (c.startsAt === null) {
        const clash = await q.one<{ id: number }>(
          `SELECT id FROM labels WHERE workspace_id = ? AND coalesce(parent_id, 0) = ? AND name_key = ? AND starts_at IS NULL LIMIT 1`,
          ws, to ?? 0, nameKey(c.name),
        );
        if (clash) throw new CoreError('NAME_TAKEN', `cannot move label "${c.name}": a label with this name already exists there`, { field: 'name', existingId: clash.id });
      }
      await guarded(() => q.run(`UPDATE labels SET parent_id = ?, updated_at = ? WHERE id = ?`, to, audit.at, c.id));
      await writeEvent(q, ws, audit, 'label.moved', c.id, labelState(c), labelState(merge(c, { parentId: to })));
    }
  };

  return {
    async listAnnotations(ws, conditions) {
      if (conditions.length === 0) return (await db.all<AnnotationRow>(`${SELECT_ANNOTATION} WHERE l.workspace_id = ? AND l.starts_at IS NOT NULL ${ORDER}`, ws)).map(toAnnotation);
      const { where, params } = compileConditions(conditions);
      const sql = `${SELECT_ANNOTATION} WHERE l.workspace_id = ? AND l.starts_at IS NOT NULL AND ${where} ${ORDER}`;
      return (await db.all<AnnotationRow>(sql, ws, ...params)).map(toAnnotation);
    },

    async createAnnotations(ws, items, quota, audit, createdBy) {
      return db.write(async (q) => {
        await consume(q, quota, items.length);
        const ids: number[] = [];
        for (const item of items) {
          const parentId = item.category === null ? null : await ensureCategory(q, ws, item.category, audit, createdBy);
          ids.push(await insertLabel(q, ws, parentId, item, item.name, audit, createdBy));
        }
        return readAnnotations(q, ws, ids);
      });
    },

    async updateAnnotation(ws, id, patch, audit, createdBy) {
      return db.write(async (q) => {
        const before = await readLabel(q, ws, id);
        if (!before || before.startsAt === null) throw notFound('label', id);
        const parentId = patch.category === undefined ? before.parentId : patch.category === null ? null : await ensureCategory(q, ws, patch.category, audit, createdBy);
        const after: Label = merge(before, {
          parentId,
          name: patch.name ?? before.name,
          description: patch.description ?? before.description,
          startsAt: patch.startsAt ?? before.startsAt,
          endsAt: patch.endsAt ?? before.endsAt,
        });
        if (JSON.stringify(labelState(after)) !== JSON.stringify(labelState(before))) {
          await q.run(
            `UPDATE labels SET parent_id = ?, name = ?, name_key = ?, description = ?, starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?`,
            after.parentId, after.name, nameKey(after.name), after.description, after.startsAt, after.endsAt, audit.at, id,
          );
          await writeEvent(q, ws, audit, parentId === before.parentId ? 'label.updated' : 'label.moved', id, labelState(before), labelState(after));
        }
        return (await readAnnotations(q, ws, [id]))[0]!;
      });
    },

    async listCategories(ws) {
      const rows = await db.all<{ name: string }>(
        `SELECT p.name FROM labels p WHERE p.workspace_id = ? AND p.parent_id IS NULL AND p.starts_at IS NULL
           AND EXISTS (SELECT 1 FROM labels c WHERE c.parent_id = p.id) ORDER BY p.name, p.id`,
        ws,
      );
      return rows.map((r) => r.name);
    },

    async deleteCategory(ws, name, disposal, audit) {
      return db.write(async (q) => {
        const found = await findTop(q, ws, name);
        const hasChild = found && (await q.one(`SELECT 1 FROM labels WHERE parent_id = ? LIMIT 1`, found.id));
        if (!found || !hasChild) throw new CoreError('NOT_FOUND', `category "${name}" not found`, { entity: 'category', id: name, field: 'category' });
        const source = (await readLabel(q, ws, found.id))!;
        if ('moveTo' in disposal) {
          if (disposal.moveTo !== null) checkMoveTarget(source, disposal.moveTo);
          const target = disposal.moveTo === null ? null : await findTop(q, ws, disposal.moveTo);
          if (disposal.moveTo !== null && (!target || target.id === source.id)) {
            // No such category yet: the category label itself is renamed, keeping its id, colour and assignments.
            await q.run(`UPDATE labels SET name = ?, name_key = ?, updated_at = ? WHERE id = ?`, disposal.moveTo, nameKey(disposal.moveTo), audit.at, source.id);
            await writeEvent(q, ws, audit, 'category.renamed', source.id, labelState(source), labelState(merge(source, { name: disposal.moveTo })));
            return source.name;
          }
          await moveChildren(q, ws, source.id, target?.id ?? null, audit);
        }
        await q.run(
          `WITH RECURSIVE sub(id) AS (SELECT ?::bigint UNION SELECT l.id FROM labels l JOIN sub ON l.parent_id = sub.id) DELETE FROM labels WHERE id IN (SELECT id FROM sub)`,
          source.id,
        );
        await writeEvent(q, ws, audit, 'label.deleted', source.id, labelState(source), null);
        return source.name;
      });
    },
  };
}
