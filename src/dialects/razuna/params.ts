// The engine's view of a request: one case-insensitive parameter scope from the query string and the form
// body (query wins), the output switches, and the api_key in its plain or `<workspaceId>-<key>` form.
import type { WorkspaceSelector } from '../../core/index.js';
import { parseId } from '../types.js';
import type { Format } from './output.js';

/** Parameters by lowercased name. A repeated name (in any letter case) joins its non-empty values with ',', as CFML does. */
export type Params = ReadonlyMap<string, string>;

function gather(src: unknown): Map<string, string> {
  const params = new Map<string, string>();
  if (src === null || typeof src !== 'object' || Buffer.isBuffer(src)) return params;
  // Every request passes here: a name's text goes straight in; only a repeated name gets a list of values.
  let repeated: Map<string, string[]> | undefined;
  for (const name of Object.keys(src)) {
    const raw = (src as Record<string, unknown>)[name];
    const values = typeof raw === 'string' ? null : Array.isArray(raw) ? raw : undefined;
    if (values === undefined) continue; // uploaded files and other non-text parts are not parameters
    const key = name.toLowerCase();
    for (let i = 0, n = values === null ? 1 : values.length; i < n; i++) {
      const value: unknown = values === null ? raw : values[i];
      if (typeof value !== 'string') continue;
      const first = params.get(key);
      if (first === undefined) params.set(key, value);
      else {
        const list = (repeated ??= new Map()).get(key);
        if (list) list.push(value); // in place: names repeated in many letter cases stay linear
        else repeated.set(key, [first, value]);
      }
    }
  }
  // Empty values drop out of a repeated name's list (OpenBD cfUrlData.decodeURIString): `a=&a=x` is "x".
  if (repeated) for (const [key, list] of repeated) params.set(key, list.filter((x) => x !== '').join(','));
  return params;
}

/** The engine reads CALLBACK from the URL scope only (cfEngine.java); in a form it is an ordinary argument. */
export function collectParams(query: unknown, body: unknown): Params {
  const params = gather(query);
  for (const [k, v] of gather(body)) if (!params.has(k) && k !== 'callback') params.set(k, v);
  return params;
}

/** The value of the first of the given parameters that is present, blank included (a blank value is a value). */
const pick = (p: Params, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = p.get(n);
    if (v !== undefined) return v;
  }
  return undefined;
};

// As Open BlueDragon reads the switches (github.com/OpenBD/openbd-core, src/com/naryx/tagfusion/cfm/engine/
// cfEngine.java, cfFUNCTION.getReturnFormat, serializejson.getCaseType): the return format upper-cased and
// compared whole (JSON, JSONP, PLAIN; anything else, blank included, is WDDX); the query format `column` in
// any case; the JSON case `lower`/`true`, `upper`/`false`, `maintain`, anything else the default (maintain).
const RETURNS = new Map<string, Format['returns']>([['JSON', 'json'], ['JSONP', 'jsonp'], ['PLAIN', 'plain']]);
const CASES = new Map<string, Format['case']>([['lower', 'lower'], ['true', 'lower'], ['upper', 'upper'], ['false', 'upper'], ['maintain', 'maintain']]);

const CALLBACK = /^[A-Za-z_$][\w$.]*$/;

export type FormatProblem = 'callback_missing' | 'callback_invalid';

/**
 * The output switches in both spellings (`__BDRETURNFORMAT` wins over `BDRETURNFORMAT`, the seed's spelling,
 * which the engine itself would not read). No switch: JSON, Razuna's functions' own return format.
 */
export function outputFormat(p: Params): Format | FormatProblem {
  const requested = pick(p, '__bdreturnformat', 'bdreturnformat');
  const returns = requested === undefined ? 'json' : (RETURNS.get(requested.toUpperCase()) ?? 'wddx');
  const query = pick(p, '__bdqueryformat', 'bdqueryformat')?.toLowerCase() === 'column' ? 'column' : 'row';
  const jsonCase = CASES.get(pick(p, '__bdjsoncase', 'bdjsoncase')?.toLowerCase() ?? '') ?? 'maintain';
  if (returns !== 'jsonp') return { returns, query, case: jsonCase, callback: null };
  const callback = p.get('callback');
  if (callback === undefined || callback === '') return 'callback_missing';
  if (callback !== '?' && !CALLBACK.test(callback)) return 'callback_invalid';
  return { returns, query, case: jsonCase, callback };
}

/**
 * `<key>` or `<workspaceId>-<key>` (Razuna's host-prefixed form). Keys hold no '-', so the last one splits.
 * A prefix that is not an id leaves no usable key (the login fails like any bad key).
 */
export function apiKey(raw: string | undefined): { key: string | undefined; workspace: WorkspaceSelector } {
  const cut = raw?.lastIndexOf('-') ?? -1;
  if (raw === undefined || cut < 0) return { key: raw, workspace: { earliest: true } };
  const id = parseId(raw.slice(0, cut));
  return id === null ? { key: undefined, workspace: { earliest: true } } : { key: raw.slice(cut + 1), workspace: { id } };
}
