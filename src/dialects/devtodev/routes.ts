// devtodev Labels API routes (all POST, credentials in the body): decode, call the core once, encode.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { CreationLimits } from '../../core/annotations.js';
import type { Core } from '../../core/index.js';
import type { Actor } from '../../core/types.js';
import * as map from './mapper.js';
import * as s from './schemas.js';

const responses = <T extends z.ZodType>(ok: T) => ({ 200: ok, 400: s.errorBody, 401: s.errorBody, 403: s.errorBody, 404: s.errorBody, 429: s.errorBody });
const ok = <T>(data: T) => ({ status_code: 200 as const, data });
const actor = (req: FastifyRequest): Actor => req.actor!;

export function devtodevRoutes(root: FastifyInstance, core: Core, limits: CreationLimits): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { annotations, labels } = core;

  app.post('/categories/get', { schema: { summary: 'List categories', body: s.credentialsBody, response: responses(s.categoriesResponse) } }, async (req) =>
    ok({ status: 'complete' as const, categories: await annotations.categories(actor(req)) }));

  app.post('/categories/delete', { schema: { summary: 'Delete or rename a category', body: s.deleteCategoryBody, response: responses(s.categoryDeletedResponse) } }, async (req) => {
    await annotations.deleteCategory(actor(req), req.body.category, req.body.move_labels_to_category ?? undefined);
    return ok({ status: 'deleted' as const, category: req.body.category });
  });

  app.post('/get', { schema: { summary: 'List labels', body: s.getBody, response: responses(s.labelsResponse) } }, async (req) =>
    ok({ status: 'complete' as const, labels: (await annotations.list(actor(req), map.conditions(req.body.filter))).map(map.label) }));

  app.post('/create', { schema: { summary: 'Create labels', body: s.createBody, response: responses(s.createdResponse) } }, async (req) =>
    ok({ status: 'created' as const, labels: (await annotations.create(actor(req), req.body.labels.map(map.input), limits)).map(map.label) }));

  app.post('/edit', { schema: { summary: 'Edit a label', body: s.editBody, response: responses(s.editedResponse) } }, async (req) =>
    ok({ status: 'edited' as const, label: map.label(await annotations.edit(actor(req), req.body.label.id, map.edit(req.body.label))) }));

  app.post('/delete', { schema: { summary: 'Delete labels', body: s.deleteBody, response: responses(s.deletedResponse) } }, async (req) => {
    const ids = [...new Set(req.body.ids)];
    await labels.remove(actor(req), ids, { timedOnly: true });
    return ok({ status: 'deleted' as const, ids });
  });
}
