// Core objects ⇄ devtodev wire objects: Unix seconds on the wire, milliseconds in the core.
import type { TimedLabelEdit, TimedLabelInput } from '../../core/index.js';
import type { TimedLabel, TimedLabelCondition, TimedLabelField, FilterValue } from '../../core/index.js';
import type { Filter, LabelEdit, NewLabel } from './schemas.js';

const seconds = (ms: number) => Math.floor(ms / 1000);
const ms = (s: number) => s * 1000;

export const label = (a: TimedLabel) => ({
  id: a.id,
  name: a.name,
  description: a.description,
  category: a.category,
  start_date: seconds(a.startsAt),
  end_date: seconds(a.endsAt),
});

export function input(l: NewLabel): TimedLabelInput {
  const out: TimedLabelInput = { name: l.name, startsAt: ms(l.start_date) };
  if (l.description != null) out.description = l.description;
  if (l.category != null) out.category = l.category;
  if (l.end_date != null) out.endsAt = ms(l.end_date);
  return out;
}

export function edit(l: LabelEdit): TimedLabelEdit {
  const out: TimedLabelEdit = {};
  if (l.name != null) out.name = l.name;
  if (l.description != null) out.description = l.description;
  if (l.category != null) out.category = l.category;
  if (l.start_date != null) out.startsAt = ms(l.start_date);
  if (l.end_date != null) out.endsAt = ms(l.end_date);
  return out;
}

const FIELDS: Record<keyof Filter, TimedLabelField> = {
  id: 'id',
  name: 'name',
  description: 'description',
  category: 'category',
  start_date: 'startsAt',
  end_date: 'endsAt',
};
type Scalar = 'gt' | 'lt' | 'gte' | 'lte';

/**
 * A date filter compares the date as rendered (whole seconds, rounded down), so ranges are widened to whole
 * seconds in milliseconds: `gt 10` is `>= 11000`, `lte 10` is `< 11000`. Equality compares `s * 1000`,
 * which is exact because every time a label gets through this dialect is a whole second.
 */
function timeCondition(field: TimedLabelField, op: Scalar, s: number): TimedLabelCondition {
  if (op === 'gt') return { field, op: 'gte', value: ms(s + 1) };
  if (op === 'lte') return { field, op: 'lt', value: ms(s + 1) };
  return { field, op, value: ms(s) };
}

/** The wire filter as AND-ed core conditions; `{}` on a field means "not null and not empty". */
export function conditions(filter: Filter | null | undefined): TimedLabelCondition[] {
  const out: TimedLabelCondition[] = [];
  for (const [wire, ops] of Object.entries(filter ?? {}) as [keyof Filter, Record<string, FilterValue | FilterValue[] | undefined> | undefined][]) {
    if (ops === undefined) continue;
    const field = FIELDS[wire];
    const time = field === 'startsAt' || field === 'endsAt';
    const value = (v: FilterValue) => (time ? ms(v as number) : v);
    const defined = Object.entries(ops).filter(([, v]) => v !== undefined) as [string, FilterValue | FilterValue[]][];
    if (defined.length === 0) out.push({ field, op: 'present' });
    for (const [op, v] of defined) {
      if (Array.isArray(v)) out.push({ field, op: op === 'eq' ? 'in' : 'notIn', values: v.map(value) });
      else if (op === 'eq' || op === 'neq') out.push({ field, op, value: value(v) });
      else if (time) out.push(timeCondition(field, op as Scalar, v as number));
      else out.push({ field, op: op as Scalar, value: v });
    }
  }
  return out;
}
