// The label tree written as it is walked (src/http/streamed.ts), for workspaces of 100,000 labels. The tree
// nests every label under its parent, so it needs every label before its first byte; what it keeps of each is
// lean: the label's own JSON members as one string (the bytes mapper.tree's object would serialize to, minus
// `sublabels` and the closing brace), its parent's position and its sort key — no objects per label. The
// nesting is then written depth first from index arrays, in chunks, siblings ordered by name then id as
// mapper.tree orders them.
import type { Label, Workspace } from '../../core/index.js';
import * as map from './mapper.js';

/** Flush the written tree to the socket once this many characters have collected. */
const CHUNK = 64 * 1024;

/** A JSON object's text without its closing brace, so members can be added. */
const open = (o: object) => JSON.stringify(o).slice(0, -1);

interface Lean {
  heads: string[];
  keys: string[];
  ids: number[];
  parentIds: (number | null)[];
}

async function collect(ws: Workspace, pages: AsyncIterable<Label[]>): Promise<Lean> {
  const root = map.rootId(ws);
  const lean: Lean = { heads: [], keys: [], ids: [], parentIds: [] };
  for await (const page of pages) {
    for (const l of page) {
      lean.heads.push(open(map.label(l, root)));
      lean.keys.push(l.name.toLowerCase());
      lean.ids.push(l.id);
      lean.parentIds.push(l.parentId);
    }
  }
  return lean;
}

/**
 * Children of each node as one array (CSR): node n's are at `child[start[n]] … child[start[n + 1] - 1]`.
 * Node 0 is the root, label i is node i + 1; a label whose parent is missing hangs from the root, as in mapper.tree.
 */
function nest(lean: Lean): { start: Int32Array; child: Int32Array } {
  const n = lean.ids.length;
  const at = new Map<number, number>();
  lean.ids.forEach((id, i) => at.set(id, i + 1));
  const parent = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) parent[i + 1] = lean.parentIds[i] === null ? 0 : (at.get(lean.parentIds[i]!) ?? 0);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const { keys, ids } = lean;
  order.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : ids[a]! - ids[b]!));
  const start = new Int32Array(n + 2);
  for (let i = 1; i <= n; i++) start[parent[i]! + 1]!++;
  for (let i = 1; i <= n + 1; i++) start[i]! += start[i - 1]!;
  const fill = start.slice(0, n + 1);
  const child = new Int32Array(n);
  for (const i of order) child[fill[parent[i + 1]!]!++] = i + 1;
  return { start, child };
}

/** The root label with every label nested in `sublabels`: the bytes JSON.stringify(mapper.tree(ws, labels)) makes. */
export async function* treeJson(ws: Workspace, pages: AsyncIterable<Label[]>): AsyncGenerator<string> {
  const lean = await collect(ws, pages);
  const { start, child } = nest(lean);
  const head = (node: number) => (node === 0 ? open(map.rootLabel(ws)) : lean.heads[node - 1]!);
  let out = `${head(0)},"sublabels":[`;
  // Depth first: the stack holds, per open node, the position of its next child.
  const stack = [start[0]!];
  const nodes = [0];
  while (stack.length > 0) {
    const top = stack.length - 1;
    const next = stack[top]!;
    if (next === start[nodes[top]! + 1]!) {
      out += ']}';
      stack.pop();
      nodes.pop();
      continue;
    }
    const node = child[next]!;
    out += `${next === start[nodes[top]!]! ? '' : ','}${head(node)},"sublabels":[`;
    stack[top] = next + 1;
    stack.push(start[node]!);
    nodes.push(node);
    if (out.length >= CHUNK) {
      yield out;
      out = '';
    }
  }
  yield out;
}
