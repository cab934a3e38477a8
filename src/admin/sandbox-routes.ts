// The admin API's sandbox routes (docs/fixtures.md): back to the fixtures, delete a workspace, and the fixture
// document's JSON Schema (public: editors fetch it without a token).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Core } from '../core/index.js';
import type { ResetHooks } from '../http/reset-hooks.js';
import { fixturesSchemaText } from './fixtures-schema.js';
import * as s from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** An admin route answered without the admin token (the fixtures' JSON Schema). */
    adminPublic?: boolean;
  }
}

const err = { 400: s.problem, 401: s.problem, 404: s.problem, 409: s.problem };
const TAGS = ['sandbox'];
const doc = (operationId: string, summary: string, description: string) => ({ operationId, tags: TAGS, summary, description });

export const resetSummary = z
  .object({ workspaces: z.int(), users: z.int(), members: z.int(), api_keys: z.int(), labels: z.int(), resources: z.int(), assignments: z.int() })
  .register(s.registry, { id: 'ResetSummary', description: 'The rows the reset wrote: the fixtures, by table (all 0 without fixtures).' });

export function sandboxRoutes(root: FastifyInstance, core: Core, hooks: ResetHooks): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const schemaText = fixturesSchemaText();

  app.post('/reset', {
    schema: {
      ...doc('reset', 'Reset to the fixtures', 'Puts the database back to the fixtures (LABELMUX_FIXTURES), or empty without any: every workspace, user, key, label, resource, event, daily counter and OAuth token is deleted, ids start again at 1, then the fixtures are written, in one transaction. Also forgets what this instance remembers about the old data (key lookups, counts, throttles, big-workspace marks, and the request journal, faults and clock where present). The admin token stays. Other instances sharing a PostgreSQL database keep their own in-memory state.'),
      response: { 200: z.object({ reset: resetSummary }), ...err },
    },
  }, async () => {
    const reset = await core.sandbox.reset();
    await hooks.run();
    return { reset };
  });

  app.delete('/workspaces/:id', {
    schema: {
      ...doc('deleteWorkspace', 'Delete a workspace', 'Deletes the workspace with everything in it: labels (timed ones and categories too), resources, assignments and product links, members, the keys scoped to it and their daily counters, events. Users stay, as do their user-wide keys. 404 for an unknown id.'),
      params: s.wsParams,
      response: { 204: z.null(), ...err },
    },
  }, async (req, reply) => {
    await core.sandbox.deleteWorkspace(req.params.id);
    return reply.code(204).send(null);
  });

  app.get('/fixtures.schema.json', {
    config: { adminPublic: true },
    schema: {
      ...doc('fixturesSchema', 'The fixture document\'s JSON Schema', 'JSON Schema (draft 2020-12) of the fixtures document, for editors (`"$schema"` in JSON, `# yaml-language-server: $schema=…` in YAML). Needs no token.'),
      security: [],
      response: { 200: z.record(z.string(), z.unknown()) },
    },
  }, // Sent as text (application/json, as documented): the serializer is for objects, and this one is built once.
  async (_req, reply) => reply.type('application/json; charset=utf-8').send(schemaText as unknown as Record<string, unknown>));
}
