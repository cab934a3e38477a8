// Compiles annotation filter conditions to a parameterized SQL predicate over `labels l LEFT JOIN labels p`
// (counterpart of ../sqlite-annotation-filter.ts). Columns and operators come from closed tables, values
// are always bound parameters. A value is compared with SQLite's typing rules: a text column against a
// number never matches (=) or always sorts after it (<, >); a numeric column against text likewise.
import type { AnnotationCondition, AnnotationField } from '../../core/ports-annotations.js';
import { columnValue } from '../sqlite-annotation-filter.js';

const COLUMNS: Record<AnnotationField, string> = {
  id: 'l.id',
  name: 'l.name',
  description: 'l.description',
  // Categories match ignoring case: the folded name against folded values (see fold).
  category: "coalesce(p.name_key, '')",
  startsAt: 'l.starts_at',
  endsAt: 'l.ends_at',
};
const TEXT: ReadonlySet<AnnotationField> = new Set(['name', 'description', 'category']);
const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' } as const;

/**
 * SQLite orders any number before any text. So for a text column and a numeric value, col > n and col <> n
 * are true (for a non-null col), col < n and col = n false; for a numeric column and a text value the reverse.
 */
function mixed(op: keyof typeof OPERATORS, textColumn: boolean): boolean {
  const columnIsGreater = textColumn;
  switch (op) {
    case 'eq':
      return false;
    case 'neq':
      return true;
    case 'gt':
    case 'gte':
      return columnIsGreater;
    case 'lt':
    case 'lte':
      return !columnIsGreater;
  }
}

export function compileConditions(conditions: AnnotationCondition[]): { where: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const c of conditions) {
    const col = COLUMNS[c.field];
    const text = TEXT.has(c.field);
    switch (c.op) {
      case 'present':
        parts.push(text ? `(${col} IS NOT NULL AND ${col} <> '')` : `${col} IS NOT NULL`);
        break;
      case 'in':
      case 'notIn': {
        const same = c.values.filter((v) => typeof v === (text ? 'string' : 'number')).map((v) => columnValue(c.field, v));
        const list = text ? `?::text[]` : `?::numeric[]`;
        parts.push(c.op === 'in' ? `${col} = ANY(${list})` : `(${col} IS NOT NULL AND NOT (${col} = ANY(${list})))`);
        params.push(same);
        break;
      }
      default: {
        const sameType = typeof c.value === (text ? 'string' : 'number');
        if (sameType) {
          parts.push(`${col} ${OPERATORS[c.op]} ${text ? '?::text' : '?::numeric'}`);
          params.push(columnValue(c.field, c.value));
        } else {
          parts.push(mixed(c.op, text) ? `${col} IS NOT NULL` : 'false');
        }
      }
    }
  }
  return { where: parts.length === 0 ? 'true' : parts.join(' AND '), params };
}
