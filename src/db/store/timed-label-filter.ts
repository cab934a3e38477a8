// A list filter's conditions as one SQL predicate over `labels l LEFT JOIN labels p` (p = the parent, whose
// name is the category), for both databases. Clients choose the combination of conditions; columns and
// operators come from closed tables and values are always bound parameters.
import type { TimedLabelCondition, TimedLabelField, FilterValue } from '../../core/ports-timed-labels.js';
import type { SqlDialect } from './db.js';
import { nameKey } from './rows.js';

const COLUMNS: Record<TimedLabelField, string> = {
  id: 'l.id',
  name: 'l.name',
  description: 'l.description',
  // Categories match ignoring case: the folded name against folded values (columnValue).
  category: "coalesce(p.name_key, '')",
  startsAt: 'l.starts_at',
  endsAt: 'l.ends_at',
};
const TEXT: ReadonlySet<TimedLabelField> = new Set(['name', 'description', 'category']);
const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '<>' } as const;

/** A condition's value as its column holds it: category names are compared case-folded. */
const columnValue = (field: TimedLabelField, v: FilterValue): FilterValue => (field === 'category' && typeof v === 'string' ? nameKey(v) : v);

/** Whether `v` has its column's type (the core refuses other values; the store still never errs on them). */
const fits = (field: TimedLabelField, v: FilterValue): boolean => typeof v === (TEXT.has(field) ? 'string' : 'number');

/**
 * A value of the other type compares as SQLite orders values: any number before any text. So for a text column
 * and a numeric value, col > n and col <> n hold (for a non-null col), col < n and col = n never; for a numeric
 * column and a text value the reverse. Written out, so that PostgreSQL, which has no such order, agrees.
 */
function mixed(op: keyof typeof OPERATORS, textColumn: boolean): boolean {
  if (op === 'eq') return false;
  if (op === 'neq') return true;
  return op === 'gt' || op === 'gte' ? textColumn : !textColumn;
}

/**
 * A number bound as itself where its column (an integer) can take it, so indexes serve the comparison;
 * fractions and numbers past 2^53 as numeric (PostgreSQL would refuse them as bigint).
 */
const numberParam = (v: number): string => (Number.isSafeInteger(v) ? '?' : 'CAST(? AS numeric)');

/** The conditions AND-ed, with their parameters in order. */
export function conditionsSql(sql: SqlDialect, conditions: TimedLabelCondition[]): { where: string; params: unknown[] } {
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
        // Integer columns: a fraction (or a number past 2^53) equals no stored value, so it leaves the list.
        const values = c.values.filter((v) => fits(c.field, v) && (text || Number.isSafeInteger(v)));
        const inList = sql.inList(col, text ? 'text' : 'int');
        parts.push(c.op === 'in' ? inList : `NOT (${inList})`);
        params.push(sql.list(values.map((v) => columnValue(c.field, v))));
        break;
      }
      default:
        if (!fits(c.field, c.value)) parts.push(mixed(c.op, text) ? `${col} IS NOT NULL` : 'false');
        else {
          parts.push(`${col} ${OPERATORS[c.op]} ${text ? '?' : numberParam(c.value as number)}`);
          params.push(columnValue(c.field, c.value));
        }
    }
  }
  return { where: parts.length === 0 ? 'true' : parts.join(' AND '), params };
}
