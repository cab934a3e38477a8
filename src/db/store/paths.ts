// Label paths. The whole tree and searches (Razuna's getall and searchlabel, the console's search) are gathered
// from keyset pages of the workspace's labels (a bounded read each, a turn for other requests between two when
// the caller paces them) and ordered here; a few asked labels walk bottom-up from them in one recursive CTE.
// Both orders compare the case-folded `name_key` path, then the path, then the id, as bytes of UTF-8 (what
// SQLite's BINARY and PostgreSQL's COLLATE "C" compare), so a search is a literal substring test of the folded
// path, never a LIKE.
//
// Why not one recursive read of the whole tree, as before: on SQLite it was one synchronous statement (1.8 s under
// load at 100,000 labels) that no other request could interrupt, its rows were ~30 MB of objects, and it ran to
// its end for a client that had gone. The pages are separate reads, as label-pages.ts explains: a label created
// meanwhile may be missing, one whose parent was deleted meanwhile is left out, as a label not under the tree.
import type { LabelPath, LabelPathList, Pace, PathStore, ResourceLabels } from '../../core/ports-paths.js';
import type { Db, Q } from './db.js';
import { LABEL_PAGE_SIZE } from './label-pages.js';
import { nameKey } from './rows.js';

/** Guards the recursion should a cycle ever reach the table (the label store refuses them). */
const MAX_DEPTH = 10_000;

interface PathRow {
  id: number;
  parent_id: number | null;
  name: string;
  path: string;
}

const toPath = (r: PathRow): LabelPath => ({ id: r.id, parentId: r.parent_id, name: r.name, path: r.path });

/** The workspace's labels in keyset pages (labels_workspace_created_idx, as label-pages.ts walks it). */
const PAGE = `SELECT id, parent_id, name, name_key, created_at FROM labels WHERE workspace_id = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`;
interface LeanRow {
  id: number;
  parent_id: number | null;
  name: string;
  name_key: string;
  created_at: number;
}

/** The labels as parallel arrays: no object per label is kept once its page has been read. */
interface Lean {
  ids: number[];
  parents: (number | null)[];
  names: string[];
  keys: string[];
}

/** Every page, or null once `pace` (called between two pages) says the reader has gone. */
async function gather(db: Db, ws: number, pace: Pace | undefined, size: number): Promise<Lean | null> {
  const lean: Lean = { ids: [], parents: [], names: [], keys: [] };
  let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
  for (;;) {
    const rows = await db.all<LeanRow>(PAGE, ws, after[0], after[1], size);
    for (const r of rows) {
      lean.ids.push(Number(r.id));
      lean.parents.push(r.parent_id === null ? null : Number(r.parent_id));
      lean.names.push(r.name);
      lean.keys.push(r.name_key === r.name ? r.name : r.name_key); // one string where folding changed nothing
    }
    if (rows.length < size) return lean;
    const last = rows[rows.length - 1]!;
    after = [Number(last.created_at), Number(last.id)];
    if (pace && !(await pace())) return null;
  }
}

/** A UTF-16 code unit moved so that comparing units compares code points (surrogates above U+E000–U+FFFF). */
const unit = (c: number) => (c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c);
const ASTRAL = /[\ud800-\udfff]/;
/** Byte order of the strings' UTF-8, the databases' order; plain `<` where neither has a surrogate. */
function utf8Order(a: string, b: string, astral: boolean): number {
  if (!astral) return a < b ? -1 : a > b ? 1 : 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unit(x) - unit(y);
  }
  return a.length - b.length;
}

/**
 * The labels reachable from the top of the tree (a label whose parent was deleted between two pages is not, as
 * in a single recursive read), each with its path, those whose folded path contains `needle`, in path order.
 */
function ordered(lean: Lean, needle: string | undefined): { order: Int32Array; paths: string[] } {
  const n = lean.ids.length;
  const at = new Map<number, number>();
  lean.ids.forEach((id, i) => at.set(id, i));
  // Children of each label as one array (CSR): label i's are child[start[i]] … child[start[i + 1] - 1]; roots at n.
  const parent = Int32Array.from(lean.parents, (p) => (p === null ? n : (at.get(p) ?? -1)));
  const start = new Int32Array(n + 2);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) start[parent[i]! + 1]!++;
  for (let i = 1; i <= n + 1; i++) start[i]! += start[i - 1]!;
  const fill = start.slice(0, n + 1);
  const child = new Int32Array(n);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) child[fill[parent[i]!]!++] = i;
  const paths: string[] = new Array<string>(n);
  const keys: string[] = new Array<string>(n);
  const picked: number[] = [];
  const stack: number[] = [n];
  const depth = new Int32Array(n + 1);
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p !== n && depth[p]! >= MAX_DEPTH) continue; // as the recursive read's bound
    for (let c = start[p]!; c < start[p + 1]!; c++) {
      const i = child[c]!;
      paths[i] = p === n ? lean.names[i]! : `${paths[p]!}/${lean.names[i]!}`;
      keys[i] = p === n ? lean.keys[i]! : `${keys[p]!}/${lean.keys[i]!}`;
      depth[i] = p === n ? 0 : depth[p]! + 1;
      if (needle === undefined || keys[i]!.includes(needle)) picked.push(i);
      stack.push(i);
    }
  }
  const astral = new Uint8Array(n);
  for (const i of picked) astral[i] = ASTRAL.test(paths[i]!) ? 1 : 0;
  picked.sort((a, b) => {
    const both = astral[a]! + astral[b]! > 0;
    return utf8Order(keys[a]!, keys[b]!, both) || utf8Order(paths[a]!, paths[b]!, both) || lean.ids[a]! - lean.ids[b]!;
  });
  return { order: Int32Array.from(picked), paths };
}

/** The ordered labels, at most `limit`, made into objects a slice at a time. */
function listOf(lean: Lean, needle: string | undefined, limit: number | undefined): LabelPathList {
  const { order, paths } = ordered(lean, needle);
  const length = Math.min(order.length, limit ?? order.length);
  return {
    length,
    total: order.length,
    slice(from, to) {
      const out: LabelPath[] = [];
      for (let r = Math.max(0, from); r < Math.min(to, length); r++) {
        const i = order[r]!;
        out.push({ id: lean.ids[i]!, parentId: lean.parents[i]!, name: lean.names[i]!, path: paths[i]! });
      }
      return out;
    },
  };
}

export function pathStore(db: Db): PathStore {
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
    SELECT l.id, l.parent_id, l.name, up.path FROM up CROSS JOIN labels l
    WHERE l.id = up.id AND up.cur IS NULL ORDER BY up.path_key, up.path, l.id`;
  const byIds = async (q: Q, ws: number, ids: number[]): Promise<LabelPath[]> => (await q.all<PathRow>(BOTTOM_UP, ws, db.sql.list(ids), ws)).map(toPath);

  /**
   * One label's path (Razuna's getlabel): the same walk up from a key, the label's own columns carried along
   * instead of joined at the end, no list parameter and no sort.
   */
  const ONE_UP = `WITH RECURSIVE up(id, parent_id, name, cur, path, depth) AS (
      SELECT id, parent_id, name, parent_id, name, 0 FROM labels WHERE workspace_id = ? AND id = ?
      UNION ALL
      SELECT up.id, up.parent_id, up.name, p.parent_id, p.name || '/' || up.path, up.depth + 1
      FROM up CROSS JOIN labels p WHERE p.workspace_id = ? AND p.id = up.cur AND up.depth < ${MAX_DEPTH}
    )
    SELECT id, parent_id, name, path FROM up WHERE cur IS NULL`;
  /**
   * Remembered until a write that may change label rows (a path is its ancestors' names and parents), or
   * another process's commit; PostgreSQL reads it each time (Db.memo). The object is shared: never changed.
   */
  const oneById = (ws: number, id: number): Promise<LabelPath | null> =>
    db.memo(`path:${ws}:${id}`, async () => {
      const row = await db.one<PathRow>(ONE_UP, ws, id, ws);
      return row ? toPath(row) : null;
    }, 'labels');

  const labelPathList = async (ws: number, query: { search?: string; limit?: number }, pace?: Pace, pageSize = LABEL_PAGE_SIZE): Promise<LabelPathList | null> => {
    const lean = await gather(db, ws, pace, pageSize);
    return lean && listOf(lean, query.search === undefined ? undefined : nameKey(query.search), query.limit);
  };

  return {
    labelPathList,

    async listLabelPaths(ws, query) {
      if (query.ids?.length === 1) {
        const one = await oneById(ws, query.ids[0]!);
        return one ? { labels: [one], total: 1 } : { labels: [], total: 0 };
      }
      if (query.ids !== undefined) {
        const labels = await byIds(db, ws, query.ids);
        return { labels, total: labels.length };
      }
      const list = (await labelPathList(ws, query))!;
      return { labels: list.slice(0, list.length), total: list.total };
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
