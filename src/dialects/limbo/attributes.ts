// Label documents → core input, with Laravel-style 422 messages pointing into the request document.
// limbo owns the `usage` flags: kept in the label's extras as {usage:{download,copy_scan,…}}.
import type { LabelChanges, NewLabelIn } from '../../core/index.js';
import { charLength } from '../../core/index.js';
import { COMPANY, PRODUCTS, relationship, resourceDocument, check, TYPES, type Identifier } from './document.js';
import { errorObject, JsonApiError, unprocessable, type ErrorObject } from './errors.js';
import { parseId } from '../types.js';

export const USAGE_FLAGS = ['download', 'copy_scan', 'on_demand_stream', 'non_interactive_stream'] as const;
export type Usage = Record<(typeof USAGE_FLAGS)[number], boolean>;
export const DESCRIPTION_MAX = 10_000;
const NAME_MAX = 255;
const CONTROL = /\p{Cc}/u;

const LABEL_FIELDS = {
  // Read-only attributes are accepted (a client may send back what it read) and ignored.
  attributes: ['name', 'usage', 'description', 'created-at', 'updated-at'],
  relationships: ['company', 'products'],
} as const;

const ptr = (name: string) => `/data/attributes/${name}`;

function name(value: unknown, errors: ErrorObject[]): string | undefined {
  if (value === null || (typeof value === 'string' && value.trim() === '')) return void errors.push(unprocessable('The name field is required.', ptr('name')));
  if (typeof value !== 'string') return void errors.push(unprocessable('The name field must be a string.', ptr('name')));
  const trimmed = value.trim();
  if (charLength(trimmed) > NAME_MAX) return void errors.push(unprocessable(`The name field must not be greater than ${NAME_MAX} characters.`, ptr('name')));
  if (CONTROL.test(trimmed)) return void errors.push(unprocessable('The name field format is invalid.', ptr('name')));
  return trimmed;
}

function description(value: unknown, errors: ErrorObject[]): string | undefined {
  if (value === null) return '';
  if (typeof value !== 'string') return void errors.push(unprocessable('The description field must be a string.', ptr('description')));
  if (charLength(value) > DESCRIPTION_MAX) return void errors.push(unprocessable(`The description field must not be greater than ${DESCRIPTION_MAX} characters.`, ptr('description')));
  return value;
}

/** Only the four known flags, each a JSON boolean. */
function usage(value: unknown, errors: ErrorObject[]): Partial<Usage> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return void errors.push(unprocessable('The usage field must be an object.', ptr('usage')));
  const out: Partial<Usage> = {};
  const before = errors.length;
  for (const [k, v] of Object.entries(value)) {
    if (!(USAGE_FLAGS as readonly string[]).includes(k)) {
      errors.push(unprocessable(`The usage.${k} field is not a usage flag (${USAGE_FLAGS.join(', ')}).`, `${ptr('usage')}/${k}`));
    } else if (typeof v !== 'boolean') {
      errors.push(unprocessable(`The usage.${k} field must be true or false.`, `${ptr('usage')}/${k}`));
    } else out[k as keyof Usage] = v;
  }
  return errors.length > before ? undefined : out;
}

/** A company linkage → workspace id; an id that is not a workspace id is simply a missing company. */
const companyId = (ref: Identifier): number => parseId(ref.id) ?? 0;

function company(value: unknown, pointer: string, errors: ErrorObject[]): number | null | undefined {
  const ref = relationship(value, pointer, COMPANY, errors);
  if (ref === undefined || Array.isArray(ref)) return undefined;
  return ref === null ? null : companyId(ref);
}

const readOnlyProducts = () =>
  new JsonApiError([errorObject(403, 'Forbidden', 'The products relationship can only be changed through /relationships/products.', { pointer: '/data/relationships/products' })]);

interface Decoded {
  name?: string;
  description?: string;
  usage?: Partial<Usage>;
  companyId?: number | null;
}

function decode(doc: Record<string, unknown>, expectedId: string | null): Decoded {
  const { attributes: a, relationships: r } = resourceDocument(doc, TYPES.labels, expectedId, LABEL_FIELDS);
  const compliance: ErrorObject[] = [];
  const out: Decoded = {};
  if ('company' in r) out.companyId = company(r.company, '/data/relationships/company', compliance);
  if ('products' in r) relationship(r.products, '/data/relationships/products', PRODUCTS, compliance);
  check(compliance.filter((e) => e.status !== '422'));
  if ('products' in r) throw readOnlyProducts();
  const errors = compliance;
  if ('name' in a) out.name = name(a.name, errors);
  if ('description' in a) out.description = description(a.description, errors);
  if ('usage' in a) out.usage = usage(a.usage, errors);
  if (out.companyId === null) errors.push(unprocessable('The company field is required.', '/data/relationships/company'));
  check(errors);
  return out;
}

const fullUsage = (u: Partial<Usage> = {}): Usage => Object.fromEntries(USAGE_FLAGS.map((f) => [f, u[f] ?? true])) as Usage;

/** POST /labels: name and company required; usage defaults to all four flags true. */
export function newLabel(doc: Record<string, unknown>): NewLabelIn {
  const d = decode(doc, null);
  const errors: ErrorObject[] = [];
  if (d.name === undefined) errors.push(unprocessable('The name field is required.', ptr('name')));
  if (d.companyId === undefined) errors.push(unprocessable('The company field is required.', '/data/relationships/company'));
  check(errors);
  return { workspaceId: d.companyId!, name: d.name!, ...(d.description !== undefined && { description: d.description }), extras: { usage: fullUsage(d.usage) } };
}

/** PATCH /labels/:id: partial; usage flags not sent keep their values. */
export function labelChanges(doc: Record<string, unknown>, id: string): LabelChanges {
  const d = decode(doc, id);
  const out: LabelChanges = {};
  if (d.name !== undefined) out.name = d.name;
  if (d.description !== undefined) out.description = d.description;
  if (d.usage !== undefined) out.extras = { usage: d.usage };
  if (d.companyId != null) out.workspaceId = d.companyId;
  return out;
}

/** PATCH /labels/:id/relationships/company: `{"data":{"type":"companies","id":…}}`. */
export function companyLinkage(doc: Record<string, unknown>): number {
  const errors: ErrorObject[] = [];
  const id = company(doc, '', errors);
  check(errors);
  if (id === null || id === undefined) throw new JsonApiError([unprocessable('The company field is required.', '/data')]);
  return id;
}

export const MAX_LINKAGE = 1000;

/** POST/PATCH/DELETE /labels/:id/relationships/products: `{"data":[{"type":"products","id":…},…]}`. */
export function productLinkage(doc: Record<string, unknown>): string[] {
  const errors: ErrorObject[] = [];
  const refs = relationship(doc, '', PRODUCTS, errors);
  check(errors);
  const list = refs as Identifier[];
  if (list.length > MAX_LINKAGE) throw new JsonApiError([unprocessable(`The data field must not have more than ${MAX_LINKAGE} items.`, '/data')]);
  return list.map((r) => r.id);
}

/** The usage object's text for each combination of the four flags (bit i set: flag i is false). */
const USAGE_TEXT = Array.from({ length: 16 }, (_, mask) => `{${USAGE_FLAGS.map((f, i) => `"${f}":${(mask & (1 << i)) === 0}`).join(',')}}`);

/** Stored extras → the four flags' text (missing or non-boolean flags read as true, e.g. labels made elsewhere). */
export function usageText(extras: Record<string, unknown>): string {
  const u = extras.usage;
  if (typeof u !== 'object' || u === null) return USAGE_TEXT[0]!;
  const flags = u as Record<string, unknown>;
  let mask = 0;
  for (let i = 0; i < USAGE_FLAGS.length; i++) if (flags[USAGE_FLAGS[i]!] === false) mask |= 1 << i;
  return USAGE_TEXT[mask]!;
}
