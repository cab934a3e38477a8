// What a Razuna method answers (a record set or a struct) and how the engine's output switches render it:
// JSON (record sets in ROW or COLUMN form), JSONP, or WDDX. Bodies are built here as strings, so what
// leaves the server is exactly the members put in an Outcome (the whitelist is the mapper's).
//
// The rendering follows Open BlueDragon, the engine Razuna runs on (github.com/OpenBD/openbd-core):
// src/com/naryx/tagfusion/cfm/engine/cfcMethodData.java (formatReturnData: JSON, JSONP, PLAIN, else WDDX),
// src/com/naryx/tagfusion/expression/function/string/serializejson.java (key case, query forms, dates in the
// LONG form `MMMM, d yyyy HH:mm:ss`, the day not padded) and cfDateData.dumpWDDX (`<dateTime>`).
import { wddxPieces } from './wddx.js';

/** A date cell: the engine renders it per format (JSON's long form, WDDX's `<dateTime>`). */
export interface DateValue {
  date: number;
}

/** Record-set cells are strings or dates; struct members may be numbers (`responsecode`). */
export type Value = string | number | DateValue;

/** A record set's rows: an array, or rows made a run at a time when asked (a whole workspace's). */
export interface Rows {
  readonly length: number;
  slice(start: number, end: number): readonly Value[][];
}

export interface RecordSet<R extends Rows = Value[][]> {
  kind: 'recordset';
  columns: readonly string[];
  rows: R;
}

export interface Struct {
  kind: 'struct';
  fields: Readonly<Record<string, Value>>;
}

export type Outcome = RecordSet<Rows> | Struct;

export const recordSet = <R extends Rows = Value[][]>(columns: readonly string[], rows: R): RecordSet<R> => ({ kind: 'recordset', columns, rows });
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

/** Rows per piece of a record set as it is written (a whole getall of 100,000 labels is 5 MB of text). */
export const ROWS_PER_PIECE = 2000;

/** Record-set rows in runs of at most `per`. */
export function* runs<T>(rows: { readonly length: number; slice(start: number, end: number): readonly T[] }, per: number): Generator<readonly T[]> {
  for (let i = 0; i < rows.length; i += per) yield rows.slice(i, i + per);
}

/** The JSON text in pieces: what JSON.stringify writes for the struct or record set, a run of rows at a time. */
function* toJson(o: Outcome, f: Format, per: number): Generator<string> {
  if (o.kind === 'struct') return yield JSON.stringify(Object.fromEntries(Object.entries(o.fields).map(([k, v]) => [cased(k, f), jsonValue(v)])));
  const [ROWCOUNT, COLUMNS, DATA] = f.case === 'lower' ? ['rowcount', 'columns', 'data'] : ['ROWCOUNT', 'COLUMNS', 'DATA'];
  const columns = o.columns.map((c) => cased(c, f));
  // One JSON.stringify per run, its brackets cut off: as fast as stringifying the whole, and the same bytes.
  const members = (values: unknown[]) => JSON.stringify(values).slice(1, -1);
  if (f.query === 'row') {
    yield JSON.stringify({ [COLUMNS]: columns, [DATA]: [] }).slice(0, -2); // {"COLUMNS":[…],"DATA":[
    let sep = '';
    for (const run of runs(o.rows, per)) {
      yield sep + members(run.map((r) => r.map(jsonValue)));
      sep = ',';
    }
    return yield ']}';
  }
  yield JSON.stringify({ [ROWCOUNT]: o.rows.length, [COLUMNS]: columns, [DATA]: {} }).slice(0, -2); // {…,"DATA":{
  for (const [i, c] of columns.entries()) {
    yield `${i === 0 ? '' : ','}${JSON.stringify(c)}:[`;
    let sep = '';
    for (const run of runs(o.rows, per)) {
      yield sep + members(run.map((r) => jsonValue(r[i] ?? '')));
      sep = ',';
    }
    yield ']';
  }
  yield '}}';
}

/**
 * `__BDRETURNFORMAT=plain` writes the result as a simple value; record sets and structs are not, so the engine
 * throws its expression error (cfData.getString → dataNotSupportedException: message, errorcode, detail).
 */
export const NOT_PLAIN: Struct = struct({ message: 'Expression Error', errorcode: 'errorCode.expressionError', detail: 'Data not supported' });

/** JSON that is also safe as script text: no raw U+2028/U+2029 line separators, no `</script>`. */
const scriptSafe = (s: string) => s.replace(/[\u2028\u2029<]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The answer's content type and its body in pieces, each a run of at most `per` rows of a record set. */
export function encodePieces(o: Outcome, f: Format, per = ROWS_PER_PIECE): { contentType: string; pieces: Iterable<string> } {
  if (f.returns === 'plain') return { contentType: TYPES.json, pieces: toJson(NOT_PLAIN, DEFAULT_FORMAT, per) };
  if (f.returns === 'wddx') return { contentType: TYPES.wddx, pieces: wddxPieces(o, per) };
  if (f.returns === 'jsonp' && f.callback !== null) return { contentType: TYPES.jsonp, pieces: jsonp(f.callback, toJson(o, f, per)) };
  return { contentType: TYPES.json, pieces: toJson(o, f, per) };
}

/** Script-safe escaping is per character, so it applies piece by piece. */
function* jsonp(callback: string, json: Iterable<string>): Generator<string> {
  yield `${callback}(`;
  for (const piece of json) yield scriptSafe(piece);
  yield ')';
}

export function encode(o: Outcome, f: Format): { contentType: string; body: string } {
  if (f.returns === 'json' && (o.kind === 'struct' || (f.query === 'row' && o.rows.length <= ROWS_PER_PIECE))) return { contentType: TYPES.json, body: jsonText(o, f) };
  const { contentType, pieces } = encodePieces(o, f);
  return { contentType, body: [...pieces].join('') };
}

/**
 * A struct, or a record set of one piece in ROW form, as JSON in one JSON.stringify: the same bytes as the
 * pieces joined, without their generators and slices (a point read's answer, several µs less).
 */
function jsonText(o: Outcome, f: Format): string {
  if (o.kind === 'struct') {
    const out = Object.create(null) as Record<string, string | number>; // a field named __proto__ stays a field
    for (const k in o.fields) out[cased(k, f)] = jsonValue(o.fields[k]!);
    return JSON.stringify(out);
  }
  const all = o.rows.slice(0, o.rows.length); // one piece: the rows as they are
  const rows = new Array<(string | number)[]>(all.length);
  for (let i = 0; i < rows.length; i++) rows[i] = all[i]!.map(jsonValue);
  const [COLUMNS, DATA] = f.case === 'lower' ? ['columns', 'data'] : ['COLUMNS', 'DATA'];
  return JSON.stringify({ [COLUMNS]: o.columns.map((c) => cased(c, f)), [DATA]: rows });
}
