// What a Razuna method answers (a record set or a struct) and how the engine's output switches render it:
// JSON (record sets in ROW or COLUMN form), JSONP, or WDDX. Bodies are built here as strings, so what
// leaves the server is exactly the members put in an Outcome (the whitelist is the mapper's).
import { wddxPacket } from './wddx.js';

/** Record-set cells are strings; struct members may be numbers (`responsecode`). */
export type Value = string | number;

export interface RecordSet {
  kind: 'recordset';
  columns: readonly string[];
  rows: Value[][];
}

export interface Struct {
  kind: 'struct';
  fields: Readonly<Record<string, Value>>;
}

export type Outcome = RecordSet | Struct;

export const recordSet = (columns: readonly string[], rows: Value[][]): RecordSet => ({ kind: 'recordset', columns, rows });
export const struct = (fields: Record<string, Value>): Struct => ({ kind: 'struct', fields });

export interface Format {
  returns: 'json' | 'jsonp' | 'wddx';
  query: 'row' | 'column';
  /** `__BDJSONCASE=lower`: record-set members `columns`/`data`/`rowcount` in lowercase. */
  lower: boolean;
  /** The JSONP callback (validated), for `returns: 'jsonp'`. */
  callback: string | null;
}

export const DEFAULT_FORMAT: Format = { returns: 'json', query: 'row', lower: false, callback: null };

const TYPES = {
  json: 'application/json; charset=utf-8',
  jsonp: 'application/javascript; charset=utf-8',
  wddx: 'text/xml; charset=utf-8',
} as const;

function toJson(o: Outcome, f: Format): string {
  if (o.kind === 'struct') return JSON.stringify(o.fields);
  const [ROWCOUNT, COLUMNS, DATA] = f.lower ? ['rowcount', 'columns', 'data'] : ['ROWCOUNT', 'COLUMNS', 'DATA'];
  if (f.query === 'row') return JSON.stringify({ [COLUMNS]: o.columns, [DATA]: o.rows });
  const data = Object.fromEntries(o.columns.map((c, i) => [c, o.rows.map((r) => r[i] ?? '')]));
  return JSON.stringify({ [ROWCOUNT]: o.rows.length, [COLUMNS]: o.columns, [DATA]: data });
}

/** JSON that is also safe as script text: no raw U+2028/U+2029 line separators, no `</script>`. */
const scriptSafe = (s: string) => s.replace(/[\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function encode(o: Outcome, f: Format): { contentType: string; body: string } {
  if (f.returns === 'wddx') return { contentType: TYPES.wddx, body: wddxPacket(o) };
  if (f.returns === 'jsonp' && f.callback !== null) return { contentType: TYPES.jsonp, body: `${f.callback}(${scriptSafe(toJson(o, f))})` };
  return { contentType: TYPES.json, body: toJson(o, f) };
}
