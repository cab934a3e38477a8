// devtodev Labels API routes (all POST, credentials in the body): decode, call the core once, encode.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { CreationLimits } from '../../core/index.js';
import type { Core } from '../../core/index.js';
import type { Actor } from '../../core/index.js';
import * as map from './mapper.js';
import * as s from './schemas.js';

const responses = <T extends z.ZodType>(ok: T) => ({ 200: ok, 400: s.errorBody, 401: s.errorBody, 403: s.errorBody, 404: s.errorBody, 429: s.errorBody });
const ok = <T>(data: T) => ({ status_code: 200 as const, data });
/** OpenAPI metadata of a route (not used at run time). */
const doc = (operationId: string, tag: 'labels' | 'categories', summary: string, description: string) => ({ operationId, tags: [tag], summary, description });
const actor = (req: FastifyRequest): Actor => req.actor!;

export function devtodevRoutes(root: FastifyInstance, core: Core, limits: CreationLimits): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { timedLabels, labels } = core;

  app.post('/categories/get', { schema: { ...doc('getCategories', 'categories', 'List categories', 'Top-level labels without a time span that have at least one child, by name.'), body: s.credentialsBody, response: responses(s.categoriesResponse) } }, async (req) =>
    ok({ status: 'complete' as const, categories: await timedLabels.categories(actor(req)) }));

  app.post('/categories/delete', { schema: { ...doc('deleteCategory', 'categories', 'Delete or rename a category', 'Without move_labels_to_category: deletes the category and every label in it. With an existing target: moves its labels there, then deletes it. With a new target name: renames the category in place (same id). "" moves the labels to the top level.'), body: s.deleteCategoryBody, response: responses(s.categoryDeletedResponse) } }, async (req) => {
    const category = await timedLabels.deleteCategory(actor(req), req.body.category, req.body.move_labels_to_category ?? undefined);
    return ok({ status: 'deleted' as const, category });
  });

  app.post('/get', { schema: { ...doc('getLabels', 'labels', 'List labels', 'Every annotation of the app, or those matching `filter`: per field an object of operators (gt, lt, gte, lte, eq, neq; eq/neq take a value or a list), AND-ed; `{}` means present. Not paginated.'), body: s.getBody, response: responses(s.labelsResponse) } }, async (req) =>
    ok({ status: 'complete' as const, labels: (await timedLabels.list(actor(req), map.conditions(req.body.filter))).map(map.label) }));

  app.post('/create', { schema: { ...doc('createLabels', 'labels', 'Create labels', 'Up to 30 per request (code 7), under daily limits per token (code 8) and per app (code 9). A missing category is created.'), body: s.createBody, response: responses(s.createdResponse) } }, async (req) =>
    ok({ status: 'created' as const, labels: (await timedLabels.create(actor(req), req.body.labels.map(map.input), limits)).map(map.label) }));

  app.post('/edit', { schema: { ...doc('editLabel', 'labels', 'Edit a label', 'Fields not given (or null) keep their values; a new category moves the label.'), body: s.editBody, response: responses(s.editedResponse) } }, async (req) =>
    ok({ status: 'edited' as const, label: map.label(await timedLabels.edit(actor(req), req.body.label.id, map.edit(req.body.label))) }));

  app.post('/delete', { schema: { ...doc('deleteLabels', 'labels', 'Delete labels', 'Up to 1000 ids; duplicates collapse. Only annotations (labels with a time span) are deleted here.'), body: s.deleteBody, response: responses(s.deletedResponse) } }, async (req) => {
    const ids = [...new Set(req.body.ids)];
    await labels.remove(actor(req), ids, { timedOnly: true });
    return ok({ status: 'deleted' as const, ids });
  });
}
