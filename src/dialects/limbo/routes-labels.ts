// /api/v1/labels and /api/v1/labels/:id: each handler decodes (query, document), calls the core once, encodes
// (the documents as JSON text, mapper.ts: sent as they are, the response schemas describe them).
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core/index.js';
import { labelChanges, newLabel } from './attributes.js';
import { labelId, principal, renderContext } from './context.js';
import { LABEL_LIST, LABEL_ONE, labelQuery, NONE } from './filters.js';
import * as map from './mapper.js';
import { readJsonObject } from './negotiation.js';
import { parseQuery } from './query.js';
import * as s from './schemas.js';

const COMPANY_REF = { companyPointer: '/data/relationships/company' };

export function labelRoutes(app: FastifyInstance, core: Core, prefix: string): void {
  const labels = core.labelsAcross;

  app.get('/labels', { schema: { response: { 200: s.labelsDoc, ...s.errors } } }, async (req) => {
    const q = parseQuery(req, LABEL_LIST);
    const page = await labels.list(principal(req), labelQuery(q), q.include.has('products'));
    const ctx = renderContext(req, prefix, q);
    const data = page.items.map((l) => map.labelResource(l, ctx, page.products?.get(l.id) ?? null));
    const info = { number: q.page.number, size: q.page.size, total: page.total, count: page.items.length };
    return map.collection(ctx, data, map.included(page.items, page.products, ctx), '/labels', q, info);
  });

  app.post('/labels', { schema: { response: { 201: s.labelDoc, ...s.errors } } }, async (req, reply) => {
    const q = parseQuery(req, LABEL_ONE);
    const input = newLabel(readJsonObject(req));
    req.limboRefs = COMPANY_REF;
    const label = await labels.create(principal(req), input);
    const ctx = renderContext(req, prefix, q);
    const products = q.include.has('products') ? new Map([[label.id, []]]) : null;
    reply.code(201).header('location', `${ctx.base}/labels/${label.id}`);
    return map.single(ctx, map.labelResource(label, ctx, products?.get(label.id) ?? null), `/labels/${label.id}`, map.included([label], products, ctx));
  });

  app.get('/labels/:id', { schema: { response: { 200: s.labelDoc, ...s.errors } } }, async (req) => {
    const id = labelId(req);
    const q = parseQuery(req, LABEL_ONE);
    const { label, products } = await labels.get(principal(req), id, q.include.has('products'));
    const ctx = renderContext(req, prefix, q);
    const byLabel = products && new Map([[id, products]]);
    return map.single(ctx, map.labelResource(label, ctx, products), `/labels/${id}`, map.included([label], byLabel, ctx));
  });

  app.patch('/labels/:id', { schema: { response: { 200: s.labelDoc, ...s.errors } } }, async (req) => {
    const id = labelId(req);
    const q = parseQuery(req, LABEL_ONE);
    const changes = labelChanges(readJsonObject(req), String(id));
    req.limboRefs = COMPANY_REF;
    const { label, products } = await labels.update(principal(req), id, changes, q.include.has('products'));
    const ctx = renderContext(req, prefix, q);
    const byLabel = products && new Map([[id, products]]);
    return map.single(ctx, map.labelResource(label, ctx, products), `/labels/${id}`, map.included([label], byLabel, ctx));
  });

  app.delete('/labels/:id', { schema: { response: { 204: s.noContent, ...s.errors } } }, async (req, reply) => {
    const id = labelId(req);
    parseQuery(req, NONE);
    await labels.remove(principal(req), id);
    return reply.code(204).send(null);
  });
}
