// Builds the Fastify app: compilers, request ids, metrics, operations routes, the admin API and one
// encapsulated plugin per enabled dialect from the registry.
import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, type onResponseHookHandler } from 'fastify';
import { adminDocument, adminPlugin } from './admin/routes.js';
import { consoleAdminPlugin } from './admin/console-routes.js';
import { infoAdminPlugin } from './admin/info-routes.js';
import { BUILD_INFO } from './build-info.js';
import { accessLog } from './http/access-log.js';
import type { Config } from './config.js';
import type { Core } from './core/index.js';
import { AddressThrottle } from './http/address-throttle.js';
import { heavyReads } from './http/heavy.js';
import { ResetHooks, type ResetHook } from './http/reset-hooks.js';
import { dialects } from './dialects/index.js';
import { errorHandler, plainCoreTable, type ErrorRenderer } from './http/errors.js';
import { serializerCompiler, validatorCompiler } from './http/compilers.js';
import { serveConsole } from './http/console.js';
import { createMetrics } from './http/metrics.js';
import { requestLogger } from './http/request-logger.js';
import { documented, serveDocuments, type DocumentSource } from './http/openapi.js';
import { operationsRoutes } from './http/operations.js';
import { registerRateLimit } from './http/rate-limit.js';
import { leaveUnreadBody } from './http/unread-body.js';
import type { RouteEntry } from './http/types.js';
import { instrument, journalSent, registerSandbox, sandboxAdminPlugin, type Sandbox } from './sandbox/index.js';

export interface AppDeps {
  config: Readonly<Config>;
  core: Core;
  /** The admin token in force (configured or generated at start). */
  adminToken: string;
  logger?: FastifyServerOptions['logger'];
  /**
   * Run by POST /_admin/reset once the database is back to its fixtures, after the app's own (heavy reads,
   * throttles, the sandbox's journal, faults and clock): whatever else must forget the state a reset replaces.
   */
  onReset?: ResetHook[];
  /** Journal, faults and clock (src/sandbox); made here when not given (its clock then cannot be moved). */
  sandbox?: Sandbox;
}

/** Outside any front end: {"error": message}; 5xx details never leave the server. */
const plain = (status: number, error: string) => ({ status, body: { error } });
const rootErrors: ErrorRenderer = {
  core: plainCoreTable(plain),
  validation: (p) => plain(400, p.message),
  plain,
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** On every answer: the labelmux version that sent it. */
export const VERSION_HEADER = 'x-labelmux-version';

/**
 * A path segment whose percent-escapes do not decode (`%E0%A4%A`, a lone `%`) is taken literally (`%` →
 * `%25`), so the request reaches its front end, which answers in its own shape (an unknown id, an unknown
 * route), instead of a generic 400 raised before routing. Query strings are parsed leniently already.
 */
export function literalBadEscapes(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (!path.includes('%')) return url;
  const literal = (segment: string) => {
    try {
      decodeURIComponent(segment);
      return segment;
    } catch {
      return segment.replaceAll('%', '%25');
    }
  };
  return path.split('/').map(literal).join('/') + (q < 0 ? '' : url.slice(q));
}

/**
 * Runs of `/` in the path become one, as Tomcat (Razuna's servlet container) and most front web servers do:
 * a PHP import script calling `http://host/razuna//global/api2/label.cfc?` must reach label.cfc, not a
 * generic 404. The query string is left alone; an escaped slash (`%2F`) is not a slash here.
 */
export function mergeSlashes(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path[0] !== '/' || !path.includes('//')) return url;
  return path.replace(/\/{2,}/g, '/') + (q < 0 ? '' : url.slice(q));
}

export async function buildApp({ config, core, adminToken, logger = false, onReset = [], sandbox: givenSandbox }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLogger,
    bodyLimit: config.bodyLimit,
    // Behind a proxy on another machine every client would share its address (per-address throttling).
    trustProxy: config.trustProxy as NonNullable<FastifyServerOptions['trustProxy']>,
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
    rewriteUrl: (req) => literalBadEscapes(mergeSlashes(req.url ?? '/')),
    // Malformed URLs are refused before routing: still give them a request id and a plain JSON body.
    frameworkErrors: (error, req, reply) => {
      reply.header('x-request-id', req.id).header(VERSION_HEADER, BUILD_INFO.version);
      const status = error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 400;
      return (reply as FastifyReply).code(status).send({ error: 'Malformed request URL' });
    },
    return503OnClosing: true,
    // A client gets `requestTimeout` ms to send a whole request (headers and body); then Node answers 408 and
    // closes the socket, so slow-loris bodies cannot hold connections. Node checks every
    // connectionsCheckingInterval (30 s by default), here a tenth of the timeout.
    requestTimeout: config.requestTimeout,
    http: {
      requestTimeout: config.requestTimeout,
      headersTimeout: Math.min(60_000, config.requestTimeout),
      connectionsCheckingInterval: Math.max(100, Math.min(5000, Math.round(config.requestTimeout / 10))),
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('dialect', 'none');
  app.decorateRequest('actor', null);
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  /** Records the routes a front end registers (tests enumerate them, so a new route is covered automatically). */
  const recordRoutes = (scope: FastifyInstance, frontEnd: string) =>
    scope.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) routeTable.push({ frontEnd, method, url: r.url });
    });
  const sandbox = await registerSandbox(app, config.sandbox, core.now, givenSandbox);
  // Before any route: the limiter installs itself on each route registered after it (off unless configured).
  // A controlled clock counts windows in the store, on the core's clock, like instances sharing a database.
  if (config.rateLimit) await registerRateLimit(app, config.rateLimit, core.sharedStore || sandbox.clock.controlled ? core.rate : undefined);

  // Once close starts, answer in-flight requests with `Connection: close` so keep-alive clients let go and
  // shutdown does not wait for idle sockets (Fastify closes idle connections only once, when close begins).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  const heavy = heavyReads(app);
  // Every request passes one onSend hook and one onResponse hook (below) of the app's: one synchronous hook
  // each, which costs less than several (or async ones). Here: `Connection: close` once closing, the heavy-read
  // slot released and the answer weighed (http/heavy.ts), a body left unread drained or its connection closed
  // (http/unread-body.ts); on response, the journal's entry takes the media type the client got.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    heavy.sent(req, reply, payload);
    leaveUnreadBody(req, reply);
    done(null, payload);
  });
  // The app's own hooks run first: they are added below, the given ones when the routes are ready.
  const resetHooks = new ResetHooks();
  app.decorate('resetHooks', resetHooks);
  resetHooks.add(heavy.forget);
  resetHooks.add(() => sandbox.reset());
  // One count of wrong admin tokens per address for every admin route (http/address-throttle.ts).
  const adminThrottle = new AddressThrottle('admin token checks');
  resetHooks.add(() => adminThrottle.clear());
  // In-flight requests are done by onClose: write the quota calls counted in memory before the store closes.
  app.addHook('onClose', () => core.quota.flush());

  const metrics = createMetrics();
  // Every answer says which labelmux sent it (X-Labelmux-Version), as well as its request id.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id).header(VERSION_HEADER, BUILD_INFO.version);
    done();
  });
  // LABELMUX_ACCESS_LOG: one line per request (or per Nth), without Fastify's costly request logging (http/access-log.ts).
  const access = accessLog(app.log, config.accessLogEvery);
  const answered = (req: FastifyRequest, reply: FastifyReply, route: string) => {
    metrics.observe(req.dialect, route, req.method, reply.statusCode, reply.elapsedTime / 1000);
    access(req, reply, route);
  };
  // Each route's own onResponse hook knows its template; `req.routeOptions` would build a new object on every
  // request (~4 µs of a point read). Requests no route matched are counted by the app's hook.
  app.addHook('onRoute', (r) => {
    const route = r.url;
    const hook: onResponseHookHandler = (req, reply, done) => {
      answered(req, reply, route);
      done();
    };
    r.onResponse = [...[r.onResponse ?? []].flat(), hook];
  });
  app.addHook('onResponse', (req, reply, done) => {
    heavy.finished(req);
    journalSent(req, reply);
    if (req.is404) answered(req, reply, 'unmatched');
    done();
  });

  operationsRoutes(app, core, metrics, config.metricsToken);
  const documents = new Map<string, DocumentSource>();
  // The rate limiter does not count admin requests (they carry no API key): no 429 in the admin document.
  documents.set(
    'admin',
    await documented(app, { ...adminDocument, at: { publicUrl: config.publicUrl }, limits: { rateLimited: 'Too Many Requests: this client address presented too many wrong admin tokens; it may try again after Retry-After seconds.' } }, async (scope) => {
      recordRoutes(scope, 'admin');
      await scope.register(adminPlugin, { prefix: '/_admin', core, adminToken, resetHooks, throttle: adminThrottle });
      await scope.register(sandboxAdminPlugin, { prefix: '/_admin', sandbox, adminToken, throttle: adminThrottle });
      await scope.register(consoleAdminPlugin, { prefix: '/_admin', core, adminToken, config, throttle: adminThrottle });
      await scope.register(infoAdminPlugin, { prefix: '/_admin', core, adminToken, config, throttle: adminThrottle });
    }),
  );
  for (const d of dialects) {
    const cfg = config.dialects[d.name];
    if (!cfg.enabled) continue;
    // The document's servers start at the public URL (when set) and the configured prefix.
    const info = { ...d.openapi, title: `labelmux — ${d.title ?? d.name} dialect`, description: d.description ?? '', at: { publicUrl: config.publicUrl, prefix: cfg.prefix } };
    const plugin = async (scope: FastifyInstance) => {
      recordRoutes(scope, d.name);
      instrument(sandbox, scope, d.name, cfg.prefix);
      await scope.register(d.plugin, { prefix: `${cfg.prefix}${d.mount}`, core, config });
    };
    documents.set(d.name, await documented(app, info, plugin));
  }
  for (const hook of onReset) resetHooks.add(hook);
  await serveDocuments(app, documents);
  await serveConsole(app, { enabled: config.console, documents: [...documents.keys()] });
  app.setErrorHandler(errorHandler(rootErrors));
  app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: 'Not found' }));
  return app;
}
