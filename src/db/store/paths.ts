// Label paths computed by recursive CTEs: top-down from the roots for the whole tree and for searches,
// bottom-up from the asked labels when only a few are wanted. Both compare and order on the case-folded
// `name_key` (byte-wise on PostgreSQL: the columns are COLLATE "C"), so a search is a literal substring
// test of the folded path, never a LIKE.
import type { LabelPath, PathStore, ResourceLabels } from '../../core/ports-paths.js';
import type { Db, Q } from './db.js';
import { nameKey } from './rows.js';

/** Guards the recursion should a cycle ever reach the table (the label store refuses them). */
const MAX_DEPTH = 10_000;

interface PathRow {
  id: number;
  parent_id: number | null;
  name: string;
  path: string;
  total: number;
}

const TOP_DOWN = `WITH RECURSIVE tree(id, parent_id, name, path, path_key, depth) AS (
    SELECT id, parent_id, name, name, name_key, 0 FROM labels WHERE workspace_id = ? AND parent_id IS NULL
    UNION ALL
    SELECT l.id, l.parent_id, l.name, t.path || '/' || l.name, t.path_key || '/' || l.name_key, t.depth + 1
    FROM tree t CROSS JOIN labels l WHERE l.workspace_id = ? AND l.parent_id = t.id AND t.depth < ${MAX_DEPTH}
  )
  SELECT id, parent_id, name, path, count(*) OVER () AS total FROM tree`;
const ORDER = `ORDER BY path_key, path, id LIMIT ?`;
// The recursive step names the workspace too (a tree never spans two): PostgreSQL otherwise hashes every
// workspace's labels to find the children (its estimate of the recursion is blind). CROSS JOIN keeps the
// queue row the outer loop on SQLite, so each step looks its children up in labels_workspace_parent_idx
// (workspace and parent); joined the other way, un-analyzed SQLite read the whole workspace through
// another workspace index for every row of the tree (quadratic: minutes at 100,000 labels).

const toPath = (r: PathRow): LabelPath => ({ id: r.id, parentId: r.parent_id, name: r.name, path: r.path });

export function pathStore(db: Db): PathStore {
  const ALL = `${TOP_DOWN} ${ORDER}`;
  const SEARCH = `${TOP_DOWN} WHERE ${db.sql.contains('path_key')} ${ORDER}`;
  /**
   * Paths of the labels in the list parameter (of workspace ?), walking up to the roots. CROSS JOIN keeps
   * `up` the outer loop on SQLite (each label looked up by key, not an index scanned per row); each step
   * names the workspace with the key, as every recursive step does (test/plan-check.ts).
   */
  const BOTTOM_UP = `WITH RECURSIVE up(id, cur, path, path_key, depth) AS (
      SELECT id, parent_id, name, name_key, 0 FROM labels WHERE workspace_id = ? AND ${db.sql.inList('id', 'int')}
      UNION ALL
      SELECT up.id, p.parent_id, p.name || '/' || up.path, p.name_key || '/' || up.path_key, up.depth + 1
      FROM up CROSS JOIN labels p WHERE p.workspace_id = ? AND p.id = up.cur AND up.depth < ${MAX_DEPTH}
    )
    SELECT l.id, l.parent_id, l.name, up.path, 0 AS total FROM up CROSS JOIN labels l
    WHERE l.id = up.id AND up.cur IS NULL ORDER BY up.path_key, up.path, l.id`;
  const byIds = async (q: Q, ws: number, ids: number[]): Promise<LabelPath[]> => (await q.all<PathRow>(BOTTOM_UP, ws, db.sql.list(ids), ws)).map(toPath);

  return {
    async listLabelPaths(ws, query) {
      if (query.ids !== undefined) {
        const labels = await byIds(db, ws, query.ids);
        return { labels, total: labels.length };
      }
      const limit = query.limit ?? db.sql.noLimit;
      const rows = query.search === undefined ? await db.all<PathRow>(ALL, ws, ws, limit) : await db.all<PathRow>(SEARCH, ws, ws, nameKey(query.search), limit);
      return { labels: rows.map(toPath), total: rows[0]?.total ?? 0 };
    },

    async labelsOfResources(ws, externalIds, type) {
      return db.read(async (q) => {
        // Each external id looked up by the whole key (a scalar subquery per id: a planner without statistics
        // cannot turn it into a walk of the type), then the assignments of the resources found.
        const found = (
          await q.all<{ external_id: string; id: number | null }>(
            `SELECT j.value AS external_id, (SELECT r.id FROM resources r WHERE r.workspace_id = ? AND r.type = ? AND r.external_id = j.value) AS id
             FROM ${db.sql.listTable('j', 'text')} ORDER BY j.key`,
            ws, type, db.sql.list(externalIds),
          )
        ).filter((f) => f.id !== null);
        const assigned = found.length === 0 ? [] : await q.all<{ resource_id: number; label_id: number }>(
          `SELECT resource_id, label_id FROM assignments WHERE ${db.sql.inList('resource_id', 'int')}`, db.sql.list(found.map((f) => f.id)),
        );
        const pairs = found.flatMap((f) => {
          const mine = assigned.filter((a) => a.resource_id === f.id);
          return mine.length === 0 ? [{ external_id: f.external_id, label_id: null }] : mine.map((a) => ({ external_id: f.external_id, label_id: a.label_id as number | null }));
        });
        const labelIds = [...new Set(pairs.flatMap((p) => (p.label_id === null ? [] : [p.label_id])))];
        const rank = new Map((await byIds(q, ws, labelIds)).map((l, i) => [l.id, { l, i }]));
        const out = new Map<string, ResourceLabels>();
        for (const p of pairs) {
          const entry = out.get(p.external_id) ?? { externalId: p.external_id, type, labels: [] };
          out.set(p.external_id, entry);
          const found = p.label_id === null ? undefined : rank.get(p.label_id);
          if (found) entry.labels.push(found.l);
        }
        for (const entry of out.values()) entry.labels.sort((x, y) => rank.get(x.id)!.i - rank.get(y.id)!.i);
        return [...out.values()];
      });
    },
  };
}
