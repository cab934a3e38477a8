// Every statement the store sends, recorded through its query interface, and each one's plan judged: no full
// scan of a table that grows with a workspace, no index walk bounded by nothing narrower than the workspace
// unless the statement is a whole-workspace answer or a page read in the index's order.
import type { DatabaseStore } from '../src/db/index.js';
import type { Db, Q } from '../src/db/store/db.js';

export interface Recorded {
  sql: string;
  params: unknown[];
  /** The store functions that sent it. */
  callers: Set<string>;
}

/** A Db that records each statement's text (with the first parameters seen) under the current caller. */
export function recordingDb(db: Db, seen: Map<string, Recorded>, caller: { name: string }): Db {
  const rec = (sql: string, params: unknown[]) => {
    const r = seen.get(sql) ?? { sql, params, callers: new Set<string>() };
    r.callers.add(caller.name);
    seen.set(sql, r);
  };
  const wrap = (q: Q): Q => ({
    all: (sql, ...p) => (rec(sql, p), q.all(sql, ...p)),
    one: (sql, ...p) => (rec(sql, p), q.one(sql, ...p)),
    run: (sql, ...p) => (rec(sql, p), q.run(sql, ...p)),
  });
  return {
    kind: db.kind,
    sql: db.sql,
    ...wrap(db),
    write: (fn, scope) => db.write((q) => fn(wrap(q)), scope),
    writeOne: (scope, sql, ...p) => (rec(sql, p), db.writeOne(scope, sql, ...p)),
    writeRun: (scope, sql, ...p) => (rec(sql, p), db.writeRun(scope, sql, ...p)),
    read: (fn) => db.read((q) => fn(wrap(q))),
    memo: (key, compute, of, within) => db.memo(key, compute, of, within),
    ping: () => db.ping(),
    close: () => db.close(),
  };
}

/** Tables that grow with a workspace's labels, resources and history. */
const BIG = ['labels', 'resources', 'assignments', 'events'];

/** alias → table for the big tables a statement names. */
function aliases(sql: string): Map<string, string> {
  const out = new Map<string, string>(BIG.map((t) => [t, t]));
  for (const m of sql.matchAll(/\b(labels|resources|assignments|events)\s+(?:AS\s+)?([a-z]\w*)\b/gi)) {
    const word = m[2]!.toLowerCase();
    if (!['where', 'on', 'join', 'set', 'values', 'select', 'left', 'cross', 'order', 'limit', 'union', 'group', 'inner'].includes(word)) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** One line of a plan; on SQLite with its place in the tree (`parent` is the id of the line it belongs to). */
export interface PlanLine {
  detail: string;
  id: number;
  parent: number;
}

/** A PostgreSQL plan node (EXPLAIN (FORMAT JSON)), the members read here. */
interface PgNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PgNode[];
}

/** PostgreSQL's plan flattened: each node with its ancestors' types, nearest first. */
function flatten(node: PgNode, above: string[] = [], out: PlanLine[] = []): PlanLine[] {
  const detail = JSON.stringify({ type: node['Node Type'], rel: node['Relation Name'], index: node['Index Name'], cond: node['Index Cond'], above });
  out.push({ detail, id: out.length, parent: 0 });
  for (const child of node.Plans ?? []) flatten(child, [node['Node Type'], ...above], out);
  return out;
}

/** The plan's lines (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN's nodes). */
export async function planOf(store: DatabaseStore, sql: string, params: unknown[], opts: { sorts?: boolean } = {}): Promise<PlanLine[]> {
  if (store.kind === 'sqlite') {
    const sqlite = (store.db as unknown as { sqlite: { prepare(s: string): { all(...p: unknown[]): PlanLine[] } } }).sqlite;
    return sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params);
  }
  // PostgreSQL rightly reads a small table whole, so on a test-sized database a sequential scan says little.
  // With sequential scans priced out, one that remains is a statement no index can bound; the index chosen
  // instead is judged like SQLite's.
  // Merge joins are priced out too: on a test-sized table PostgreSQL merges two whole indexes, which it does
  // not on a grown one. `sorts: false` prices sorts out as well (sortedWalk): an index that gives a page's
  // order is then walked whatever a sort of the selection would cost.
  const settings = ['seqscan', 'mergejoin', ...(opts.sorts === false ? ['sort', 'incremental_sort'] : [])];
  const rows = await store.db.read(async (q) => {
    for (const setting of settings) await q.run(`SET LOCAL enable_${setting} = off`);
    return q.all<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`, ...params);
  });
  const json = rows[0]!['QUERY PLAN'];
  const top = (typeof json === 'string' ? JSON.parse(json) : json) as { Plan: PgNode }[];
  return flatten(top[0]!.Plan);
}

/**
 * The big table a recursive CTE's step reads without `workspace_id` in its text, or null. Every tree stays in
 * one workspace, so each step can look its rows up by (workspace, parent) or (workspace, id); one that does
 * not leaves the planner free to bound it by nothing the workspace's index would: on un-analyzed SQLite a
 * workspace-only index in the step was quadratic, on PostgreSQL every workspace's labels were hashed.
 */
function recursiveStepWithoutWorkspace(sql: string): string | null {
  if (!/\bWITH RECURSIVE\b/i.test(sql)) return null;
  for (const m of sql.matchAll(/\bUNION(?:\s+ALL)?\b([\s\S]*?)\)\s*(?:SELECT|DELETE|UPDATE)\b/gi)) {
    const table = /\b(labels|resources|assignments|events)\b/i.exec(m[1]!);
    if (table && !/\bworkspace_id\b/.test(m[1]!)) return table[1]!;
  }
  return null;
}

/**
 * True when the join right above this walk's node also looks rows up by a label given as a value (a
 * parameter or a constant), i.e. the walk drives a join the label's side could have driven.
 */
function drivesIntoKey(plan: PlanLine[], detail: string): boolean {
  const at = plan.findIndex((l) => l.detail === detail);
  const depth = (JSON.parse(detail) as { above: string[] }).above.length;
  for (let i = at + 1; i < plan.length; i++) {
    const n = JSON.parse(plan[i]!.detail) as { cond?: string; above: string[] };
    if (n.above.length < depth) break;
    if (/label_id = ('\d+'::bigint|\$\d+)/.test(n.cond ?? '')) return true;
  }
  for (let i = at - 1; i >= 0; i--) {
    const n = JSON.parse(plan[i]!.detail) as { cond?: string; above: string[] };
    if (n.above.length < depth - 1) break;
    if (/label_id = ('\d+'::bigint|\$\d+)/.test(n.cond ?? '')) return true;
  }
  return false;
}

/** The aliases (or bare table names) of the labels a statement takes at the top level (`parent_id IS NULL`). */
const topLevel = (sql: string): Set<string> => new Set([...sql.matchAll(/(?:(\w+)\.)?parent_id IS NULL/gi)].map((m) => m[1] ?? 'labels'));

/**
 * Partial indexes whose entries are exactly the rows of an answer (labels_categories_idx: devtodev's categories),
 * so a walk of one bounded by the workspace alone costs the answer, not the workspace.
 */
export const ANSWER_INDEXES = new Set(['labels_categories_idx']);

/** Constraint columns that bound a walk below the workspace (a key, a label, a name, an external id). */
const NARROW = /\b(id|rowid|label_id|resource_id|name_key|external_id|parent_id|created_by|key_hash|access_hash|refresh_hash|email_key|user_id)\b|lower\(name\) =|\bname=\?/;

/**
 * What is wrong with a plan, or null. `whole`: a whole-workspace answer, which may read the workspace's rows
 * (by an index on the workspace, never a full scan).
 */
export function judge(kind: DatabaseStore['kind'], sql: string, plan: PlanLine[], whole: boolean): string | null {
  const names = aliases(sql);
  const unbounded = recursiveStepWithoutWorkspace(sql);
  if (unbounded) return `a recursive step reads ${unbounded} without naming the workspace`;
  // A page read in an index's order stops after the page; a LIMIT without ORDER BY may walk every row first.
  const paged = /\bORDER BY\b[\s\S]*\bLIMIT (\?|\d+)( OFFSET \?)?\)?( AS \w+)?$/i.test(sql.trim());
  // An insert's plan lists the foreign key checks of the row it adds: by index, and for a new row.
  const insert = /^\s*INSERT\b/i.test(sql);
  const counted = /^\s*SELECT (count\(\*\)|sum\(\(SELECT count\(\*\))/i.test(sql);
  if (kind === 'sqlite') {
    // A recursive step runs once per row of the recursion: there even a whole-workspace answer must look each
    // row's neighbours up by key, or it reads the workspace once per row (quadratic).
    const recursive = new Set<number>();
    for (const l of plan) if (l.detail === 'RECURSIVE STEP' || recursive.has(l.parent)) recursive.add(l.id);
    for (const line of plan) {
      const scan = /^SCAN (\w+)/.exec(line.detail);
      if (scan && names.has(scan[1]!)) return `full scan of ${names.get(scan[1]!)}: ${line.detail}`;
      const search = /^SEARCH (\w+) USING (?:COVERING )?INDEX (\w+) \((.*)\)/.exec(line.detail);
      // `parent_id IS NULL` alone is every workspace's top-level labels (what ANALYZE made Razuna's getall read).
      if (search && search[3] === 'parent_id=?' && topLevel(sql).has(search[1]!)) return `${search[2]} reads every workspace's top-level labels: ${line.detail}`;
      if (search && names.has(search[1]!) && !NARROW.test(search[3]!) && recursive.has(line.id)) return `${search[2]} bounds ${names.get(search[1]!)} only by ${search[3]} in a recursive step (once per row): ${line.detail}`;
      if (!search || !names.has(search[1]!) || NARROW.test(search[3]!) || ANSWER_INDEXES.has(search[2]!) || whole || insert || counted) continue;
      // A sort of what the walk reads, whole or of its ties ("RIGHT PART", "LAST n TERMS"): the walk then
      // reads past the page, through every tie of the row the page ends on (a status, or resources added in
      // one batch: a workspace's worth).
      const sorted = plan.some((l) => l.parent === line.parent && /^USE TEMP B-TREE FOR (.* OF )?ORDER BY$/.test(l.detail));
      if (!paged || sorted) return `${search[2]} bounds ${names.get(search[1]!)} only by ${search[3]}${sorted ? ', then sorts' : ''}: ${line.detail}`;
    }
    return null;
  }
  // A recursive statement's joins are not judged here: PostgreSQL's guess of a recursion's size is fixed, so on
  // a test-sized table it walks a workspace's labels and looks the queue up, where on a grown one it looks each
  // row's children up by (workspace, parent) — the shape the text rule above requires (scripts/explain-grown.ts).
  const recursive = /\bWITH RECURSIVE\b/i.test(sql);
  for (const { detail } of plan) {
    const n = JSON.parse(detail) as { type: string; rel?: string; index?: string; cond?: string; above: string[] };
    if (n.type === 'Seq Scan' && BIG.includes(n.rel!) && !(whole && !insert)) return `full scan of ${n.rel}`;
    if (recursive) continue;
    if (!/Index/.test(n.type) || !n.index?.match(/^(labels|resources|assignments|events)_/)) continue;
    // Bounded by a LIMIT above it, unless what is between reads the walk whole first: a hash of it, or a join
    // it drives into a label's rows (a key given as a value) that is then sorted — a label's page walked the
    // workspace's resources looking each up in the label's assignments, where the label's side bounds it.
    // Whether PostgreSQL reads a one-table page in index order or sorts the selection is its cost model's
    // choice (the indexes for each order exist), measured on grown databases rather than here.
    const limit = n.above.indexOf('Limit');
    const between = limit >= 0 ? n.above.slice(0, limit) : [];
    const join = between.findIndex((t) => / Join$|^Nested Loop$/.test(t));
    const sortedJoin = join >= 0 && between.slice(join).includes('Sort') && drivesIntoKey(plan, detail);
    const stops = limit >= 0 && !between.includes('Hash') && !sortedJoin;
    if (n.cond === undefined) {
      if (!stops && !(whole && !insert)) return `${n.index} read whole (no index condition)`;
      continue;
    }
    if (/^\(?\(?parent_id IS NULL\)?\)?$/.test(n.cond)) return `${n.index} reads every workspace's top-level labels`;
    if (NARROW.test(n.cond) || ANSWER_INDEXES.has(n.index) || whole || insert || counted) continue;
    if (!stops) return `${n.index} bounds the rows only by ${n.cond}${limit >= 0 ? ', then sorts (or hashes) them all' : ''}`;
  }
  return null;
}

/**
 * PostgreSQL, on a plan made with sorts priced out (planOf's `sorts: false`): a page whose walk of a big
 * table's index is bounded by the workspace alone yet sorted below the page's LIMIT — wholly, or its ties
 * (an incremental sort): no index gives the page's order whole, so whatever the statistics say the page
 * reads past itself (a workspace's worth). Null when every such walk stops with its page. Whether PostgreSQL
 * prefers the walk to a sort is its cost model's choice, measured on grown databases
 * (scripts/explain-grown.ts); this is whether it can.
 */
export function sortedWalk(sql: string, plan: PlanLine[], whole: boolean): string | null {
  if (whole || /^\s*INSERT\b/i.test(sql) || /\bWITH RECURSIVE\b/i.test(sql)) return null;
  for (const { detail } of plan) {
    const n = JSON.parse(detail) as { type: string; index?: string; cond?: string; above: string[] };
    if (!/Index/.test(n.type) || !n.index?.match(/^(labels|resources|assignments|events)_/)) continue;
    const limit = n.above.indexOf('Limit');
    if (limit < 0 || n.cond === undefined || NARROW.test(n.cond) || ANSWER_INDEXES.has(n.index)) continue;
    const sort = n.above.slice(0, limit).find((t) => /Sort$/.test(t));
    if (sort) return `${n.index} bounds the page only by ${n.cond}, then ${sort === 'Sort' ? 'sorts what it reads' : 'sorts the ties (incremental sort)'}: no index gives the page's order`;
  }
  return null;
}
