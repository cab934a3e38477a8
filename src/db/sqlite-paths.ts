// SQLite implementation of PathStore: label paths computed by recursive CTEs. Top-down from the roots for
// the whole tree and for searches; bottom-up from the asked labels when only a few are wanted. Both compare
// and order on the case-folded `name_key`, so a search is a literal, case-insensitive instr(), never a LIKE.
import type { LabelPath, PathStore, ResourceLabels } from '../core/ports-paths.js';
import { json, nameKey, type Statements } from './sqlite/driver.js';

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
    FROM labels l JOIN tree t ON l.parent_id = t.id WHERE t.depth < ${MAX_DEPTH}
  )
  SELECT id, parent_id, name, path, count(*) OVER () AS total FROM tree`;
const ORDER = `ORDER BY path_key, path, id LIMIT ?`;
const ALL = `${TOP_DOWN} ${ORDER}`;
const SEARCH = `${TOP_DOWN} WHERE instr(path_key, ?) > 0 ${ORDER}`;

/** Paths of the labels listed in the JSON array parameter (of workspace ?), walking up to the roots. */
const BOTTOM_UP = `WITH RECURSIVE up(id, cur, path, path_key, depth) AS (
    SELECT id, parent_id, name, name_key, 0 FROM labels WHERE workspace_id = ? AND id IN (SELECT value FROM json_each(?))
    UNION ALL
    SELECT up.id, p.parent_id, p.name || '/' || up.path, p.name_key || '/' || up.path_key, up.depth + 1
    FROM up JOIN labels p ON p.id = up.cur WHERE up.depth < ${MAX_DEPTH}
  )
  SELECT l.id, l.parent_id, l.name, up.path, 0 AS total FROM up CROSS JOIN labels l ON l.id = up.id
  WHERE up.cur IS NULL ORDER BY up.path_key, up.path, l.id`;

const toPath = (r: PathRow): LabelPath => ({ id: r.id, parentId: r.parent_id, name: r.name, path: r.path });

export function sqlitePathStore(s: Statements): PathStore {
  /** Several reads in one deferred transaction: one consistent snapshot. */
  const read = <T>(fn: () => T): T => s.db.transaction(fn)();

  const byIds = (ws: number, ids: number[]): LabelPath[] => s.all<PathRow>(BOTTOM_UP, ws, json(ids)).map(toPath);

  return {
    async listLabelPaths(ws, q) {
      if (q.ids !== undefined) {
        const labels = byIds(ws, q.ids);
        return { labels, total: labels.length };
      }
      const limit = q.limit ?? -1;
      const rows = q.search === undefined ? s.all<PathRow>(ALL, ws, limit) : s.all<PathRow>(SEARCH, ws, nameKey(q.search), limit);
      return { labels: rows.map(toPath), total: rows[0]?.total ?? 0 };
    },

    async labelsOfResources(ws, externalIds, type) {
      return read(() => {
        const pairs = s.all<{ external_id: string; label_id: number | null }>(
          `SELECT r.external_id, a.label_id FROM json_each(?) j
           JOIN resources r ON r.workspace_id = ? AND r.type = ? AND r.external_id = j.value
           LEFT JOIN assignments a ON a.resource_id = r.id
           ORDER BY j.key`,
          json(externalIds), ws, type,
        );
        const labelIds = [...new Set(pairs.flatMap((p) => (p.label_id === null ? [] : [p.label_id])))];
        const rank = new Map(byIds(ws, labelIds).map((l, i) => [l.id, { l, i }]));
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
