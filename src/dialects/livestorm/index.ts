// Livestorm Nexus workspace labels, mounted at /api/workspaces (docs/dialects.md and docs/dialects/livestorm.md).
import type { FastifyRequest } from 'fastify';
import type { Core } from '../../core/index.js';
import { notFound } from '../../core/index.js';
import { errorHandler, send } from '../../http/errors.js';
import { requestExamples } from '../../http/openapi.js';
import { type Dialect, parseId } from '../types.js';
import { livestormErrors } from './errors.js';
import { livestormRoutes } from './routes.js';
import * as s from './schemas.js';

/** `Authorization: Bearer lnx_<key>`; the bare key is accepted too. */
const bearerKey = (req: FastifyRequest): string | undefined => {
  const m = /^Bearer\s+(?:lnx_)?(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
};

/** Authentication comes first (401 whatever the path), then the path's workspace (404 if not the key's). */
const authenticate = (core: Core) => async (req: FastifyRequest) => {
  req.dialect = 'livestorm';
  const key = await core.auth.authenticate(bearerKey(req));
  const rawId = (req.params as { id?: string } | undefined)?.id;
  if (rawId === undefined) return; // unknown route: the 404 handler answers once the key is known good
  const wsId = parseId(rawId);
  if (wsId === null) throw notFound('workspace', rawId);
  const ws = { id: wsId };
  req.actor = core.auth.entered(key, ws, 'livestorm') ?? (await core.auth.enter(key, ws, 'livestorm'));
};

export const livestorm: Dialect = {
  name: 'livestorm',
  title: 'Livestorm Nexus workspace labels',
  description: 'Colored workspace labels assigned to media-library items. `Authorization: Bearer lnx_<key>`.',
  mount: '/api/workspaces',
  plugin: async (app, { core }) => {
    app.removeContentTypeParser('text/plain'); // JSON only, as the vendor
    app.setErrorHandler(errorHandler(livestormErrors));
    app.addHook('onRequest', authenticate(core));
    app.setNotFoundHandler((req, reply) => send(reply, { status: 404, body: { error: 'Not found' } }));
    livestormRoutes(app, core);
  },
  openapi: {
    registry: s.registry,
    servers: [{ url: '/api' }],
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: '`lnx_<key>` (the bare key is accepted too).' } },
    security: [{ bearer: [] }],
    tags: [
      { name: 'labels', description: 'Workspace labels' },
      { name: 'library', description: 'Media-library items and the labels assigned to them' },
    ],
    // Examples that work as they are on a fresh server: the demo workspace 1, the label createLabel makes
    // (1) and library item 42 (registered through the admin API's upsertResources example).
    finish: (doc) =>
      requestExamples(
        doc,
        { createLabel: { body: { name: 'Onboarding', color: '#22c55e' } }, updateLabel: { body: { name: 'Onboarding 2026' } }, assignLabels: { body: { label_id: 1 } } },
        { id: 1, labelId: 1, itemId: 42 },
      ),
  },
  exampleCurl: (base, demo) => `curl -H 'Authorization: Bearer lnx_${demo.key}' ${base}/api/workspaces/${demo.workspaceId}/labels`,
};
