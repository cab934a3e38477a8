// The engine's view of a request: one case-insensitive parameter scope from the query string and the form
// body (query wins), the output switches, and the api_key in its plain or `<workspaceId>-<key>` form.
import type { WorkspaceSelector } from '../../core/ports.js';
import { parseId } from '../types.js';
import type { Format } from './output.js';

/** Parameters by lowercased name. A repeated name (in any letter case) joins its values with ',', as CFML does. */
export type Params = ReadonlyMap<string, string>;

function gather(src: unknown): Map<string, string> {
  const found = new Map<string, string[]>();
  if (src === null || typeof src !== 'object' || Buffer.isBuffer(src)) return new Map();
  for (const [name, raw] of Object.entries(src)) {
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string');
    if (values.length === 0) continue; // uploaded files and other non-text parts are not parameters
    const key = name.toLowerCase();
    found.set(key, [...(found.get(key) ?? []), ...values]);
  }
  return new Map([...found].map(([k, v]) => [k, v.join(',')]));
}

export function collectParams(query: unknown, body: unknown): Params {
  const params = gather(query);
  for (const [k, v] of gather(body)) if (!params.has(k)) params.set(k, v);
  return params;
}

/** The first of the given parameters that is present and not blank. */
const pick = (p: Params, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = p.get(n)?.trim();
    if (v) return v;
  }
  return undefined;
};

const CALLBACK = /^[A-Za-z_$][\w$.]*$/;

export type FormatProblem = 'callback_missing' | 'callback_invalid';

/** The output switches in both spellings (`__BDRETURNFORMAT` wins over `BDRETURNFORMAT`). */
export function outputFormat(p: Params): Format | FormatProblem {
  const requested = pick(p, '__bdreturnformat', 'bdreturnformat')?.toLowerCase() ?? 'json';
  const returns = requested === 'json' || requested === 'jsonp' ? requested : 'wddx'; // the engine's fallback
  const query = pick(p, '__bdqueryformat', 'bdqueryformat')?.toLowerCase() === 'column' ? 'column' : 'row';
  const lower = pick(p, '__bdjsoncase', 'bdjsoncase')?.toLowerCase() === 'lower';
  if (returns !== 'jsonp') return { returns, query, lower, callback: null };
  const callback = p.get('callback');
  if (callback === undefined || callback === '') return 'callback_missing';
  if (callback !== '?' && !CALLBACK.test(callback)) return 'callback_invalid';
  return { returns, query, lower, callback };
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
