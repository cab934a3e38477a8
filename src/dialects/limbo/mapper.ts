// Core objects → JSON:API resource objects and documents, as laravel-json-api renders them: string ids,
// ISO 8601 dates with six fractional digits, relationship links, sparse fieldsets, compound documents.
import type { ListedLabel } from '../../core/index.js';
import type { Resource, Workspace } from '../../core/index.js';
import { isoUtc } from '../../http/dates.js';
import { usageOf } from './attributes.js';
import { TYPES } from './document.js';
import type { ParsedQuery } from './query.js';
import { merge } from '../../core/index.js';

export interface RenderContext {
  /** Scheme, host and mount of the API: links are `${base}/labels/12`. */
  base: string;
  include: Set<string>;
  fields: Map<string, Set<string>>;
  /** The credential's workspaces by id (a label's company is always one of them). */
  companies: Map<number, Workspace>;
  /** The id the credential names a product by (product-ids.ts: qualified unless a workspace key). */
  productId: (r: Resource) => string;
}

type Json = Record<string, unknown>;
const JSONAPI = { version: '1.0' as const };
/** 2023-08-11T20:44:59.000000Z: Laravel's microsecond precision; we store milliseconds. */
export const isoDate = (ms: number) => `${isoUtc(ms).slice(0, -1)}000Z`;
/** The sparse fieldset asked for a type (`fields[labels]=name`), or undefined for all of its members. */
const wanted = (ctx: RenderContext, type: string): Set<string> | undefined => ctx.fields.get(type);
/** Keeps the members asked for; undefined when none is left (the member is then omitted). */
const pick = (all: Json, want: Set<string> | undefined): Json | undefined => {
  if (!want) return all;
  const out: Json = {};
  let kept = 0;
  for (const k of Object.keys(all)) {
    if (!want.has(k)) continue;
    out[k] = all[k];
    kept++;
  }
  return kept ? out : undefined;
};
/** A resource object: type, id, then attributes and relationships when any is left, then links (built member by member, not spread: see core/objects.ts). */
const resourceObject = (type: string, id: string, attributes: Json | undefined, relationships: Json | undefined, self: string): Json => {
  const out: Json = { type, id };
  if (attributes) out.attributes = attributes;
  if (relationships) out.relationships = relationships;
  out.links = { self };
  return out;
};
const pid = (id: string) => encodeURIComponent(id);

export const companyId = (w: Workspace) => ({ type: TYPES.companies, id: String(w.id) });
export const productId = (r: Resource, ctx: Pick<RenderContext, 'productId'>) => ({ type: TYPES.products, id: ctx.productId(r) });

export function labelResource(l: ListedLabel, ctx: RenderContext, products: Resource[] | null): Json {
  const want = wanted(ctx, TYPES.labels);
  const self = `${ctx.base}/labels/${l.id}`;
  const attributes = pick(
    { name: l.name, usage: usageOf(l.extras), description: l.description === '' ? null : l.description, 'created-at': isoDate(l.createdAt), 'updated-at': isoDate(l.updatedAt) },
    want,
  );
  const rel = (name: string, data: unknown) => ({ links: { related: `${self}/${name}`, self: `${self}/relationships/${name}` }, ...(data !== undefined && { data }) });
  const company = ctx.companies.get(l.workspaceId);
  const relationships = pick(
    {
      company: rel('company', ctx.include.has('company') && company ? companyId(company) : undefined),
      products: rel('products', ctx.include.has('products') && products ? products.map((p) => productId(p, ctx)) : undefined),
    },
    want,
  );
  return resourceObject(TYPES.labels, String(l.id), attributes, relationships, self);
}

export function companyResource(w: Workspace, ctx: RenderContext): Json {
  const attributes = pick({ name: w.name }, wanted(ctx, TYPES.companies));
  return resourceObject(TYPES.companies, String(w.id), attributes, undefined, `${ctx.base}/companies/${w.id}`);
}

/** Reserved or rendered members a product's free attributes may not shadow. */
const RESERVED = new Set(['id', 'type', 'links', 'relationships', 'meta', 'name', 'status', 'created-at', 'updated-at']);
const MEMBER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;

export function productResource(r: Resource, ctx: RenderContext): Json {
  const extra = Object.fromEntries(Object.entries(r.attributes).filter(([k]) => MEMBER.test(k) && !RESERVED.has(k)));
  const attributes = pick({ name: r.name, status: r.status, ...extra, 'created-at': isoDate(r.createdAt), 'updated-at': isoDate(r.updatedAt) }, wanted(ctx, TYPES.products));
  const id = ctx.productId(r);
  return resourceObject(TYPES.products, id, attributes, undefined, `${ctx.base}/products/${pid(id)}`);
}

/** `included`: each company and product once (by its JSON:API identity), in order of first mention. */
export function included(labels: ListedLabel[], products: Map<number, Resource[]> | null, ctx: RenderContext): Json[] | undefined {
  if (ctx.include.size === 0) return undefined;
  const seen = new Map<string, Json>();
  for (const l of labels) {
    const company = ctx.companies.get(l.workspaceId);
    if (ctx.include.has('company') && company && !seen.has(`c:${company.id}`)) seen.set(`c:${company.id}`, companyResource(company, ctx));
    for (const p of (ctx.include.has('products') && products?.get(l.id)) || []) {
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
export function pageMeta(p: PageInfo) {
  const from = p.count === 0 ? 0 : (p.number - 1) * p.size + 1;
  return {
    page: { currentPage: p.number, from, lastPage: Math.max(1, Math.ceil(p.total / p.size)), perPage: p.size, to: p.count === 0 ? 0 : from + p.count - 1, total: p.total },
  };
}

/** first/last (+ prev/next when they exist), keeping the request's other parameters, brackets encoded. */
export function pageLinks(url: string, q: ParsedQuery, p: PageInfo) {
  const last = Math.max(1, Math.ceil(p.total / p.size));
  const at = (n: number) => `${url}?${[...q.keep, `page%5Bnumber%5D=${n}`, `page%5Bsize%5D=${p.size}`].join('&')}`;
  return { first: at(1), last: at(last), ...(p.number > 1 && { prev: at(p.number - 1) }), ...(p.number < last && { next: at(p.number + 1) }) };
}

export const single = (data: Json, self: string, inc?: Json[]) => ({ data, ...(inc && { included: inc }), jsonapi: JSONAPI, links: { self } });

export const collection = (data: Json[], inc: Json[] | undefined, url: string, q: ParsedQuery, p: PageInfo, extraLinks: Json = {}) => ({
  data,
  ...(inc && { included: inc }),
  meta: pageMeta(p),
  jsonapi: JSONAPI,
  links: merge(extraLinks, pageLinks(url, q, p)),
});
