// The /api/v1 plugin: JSON:API negotiation, bearer authentication (access token or API key), the
// dialect's error and 404 documents, and the label, relationship and catalog routes.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fastJson from 'fast-json-stringify';
import { toJsonSchema } from '../../http/compilers.js';
import { send } from '../../http/errors.js';
import { answerWrongMethod, JSONAPI_MEDIA_TYPE, jsonApiNotFound } from '../../http/jsonapi.js';
import type { DialectOptions } from '../types.js';
import { limboErrorHandler } from './errors.js';
import { assertAcceptable, assertMediaType } from './negotiation.js';
import { catalogRoutes } from './routes-catalog.js';
import { labelRoutes } from './routes-labels.js';
import { relationshipRoutes } from './routes-relationships.js';

/** Drops `required` lists (a `properties` member named "required" stays): see documentSerializer. */
const withoutRequired = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => k !== 'required')
      .map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as object).map(([p, d]) => [p, withoutRequired(d)])) : withoutRequired(v)]),
  );
};

/**
 * Resource documents (labels, companies, products) are written as JSON text by mapper.ts and sent as they are;
 * the others (errors, a label's company linkage) are serialized from their response schemas here.
 * fast-json-stringify writes required members before optional ones; JSON:API documents need the schema's
 * order (data, included, meta, jsonapi, links; error members alphabetical), so members are all optional to
 * it. The schemas still whitelist what leaves; the mapper decides what is present.
 */
const serializers = new WeakMap<object, (doc: unknown) => string>();
/** Compiled once per schema object (routes share them), not once per route and status. */
export const documentSerializer = ({ schema }: { schema: unknown }) => {
  let fn = serializers.get(schema as object);
  if (!fn) {
    fn = fastJson(withoutRequired(toJsonSchema(schema as Parameters<typeof toJsonSchema>[0])) as Parameters<typeof fastJson>[0]);
    serializers.set(schema as object, fn);
  }
  return fn;
};

const bearer = (req: FastifyRequest): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];

export const apiPlugin: FastifyPluginAsync<DialectOptions> = async (app, { core, config }) => {
  const prefix = app.prefix;
  app.decorate('limboPublicUrl', config.publicUrl?.replace(/\/+$/, '') ?? null);
  app.decorateRequest('limboPrincipal', null);
  app.decorateRequest('limboRefs', null);
  // Bodies are read as text whatever their type: the media type is judged (415) after authentication.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.setErrorHandler(limboErrorHandler);
  app.setSerializerCompiler(documentSerializer);

  // 401 first, then 406 (laravel's auth middleware runs before JSON:API negotiation). Unknown routes 404 (or 405).
  // A callback hook on the authentication's own promise: an async hook adds a promise and a turn per request.
  app.addHook('onRequest', (req, _reply, done) => {
    req.dialect = 'limbo';
    if (req.is404) return done();
    core.principals.authenticate(bearer(req), 'limbo').then((p) => {
      req.limboPrincipal = p;
      try {
        assertAcceptable(req);
      } catch (e) {
        return done(e as Error);
      }
      done();
    }, done);
  });
  // Synchronous hooks (a thrown error reaches the error handler as from an async one), without a promise each.
  app.addHook('preHandler', (req, _reply, done) => {
    assertMediaType(req);
    done();
  });
  // JSON:API forbids media type parameters: set the type after serialization so no charset is appended (a
  // document a handler returns as text would otherwise go as text/plain).
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (typeof payload === 'string' && payload !== '') reply.header('content-type', JSONAPI_MEDIA_TYPE);
    done(null, payload);
  });
  // A known path with another method is 405 (before authentication, as Laravel matches routes first).
  app.setNotFoundHandler((req, reply) => {
    if (answerWrongMethod(req, reply, (req.url.split('?')[0] ?? '').slice(prefix.length))) return reply;
    return send(reply, { status: 404, body: jsonApiNotFound });
  });

  labelRoutes(app, core, prefix);
  relationshipRoutes(app, core, prefix);
  catalogRoutes(app, core, prefix);
};
