// Jotform Labels API, mounted at /API and /API/v1 (docs/dialects.md and docs/dialects/jotform.md).
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Core, KeyPrincipal } from '../../core/index.js';
import { errorHandler, send } from '../../http/errors.js';
import { registerFormBody } from '../../http/form-body.js';
import { type OpenApiDocument, operations, requestExamples } from '../../http/openapi.js';
import '../../http/timing.js';
import type { Dialect } from '../types.js';
import { jotformErrors, notAvailable } from './errors.js';
import { jotformRoutes } from './routes.js';
import * as s from './schemas.js';

/** `APIKEY` header or `apiKey` query parameter; the header wins. */
const presentedKey = (req: FastifyRequest): string | undefined => {
  const header = req.headers.apikey;
  if (typeof header === 'string' && header !== '') return header;
  const query = (req.query as Record<string, unknown> | undefined)?.apiKey;
  return typeof query === 'string' ? query : Array.isArray(query) ? String(query[0]) : undefined;
};

/** The counter scope of the vendor's daily call quota, per key. */
const QUOTA = 'jotform-calls';

/** Unknown routes are not counted, but show a good key's calls left (a missing or bad key: the full quota). */
const limitLeftOf404 = async (core: Core, dailyLimit: number, req: FastifyRequest) => {
  const key = await core.auth.authenticate(presentedKey(req)).catch(() => null);
  if (key) req.limitLeft = await core.quota.left(QUOTA, `key:${key.apiKeyId}`, dailyLimit);
};

const EARLIEST = { earliest: true } as const;

/**
 * Key → the user's workspace (Jotform requests cannot name one) → one unit of the key's daily quota.
 * Unknown routes skip this and answer 404 like the vendor. A callback hook that finishes at once when the key,
 * the workspace and the quota are known without a promise (auth.authenticateNow, auth.entered,
 * quota.consumeNow): the usual request. Otherwise the store's answers are awaited.
 */
const authenticate = (core: Core, dailyLimit: number) => {
  const later = async (req: FastifyRequest, known: KeyPrincipal | undefined) => {
    const key = known ?? (await core.auth.authenticate(presentedKey(req)));
    const actor = core.auth.entered(key, EARLIEST, 'jotform') ?? (await core.auth.enter(key, EARLIEST, 'jotform'));
    const subject = `key:${key.apiKeyId}`;
    req.limitLeft =
      core.quota.consumeNow(QUOTA, subject, dailyLimit) ??
      (await core.quota.consume(QUOTA, subject, dailyLimit).catch((e: unknown) => {
        req.limitLeft = 0;
        throw e;
      }));
    req.actor = actor;
  };
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    req.startedAt = performance.now();
    req.dialect = 'jotform';
    if (req.is404) return void limitLeftOf404(core, dailyLimit, req).then(() => done(), done);
    const key = core.auth.authenticateNow(presentedKey(req));
    const actor = key && core.auth.entered(key, EARLIEST, 'jotform');
    const left = actor ? core.quota.consumeNow(QUOTA, `key:${key.apiKeyId}`, dailyLimit) : null;
    if (left === null) return void later(req, key).then(() => done(), done);
    req.limitLeft = left;
    req.actor = actor!;
    done();
  };
};

/** Unknown routes under /API answer a 404 envelope: documented on every operation, after its own statuses. */
const notFoundResponses = (doc: OpenApiDocument) => {
  for (const op of operations(doc)) {
    const error = op.responses['401'];
    op.responses['404'] = { description: '`Requested URL (/<path>) is not available!` (an unknown route or method)', content: error.content };
  }
};

/** Request examples that work as they are on a fresh workspace: label 1 is the one createLabel makes. */
const FORM = { id: '232143945675058', type: 'form' };
const examples = (doc: OpenApiDocument) =>
  requestExamples(
    doc,
    {
      createLabel: { body: { name: 'Forms', color: '#22c55e' } },
      updateLabel: { body: { name: 'Web forms' } },
      addLabelResources: { body: { resources: [FORM] } },
      removeLabelResources: { body: { resources: [FORM] } },
    },
    { id: 1 },
  );

export const jotform: Dialect = {
  name: 'jotform',
  title: 'Jotform Labels API',
  description: 'Label tree over forms and other assets, served at /API and /API/v1 (the two servers). Key in the APIKEY header or the apiKey query parameter; every response is the Jotform envelope.',
  mount: '/API',
  plugin: async (app, { core, config }) => {
    const ctx = { prefix: app.prefix, dailyLimit: config.jotformDailyLimit };
    // Declared on every request of the scope from the start: members added later give request objects
    // several shapes (V8 hidden classes), which slows every access to them.
    app.decorateRequest('startedAt', undefined);
    app.decorateRequest('limitLeft', undefined);
    registerFormBody(app, { jsonText: true }); // the Python client's JSON text under the form Content-Type
    app.setErrorHandler(errorHandler(jotformErrors(ctx)));
    app.addHook('onRequest', authenticate(core, config.jotformDailyLimit));
    app.setNotFoundHandler((req, reply) => send(reply, jotformErrors(ctx).plain(404, notAvailable(req, ctx.prefix), req)));
    jotformRoutes(app, core);
    await app.register(async (v1) => jotformRoutes(v1, core, true), { prefix: '/v1' });
  },
  openapi: {
    registry: s.registry,
    securitySchemes: {
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'APIKEY', description: 'The API key (wins over the query parameter).' },
      apiKeyQuery: { type: 'apiKey', in: 'query', name: 'apiKey', description: 'The API key as a query parameter.' },
    },
    security: [{ apiKeyHeader: [] }, { apiKeyQuery: [] }],
    // Every operation is served under both; official Jotform clients call /API/v1.
    // Short descriptions: generators name servers after them (oazapfts: `servers.v1`).
    servers: [{ url: '/API', description: 'api' }, { url: '/API/v1', description: 'v1' }],
    tags: [{ name: 'labels', description: 'The label tree and its resources' }],
    finish: (doc) => {
      notFoundResponses(doc);
      examples(doc);
    },
  },
  exampleCurl: (base, demo) => `curl -H 'APIKEY: ${demo.key}' ${base}/API/user/labels`,
};
