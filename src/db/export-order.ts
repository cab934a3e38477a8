// Backend-neutral: the order in which an exported workspace's labels can be inserted (both stores use it).
import { CoreError } from '../core/errors.js';
import type { ExportedLabel } from '../core/ports.js';

/** Orders labels so that every parent comes before its children (a cycle is reported, not looped on). */
export function parentsFirst(labels: ExportedLabel[]): ExportedLabel[] {
  const byId = new Map(labels.map((l) => [l.id, l]));
  const out: ExportedLabel[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (l: ExportedLabel) => {
    if (state.get(l.id) === 'done') return;
    if (state.get(l.id) === 'visiting') throw new CoreError('CYCLE', `labels ${l.id} and its parents form a cycle`, { field: 'parent_id', id: l.id });
    state.set(l.id, 'visiting');
    const parent = l.parent_id === null ? undefined : byId.get(l.parent_id);
    if (parent) visit(parent);
    state.set(l.id, 'done');
    out.push(l);
  };
  labels.forEach(visit);
  return out;
}
