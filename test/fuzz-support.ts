// Request generators for the fuzz and isolation suites: JSON Schema (from each dialect's own OpenAPI document,
// i.e. its zod request schemas) → fast-check arbitraries that are mostly valid with hostile values mixed in at
// every level, the hostile hand-written inputs, and a cheap fingerprint of everything a request could change.
import fc from 'fast-check';
import type { DatabaseStore } from '../src/db/index.js';
import { peek } from './test-store.js';

type Schema = Record<string, any>;

/** Strings that have broken servers before: control characters, lone surrogates, BOM, bidi, long, injection. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufeffname',
  '\u202egnp.exe',
  'e\u0301\u0301\u0301',
  '\r\n',
  '\t',
  'x'.repeat(256),
  'é'.repeat(300),
  '😀'.repeat(200),
  '𝕏',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '%00',
  '%',
  'null',
  'undefined',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '0x10',
  ' 42 ',
  '__proto__',
  'constructor',
];

/** JSON values of the wrong type or at the edges of the right one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0.000001, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, [], {}, [null], { a: { b: {} } }, [[[[[]]]]]),
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/** Strings without a schema rule: short ASCII, any code points (lone surrogates included), graphemes, hostile. */
const stringish = (max = 40): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: Math.min(max, 40) }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: Math.min(max, 20) }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: Math.min(max, 10) }) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  );

export interface SchemaContext {
  components: Record<string, Schema>;
  /** Values to use for a property or parameter name (ids that exist, keys…), mixed with the generated ones. */
  pools?: Record<string, fc.Arbitrary<unknown>>;
}

const resolve = (s: Schema, ctx: SchemaContext): Schema => (s.$ref ? (ctx.components[String(s.$ref).split('/').pop()!] ?? {}) : s);

/** A value for `schema`: usually one it accepts, sometimes a hostile one (at any depth). */
export function fromSchema(schema: Schema, ctx: SchemaContext, depth = 0, name?: string): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  const pool = name !== undefined ? ctx.pools?.[name] : undefined;
  const valid = validFrom(s, ctx, depth);
  return fc.oneof(
    { weight: depth === 0 ? 10 : 14, arbitrary: pool ? fc.oneof({ weight: 3, arbitrary: pool }, { weight: 1, arbitrary: valid }) : valid },
    { weight: 1, arbitrary: hostileValue },
  );
}

function validFrom(s: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...(s.enum as unknown[])) }, { weight: 1, arbitrary: stringish(20) });
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => fromSchema(a, ctx, depth + 1)));
  const types: string[] = Array.isArray(s.type) ? s.type : s.type ? [s.type] : s.properties ? ['object'] : ['string', 'integer', 'object'];
  return fc.oneof(...types.map((t) => byType(t, s, ctx, depth)));
}

function byType(type: string, s: Schema, ctx: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string': {
      const max = typeof s.maxLength === 'number' ? s.maxLength : 40;
      const edges: string[] = typeof s.maxLength === 'number' ? ['y'.repeat(s.maxLength), 'y'.repeat(s.maxLength + 1)] : [];
      const base = s.pattern ? fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= 300) : stringish(max);
      return edges.length ? fc.oneof({ weight: 6, arbitrary: base }, { weight: 1, arbitrary: fc.constantFrom(...edges) }) : base;
    }
    case 'integer': {
      const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : -(2 ** 53 - 1);
      const max = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - 1 : 2 ** 53 - 1;
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: Math.max(min, -1000), max: Math.min(max, 1000) }) },
        { weight: 2, arbitrary: fc.maxSafeInteger().filter((n) => n >= min && n <= max) },
        { weight: 1, arbitrary: fc.constantFrom(min, max, min - 1, max + 1) },
      );
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 5) return fc.constant([]);
      const items = s.items ? fromSchema(s.items, ctx, depth + 1) : hostileValue;
      const minLength = typeof s.minItems === 'number' ? s.minItems : 0;
      const maxLength = Math.max(minLength, Math.min(typeof s.maxItems === 'number' ? s.maxItems : 4, 4));
      const normal = fc.array(items, { minLength, maxLength });
      if (typeof s.maxItems !== 'number') return normal;
      // One past the cap (the cap itself is a documented limit): made of one repeated valid-ish item.
      const over = items.map((v) => Array.from({ length: s.maxItems + 1 }, () => v));
      return fc.oneof({ weight: 9, arbitrary: normal }, { weight: 1, arbitrary: over });
    }
    case 'object': {
      if (depth > 5) return fc.constant({});
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>((s.required as string[] | undefined) ?? []);
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v, ctx, depth + 1, k)]));
      const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) });
      // Sometimes a required member goes missing or an unknown one appears.
      return fc.tuple(record, fc.nat(19), fc.oneof(fc.constantFrom('extra', '__proto__', 'constructor', 'NAME'), fc.string({ maxLength: 8 })), hostileValue).map(
        ([r, dice, key, value]) => {
          const out: Record<string, unknown> = { ...(r as Record<string, unknown>) };
          if (dice === 0 && required.size) delete out[[...required][0]!];
          if (dice === 1) Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
          return out;
        },
      );
    }
    default:
      return hostileValue;
  }
}

/** A query-string value from a JSON value (what a client would send for it). */
export const queryValue = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** encodeURIComponent, except that lone surrogates (which it refuses) travel as the invalid UTF-8 they would be. */
export const encode3986 = (v: string): string => {
  try {
    return encodeURIComponent(v);
  } catch {
    return v
      .split(/([\ud800-\udfff])/)
      .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
      .join('');
  }
};

/** Builds `?a=1&b=2` with RFC 3986 encoding; entries may repeat a name (duplicate parameters). */
export const queryString = (entries: [string, string][]): string =>
  entries.length === 0 ? '' : `?${entries.map(([k, v]) => `${encode3986(k)}=${encode3986(v)}`).join('&')}`;

/** An object as application/x-www-form-urlencoded (arrays repeat the name; objects as JSON text). */
export const formBody = (o: unknown): string =>
  typeof o === 'object' && o !== null && !Array.isArray(o)
    ? Object.entries(o as Record<string, unknown>)
        .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, queryValue(x)]) : [[k, queryValue(v)]]))
        .map(([k, v]) => `${encode3986(k!)}=${encode3986(v!)}`)
        .join('&')
    : queryValue(o);

/** Hand-written hostile bodies (as raw text, for what JSON.stringify cannot produce), each with a content type. */
export function hostileBodies(bodyLimit: number): { name: string; contentType: string; body: string }[] {
  const json = 'application/json';
  return [
    { name: 'malformed JSON', contentType: json, body: '{"name": "x",' },
    { name: 'truncated string', contentType: json, body: '{"name": "abc' },
    { name: 'trailing garbage', contentType: json, body: '{"name":"x"} {"name":"y"}' },
    { name: 'not an object', contentType: json, body: '"just a string"' },
    { name: 'array body', contentType: json, body: '[{"name":"x"}]' },
    { name: 'null body', contentType: json, body: 'null' },
    { name: 'empty JSON body', contentType: json, body: '' },
    { name: 'deep nesting (arrays)', contentType: json, body: `${'['.repeat(200_000)}${']'.repeat(200_000)}` },
    { name: 'deep nesting (objects)', contentType: json, body: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}` },
    { name: 'huge number', contentType: json, body: '{"name":1e999999,"label_id":1e400,"id":1e400,"ids":[1e400]}' },
    { name: 'huge integer', contentType: json, body: '{"label_id":123456789012345678901234567890,"ids":[123456789012345678901234567890],"start_date":99999999999999999999}' },
    { name: 'negative zero and fractions', contentType: json, body: '{"label_id":-0,"ids":[0.5,-0],"start_date":-0}' },
    { name: 'proto pollution', contentType: json, body: '{"__proto__":{"polluted":true},"name":"x"}' },
    { name: 'constructor pollution', contentType: json, body: '{"constructor":{"prototype":{"polluted":true}},"name":"x"}' },
    { name: 'duplicate keys', contentType: json, body: '{"name":"a","name":"b","user_token":"x","user_token":"y"}' },
    { name: 'null bytes', contentType: json, body: '{"name":"a\\u0000b","color":"#00\\u00000"}' },
    { name: 'lone surrogates', contentType: json, body: '{"name":"\\ud800\\udbff","description":"\\udc00"}' },
    { name: 'raw invalid UTF-8', contentType: json, body: Buffer.from([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]).toString('latin1') },
    { name: 'BOM-prefixed JSON', contentType: json, body: '\ufeff{"name":"bom"}' },
    { name: 'JSON with charset parameter', contentType: 'application/json; charset=utf-16', body: '{"name":"x"}' },
    { name: 'text/plain', contentType: 'text/plain', body: 'name=x' },
    { name: 'XML', contentType: 'application/xml', body: '<name>x</name>' },
    { name: 'multipart without boundary', contentType: 'multipart/form-data', body: 'x' },
    { name: 'multipart with bad boundary', contentType: 'multipart/form-data; boundary=zzz', body: '--yyy\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--yyy--' },
    { name: 'form with broken escapes', contentType: 'application/x-www-form-urlencoded', body: 'name=%E0%A4%A&label_id=%%%&api_key=%00' },
    { name: 'JSON:API media type', contentType: 'application/vnd.api+json', body: '{"data":{"type":"labels","attributes":{"name":"x"}}}' },
    { name: 'oversized body', contentType: json, body: JSON.stringify({ name: 'x'.repeat(bodyLimit + 10) }) },
  ];
}

/**
 * Everything a request could change, as one comparable value: row counts, id sums and content lengths of
 * every table, the event log's head, and the counters (but `rate`, the per-credential rate limit kept in a shared database, and `jotform-calls`, the vendor's daily call quota,
 * which counts refused calls too, by design).
 */
export async function fingerprint(store: DatabaseStore): Promise<string> {
  const row = await peek(
    store,
      `SELECT
        (SELECT count(*) || ':' || coalesce(sum(id * 7 + coalesce(parent_id, 0) * 13 + length(name) * 17 + length(coalesce(color, '')) * 19
           + length(description) * 23 + coalesce(starts_at, 0) % 1000003 + coalesce(ends_at, 0) % 1000033 + length(extras) * 29
           + updated_at % 1000037 + workspace_id * 31), 0) FROM labels) AS labels,
        (SELECT count(*) || ':' || coalesce(sum(label_id * 31 + resource_id * 37), 0) FROM assignments) AS assignments,
        (SELECT count(*) || ':' || coalesce(sum(id + length(coalesce(name, '')) + length(attributes) + length(coalesce(status, '')) + updated_at % 1000037), 0) FROM resources) AS resources,
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM events) AS events,
        (SELECT count(*) || ':' || coalesce(sum(count), 0) FROM counters WHERE scope NOT IN ('jotform-calls', 'rate')) AS counters,
        (SELECT count(*) || ':' || coalesce(sum(coalesce(revoked_at, 0)), 0) FROM api_keys) AS keys,
        (SELECT count(*) FROM users) || '/' || (SELECT count(*) FROM memberships) || '/' || (SELECT count(*) FROM workspaces) AS tenancy,
        (SELECT count(*) || ':' || coalesce(sum(id), 0) FROM oauth_tokens) AS tokens`,
  );
  return JSON.stringify(row);
}

/** What a request could change in one workspace: its labels, assignments, resources and event log. */
export async function workspaceFingerprint(store: DatabaseStore, workspaceId: number): Promise<string> {
  const row = await peek(
    store,
      `SELECT
        (SELECT count(*) || ':' || coalesce(sum(id * 7 + coalesce(parent_id, 0) * 13 + length(name) * 17 + length(coalesce(color, '')) * 19
           + length(description) * 23 + length(extras) * 29 + updated_at % 1000037), 0) || ':' || string_agg(name, '|' ORDER BY id) FROM labels WHERE workspace_id = ?) AS labels,
        (SELECT count(*) || ':' || coalesce(sum(a.label_id * 31 + a.resource_id * 37), 0) FROM assignments a JOIN resources r ON r.id = a.resource_id WHERE r.workspace_id = ?) AS assignments,
        (SELECT count(*) || ':' || coalesce(sum(id + length(coalesce(name, '')) + length(attributes) + updated_at % 1000037), 0) FROM resources WHERE workspace_id = ?) AS resources,
        (SELECT count(*) || ':' || coalesce(max(id), 0) FROM events WHERE workspace_id = ?) AS events`,
    workspaceId, workspaceId, workspaceId, workspaceId,
  );
  return JSON.stringify(row);
}
