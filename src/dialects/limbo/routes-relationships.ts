// A label's related resources and relationship linkage: company (to-one) and products (to-many, paged).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Core } from '../../core/index.js';
import type { LinkMode } from '../../core/index.js';
import { companyLinkage, productLinkage } from './attributes.js';
import { baseUrl, labelId, principal, renderContext } from './context.js';
import { FIELDS_ONLY, LINKAGE_PAGE, NONE, PRODUCT_LIST, productQuery } from './filters.js';
import * as map from './mapper.js';
import { readJsonObject } from './negotiation.js';
import { productName } from './product-ids.js';
import { parseQuery } from './query.js';
import * as s from './schemas.js';

const JSONAPI = { version: '1.0' as const };

export function relationshipRoutes(app: FastifyInstance, core: Core, prefix: string): void {
  const labels = core.labelsAcross;
  const links = (req: FastifyRequest, id: number, name: string) => {
    const self = `${baseUrl(req, prefix)}/labels/${id}`;
    return { self: `${self}/relationships/${name}`, related: `${self}/${name}` };
  };

  app.get('/labels/:id/company', { schema: { response: { 200: s.companyDoc, ...s.errors } } }, async (req) => {
    const id = labelId(req);
    const q = parseQuery(req, FIELDS_ONLY);
    const company = await labels.workspace(principal(req), id);
    const ctx = renderContext(req, prefix, q);
    return map.single(ctx, map.companyResource(company, ctx), `/labels/${id}/company`);
  });

  app.get('/labels/:id/relationships/company', { schema: { response: { 200: s.toOneDoc, ...s.errors } } }, async (req) => {
    const id = labelId(req);
    parseQuery(req, NONE);
    const company = await labels.workspace(principal(req), id);
    return { data: map.companyId(company), jsonapi: JSONAPI, links: links(req, id, 'company') };
  });

  app.patch('/labels/:id/relationships/company', { schema: { response: { 204: s.noContent, ...s.errors } } }, async (req, reply) => {
    const id = labelId(req);
    parseQuery(req, NONE);
    const companyId = companyLinkage(readJsonObject(req));
    req.limboRefs = { companyPointer: '/data' };
    await labels.update(principal(req), id, { workspaceId: companyId });
    return reply.code(204).send(null);
  });

  app.get('/labels/:id/products', { schema: { response: { 200: s.productsDoc, ...s.errors } } }, async (req) => {
    const id = labelId(req);
    const q = parseQuery(req, PRODUCT_LIST);
    const page = await labels.products(principal(req), id, productQuery(q));
    const ctx = renderContext(req, prefix, q);
    const info = { number: q.page.number, size: q.page.size, total: page.total, count: page.items.length };
    return map.collection(ctx, page.items.map((p) => map.productResource(p, ctx)), undefined, `/labels/${id}/products`, q, info);
  });

  app.get('/labels/:id/relationships/products', { schema: { response: { 200: s.toManyDoc, ...s.errors } } }, async (req) => {
    const id = labelId(req);
    const q = parseQuery(req, LINKAGE_PAGE);
    const page = await labels.products(principal(req), id, productQuery(q));
    const ctx = renderContext(req, prefix, q);
    const info = { number: q.page.number, size: q.page.size, total: page.total, count: page.items.length };
    const self = `/labels/${id}/relationships/products`;
    return map.collection(ctx, page.items.map((p) => map.productId(p, ctx)), undefined, self, q, info, { self, related: `/labels/${id}/products` });
  });

  const link = (mode: LinkMode) => async (req: FastifyRequest, reply: FastifyReply) => {
    const id = labelId(req);
    parseQuery(req, NONE);
    const productIds = productLinkage(readJsonObject(req));
    req.limboRefs = { productIds };
    const p = principal(req);
    await labels.link(p, id, mode, [...new Set(productIds)].map((pid) => productName(p, pid)));
    return reply.code(204).send(null);
  };
  const linkSchema = { schema: { response: { 204: s.noContent, ...s.errors } } };
  app.post('/labels/:id/relationships/products', linkSchema, link('add'));
  app.delete('/labels/:id/relationships/products', linkSchema, link('remove'));
  app.patch('/labels/:id/relationships/products', linkSchema, link('replace'));
}
