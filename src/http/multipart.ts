// multipart/form-data bodies as form fields (text parts only), for the routes that can receive a body.
// @fastify/multipart adds two async hooks to every route of the scope it is registered in: a preValidation
// hook that reads the parts, and an onResponse hook that removes uploaded temporary files. A dialect's reads
// (GET, whose body Fastify never reads) would pay them too, about 5 µs a request. Here the plugin gets a scope
// of its own around the routes that take a body, and the other routes stay outside it.
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

/** How many text fields a body may carry, and how long each may be; a file part is refused (413). */
export interface FieldLimits {
  fields: number;
  fieldSize: number;
}

/**
 * Registers `routes` in a scope of their own in which multipart bodies are parsed into `req.body` as
 * `{ name: value }`. Scopes load in the order they are registered: a dialect that puts each group of its routes in
 * a scope (this one, or a plain `app.register`) keeps its routes, and its OpenAPI document, in source order.
 */
export function withMultipart(app: FastifyInstance, limits: FieldLimits, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    await scope.register(multipart, { attachFieldsToBody: 'keyValues', limits: { files: 0, ...limits } });
    routes(scope);
  });
}

/** Registers `routes` in a scope of their own without multipart parsing: keeps their place among `withMultipart` groups. */
export function inOrder(app: FastifyInstance, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => routes(scope));
}

/** Whether the request's body is being read as multipart (false outside a `withMultipart` scope). */
export const isMultipartRequest = (req: { isMultipart?: () => boolean }): boolean => typeof req.isMultipart === 'function' && req.isMultipart();
