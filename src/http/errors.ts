// One error handler shape for every front end: core errors through the dialect's exhaustive table,
// validation and transport errors through the dialect's renderer, anything else a logged, hidden 500.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type CoreError, type CoreErrorCode, isCoreError } from '../core/index.js';
import { transportProblem, validationProblem, type ValidationProblem } from './validation.js';

export interface WireError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type CoreErrorTable = Record<CoreErrorCode, (e: CoreError, req: FastifyRequest) => WireError>;

export interface ErrorRenderer {
  core: CoreErrorTable;
  validation(p: ValidationProblem, req: FastifyRequest): WireError;
  /** Transport-level client errors (bad JSON, size, content type) and 5xx (status 500, generic message). */
  plain(status: number, message: string, req: FastifyRequest): WireError;
}

/** `Retry-After` for a LIMIT_EXCEEDED or UNAVAILABLE that says when a retry can succeed (rate limit, login throttle, storage outage). */
export const retryAfter = (e: CoreError): Record<string, string> | undefined =>
  e.details.retryAfterSeconds === undefined ? undefined : { 'retry-after': String(e.details.retryAfterSeconds) };

export const send = (reply: FastifyReply, w: WireError) => {
  if (w.headers) reply.headers(w.headers);
  return reply.code(w.status).send(w.body);
};

export function errorHandler(r: ErrorRenderer) {
  return (error: FastifyError | CoreError, req: FastifyRequest, reply: FastifyReply) => {
    if (isCoreError(error)) return send(reply, r.core[error.code](error, req));
    const v = validationProblem(error);
    if (v) return send(reply, r.validation(v, req));
    const t = transportProblem(error);
    if (t) return send(reply, r.plain(t.status, t.message, req));
    req.log.error({ err: error, dialect: req.dialect }, 'unhandled error');
    return send(reply, r.plain(500, 'Internal server error', req));
  };
}

/** The plain mapping of core codes to HTTP statuses, for front ends without vendor texts (admin, root). */
export const CORE_STATUS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  NAME_TAKEN: 409,
  CYCLE: 400,
  CONFLICT: 409,
  LIMIT_EXCEEDED: 429,
  UNAVAILABLE: 503,
} as const satisfies Record<CoreErrorCode, number>;

/** A core error table that renders every code with its plain status and the core's message. */
export const plainCoreTable = (render: (status: number, message: string) => WireError): CoreErrorTable =>
  Object.fromEntries(
    Object.entries(CORE_STATUS).map(([code, status]) => [code, (e: CoreError) => withHeaders(render(status, e.message), retryAfter(e))]),
  ) as unknown as CoreErrorTable;

/** A wire error with extra headers (e.g. `retryAfter(e)`); the same error when there are none. */
export const withHeaders = (w: WireError, headers: Record<string, string> | undefined): WireError =>
  headers ? { ...w, headers: { ...w.headers, ...headers } } : w;
