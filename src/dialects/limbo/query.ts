// JSON:API query parameters (filter, sort, page, include, fields) per endpoint, with laravel-json-api's
// "Invalid Query Parameter" errors: every unsupported parameter is a 400 naming it in source.parameter.
import type { FastifyRequest } from 'fastify';
import { errorObject, JsonApiError, type ErrorObject } from './errors.js';

export const PAGE_SIZE_DEFAULT = 20;
export const PAGE_SIZE_MAX = 100;
const PAGE_NUMBER_MAX = 10_000_000;

type FilterValue = string | Record<string, string>;
/** Parses one filter's raw value; returns an error message (Laravel wording) or the value. */
export type FilterParser = (raw: FilterValue, name: string) => { ok: true; value: unknown } | { ok: false; message: string };

export interface QuerySpec {
  filters?: Record<string, FilterParser>;
  /** Nested filters (filter[products][name]) and their allowed keys. */
  nested?: Record<string, readonly string[]>;
  sorts?: readonly string[];
  page?: boolean;
  includes?: readonly string[];
  /** Allowed fields per type; a type mapped to null allows any well-formed member name. */
  fields?: Record<string, readonly string[] | null>;
}

export interface ParsedQuery {
  filter: Record<string, unknown>;
  sort: { field: string; desc: boolean }[];
  page: { number: number; size: number };
  include: Set<string>;
  fields: Map<string, Set<string>>;
  /** The request's parameters other than page[…], encoded (brackets too), for pagination links. */
  keep: string[];
}

const MEMBER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;
const FAMILIES = ['fields', 'filter', 'include', 'page', 'sort'] as const;
type Family = (typeof FAMILIES)[number];
const ALLOWED_MESSAGES: Record<Family, [string, string, string]> = {
  fields: ['Sparse field sets must contain only allowed ones.', 'Sparse field set %s is not allowed.', 'Sparse field sets %s are not allowed.'],
  filter: ['Filter parameters must contain only allowed ones.', 'Filter parameter %s is not allowed.', 'Filter parameters %s are not allowed.'],
  include: ['Include paths must contain only allowed ones.', 'Include path %s is not allowed.', 'Include paths %s are not allowed.'],
  page: ['Page parameters must contain only allowed ones.', 'Page parameter %s is not allowed.', 'Page parameters %s are not allowed.'],
  sort: ['Sort parameters must contain only allowed ones.', 'Sort parameter %s is not allowed.', 'Sort parameters %s are not allowed.'],
};

const invalid = (parameter: string, detail: string) => errorObject(400, 'Invalid Query Parameter', detail, { parameter });

/** "X is not allowed" for the values of one family, singular/plural as laravel-json-api words it. */
function notAllowed(family: Family, values: string[]): ErrorObject {
  const named = [...new Set(values.filter((v) => v !== ''))].sort();
  const [none, one, many] = ALLOWED_MESSAGES[family];
  const detail = named.length === 0 ? none : (named.length === 1 ? one : many).replace('%s', named.join(', '));
  return invalid(family, detail);
}

/** `a[b][c]=v` → ['a', 'b', 'c']; null when the brackets are malformed. */
const keyPath = (key: string): string[] | null => {
  const m = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!m) return null;
  return [m[1]!, ...[...m[2]!.matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1]!)];
};

function integer(raw: string, name: string, min: number, max: number, errors: ErrorObject[]): number | undefined {
  if (!/^-?\d{1,16}$/.test(raw.trim())) return void errors.push(invalid(name, `The ${name} field must be an integer.`));
  const n = Number(raw);
  if (n < min || n > max) {
    const detail = name === 'page.size' ? `The ${name} field must be between ${min} and ${max}.` : n < min ? `The ${name} field must be at least ${min}.` : `The ${name} field must not be greater than ${max}.`;
    return void errors.push(invalid(name, detail));
  }
  return n;
}

interface Raw {
  fields: Map<string, string>;
  filter: Map<string, FilterValue>;
  page: Map<string, string>;
  include?: string;
  sort?: string;
}

/** Groups the raw parameters by family (the last of repeated parameters wins, as in PHP). */
function collect(search: URLSearchParams, spec: QuerySpec, errors: ErrorObject[]): { raw: Raw; keep: string[] } {
  const raw: Raw = { fields: new Map(), filter: new Map(), page: new Map() };
  const keep: string[] = [];
  const reported = new Set<Family>();
  /** One shape error per family is enough. */
  const once = (f: Family, error: ErrorObject) => {
    if (!reported.has(f)) errors.push(error);
    reported.add(f);
  };
  for (const [key, value] of search) {
    const path = keyPath(key);
    const family = path?.[0] as Family | undefined;
    if (path && family !== 'page') keep.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    const malformed = !path && FAMILIES.find((f) => key.startsWith(`${f}[`));
    if (malformed) {
      once(malformed, notAllowed(malformed, []));
      continue;
    }
    if (!path || !(FAMILIES as readonly string[]).includes(path[0]!)) {
      // Names of only a-z are reserved by JSON:API; others are implementation-specific and ignored.
      const name = path?.[0] ?? key;
      if (/^[a-z]+$/.test(name)) errors.push(invalid(name, `Parameter ${name} is not allowed.`));
      continue;
    }
    const f = family!;
    const enabled = { fields: !!spec.fields, filter: !!spec.filters, include: !!spec.includes, page: !!spec.page, sort: !!spec.sorts }[f];
    if (!enabled) {
      once(f, invalid(f, `Parameter ${f} is not allowed.`));
      continue;
    }
    const [, sub, subsub, ...more] = path;
    if (f === 'include' || f === 'sort') {
      if (sub === undefined) raw[f] = value;
      else once(f, invalid(f, `The ${f} field must be a string.`));
    } else if (sub === undefined || more.length > 0 || (f !== 'filter' && subsub !== undefined)) {
      once(f, notAllowed(f, []));
    } else if (f === 'filter' && subsub !== undefined) {
      const cur = raw.filter.get(sub);
      raw.filter.set(sub, { ...(typeof cur === 'object' ? cur : {}), [subsub]: value });
    } else raw[f].set(sub, value);
  }
  return { raw, keep };
}

function fieldsOf(raw: Raw, spec: QuerySpec, errors: ErrorObject[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const bad: string[] = [];
  for (const [type, value] of raw.fields) {
    const names = value === '' ? [] : value.split(',');
    const allowed = spec.fields?.[type];
    for (const n of names) if (allowed === undefined || (allowed === null ? !MEMBER.test(n) : !allowed.includes(n))) bad.push(`${type}.${n}`);
    out.set(type, new Set(names));
  }
  if (bad.length) errors.push(notAllowed('fields', bad));
  return out;
}

function filtersOf(raw: Raw, spec: QuerySpec, errors: ErrorObject[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const bad: string[] = [];
  for (const [name, value] of raw.filter) {
    const parse = spec.filters?.[name];
    if (!parse) {
      bad.push(name);
      continue;
    }
    const nested = spec.nested?.[name];
    if (nested && typeof value === 'object') {
      const unknown = Object.keys(value).filter((k) => !nested.includes(k));
      if (unknown.length) {
        bad.push(...unknown.map((k) => `${name}.${k}`));
        continue;
      }
    }
    const r = parse(value, name);
    if (r.ok) out[name] = r.value;
    else errors.push(invalid(`filter.${name}`, r.message));
  }
  if (bad.length) errors.push(notAllowed('filter', bad));
  return out;
}

function listOf(value: string | undefined, allowed: readonly string[], family: 'sort' | 'include', errors: ErrorObject[]): string[] {
  if (value === undefined || value === '') return [];
  const items = value.split(',');
  const names = family === 'sort' ? items.map((s) => s.replace(/^-/, '')) : items;
  const bad = names.filter((n) => !allowed.includes(n));
  if (bad.length) errors.push(notAllowed(family, bad));
  return items;
}

function pageOf(raw: Raw, errors: ErrorObject[]): { number: number; size: number } {
  const bad = [...raw.page.keys()].filter((k) => k !== 'number' && k !== 'size');
  if (bad.length) errors.push(notAllowed('page', bad));
  const number = raw.page.get('number');
  const size = raw.page.get('size');
  return {
    number: number === undefined || number === '' ? 1 : (integer(number, 'page.number', 1, PAGE_NUMBER_MAX, errors) ?? 1),
    size: size === undefined || size === '' ? PAGE_SIZE_DEFAULT : (integer(size, 'page.size', 1, PAGE_SIZE_MAX, errors) ?? PAGE_SIZE_DEFAULT),
  };
}

/** Errors come in laravel-json-api's rule order (fields, filter, include, page, sort), other parameters last. */
const rank = (e: ErrorObject) => {
  const i = (FAMILIES as readonly string[]).indexOf(e.source?.parameter?.split('.')[0] ?? '');
  return i < 0 ? FAMILIES.length : i;
};

/** Parses the request's query string for an endpoint; throws every problem found as one 400 document. */
export function parseQuery(req: FastifyRequest, spec: QuerySpec): ParsedQuery {
  const at = req.url.indexOf('?');
  // No parameters (a point read's usual request): nothing to parse and nothing to refuse.
  if (at < 0 || at === req.url.length - 1) return { filter: {}, sort: [], page: { number: 1, size: PAGE_SIZE_DEFAULT }, include: new Set(), fields: new Map(), keep: [] };
  const qs = req.url.slice(at + 1);
  const errors: ErrorObject[] = [];
  const { raw, keep } = collect(new URLSearchParams(qs), spec, errors);
  const fields = fieldsOf(raw, spec, errors);
  const filter = filtersOf(raw, spec, errors);
  const include = new Set(listOf(raw.include, spec.includes ?? [], 'include', errors));
  const page = pageOf(raw, errors);
  const seen = new Set<string>();
  const sort = listOf(raw.sort, spec.sorts ?? [], 'sort', errors)
    .map((s) => ({ field: s.replace(/^-/, ''), desc: s.startsWith('-') }))
    .filter((s) => !seen.has(s.field) && seen.add(s.field)); // a field sorts once, by its first mention
  if (errors.length) throw new JsonApiError(errors.sort((x, y) => rank(x) - rank(y)));
  return { filter, sort, page, include, fields, keep };
}
