// Livestorm Nexus routes: each handler decodes, calls the core once, encodes.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Core } from '../../core/index.js';
import * as map from './mapper.js';
import * as s from './schemas.js';
import { itemSerializer, jsonList, sendStreamed } from '../../http/streamed.js';

const err = { 400: s.errorBody, 401: s.errorBody, 403: s.errorBody, 404: s.errorBody, 409: s.errorBody };
const NAME_SCOPE = { nameScope: 'workspace' } as const;
/** Routes with a body also answer 413 (too large) and 415 (not JSON). */
const bodyErr = { ...err, 413: s.errorBody, 415: s.errorBody };
/** OpenAPI metadata of a route (not used at run time). */
const doc = (operationId: string, tag: 'labels' | 'library', summary: string, description?: string) => ({
  operationId,
  tags: [tag],
  summary,
  ...(description !== undefined && { description }),
});

const JSON_TYPE = 'application/json; charset=utf-8';
const listItem = itemSerializer<ReturnType<typeof map.labelListItem>>(s.labelListItem);

const itemRef = (externalId: string) => ({ type: map.ITEM_TYPE, externalId });

export function livestormRoutes(root: FastifyInstance, core: Core): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { labels, resources } = core;

  app.get('/:id/labels', { config: { heavy: true }, schema: { ...doc('listLabels', 'labels', 'List the workspace\'s labels'), params: s.workspaceParams, response: { 200: s.listLabelsResponse, ...err } } }, async (req, reply) => {
    // Written page by page (src/http/streamed.ts): the same bytes as the schema's serializer, never the whole list in memory.
    const body = jsonList('{"labels":[', labels.listingPages(req.actor!), (l) => listItem(map.labelListItem(l)), () => ']}');
    return sendStreamed(reply, JSON_TYPE, body);
  });

  app.post('/:id/labels', { schema: { ...doc('createLabel', 'labels', 'Create a label', 'Names are unique in the workspace (409); color defaults to #6366f1. Owners and admins only.'), params: s.workspaceParams, body: s.createLabelBody, response: { 201: s.oneLabelResponse, ...bodyErr } } }, async (req, reply) => {
    const label = await labels.create(req.actor!, { name: req.body.name, ...(req.body.color !== undefined && { color: req.body.color }) }, NAME_SCOPE);
    return reply.code(201).send({ label: map.labelOut(label) });
  });

  app.patch('/:id/labels/:labelId', { schema: { ...doc('updateLabel', 'labels', 'Rename or recolor a label'), params: s.labelParams, body: s.updateLabelBody, response: { 200: s.oneLabelResponse, ...bodyErr } } }, async (req) => ({
    label: map.labelOut(await labels.update(req.actor!, req.params.labelId, req.body, NAME_SCOPE)),
  }));

  app.delete('/:id/labels/:labelId', { schema: { ...doc('deleteLabel', 'labels', 'Delete a label', 'Its sub-labels (made through other dialects) and every assignment go with it.'), params: s.labelParams, response: { 200: s.okBody, ...err } } }, async (req) => {
    await labels.remove(req.actor!, [req.params.labelId]);
    return { ok: true as const };
  });

  app.get('/:id/library', { schema: { ...doc('listLibrary', 'library', 'List media-library items', 'Filter by `label` id and `search` (name); sort by date, name or size.'), params: s.workspaceParams, querystring: s.libraryQuery, response: { 200: s.libraryResponse, ...err } } }, async (req) => {
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

  app.get('/:id/library/:itemId', { schema: { ...doc('getLibraryItem', 'library', 'Get a library item with its labels'), params: s.itemParams, response: { 200: s.itemResponse, ...err } } }, async (req) => ({
    item: map.item(await resources.get(req.actor!, itemRef(req.params.itemId))),
  }));

  app.post('/:id/library/:itemId/labels', { schema: { ...doc('assignLabels', 'library', 'Assign labels to an item', 'Exactly one of `label_id` or `label_ids`. Answers every label the item now carries. Owners, admins and members.'), params: s.itemParams, body: s.assignBody, response: { 200: s.itemLabelsResponse, ...bodyErr } } }, async (req) => {
    const ids = req.body.label_ids ?? [req.body.label_id!];
    return { labels: (await resources.assign(req.actor!, itemRef(req.params.itemId), ids)).map(map.labelSummary) };
  });

  app.delete('/:id/library/:itemId/labels/:labelId', { schema: { ...doc('unassignLabel', 'library', 'Unassign a label from an item'), params: s.itemLabelParams, response: { 200: s.okBody, ...err } } }, async (req) => {
    await resources.unassign(req.actor!, itemRef(req.params.itemId), [req.params.labelId]);
    return { ok: true as const };
  });
}
