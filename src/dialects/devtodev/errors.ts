// Core error → devtodev wire error: HTTP status = status_code, body {"status_code":N,"errors":[{code,msg}]}
// with labelmux's code table (docs/dialects.md and docs/dialects/devtodev.md). Validation lists one error per bad field.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isCoreError, type CoreError } from '../../core/index.js';
import { errorHandler, retryAfter, send, withHeaders, type CoreErrorTable, type ErrorRenderer, type WireError } from '../../http/errors.js';
import { answerWrongMethod, jsonApiNotFound, JSONAPI_MEDIA_TYPE } from '../../http/jsonapi.js';
import { validationProblem } from '../../http/validation.js';
import { FILTER_FIELDS, FILTER_OPERATORS, MAX_PER_REQUEST } from './schemas.js';

/** The published code table (docs/dialects.md, OpenAPI description). Code 0 is labelmux's own, for 500s. */
export const ERROR_CODES = [
  { code: 1, status: 401, meaning: 'missing or invalid `user_token`' },
  { code: 2, status: 403, meaning: '`app_id` missing, unknown, or not accessible with this token' },
  { code: 3, status: 400, meaning: 'malformed JSON, body not an object, `Content-Type` not `application/json`, or body over the size limit' },
  { code: 4, status: 400, meaning: 'invalid field (msg names the field and the rule); status 404 for an unknown operation' },
  { code: 5, status: 404, meaning: 'label not found (msg names the id)' },
  { code: 6, status: 404, meaning: 'category not found' },
  { code: 7, status: 400, meaning: `more than ${MAX_PER_REQUEST} labels in one create request` },
  { code: 8, status: 429, meaning: 'daily limit of created labels for this token reached (UTC day, across all apps of a user-wide key)' },
  { code: 9, status: 429, meaning: 'daily limit of created labels for this app reached (UTC day)' },
  { code: 10, status: 403, meaning: "the token's role may not change labels" },
  { code: 11, status: 429, meaning: 'too many requests for this token (`LABELMUX_RATE_LIMIT`); retry after `Retry-After` seconds' },
  { code: 12, status: 503, meaning: 'storage temporarily unavailable (database unreachable or hung, disk full, database file not writable, too busy); retry after `Retry-After` seconds' },
  { code: 0, status: 500, meaning: 'internal error' },
] as const;

export interface DevtodevError {
  code: number;
  msg: string;
}

export const wire = (status: number, ...errors: DevtodevError[]): WireError => ({ status, body: { status_code: status, errors } });
const invalidField = (msg: string) => wire(400, { code: 4, msg });
const TOO_MANY = `at most ${MAX_PER_REQUEST} labels may be created in one request`;

export const devtodevCoreErrors = {
  UNAUTHENTICATED: (e) => wire(401, { code: 1, msg: e.details.rule === 'required' ? 'user_token is required' : 'user_token is invalid' }),
  FORBIDDEN: (e) => wire(403, { code: 10, msg: `the token's role may not change labels (${e.message})` }),
  NOT_FOUND: (e) => {
    if (e.details.entity === 'workspace') {
      return wire(403, { code: 2, msg: e.details.field === 'app_id' ? e.message : `app_id ${e.details.id} is unknown or not accessible with this token` });
    }
    if (e.details.entity === 'category') return wire(404, { code: 6, msg: e.message });
    return wire(404, { code: 5, msg: `label ${e.details.id ?? ''} not found` });
  },
  // The core names fields generically; the messages name them as the vendor's clients send them.
  VALIDATION: (e) => invalidField(e.message.replace(/\bends_at\b/g, 'end_date').replace(/\bstarts_at\b/g, 'start_date').replace(/\bmove_to\b/g, 'move_labels_to_category')),
  NAME_TAKEN: (e) => invalidField(e.message),
  CYCLE: (e) => invalidField(e.message),
  CONFLICT: (e) => invalidField(e.message),
  LIMIT_EXCEEDED: (e: CoreError) => {
    if (e.details.rule === 'token') return wire(429, { code: 8, msg: e.message });
    if (e.details.rule === 'app') return wire(429, { code: 9, msg: e.message });
    if (e.details.rule === 'rate') return withHeaders(wire(429, { code: 11, msg: e.message }), retryAfter(e));
    return wire(400, { code: 7, msg: TOO_MANY });
  },
  UNAVAILABLE: (e) => withHeaders(wire(503, { code: 12, msg: e.message }), retryAfter(e)),
} satisfies CoreErrorTable;

const TRANSPORT: Record<number, string> = { 413: 'request body is too large', 415: 'Content-Type must be application/json' };

export const devtodevErrors: ErrorRenderer = {
  core: devtodevCoreErrors,
  validation: (p) => invalidField(p.message),
  // 415 and 413 are not in the vendor's table: like malformed JSON they are code 3, status 400.
  plain: (status, message) => (status >= 500 ? wire(500, { code: 0, msg: 'internal error' }) : wire(400, { code: 3, msg: TRANSPORT[status] ?? message })),
};

interface Issue {
  keyword?: string;
  instancePath?: string;
  params?: { keys?: string[] };
}

/** Names an unknown key the way the vendor's rules do: a filter field, a filter operator, or a field. */
function unknownKey(parent: string, key: string): string {
  const path = parent === '' ? key : `${parent}.${key}`;
  if (parent === 'filter') return `${path} is not a filterable field (${FILTER_FIELDS.join(', ')})`;
  if (/^filter\.[^.]+$/.test(parent)) return `${path} is not a filter operator (${FILTER_OPERATORS.join(', ')})`;
  return `unknown field ${path}`;
}

/** Every validation issue as one wire error per field, in order; too many labels is code 7. */
export function validationErrors(error: FastifyError): DevtodevError[] {
  const out = new Map<string, DevtodevError>();
  for (const issue of error.validation as Issue[]) {
    const p = validationProblem({ validation: [issue], validationContext: error.validationContext } as unknown as FastifyError);
    if (!p) continue;
    if (issue.keyword === 'unrecognized_keys') {
      for (const key of issue.params?.keys ?? []) out.set(`${p.field}.${key}`, { code: 4, msg: unknownKey(p.field, key) });
    } else if (p.field === 'labels' && issue.keyword === 'too_big') {
      out.set(p.field, { code: 7, msg: TOO_MANY });
    } else if (!out.has(p.field)) {
      out.set(p.field, { code: 4, msg: p.field === '' || p.message.startsWith(p.field) ? p.message : `${p.field} ${p.message}` });
    }
  }
  return [...out.values()];
}

/** An unknown route under the mount that is not a POST: limbo's territory (JSON:API shares /api/v1/labels). */
export const isJsonApiNotFound = (req: FastifyRequest) => req.is404 && req.method !== 'POST';

/**
 * Unknown routes under the mount: a limbo path with a method limbo does not answer there is its 405 (the mount
 * is limbo's `/labels`, e.g. `POST /labels/123`); other POSTs answer in devtodev's shape, anything else as
 * JSON:API's 404 document.
 */
export function notFound(req: FastifyRequest, reply: FastifyReply, prefix: string) {
  const rest = (req.url.split('?')[0] ?? '').slice(prefix.length);
  if (answerWrongMethod(req, reply, `/labels${rest}`)) return reply;
  if (isJsonApiNotFound(req)) return reply.code(404).header('content-type', JSONAPI_MEDIA_TYPE).send(jsonApiNotFound);
  return send(reply, wire(404, { code: 4, msg: `unknown operation ${rest || '/'}` }));
}

/** The plugin's error handler: all validation issues at once, 404 routes as 404 whatever their body. */
export function devtodevErrorHandler(prefix: string) {
  const base = errorHandler(devtodevErrors);
  return (error: FastifyError | CoreError, req: FastifyRequest, reply: FastifyReply) => {
    if (req.is404) return notFound(req, reply, prefix);
    if (!isCoreError(error) && Array.isArray(error.validation) && error.validation.length > 0) {
      const errors = validationErrors(error);
      if (errors.length > 0) return send(reply, wire(400, ...errors));
    }
    return base(error, req, reply);
  };
}
