// SQLite implementation of AnnotationStore: timed labels under top-level category labels. Daily counters are
// checked and bumped inside the same BEGIN IMMEDIATE transaction as the inserts, so concurrent requests (also
// from other connections/processes) serialize and can never overshoot a limit.
import { checkMoveTarget } from '../core/annotations.js';
import { CoreError, notFound } from '../core/errors.js';
import type { Annotation, AnnotationStore, CreationQuota, NewAnnotation } from '../core/ports-annotations.js';
import type { Audit, Label } from '../core/types.js';
import { compileConditions } from './sqlite-annotation-filter.js';
import { labelState, SELECT_LABEL, toLabel, writeEvent, type LabelRow } from './sqlite-labels.js';
import { boundedStatements, json, nameKey, type Statements } from './sqlite/driver.js';
import { merge } from '../core/objects.js';
import { DEFAULT_COLOR } from '../core/rules.js';

interface AnnotationRow {
  id: number;
  parent_id: number | null;
  category: string;
  name: string;
  description: string;
  starts_at: number;
  ends_at: number;
}

const SELECT_ANNOTATION = `SELECT l.id, l.parent_id, ifnull(p.name, '') AS category, l.name, l.description, l.starts_at, l.ends_at
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

export function sqliteAnnotationStore(s: Statements): AnnotationStore {
  const filtered = boundedStatements(s.db);
  const readLabel = (ws: number, id: number): Label | null => {
    const row = s.one<LabelRow>(`${SELECT_LABEL} WHERE l.id = ? AND l.workspace_id = ?`, id, ws);
    return row ? toLabel(row) : null;
  };

  /** The top-level label without a time span whose name folds to `name`'s (at most one: unique index). */
  const findTop = (ws: number, name: string) =>
    s.one<{ id: number; name: string }>(
      `SELECT id, name FROM labels WHERE workspace_id = ? AND ifnull(parent_id, 0) = 0 AND name_key = ? AND starts_at IS NULL`,
      ws,
      nameKey(name),
    );

  const insertLabel = (ws: number, parentId: number | null, l: Omit<NewAnnotation, 'category'> | null, name: string, audit: Audit, createdBy: number): number => {
    const { lastInsertRowid } = s.run(
      `INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
       VALUES (?,?,?,?,?,?,?,?,'{}',?,?,?)`,
      ws, parentId, name, nameKey(name), DEFAULT_COLOR, l?.description ?? '', l?.startsAt ?? null, l?.endsAt ?? null, createdBy, audit.at, audit.at,
    );
    const id = Number(lastInsertRowid);
    writeEvent(s, ws, audit, 'label.created', id, null, labelState(readLabel(ws, id)!));
    return id;
  };

  /**
   * The category's id: the top-level label whose name folds to `name`'s, whatever its case (the database keeps
   * one per folded name, so "alpha" is the existing "Alpha"), or a new one spelled as given.
   */
  const ensureCategory = (ws: number, name: string, audit: Audit, createdBy: number): number =>
    findTop(ws, name)?.id ?? insertLabel(ws, null, null, name, audit, createdBy);

  const readAnnotations = (ws: number, ids: number[]): Annotation[] => {
    const rows = s.all<AnnotationRow>(`${SELECT_ANNOTATION} WHERE l.workspace_id = ? AND l.id IN (SELECT value FROM json_each(?))`, ws, json(ids));
    const byId = new Map(rows.map((r) => [r.id, toAnnotation(r)]));
    return ids.map((id) => byId.get(id)!);
  };

  const consume = (quota: CreationQuota, n: number): void => {
    for (const c of quota.counters) {
      const used = s.one<{ count: number }>(`SELECT count FROM counters WHERE scope = ? AND subject = ? AND day = ?`, c.scope, c.subject, quota.day)?.count ?? 0;
      if (used + n > c.limit) {
        throw new CoreError('LIMIT_EXCEEDED', `daily limit of ${c.limit} created labels for this ${c.rule} reached: ${used} created today (UTC), ${n} requested`, {
          rule: c.rule,
          limit: c.limit,
        });
      }
    }
    for (const c of quota.counters) {
      s.run(
        `INSERT INTO counters (scope, subject, day, count) VALUES (?,?,?,?) ON CONFLICT (scope, subject, day) DO UPDATE SET count = count + excluded.count`,
        c.scope, c.subject, quota.day, n,
      );
    }
  };

  /** Moves every child of `from` under `to` (null = top level); a name clash among untimed siblings is NAME_TAKEN. */
  const moveChildren = (ws: number, from: number, to: number | null, audit: Audit): void => {
    const children = s.all<LabelRow>(`${SELECT_LABEL} WHERE l.parent_id = ? ORDER BY l.id`, from).map(toLabel);
    for (const c of children) {
      if (c.startsAt === null) {
        const clash = s.one<{ id: number }>(
          `SELECT id FROM labels WHERE workspace_id = ? AND ifnull(parent_id, 0) = ? AND name_key = ? AND starts_at IS NULL LIMIT 1`,
          ws, to ?? 0, nameKey(c.name),
        );
        if (clash) throw new CoreError('NAME_TAKEN', `cannot move label "${c.name}": a label with this name already exists there`, { field: 'name', existingId: clash.id });
      }
      s.run(`UPDATE labels SET parent_id = ?, updated_at = ? WHERE id = ?`, to, audit.at, c.id);
      writeEvent(s, ws, audit, 'label.moved', c.id, labelState(c), labelState(merge(c, { parentId: to })));
    }
  };

  return {
    async listAnnotations(ws, conditions) {
      if (conditions.length === 0) return s.all<AnnotationRow>(`${SELECT_ANNOTATION} WHERE l.workspace_id = ? AND l.starts_at IS NOT NULL ${ORDER}`, ws).map(toAnnotation);
      const { where, params } = compileConditions(conditions);
      // Clients choose the combination of conditions: a bounded cache keeps the ones in use prepared.
      const sql = `${SELECT_ANNOTATION} WHERE l.workspace_id = ? AND l.starts_at IS NOT NULL AND ${where} ${ORDER}`;
      return filtered(sql).all<AnnotationRow>(ws, ...params).map(toAnnotation);
    },

    async createAnnotations(ws, items, quota, audit, createdBy) {
      return s.writeContent(() => {
        consume(quota, items.length);
        const ids = items.map((item) => {
          const parentId = item.category === null ? null : ensureCategory(ws, item.category, audit, createdBy);
          return insertLabel(ws, parentId, item, item.name, audit, createdBy);
        });
        return readAnnotations(ws, ids);
      });
    },

    async updateAnnotation(ws, id, patch, audit, createdBy) {
      return s.writeContent(() => {
        const before = readLabel(ws, id);
        if (!before || before.startsAt === null) throw notFound('label', id);
        const parentId = patch.category === undefined ? before.parentId : patch.category === null ? null : ensureCategory(ws, patch.category, audit, createdBy);
        const after: Label = merge(before, {
          parentId,
          name: patch.name ?? before.name,
          description: patch.description ?? before.description,
          startsAt: patch.startsAt ?? before.startsAt,
          endsAt: patch.endsAt ?? before.endsAt,
        });
        if (JSON.stringify(labelState(after)) !== JSON.stringify(labelState(before))) {
          s.run(
            `UPDATE labels SET parent_id = ?, name = ?, name_key = ?, description = ?, starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?`,
            after.parentId, after.name, nameKey(after.name), after.description, after.startsAt, after.endsAt, audit.at, id,
          );
          writeEvent(s, ws, audit, parentId === before.parentId ? 'label.updated' : 'label.moved', id, labelState(before), labelState(after));
        }
        return readAnnotations(ws, [id])[0]!;
      });
    },

    async listCategories(ws) {
      return s
        .all<{ name: string }>(
          `SELECT p.name FROM labels p WHERE p.workspace_id = ? AND p.parent_id IS NULL AND p.starts_at IS NULL
             AND EXISTS (SELECT 1 FROM labels c WHERE c.parent_id = p.id) ORDER BY p.name, p.id`,
          ws,
        )
        .map((r) => r.name);
    },

    async deleteCategory(ws, name, disposal, audit) {
      return s.writeContent(() => {
        const found = findTop(ws, name);
        const hasChild = found && s.one(`SELECT 1 FROM labels WHERE parent_id = ? LIMIT 1`, found.id);
        if (!found || !hasChild) throw new CoreError('NOT_FOUND', `category "${name}" not found`, { entity: 'category', id: name, field: 'category' });
        const source = readLabel(ws, found.id)!;
        if ('moveTo' in disposal) {
          if (disposal.moveTo !== null) checkMoveTarget(source, disposal.moveTo);
          const target = disposal.moveTo === null ? null : findTop(ws, disposal.moveTo);
          if (disposal.moveTo !== null && (!target || target.id === source.id)) {
            // No such category yet: the category label itself is renamed, keeping its id, colour and assignments.
            s.run(`UPDATE labels SET name = ?, name_key = ?, updated_at = ? WHERE id = ?`, disposal.moveTo, nameKey(disposal.moveTo), audit.at, source.id);
            writeEvent(s, ws, audit, 'category.renamed', source.id, labelState(source), labelState(merge(source, { name: disposal.moveTo })));
            return source.name;
          }
          moveChildren(ws, source.id, target?.id ?? null, audit);
        }
        s.run(
          `WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT l.id FROM labels l JOIN sub ON l.parent_id = sub.id) DELETE FROM labels WHERE id IN (SELECT id FROM sub)`,
          source.id,
        );
        writeEvent(s, ws, audit, 'label.deleted', source.id, labelState(source), null);
        return source.name;
      });
    },
  };
}
