// Livestorm Nexus routes: each handler decodes, calls the core once, encodes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../core/index.js';
import * as map from './mapper.js';
import * as s from './schemas.js';

const err = { 400: s.errorBody, 401: s.errorBody, 403: s.errorBody, 404: s.errorBody, 409: s.errorBody };
const NAME_SCOPE = { nameScope: 'workspace' } as const;

const itemRef = (externalId: string) => ({ type: map.ITEM_TYPE, externalId });

export function livestormRoutes(root: FastifyInstance, core: Core): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { labels, resources } = core;

  app.get('/:id/labels', { schema: { params: s.workspaceParams, response: { 200: s.listLabelsResponse, ...err } } }, async (req) => ({
    labels: (await labels.list(req.actor!)).map(map.labelListItem),
  }));

  app.post('/:id/labels', { schema: { params: s.workspaceParams, body: s.createLabelBody, response: { 201: s.oneLabelResponse, ...err } } }, async (req, reply) => {
    const label = await labels.create(req.actor!, { name: req.body.name, color: req.body.color ?? s.DEFAULT_COLOR }, NAME_SCOPE);
    return reply.code(201).send({ label: map.labelOut(label) });
  });

  app.patch('/:id/labels/:labelId', { schema: { params: s.labelParams, body: s.updateLabelBody, response: { 200: s.oneLabelResponse, ...err } } }, async (req) => ({
    label: map.labelOut(await labels.update(req.actor!, req.params.labelId, req.body, NAME_SCOPE)),
  }));

  app.delete('/:id/labels/:labelId', { schema: { params: s.labelParams, response: { 200: s.okBody, ...err } } }, async (req) => {
    await labels.remove(req.actor!, [req.params.labelId]);
    return { ok: true as const };
  });

  app.get('/:id/library', { schema: { params: s.workspaceParams, querystring: s.libraryQuery, response: { 200: s.libraryResponse, ...err } } }, async (req) => {
    const q = req.query;
    const page = await resources.list(req.actor!, {
      type: map.ITEM_TYPE,
      ...(q.label !== undefined && { labelId: q.label }),
      ...(q.search !== undefined && { search: q.search }),
      sort: map.SORT[q.sort],
      direction: q.order,
      limit: q.limit,
      offset: q.offset,
    });
    return { items: page.items.map(map.item), total: page.total };
  });

  app.get('/:id/library/:itemId', { schema: { params: s.itemParams, response: { 200: s.itemResponse, ...err } } }, async (req) => ({
    item: map.item(await resources.get(req.actor!, itemRef(req.params.itemId))),
  }));

  app.post('/:id/library/:itemId/labels', { schema: { params: s.itemParams, body: s.assignBody, response: { 200: s.itemLabelsResponse, ...err } } }, async (req) => {
    const ids = req.body.label_ids ?? [req.body.label_id!];
    return { labels: (await resources.assign(req.actor!, itemRef(req.params.itemId), ids)).map(map.labelSummary) };
  });

  app.delete('/:id/library/:itemId/labels/:labelId', { schema: { params: s.itemLabelParams, response: { 200: s.okBody, ...err } } }, async (req) => {
    await resources.unassign(req.actor!, itemRef(req.params.itemId), [req.params.labelId]);
    return { ok: true as const };
  });
}
