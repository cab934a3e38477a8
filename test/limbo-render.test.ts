// limbo's documents are written as JSON text (src/dialects/limbo/mapper.ts). This holds them to the bytes the
// dialect sent when it built each document as objects and serialized it from its response schema with
// fast-json-stringify: the object mapper below is that reference, and generated labels, products,
// companies, sparse fieldsets, includes, pages and hostile strings (quotes, backslashes, control characters,
// lone surrogates, numeric and reserved attribute names) must come out the same from both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ListedLabel, Resource, Workspace } from '../src/core/index.js';
import { documentSerializer } from '../src/dialects/limbo/api.js';
import * as map from '../src/dialects/limbo/mapper.js';
import type { RenderContext } from '../src/dialects/limbo/mapper.js';
import type { ParsedQuery } from '../src/dialects/limbo/query.js';
import * as s from '../src/dialects/limbo/schemas.js';
import { merge } from '../src/core/objects.js';
import { isoUtc } from '../src/http/dates.js';

// ---- the reference: documents as objects, as the dialect built them before it wrote text ----
type Json = Record<string, unknown>;
const isoDate = (ms: number) => `${isoUtc(ms).slice(0, -1)}000Z`;
const usageOf = (extras: Record<string, unknown>) => {
  const u = extras.usage;
  const flags = typeof u === 'object' && u !== null ? (u as Record<string, unknown>) : {};
  const flag = (f: string) => (typeof flags[f] === 'boolean' ? (flags[f] as boolean) : true);
  return { download: flag('download'), copy_scan: flag('copy_scan'), on_demand_stream: flag('on_demand_stream'), non_interactive_stream: flag('non_interactive_stream') };
};
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
const resourceObject = (type: string, id: string, attributes: Json | undefined, relationships: Json | undefined, self: string): Json => {
  const out: Json = { type, id };
  if (attributes) out.attributes = attributes;
  if (relationships) out.relationships = relationships;
  out.links = { self };
  return out;
};
const ref = {
  companyId: (w: Workspace) => ({ type: 'companies', id: String(w.id) }),
  productId: (r: Resource, ctx: RenderContext) => ({ type: 'products', id: ctx.productId(r) }),
  label(l: ListedLabel, ctx: RenderContext, products: Resource[] | null): Json {
    const want = ctx.fields.get('labels');
    const self = `${ctx.base}/labels/${l.id}`;
    const attributes = pick(
      { name: l.name, usage: usageOf(l.extras), description: l.description === '' ? null : l.description, 'created-at': isoDate(l.createdAt), 'updated-at': isoDate(l.updatedAt) },
      want,
    );
    const rel = (name: string, data: unknown) => ({ links: { related: `${self}/${name}`, self: `${self}/relationships/${name}` }, ...(data !== undefined && { data }) });
    const company = ctx.companies.get(l.workspaceId);
    const relationships = pick(
      {
        company: rel('company', ctx.include.has('company') && company ? ref.companyId(company) : undefined),
        products: rel('products', ctx.include.has('products') && products ? products.map((p) => ref.productId(p, ctx)) : undefined),
      },
      want,
    );
    return resourceObject('labels', String(l.id), attributes, relationships, self);
  },
  company(w: Workspace, ctx: RenderContext): Json {
    return resourceObject('companies', String(w.id), pick({ name: w.name }, ctx.fields.get('companies')), undefined, `${ctx.base}/companies/${w.id}`);
  },
  product(r: Resource, ctx: RenderContext): Json {
    const RESERVED = new Set(['id', 'type', 'links', 'relationships', 'meta', 'name', 'status', 'created-at', 'updated-at']);
    const MEMBER = /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/;
    const extra = Object.fromEntries(Object.entries(r.attributes).filter(([k]) => MEMBER.test(k) && !RESERVED.has(k)));
    const attributes = pick({ name: r.name, status: r.status, ...extra, 'created-at': isoDate(r.createdAt), 'updated-at': isoDate(r.updatedAt) }, ctx.fields.get('products'));
    const id = ctx.productId(r);
    return resourceObject('products', id, attributes, undefined, `${ctx.base}/products/${encodeURIComponent(id)}`);
  },
  included(labels: ListedLabel[], products: Map<number, Resource[]> | null, ctx: RenderContext): Json[] | undefined {
    if (ctx.include.size === 0) return undefined;
    const seen = new Map<string, Json>();
    for (const l of labels) {
      const company = ctx.companies.get(l.workspaceId);
      if (ctx.include.has('company') && company && !seen.has(`c:${company.id}`)) seen.set(`c:${company.id}`, ref.company(company, ctx));
      for (const p of (ctx.include.has('products') && products?.get(l.id)) || []) {
        const key = `p:${ctx.productId(p)}`;
        if (!seen.has(key)) seen.set(key, ref.product(p, ctx));
      }
    }
    return [...seen.values()];
  },
  single: (data: Json, self: string, inc?: Json[]) => ({ data, ...(inc && { included: inc }), jsonapi: { version: '1.0' }, links: { self } }),
  collection(data: Json[], inc: Json[] | undefined, url: string, q: ParsedQuery, p: map.PageInfo, extraLinks: Json = {}) {
    const from = p.count === 0 ? 0 : (p.number - 1) * p.size + 1;
    const last = Math.max(1, Math.ceil(p.total / p.size));
    const at = (n: number) => `${url}?${[...q.keep, `page%5Bnumber%5D=${n}`, `page%5Bsize%5D=${p.size}`].join('&')}`;
    const links = { first: at(1), last: at(last), ...(p.number > 1 && { prev: at(p.number - 1) }), ...(p.number < last && { next: at(p.number + 1) }) };
    return {
      data,
      ...(inc && { included: inc }),
      meta: { page: { currentPage: p.number, from, lastPage: last, perPage: p.size, to: p.count === 0 ? 0 : from + p.count - 1, total: p.total } },
      jsonapi: { version: '1.0' },
      links: merge(extraLinks, links),
    };
  },
};

// ---- generated inputs ----
/** Text with what JSON must escape or carry: quotes, backslashes, control characters, lone surrogates, U+2028. */
const text = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
    { weight: 1, arbitrary: fc.constantFrom('"', '\\', '\u0000', '\n', '\u001f', '\u007f', '\ud800', '\udfff', '\u2028', 'é', '😀', '/', '<') },
  ),
  maxLength: 50,
});
const time = fc.oneof(fc.integer({ min: 0, max: 253_402_300_799_999 }), fc.constantFrom(1_700_000_000_123, 0));
const usage = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant('yes'),
  fc.record({ download: fc.constantFrom(true, false, 1, undefined), copy_scan: fc.boolean(), on_demand_stream: fc.constantFrom(true, false, 'false'), non_interactive_stream: fc.boolean() }, { requiredKeys: [] }),
);
const company = (id: number): fc.Arbitrary<Workspace> => fc.record({ id: fc.constant(id), uuid: fc.constant(`u${id}`), name: text, createdAt: time });
const attributeKey = fc.oneof(text, fc.constantFrom('name', 'status', 'created-at', 'id', 'links', 'size', '12', '3', 'a-b', 'a_b', '-x', 'é', '__proto__'));
const jsonValue = fc.jsonValue({ maxDepth: 2 });
const product = (ws: number[]): fc.Arbitrary<Resource> =>
  fc.record({
    id: fc.integer({ min: 1, max: 1e9 }),
    workspaceId: fc.constantFrom(...ws),
    type: fc.constant('product'),
    // A lone surrogate cannot be percent-encoded for the product's link (either way the read fails the same).
    externalId: fc.oneof(text.filter((t) => t !== '' && !/[\ud800-\udfff]/.test(t.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))), fc.constantFrom('1001', 'a/b', 'x y', '2-1001')),
    name: fc.option(text),
    status: fc.option(text),
    attributes: fc.dictionary(attributeKey, jsonValue, { maxKeys: 5 }).map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>),
    createdAt: time,
    updatedAt: time,
  });
const label = (ws: number[]): fc.Arbitrary<ListedLabel> =>
  fc.record({
    id: fc.integer({ min: 1, max: 2 ** 53 - 1 }),
    workspaceId: fc.constantFrom(...ws, 999_999),
    name: text,
    description: fc.oneof(fc.constant(''), text),
    extras: usage.map((u) => (u === undefined ? {} : { usage: u, other: 1 })),
    createdAt: time,
    updatedAt: time,
  });
const fieldSet = (names: string[]) => fc.option(fc.subarray([...names, 'other']).map((x) => new Set(x)), { nil: undefined });
const world = fc.record({
  base: fc.oneof(fc.constant('http://localhost/api/v1'), text.map((t) => `http://${t}/api/v1`)),
  workspaceKey: fc.boolean(),
  companies: fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 3 }),
  include: fc.subarray(['company', 'products']),
  fields: fc.record({
    labels: fieldSet(['name', 'usage', 'description', 'created-at', 'updated-at', 'company', 'products']),
    companies: fieldSet(['name']),
    products: fieldSet(['name', 'status', 'created-at', 'updated-at', 'size', '12', 'a-b']),
  }),
  keep: fc.array(fc.tuple(text, text).map(([k, v]) => `${encodeURIComponent(k.replace(/[\ud800-\udfff]/g, 'x'))}=${encodeURIComponent(v.replace(/[\ud800-\udfff]/g, 'x'))}`), { maxLength: 3 }),
  page: fc.record({ number: fc.integer({ min: 1, max: 20 }), size: fc.integer({ min: 1, max: 100 }), total: fc.integer({ min: 0, max: 3000 }) }),
});

const serialize = (schema: unknown) => documentSerializer({ schema });

describe('limbo documents written as text', () => {
  it('are the bytes the schema serializer writes from the same documents as objects', () => {
    fc.assert(
      fc.property(
        world.chain((w) =>
          fc.record({
            w: fc.constant(w),
            ws: fc.tuple(...w.companies.map(company)),
            labels: fc.array(label(w.companies), { maxLength: 6 }),
            products: fc.array(product(w.companies), { maxLength: 5 }),
            productsOf: fc.array(fc.option(fc.array(fc.nat(4), { maxLength: 4 })), { minLength: 6, maxLength: 6 }),
          }),
        ),
        ({ w, ws, labels, products, productsOf }) => {
          const fields = new Map(Object.entries(w.fields).filter((e): e is [string, Set<string>] => e[1] !== undefined));
          const ctx: RenderContext = {
            base: w.base,
            escapedBase: map.jsonInner(w.base),
            include: new Set(w.include),
            fields,
            companies: new Map(ws.map((c) => [c.id, c])),
            productId: (r) => (w.workspaceKey ? r.externalId : `${r.workspaceId}-${r.externalId}`),
          };
          const byLabel = new Map<number, Resource[]>();
          labels.forEach((l, i) => {
            const list = productsOf[i];
            if (list) byLabel.set(l.id, list.filter((k) => k < products.length).map((k) => products[k]!));
          });
          const q = { keep: w.keep } as ParsedQuery;
          const info = { number: w.page.number, size: w.page.size, total: w.page.total, count: labels.length };
          const withProducts = w.include.includes('products') ? byLabel : null;

          // A page of labels, and each label alone.
          expect(map.collection(ctx, labels.map((l) => map.labelResource(l, ctx, withProducts?.get(l.id) ?? null)), map.included(labels, withProducts, ctx), '/labels', q, info)).toBe(
            serialize(s.labelsDoc)(ref.collection(labels.map((l) => ref.label(l, ctx, withProducts?.get(l.id) ?? null)), ref.included(labels, withProducts, ctx), `${ctx.base}/labels`, q, info)),
          );
          for (const l of labels) {
            const own = byLabel.get(l.id) ?? null;
            const one = own && new Map([[l.id, own]]);
            expect(map.single(ctx, map.labelResource(l, ctx, own), `/labels/${l.id}`, map.included([l], one, ctx))).toBe(
              serialize(s.labelDoc)(ref.single(ref.label(l, ctx, own), `${ctx.base}/labels/${l.id}`, ref.included([l], one, ctx))),
            );
          }
          // Products: a page, one, and a label's linkage page.
          const pinfo = { ...info, count: products.length };
          expect(map.collection(ctx, products.map((p) => map.productResource(p, ctx)), undefined, '/products', q, pinfo)).toBe(
            serialize(s.productsDoc)(ref.collection(products.map((p) => ref.product(p, ctx)), undefined, `${ctx.base}/products`, q, pinfo)),
          );
          for (const p of products) {
            const path = `/products/${encodeURIComponent(ctx.productId(p))}`;
            expect(map.single(ctx, map.productResource(p, ctx), path)).toBe(serialize(s.productDoc)(ref.single(ref.product(p, ctx), `${ctx.base}${path}`)));
          }
          const self = '/labels/7/relationships/products';
          expect(map.collection(ctx, products.map((p) => map.productId(p, ctx)), undefined, self, q, pinfo, { self, related: '/labels/7/products' })).toBe(
            serialize(s.toManyDoc)(
              ref.collection(products.map((p) => ref.productId(p, ctx)), undefined, `${ctx.base}${self}`, q, pinfo, { self: `${ctx.base}${self}`, related: `${ctx.base}/labels/7/products` }),
            ),
          );
          // Companies: a page and one.
          const cinfo = { ...info, count: ws.length };
          expect(map.collection(ctx, ws.map((c) => map.companyResource(c, ctx)), undefined, '/companies', q, cinfo)).toBe(
            serialize(s.companiesDoc)(ref.collection(ws.map((c) => ref.company(c, ctx)), undefined, `${ctx.base}/companies`, q, cinfo)),
          );
          expect(map.single(ctx, map.companyResource(ws[0]!, ctx), `/companies/${ws[0]!.id}`)).toBe(
            serialize(s.companyDoc)(ref.single(ref.company(ws[0]!, ctx), `${ctx.base}/companies/${ws[0]!.id}`)),
          );
        },
      ),
      { numRuns: Number(process.env.LABELMUX_FUZZ_RUNS ?? 300), seed: Number(process.env.LABELMUX_SEED ?? 42) },
    );
  });
});
