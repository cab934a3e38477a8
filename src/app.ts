// Builds the Fastify app: compilers, request ids, metrics, operations routes, the admin API and one
// encapsulated plugin per enabled dialect from the registry.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { adminPlugin } from './admin/routes.js';
import type { Config } from './config.js';
import type { Core } from './core/index.js';
import { dialects } from './dialects/index.js';
import { errorHandler, plainCoreTable, type ErrorRenderer } from './http/errors.js';
import { serializerCompiler, validatorCompiler } from './http/compilers.js';
import { createMetrics } from './http/metrics.js';
import { documented, serveDocuments, type DocumentSource } from './http/openapi.js';
import { operationsRoutes } from './http/operations.js';
import './http/types.js';

export interface AppDeps {
  config: Readonly<Config>;
  core: Core;
  /** The admin token in force (configured or generated at start). */
  adminToken: string;
  logger?: FastifyServerOptions['logger'];
}

/** Outside any front end: {"error": message}; 5xx details never leave the server. */
const plain = (status: number, error: string) => ({ status, body: { error } });
const rootErrors: ErrorRenderer = {
  core: plainCoreTable(plain),
  validation: (p) => plain(400, p.message),
  plain,
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp({ config, core, adminToken, logger = false }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    // genReqId reads and checks the incoming X-Request-Id itself; with requestIdHeader set, Fastify would
    // take any value as it is.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Path parameters are validated by each front end (404 in its own shape), so the router accepts any
    // length a request line can carry instead of answering a bare 414.
    routerOptions: { maxParamLength: 16_384 },
    // Malformed URLs are refused before routing: still give them a request id and a plain JSON body.
    frameworkErrors: (error, req, reply) => {
      reply.header('x-request-id', req.id);
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      return (reply as FastifyReply).code(status).send({ error: 'Malformed request URL' });
    },
    return503OnClosing: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('dialect', 'none');
  app.decorateRequest('actor', null);

  // Once close starts, answer in-flight requests with `Connection: close` so keep-alive clients let go and
  // shutdown does not wait for idle sockets (Fastify closes idle connections only once, when close begins).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  const metrics = createMetrics();
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    metrics.observe(req.dialect, route, req.method, reply.statusCode, reply.elapsedTime / 1000);
    // One access line per request at debug level: per-request info logging costs ~30% throughput.
    req.log.debug({ dialect: req.dialect, workspace: req.actor?.workspaceId, route, method: req.method, status: reply.statusCode, ms: reply.elapsedTime }, 'request');
  });

  operationsRoutes(app, core, metrics, config.metricsToken);
  const documents = new Map<string, DocumentSource>();
  documents.set(
    'admin',
    await documented(app, { title: 'labelmux admin API', description: 'Provisioning and operations; bearer admin token; RFC 9457 problem documents.' }, async (scope) => {
      await scope.register(adminPlugin, { prefix: '/_admin', core, adminToken });
    }),
  );
  for (const d of dialects) {
    const cfg = config.dialects[d.name];
    if (!cfg.enabled) continue;
    const info = { title: `labelmux — ${d.title ?? d.name} dialect`, description: d.description ?? '' };
    const plugin = async (scope: FastifyInstance) => {
      await scope.register(d.plugin, { prefix: `${cfg.prefix}${d.mount}`, core, config });
    };
    documents.set(d.name, await documented(app, info, plugin));
  }
  await serveDocuments(app, documents);
  app.setErrorHandler(errorHandler(rootErrors));
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'Not found' }));
  return app;
}
