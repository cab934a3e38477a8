// Core objects → JSON:API documents as laravel-json-api renders them (string ids, ISO 8601 dates with six
// fractional digits, relationship links, sparse fieldsets, compound documents), written straight as JSON text:
// the members of schemas.ts in their order, the bytes fast-json-stringify wrote from the same documents built
// as objects (test/limbo-render.test.ts compares the two). Written as text, a page builds no object per label,
// relationship and link, and nothing is checked again on the way out (20 labels: 54 µs as objects serialized
// from the schema, whose unions were each matched by a validator; 20 µs as text).
import type { ListedLabel } from '../../core/index.js';
import type { Resource, Workspace } from '../../core/index.js';
import { isoUtc } from '../../http/dates.js';
import { usageText } from './attributes.js';
import { TYPES } from './document.js';
import type { ParsedQuery } from './query.js';

export interface RenderContext {
  /** Scheme, host and mount of the API: links are `${base}/labels/12`. */
  base: string;
  /** `base` escaped as inside a JSON string (renderContext: `jsonInner`); link paths need no escaping. */
  escapedBase: string;
  include: Set<string>;
  fields: Map<string, Set<string>>;
  /** The credential's workspaces by id (a label's company is always one of them). */
  companies: Map<number, Workspace>;
  /** The id the credential names a product by (product-ids.ts: qualified unless a workspace key). */
  productId: (r: Resource) => string;
}

/** A string as JSON text: the same bytes as fast-json-stringify's string escaping (both are JSON.stringify's). */
const str = (s: string): string => JSON.stringify(s);
/** The inside of a string's JSON text (no quotes): escaped once, then joined with text that needs no escaping. */
export const jsonInner = (s: string): string => str(s).slice(1, -1);

const JSONAPI = '"jsonapi":{"version":"1.0"}';

const DAY_MS = 86_400_000;
const MAX_MS = 253_402_300_800_000; // 10000-01-01
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** "YYYY-MM-DDT" of each day met lately (days since 1970): a page's dates share a few days. */
const days = new Map<number, string>();

/**
 * 2023-08-11T20:44:59.000000Z: Laravel's microsecond precision; we store milliseconds. isoUtc's text with three
 * more digits, its date part remembered per day (two dates per label on every page).
 */
export function isoDate(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= MAX_MS) return `${isoUtc(ms).slice(0, -1)}000Z`;
  const day = Math.floor(ms / DAY_MS);
  let date = days.get(day);
  if (date === undefined) {
    if (days.size >= 1024) days.clear();
    days.set(day, (date = isoUtc(day * DAY_MS).slice(0, 11)));
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const sec = Math.floor(rest / 1000);
  return `${date}${TWO_DIGITS[h]}:${TWO_DIGITS[min]}:${TWO_DIGITS[sec]}.${THREE_DIGITS[rest - sec * 1000]}000Z`;
}

/** Each member kept by a sparse fieldset (`fields[labels]=name`), or every member when none was asked. */
const keeps = (want: Set<string> | undefined, member: string): boolean => want === undefined || want.has(member);

/** Joins `"name":value` members into an object's text; undefined when none is left (the member is then omitted). */
const object = (members: string[]): string | undefined => (members.length === 0 ? undefined : `{${members.join(',')}}`);

/** A resource object: type, id, then attributes and relationships when any is left, then links. */
const resourceObject = (type: string, id: string, attributes: string | undefined, relationships: string | undefined, self: string): string =>
  `{"type":"${type}","id":${id}${attributes === undefined ? '' : `,"attributes":${attributes}`}${relationships === undefined ? '' : `,"relationships":${relationships}`},"links":{"self":"${self}"}}`;

export const companyId = (w: Workspace) => ({ type: TYPES.companies, id: String(w.id) });
/** A product's resource identifier as text. */
export const productId = (r: Resource, ctx: Pick<RenderContext, 'productId'>): string => `{"type":"products","id":${str(ctx.productId(r))}}`;

/** A relationship: its links, then its data when given. */
const relationship = (self: string, name: string, data: string | undefined): string =>
  `{"links":{"related":"${self}/${name}","self":"${self}/relationships/${name}"}${data === undefined ? '' : `,"data":${data}`}}`;

export function labelResource(l: ListedLabel, ctx: RenderContext, products: Resource[] | null): string {
  const want = ctx.fields.get(TYPES.labels);
  const id = String(l.id);
  const self = `${ctx.escapedBase}/labels/${id}`;
  const description = l.description === '' ? 'null' : str(l.description);
  const company = ctx.include.has('company') ? ctx.companies.get(l.workspaceId) : undefined;
  const companyData = company ? `{"type":"companies","id":"${company.id}"}` : undefined;
  const productsData = ctx.include.has('products') && products ? `[${products.map((p) => productId(p, ctx)).join(',')}]` : undefined;
  // Every member (the common case): one template.
  if (want === undefined) {
    return `{"type":"labels","id":"${id}","attributes":{"name":${str(l.name)},"usage":${usageText(l.extras)},"description":${description},"created-at":"${isoDate(l.createdAt)}","updated-at":"${isoDate(l.updatedAt)}"},"relationships":{"company":{"links":{"related":"${self}/company","self":"${self}/relationships/company"}${companyData === undefined ? '' : `,"data":${companyData}`}},"products":{"links":{"related":"${self}/products","self":"${self}/relationships/products"}${productsData === undefined ? '' : `,"data":${productsData}`}}},"links":{"self":"${self}"}}`;
  }
  const a: string[] = [];
  if (want.has('name')) a.push(`"name":${str(l.name)}`);
  if (want.has('usage')) a.push(`"usage":${usageText(l.extras)}`);
  if (want.has('description')) a.push(`"description":${description}`);
  if (want.has('created-at')) a.push(`"created-at":"${isoDate(l.createdAt)}"`);
  if (want.has('updated-at')) a.push(`"updated-at":"${isoDate(l.updatedAt)}"`);
  const r: string[] = [];
  if (want.has('company')) r.push(`"company":${relationship(self, 'company', companyData)}`);
  if (want.has('products')) r.push(`"products":${relationship(self, 'products', productsData)}`);
  return resourceObject(TYPES.labels, `"${id}"`, object(a), object(r), self);
}

export function companyResource(w: Workspace, ctx: RenderContext): string {
  const attributes = keeps(ctx.fields.get(TYPES.companies), 'name') ? `{"name":${str(w.name)}}` : undefined;
  return resourceObject(TYPES.companies, `"${w.id}"`, attributes, undefined, `${ctx.escapedBase}/companies/${w.id}`);
}

/** Reserved or rendered members a product's free attributes may not shadow. */
const RESERVED = new Set(['id', 'type', 'links', 'relationships', 'meta', 'name', 'status', 'created-at', 'updated-at']);
const MEMBER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;
const nullable = (s: string | null) => (s === null ? 'null' : str(s));

/** The fixed attributes (name, status, created-at, updated-at), then the free ones in their stored order. */
export function productResource(r: Resource, ctx: RenderContext): string {
  const want = ctx.fields.get(TYPES.products);
  const a: string[] = [];
  if (keeps(want, 'name')) a.push(`"name":${nullable(r.name)}`);
  if (keeps(want, 'status')) a.push(`"status":${nullable(r.status)}`);
  if (keeps(want, 'created-at')) a.push(`"created-at":"${isoDate(r.createdAt)}"`);
  if (keeps(want, 'updated-at')) a.push(`"updated-at":"${isoDate(r.updatedAt)}"`);
  for (const k of Object.keys(r.attributes)) {
    if (!MEMBER.test(k) || RESERVED.has(k) || !keeps(want, k)) continue;
    const v = r.attributes[k];
    // What a JSON value can hold: a free attribute read from JSON text is never undefined or a function.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    a.push(`"${k}":${JSON.stringify(v)}`);
  }
  const id = ctx.productId(r);
  return resourceObject(TYPES.products, str(id), object(a), undefined, `${ctx.escapedBase}/products/${encodeURIComponent(id)}`);
}

/** `included`: each company and product once (by its JSON:API identity), in order of first mention. */
export function included(labels: ListedLabel[], products: Map<number, Resource[]> | null, ctx: RenderContext): string[] | undefined {
  if (ctx.include.size === 0) return undefined;
  const seen = new Map<string, string>();
  const withCompany = ctx.include.has('company');
  const withProducts = ctx.include.has('products');
  for (const l of labels) {
    const company = withCompany ? ctx.companies.get(l.workspaceId) : undefined;
    if (company && !seen.has(`c:${company.id}`)) seen.set(`c:${company.id}`, companyResource(company, ctx));
    for (const p of (withProducts && products?.get(l.id)) || []) {
      const key = `p:${ctx.productId(p)}`;
      if (!seen.has(key)) seen.set(key, productResource(p, ctx));
    }
  }
  return [...seen.values()];
}

export interface PageInfo {
  number: number;
  size: number;
  total: number;
  count: number;
}

/** laravel-json-api's meta.page; an empty page has from = to = 0. */
function pageMeta(p: PageInfo): string {
  const from = p.count === 0 ? 0 : (p.number - 1) * p.size + 1;
  const to = p.count === 0 ? 0 : from + p.count - 1;
  return `"meta":{"page":{"currentPage":${p.number},"from":${from},"lastPage":${lastPage(p)},"perPage":${p.size},"to":${to},"total":${p.total}}}`;
}

const lastPage = (p: PageInfo) => Math.max(1, Math.ceil(p.total / p.size));

/**
 * first/last (+ prev/next when they exist), keeping the request's other parameters, brackets encoded (`url`
 * escaped; the parameters are percent-encoded, so they need no escaping).
 */
function pageLinks(url: string, q: ParsedQuery, p: PageInfo): string {
  const last = lastPage(p);
  const kept = q.keep.length === 0 ? '' : `${q.keep.join('&')}&`;
  const at = (n: number) => `"${url}?${kept}page%5Bnumber%5D=${n}&page%5Bsize%5D=${p.size}"`;
  return `"first":${at(1)},"last":${at(last)}${p.number > 1 ? `,"prev":${at(p.number - 1)}` : ''}${p.number < last ? `,"next":${at(p.number + 1)}` : ''}`;
}

const includedText = (inc: string[] | undefined) => (inc === undefined ? '' : `,"included":[${inc.join(',')}]`);

/** A single resource's document; its `self` link is `path` under the context's base. */
export const single = (ctx: RenderContext, data: string, path: string, inc?: string[]): string =>
  `{"data":${data}${includedText(inc)},${JSONAPI},"links":{"self":"${ctx.escapedBase}${path}"}}`;

/**
 * A page's document: its resources (or identifiers), meta.page, and the page links of `path` (under the
 * context's base), after a relationship's own `self` and `related` links when given (paths too).
 */
export function collection(ctx: RenderContext, data: string[], inc: string[] | undefined, path: string, q: ParsedQuery, p: PageInfo, links?: { self: string; related: string }): string {
  const b = ctx.escapedBase;
  const first = links === undefined ? '' : `"self":"${b}${links.self}","related":"${b}${links.related}",`;
  return `{"data":[${data.join(',')}]${includedText(inc)},${pageMeta(p)},${JSONAPI},"links":{${first}${pageLinks(`${b}${path}`, q, p)}}}`;
}
