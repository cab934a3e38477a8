// What a Razuna method answers (a record set or a struct) and how the engine's output switches render it:
// JSON (record sets in ROW or COLUMN form), JSONP, or WDDX. Bodies are built here as strings, so what
// leaves the server is exactly the members put in an Outcome (the whitelist is the mapper's).
//
// The rendering follows Open BlueDragon, the engine Razuna runs on (github.com/OpenBD/openbd-core):
// src/com/naryx/tagfusion/cfm/engine/cfcMethodData.java (formatReturnData: JSON, JSONP, PLAIN, else WDDX),
// src/com/naryx/tagfusion/expression/function/string/serializejson.java (key case, query forms, dates in the
// LONG form `MMMM, d yyyy HH:mm:ss`, the day not padded) and cfDateData.dumpWDDX (`<dateTime>`).
import { wddxPacket } from './wddx.js';

/** A date cell: the engine renders it per format (JSON's long form, WDDX's `<dateTime>`). */
export interface DateValue {
  date: number;
}

/** Record-set cells are strings or dates; struct members may be numbers (`responsecode`). */
export type Value = string | number | DateValue;

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
  returns: 'json' | 'jsonp' | 'wddx' | 'plain';
  query: 'row' | 'column';
  /**
   * `__BDJSONCASE`: `lower` (or `true`) lowercases record-set members, column names and struct keys; `upper` (or
   * `false`) uppercases them; `maintain` (the engine default) keeps names and uppercases the members.
   */
  case: 'maintain' | 'lower' | 'upper';
  /** The JSONP callback (validated), for `returns: 'jsonp'`. */
  callback: string | null;
}

export const DEFAULT_FORMAT: Format = { returns: 'json', query: 'row', case: 'maintain', callback: null };

const TYPES = {
  json: 'application/json; charset=utf-8',
  jsonp: 'application/javascript; charset=utf-8',
  wddx: 'text/xml; charset=utf-8',
} as const;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const two = (n: number) => String(n).padStart(2, '0');

/** serializejson's LONG date form, in UTC: `MMMM, d yyyy HH:mm:ss` (`December, 3 2026 09:05:07`). */
export function longDate(ms: number): string {
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${MONTHS[d.getUTCMonth()]}, ${d.getUTCDate()} ${d.getUTCFullYear()} ${time}`;
}

const jsonValue = (v: Value): string | number => (typeof v === 'object' ? longDate(v.date) : v);
const cased = (name: string, f: Format) => (f.case === 'lower' ? name.toLowerCase() : f.case === 'upper' ? name.toUpperCase() : name);

function toJson(o: Outcome, f: Format): string {
  if (o.kind === 'struct') return JSON.stringify(Object.fromEntries(Object.entries(o.fields).map(([k, v]) => [cased(k, f), jsonValue(v)])));
  const [ROWCOUNT, COLUMNS, DATA] = f.case === 'lower' ? ['rowcount', 'columns', 'data'] : ['ROWCOUNT', 'COLUMNS', 'DATA'];
  const columns = o.columns.map((c) => cased(c, f));
  if (f.query === 'row') return JSON.stringify({ [COLUMNS]: columns, [DATA]: o.rows.map((r) => r.map(jsonValue)) });
  const data = Object.fromEntries(columns.map((c, i) => [c, o.rows.map((r) => jsonValue(r[i] ?? ''))]));
  return JSON.stringify({ [ROWCOUNT]: o.rows.length, [COLUMNS]: columns, [DATA]: data });
}

/**
 * `__BDRETURNFORMAT=plain` writes the result as a simple value; record sets and structs are not, so the engine
 * throws its expression error (cfData.getString → dataNotSupportedException: message, errorcode, detail).
 */
export const NOT_PLAIN: Struct = struct({ message: 'Expression Error', errorcode: 'errorCode.expressionError', detail: 'Data not supported' });

/** JSON that is also safe as script text: no raw U+2028/U+2029 line separators, no `</script>`. */
const scriptSafe = (s: string) => s.replace(/[\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function encode(o: Outcome, f: Format): { contentType: string; body: string } {
  if (f.returns === 'plain') return { contentType: TYPES.json, body: toJson(NOT_PLAIN, DEFAULT_FORMAT) };
  if (f.returns === 'wddx') return { contentType: TYPES.wddx, body: wddxPacket(o) };
  if (f.returns === 'jsonp' && f.callback !== null) return { contentType: TYPES.jsonp, body: `${f.callback}(${scriptSafe(toJson(o, f))})` };
  return { contentType: TYPES.json, body: toJson(o, f) };
}
