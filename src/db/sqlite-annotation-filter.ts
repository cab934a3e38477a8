// Compiles annotation filter conditions to a parameterized SQL predicate over `labels l LEFT JOIN labels p`
// (p = the parent, whose name is the category). Columns and operators come from closed tables, values are
// always bound parameters; lists are bound as one JSON array read with json_each.
import type { AnnotationCondition, AnnotationField, FilterValue } from '../core/ports-annotations.js';
import { json, nameKey } from './sqlite/driver.js';

const COLUMNS: Record<AnnotationField, string> = {
  id: 'l.id',
  name: 'l.name',
  description: 'l.description',
  // Categories match ignoring case: the folded name against folded values (see fold).
  category: "ifnull(p.name_key, '')",
  startsAt: 'l.starts_at',
  endsAt: 'l.ends_at',
};
const TEXT: ReadonlySet<AnnotationField> = new Set(['name', 'description', 'category']);
const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' } as const;

/** A condition's value as its column holds it: category names are compared case-folded (both stores). */
export const columnValue = (field: AnnotationField, v: FilterValue): FilterValue => (field === 'category' && typeof v === 'string' ? nameKey(v) : v);

export function compileConditions(conditions: AnnotationCondition[]): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const c of conditions) {
    const col = COLUMNS[c.field];
    switch (c.op) {
      case 'present':
        parts.push(TEXT.has(c.field) ? `(${col} IS NOT NULL AND ${col} <> '')` : `${col} IS NOT NULL`);
        break;
      case 'in':
      case 'notIn':
        parts.push(`${col} ${c.op === 'in' ? 'IN' : 'NOT IN'} (SELECT value FROM json_each(?))`);
        params.push(json(c.values.map((v) => columnValue(c.field, v))));
        break;
      default:
        parts.push(`${col} ${OPERATORS[c.op]} ?`);
        params.push(columnValue(c.field, c.value));
    }
  }
  return { where: parts.length === 0 ? '1' : parts.join(' AND '), params };
}
