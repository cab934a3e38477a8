// JSON:API bits shared by front ends that answer under the limbo mount (/api/v1): devtodev's operations
// live at /api/v1/labels/<op>, so unknown routes there reach devtodev's 404 handler, not limbo's.
import type { FastifyReply, FastifyRequest } from 'fastify';

export const JSONAPI_MEDIA_TYPE = 'application/vnd.api+json';

/** laravel-json-api's 404 document. */
export const jsonApiNotFound = { jsonapi: { version: '1.0' }, errors: [{ status: '404', title: 'Not Found' }] } as const;

/**
 * limbo's routes, relative to its mount, with the methods each answers in Laravel's verb order (HEAD comes
 * with GET). Laravel matches the path first, then the method, so a known path with another method is 405.
 * Label and company ids are numbers (as Laravel's route patterns require, so `POST /labels/foo` stays
 * devtodev's unknown operation); a product id is any segment. test/limbo-methods.test.ts checks this table
 * against the routes limbo registers.
 */
export const JSONAPI_ROUTES: readonly { path: string; methods: readonly string[] }[] = [
  { path: '/labels', methods: ['GET', 'HEAD', 'POST'] },
  { path: '/labels/:id', methods: ['GET', 'HEAD', 'PATCH', 'DELETE'] },
  { path: '/labels/:id/company', methods: ['GET', 'HEAD'] },
  { path: '/labels/:id/relationships/company', methods: ['GET', 'HEAD', 'PATCH'] },
  { path: '/labels/:id/products', methods: ['GET', 'HEAD'] },
  { path: '/labels/:id/relationships/products', methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'] },
  { path: '/companies', methods: ['GET', 'HEAD'] },
  { path: '/companies/:id', methods: ['GET', 'HEAD'] },
  { path: '/products', methods: ['GET', 'HEAD'] },
  { path: '/products/:id', methods: ['GET', 'HEAD'] },
];

const MATCHERS = JSONAPI_ROUTES.map((r) => ({
  pattern: new RegExp(`^${r.path.replace(':id', r.path.startsWith('/products/') ? '[^/]+' : '[1-9][0-9]*')}$`),
  methods: r.methods,
}));

/**
 * A request for one of limbo's paths (`path`, relative to limbo's mount) with a method it does not answer
 * there, answered as Laravel does: 405 with `Allow` and the JSON:API error document (detail in Laravel's
 * words), or, for OPTIONS, 200 with `Allow` and no body. False (nothing sent) for any other request.
 */
export function answerWrongMethod(req: FastifyRequest, reply: FastifyReply, path: string): boolean {
  const allowed = MATCHERS.find((m) => m.pattern.test(path))?.methods;
  if (!allowed || allowed.includes(req.method)) return false;
  if (req.method === 'OPTIONS') {
    void reply.code(200).header('allow', allowed.join(',')).send();
    return true;
  }
  const route = (req.url.split('?')[0] ?? '').replace(/^\/+|\/+$/g, '');
  const detail = `The ${req.method} method is not supported for route ${route}. Supported methods: ${allowed.join(', ')}.`;
  const doc = { jsonapi: { version: '1.0' }, errors: [{ detail, status: '405', title: 'Method Not Allowed' }] };
  // A Buffer keeps the media type exactly as set: Fastify appends a charset to string and object payloads.
  void reply.code(405).header('allow', allowed.join(', ')).header('content-type', JSONAPI_MEDIA_TYPE).send(Buffer.from(JSON.stringify(doc)));
  return true;
}
