// The label tree, read one level at a time (GET …/label-tree: one page of children with their counts), so a
// 10,000-label workspace shows its top level at once. Keyboard: ↑/↓ move, → opens or enters, ← closes or goes
// to the parent, Home/End, Enter or Space selects. Drag a label onto another to move it there.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Session } from './api.js';

export interface TreeNode {
  id: number;
  parent_id: number | null;
  name: string;
  color: string | null;
  children: number;
  assignments: number;
}
interface Level {
  items: TreeNode[];
  more: boolean;
}
type Row = { kind: 'label'; node: TreeNode; depth: number } | { kind: 'more'; parent: number | null; depth: number };

const PAGE = 200;
const levelKey = (parent: number | null) => (parent === null ? 'top' : String(parent));

export interface TreeProps {
  session: Session;
  ws: number;
  selected: number | null;
  onSelect(id: number): void;
  onMove(id: number, parent: number): void;
  /** Changes when labels changed: the open levels are read again. */
  version: number;
}

export function Tree({ session, ws, selected, onSelect, onMove, version }: TreeProps) {
  const [levels, setLevels] = useState(new Map<string, Level>());
  const [open, setOpen] = useState(new Set<number>());
  const [focus, setFocus] = useState<number | null>(null);
  const [error, setError] = useState('');
  const list = useRef<HTMLUListElement>(null);

  const fetchLevel = async (parent: number | null, offset: number): Promise<Level> => {
    const qs = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
    if (parent !== null) qs.set('parent', String(parent));
    const items: TreeNode[] = (await session.admin('GET', `/_admin/workspaces/${ws}/label-tree?${qs}`)).labels;
    return { items, more: items.length === PAGE };
  };
  const load = (parent: number | null, offset = 0) =>
    fetchLevel(parent, offset)
      .then((l) =>
        setLevels((m) => {
          const next = new Map(m);
          const had = offset > 0 ? (m.get(levelKey(parent))?.items ?? []) : [];
          next.set(levelKey(parent), { items: [...had, ...l.items], more: l.more });
          return next;
        }),
      )
      .catch((e: Error) => setError(e.message));

  useEffect(() => {
    setLevels(new Map());
    setOpen(new Set());
    void load(null);
  }, [ws]);
  useEffect(() => {
    if (version === 0) return;
    // Read the open levels again (first pages), dropping closed ones.
    void Promise.all([null, ...open].map(async (p) => [levelKey(p), await fetchLevel(p, 0)] as const))
      .then((pairs) => setLevels(new Map(pairs)))
      .catch((e: Error) => setError(e.message));
  }, [version]);

  const rows = useMemo(() => {
    const out: Row[] = [];
    const walk = (parent: number | null, depth: number) => {
      const level = levels.get(levelKey(parent));
      if (!level) return;
      for (const node of level.items) {
        out.push({ kind: 'label', node, depth });
        if (open.has(node.id)) walk(node.id, depth + 1);
      }
      if (level.more) out.push({ kind: 'more', parent, depth });
    };
    walk(null, 1);
    return out;
  }, [levels, open]);

  const toggle = (node: TreeNode, to?: boolean) => {
    if (node.children === 0) return;
    const want = to ?? !open.has(node.id);
    setOpen((s) => {
      const n = new Set(s);
      if (want) n.add(node.id);
      else n.delete(node.id);
      return n;
    });
    if (want && !levels.has(levelKey(node.id))) void load(node.id);
  };

  const labelRows = rows.filter((r): r is Extract<Row, { kind: 'label' }> => r.kind === 'label');
  const current = focus ?? selected ?? labelRows[0]?.node.id ?? null;
  const moveFocus = (id: number | undefined) => {
    if (id === undefined) return;
    setFocus(id);
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[data-id="${id}"]`)?.focus());
  };
  const onKey = (e: KeyboardEvent) => {
    const i = labelRows.findIndex((r) => r.node.id === current);
    const row = labelRows[i];
    if (!row) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveFocus(labelRows[i + 1]?.node.id),
      ArrowUp: () => moveFocus(labelRows[i - 1]?.node.id),
      Home: () => moveFocus(labelRows[0]?.node.id),
      End: () => moveFocus(labelRows[labelRows.length - 1]?.node.id),
      ArrowRight: () => (open.has(row.node.id) ? moveFocus(labelRows[i + 1]?.node.id) : toggle(row.node, true)),
      ArrowLeft: () => (open.has(row.node.id) ? toggle(row.node, false) : moveFocus(row.node.parent_id ?? undefined)),
      Enter: () => onSelect(row.node.id),
      ' ': () => onSelect(row.node.id),
    };
    const f = keys[e.key];
    if (!f) return;
    e.preventDefault();
    f();
  };

  if (error) return <p role="alert" class="error">{error}</p>;
  if (!levels.has('top')) return <p aria-live="polite">Loading labels…</p>;
  if (rows.length === 0) return <p class="hint">No labels yet: create one above.</p>;
  return (
    <ul class="tree" role="tree" aria-label="Labels" ref={list} onKeyDown={onKey}>
      {rows.map((r) =>
        r.kind === 'more' ? (
          <li role="none" key={`more-${r.parent}`} style={{ paddingLeft: `${r.depth}em` }}>
            <button type="button" class="link" onClick={() => void load(r.parent, levels.get(levelKey(r.parent))!.items.length)}>Load more…</button>
          </li>
        ) : (
          <li
            role="treeitem"
            key={r.node.id}
            data-id={r.node.id}
            aria-level={r.depth}
            aria-expanded={r.node.children > 0 ? open.has(r.node.id) : undefined}
            aria-selected={selected === r.node.id}
            tabIndex={current === r.node.id ? 0 : -1}
            class={selected === r.node.id ? 'node selected' : 'node'}
            style={{ paddingLeft: `${r.depth - 1}em` }}
            draggable
            onDragStart={(e) => e.dataTransfer?.setData('text/x-label-id', String(r.node.id))}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const moved = Number(e.dataTransfer?.getData('text/x-label-id'));
              if (moved && moved !== r.node.id) onMove(moved, r.node.id);
            }}
            onClick={(e) => (e.stopPropagation(), setFocus(r.node.id), onSelect(r.node.id))}
          >
            <span class="twisty" aria-hidden="true" onClick={(e) => (e.stopPropagation(), toggle(r.node))}>
              {r.node.children > 0 ? (open.has(r.node.id) ? '▾' : '▸') : '·'}
            </span>
            <span class="swatch" aria-hidden="true" style={{ background: r.node.color ?? 'transparent' }} />
            <span class="name">{r.node.name}</span>
            <span class="count" title="assignments">{r.node.assignments}</span>
          </li>
        ),
      )}
    </ul>
  );
}
