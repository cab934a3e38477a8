// Labels seen through a credential that spans workspaces: find and list across several, and update a label
// possibly moving it to another workspace (cross-workspace-rules.ts).
import { notFound } from '../../core/errors.js';
import { merge } from '../../core/objects.js';
import type { CrossWorkspaceLabelStore, LabelSortField, ListedLabel } from '../../core/ports-cross-workspace.js';
import type { Db } from './db.js';
import { guardName, requireNameFree, unchanged } from './label-rules.js';
import { labelState, readLabel, writeEvent, type LabelRow } from './label-rows.js';
import { patchedState, relinkAssignments, requireMovable } from './cross-workspace-rules.js';
import { inWorkspaces, orderBy, readPage, type PageSpec } from './list-query.js';
import { json, nameKey, parseJson } from './rows.js';

/** What a list page reads (ListedLabel): each column of each row costs its conversion to a JS value. */
const LIST_COLUMNS = `l.id, l.workspace_id, l.name, l.description, l.extras, l.created_at, l.updated_at`;
type ListedRow = Pick<LabelRow, 'id' | 'workspace_id' | 'name' | 'description' | 'extras' | 'created_at' | 'updated_at'>;

const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
};
/**
 * Extras texts read lately → their value, frozen and shared by the labels that hold the same text: most labels'
 * extras are one of a few short texts (limbo's four usage flags), which each page parsed again (JSON.parse of 20
 * such texts: 8 µs; looked up: 3 µs). Short texts only, at most 256 of them (then it starts over).
 */
const extrasSeen = new Map<string, Record<string, unknown>>();
const extrasOf = (text: string): Record<string, unknown> => {
  if (text === '{}' || text.length > 256) return parseJson<Record<string, unknown>>(text) ?? {};
  let v = extrasSeen.get(text);
  if (v === undefined) {
    if (extrasSeen.size >= 256) extrasSeen.clear();
    extrasSeen.set(text, (v = deepFreeze(parseJson<Record<string, unknown>>(text) ?? {})));
  }
  return v;
};

const toListedLabel = (r: ListedRow): ListedLabel => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  extras: extrasOf(r.extras),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
/**
 * The label `l` has a product (a resource of type `product`, with the `extra` conditions on `r`) among its
 * assignments: `IS NOT NULL` of it, or `IS NULL` for none. Tested per label, each of its assignments of products
 * (assignments_label_type_idx) then its resource by id (scalar subqueries): as EXISTS over a join, PostgreSQL
 * made it a join and could hash every resource.
 */
const productOf = (extra: string): string =>
  `(SELECT a.label_id FROM assignments a WHERE a.label_id = l.id AND a.resource_type = 'product' AND (SELECT r.id FROM resources r WHERE r.id = a.resource_id AND r.type = 'product'${extra}) IS NOT NULL LIMIT 1)`;
/** A workspace's number of labels as the database keeps it (label_counts, kept by triggers): the sum of its slots. */
const WORKSPACE_LABELS = (ws: string): string => `(SELECT sum(c.count) FROM label_counts c WHERE c.workspace_id = ${ws})`;
const SORT: Record<LabelSortField, string[]> = { name: ['l.name_key'], created_at: ['l.created_at'], updated_at: ['l.updated_at'], id: ['l.id'] };

export function crossWorkspaceLabelStore(db: Db): CrossWorkspaceLabelStore {
  return {
    async findLabelIn(workspaceIds, id) {
      // The columns a listed label shows, by key: no creator (no join with users), as a list page reads them.
      const [inWs, wsParam] = inWorkspaces(db, 'l.workspace_id', workspaceIds);
      const row = await db.one<ListedRow>(`SELECT ${LIST_COLUMNS} FROM labels l WHERE l.id = ? AND ${inWs}`, id, wsParam);
      return row ? toListedLabel(row) : null;
    },

    async listLabelsIn(q) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.name !== undefined) (where.push('l.name_key = ?'), params.push(nameKey(q.name)));
      if (q.ids !== undefined) (where.push(db.sql.inList('l.id', 'int')), params.push(db.sql.list(q.ids)));
      const byProducts = q.productName !== undefined || q.productStatus !== undefined || q.hasProducts !== undefined;
      if (q.productName !== undefined || q.productStatus !== undefined) {
        const cond = [''];
        if (q.productName !== undefined) (cond.push(`${db.sql.nocase('r.name')} = ${db.sql.nocase('CAST(? AS text)')}`), params.push(q.productName));
        if (q.productStatus !== undefined) (cond.push('r.status = ?'), params.push(q.productStatus));
        where.push(`${productOf(cond.join(' AND '))} IS NOT NULL`);
      }
      if (q.hasProducts !== undefined) where.push(`${productOf('')} ${q.hasProducts ? 'IS NOT NULL' : 'IS NULL'}`);
      if (q.hasWorkspace === false) where.push('1 = 0');
      // Ties by id, in the last key's direction: every label index of a sort field ends in the id (the rowid on
      // SQLite), so a descending page walks it backwards and sorts nothing; ids are unique across workspaces.
      const last = q.sort.at(-1);
      const order = orderBy(q.sort, SORT, last?.field === 'id' ? [] : [{ expr: 'l.id', dir: last?.desc ? 'DESC' : 'ASC' }]);
      // Label rows alone decide the total unless products filter: then assignments' writes change it too. All of
      // the workspaces' labels: their numbers, kept by the database (label_counts), are the total.
      const spec: PageSpec = {
        columns: LIST_COLUMNS, from: 'FROM labels l', workspaceColumn: 'l.workspace_id', workspaceIds: q.workspaceIds, where: where.join(' AND ') || 'true',
        order, params, limit: q.limit, offset: q.offset, totalOf: byProducts ? 'any' : 'labels',
        ...(where.length === 0 && { keptTotal: WORKSPACE_LABELS }),
      };
      return readPage(db, spec, toListedLabel);
    },

    async updateOrMoveLabel(ws, id, patch, audit) {
      return db.write(async (q) => {
        const before = await readLabel(q, ws, id);
        if (!before) throw notFound('label', id);
        const target = patch.workspaceId ?? ws;
        const moving = target !== ws;
        if (moving) await requireMovable(q, id);
        const next = patchedState(before, patch, moving);
        if (!moving && unchanged(next, labelState(before))) return before;
        if (next.starts_at === null) await requireNameFree(q, target, next.parent_id, next.name, 'siblings', id);
        await guardName(db, q, () =>
          q.run(
            `UPDATE labels SET workspace_id = ?, parent_id = ?, name = ?, name_key = ?, description = ?, extras = ?, updated_at = ? WHERE id = ?`,
            target, next.parent_id, next.name, nameKey(next.name), next.description, json(next.extras), audit.at, id,
          ),
          target, next.parent_id, next.name, id,
        );
        const after = (await readLabel(q, target, id))!;
        if (!moving) {
          await writeEvent(q, ws, audit, 'label.updated', id, labelState(before), labelState(after));
          return after;
        }
        await relinkAssignments(q, id, target, audit.at);
        // Each workspace's own log records the move (out of the one, into the other).
        const states = [merge(labelState(before), { workspace_id: ws }), merge(labelState(after), { workspace_id: target })] as const;
        await writeEvent(q, ws, audit, 'label.moved', id, ...states);
        await writeEvent(q, target, audit, 'label.moved', id, ...states);
        return after;
      }, 'content');
    },
  };
}
