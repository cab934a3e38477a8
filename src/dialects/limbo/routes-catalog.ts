// Read-only companies (the credential's workspaces) and products (resources of type `product`).
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.js';
import { companyPathId, principal, productPathId, renderContext } from './context.js';
import { productName } from './product-ids.js';
import { COMPANY_LIST, companyQuery, FIELDS_ONLY, PRODUCT_LIST, productQuery } from './filters.js';
import * as map from './mapper.js';
import { parseQuery } from './query.js';
import * as s from './schemas.js';

export function catalogRoutes(app: FastifyInstance, core: Core, prefix: string): void {
  const { workspaces: companies, products } = core.catalog;

  app.get('/companies', { schema: { response: { 200: s.companiesDoc, ...s.errors } } }, async (req) => {
    const q = parseQuery(req, COMPANY_LIST);
    const page = companies.list(principal(req), companyQuery(q));
    const ctx = renderContext(req, prefix, q);
    const info = { number: q.page.number, size: q.page.size, total: page.total, count: page.items.length };
    return map.collection(ctx, page.items.map((w) => map.companyResource(w, ctx)), undefined, '/companies', q, info);
  });

  app.get('/companies/:id', { schema: { response: { 200: s.companyDoc, ...s.errors } } }, async (req) => {
    const id = companyPathId(req);
    const q = parseQuery(req, FIELDS_ONLY);
    const company = companies.get(principal(req), id);
    const ctx = renderContext(req, prefix, q);
    return map.single(ctx, map.companyResource(company, ctx), `/companies/${id}`);
  });

  app.get('/products', { schema: { response: { 200: s.productsDoc, ...s.errors } } }, async (req) => {
    const q = parseQuery(req, PRODUCT_LIST);
    const page = await products.list(principal(req), productQuery(q));
    const ctx = renderContext(req, prefix, q);
    const info = { number: q.page.number, size: q.page.size, total: page.total, count: page.items.length };
    return map.collection(ctx, page.items.map((p) => map.productResource(p, ctx)), undefined, '/products', q, info);
  });

  app.get('/products/:id', { schema: { response: { 200: s.productDoc, ...s.errors } } }, async (req) => {
    const id = productPathId(req);
    const q = parseQuery(req, FIELDS_ONLY);
    const product = await products.get(principal(req), productName(principal(req), id));
    const ctx = renderContext(req, prefix, q);
    return map.single(ctx, map.productResource(product, ctx), `/products/${encodeURIComponent(id)}`);
  });
}
