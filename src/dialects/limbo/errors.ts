// JSON:API error documents as laravel-json-api writes them (members in alphabetical order, `status` a
// string), the dialect's own decode errors, and the exhaustive core error table.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { WORKSPACE_FIELD } from '../../core/index.js';
import type { CoreError } from '../../core/index.js';
import { errorHandler, retryAfter, send, withHeaders, type CoreErrorTable, type ErrorRenderer, type WireError } from '../../http/errors.js';
import { jsonApiNotFound } from '../../http/jsonapi.js';

export interface ErrorObject {
  code?: string;
  detail?: string;
  source?: { parameter?: string; pointer?: string };
  status: string;
  title: string;
}

/** Builds an error object with its members in alphabetical order (the order laravel-json-api writes). */
export function errorObject(status: number, title: string, detail?: string, source?: { parameter?: string; pointer?: string }, code?: string): ErrorObject {
  const out = {} as ErrorObject;
  if (code !== undefined) out.code = code;
  if (detail !== undefined) out.detail = detail;
  if (source) {
    const src: { parameter?: string; pointer?: string } = {};
    if (source.parameter !== undefined) src.parameter = source.parameter;
    if (source.pointer !== undefined) src.pointer = source.pointer;
    out.source = src;
  }
  out.status = String(status);
  out.title = title;
  return out;
}

/** One status for many errors: theirs when they agree, else the general 4xx/5xx (laravel-json-api's rule). */
const statusOf = (errors: ErrorObject[]): number => {
  const all = new Set(errors.map((e) => e.status));
  if (all.size === 1) return Number([...all][0]);
  return [...all].some((s) => s.startsWith('5')) ? 500 : 400;
};

/** A decode failure the dialect raises itself (negotiation, compliance, query, attribute validation). */
export class JsonApiError extends Error {
  readonly status: number;
  constructor(readonly errors: ErrorObject[]) {
    super(errors[0]?.detail ?? errors[0]?.title ?? 'JSON:API error');
    this.status = statusOf(errors);
  }
}

export const document = (errors: ErrorObject[]) => ({ jsonapi: { version: '1.0' as const }, errors });
const wire = (status: number, ...errors: ErrorObject[]): WireError => ({ status, body: document(errors) });

export const unprocessable = (detail: string, pointer: string) => errorObject(422, 'Unprocessable Entity', detail, { pointer });
export const relatedMissing = (pointer: string) => errorObject(404, 'Not Found', 'The related resource does not exist.', { pointer });

declare module 'fastify' {
  interface FastifyRequest {
    /** Where a request body names the company and its product ids, for errors that point into it. */
    limboRefs: { companyPointer?: string; productIds?: string[] } | null;
  }
}

const NAME_RULES: Record<string, string> = {
  required: 'The name field is required.',
  too_long: 'The name field must not be greater than 255 characters.',
  control_chars: 'The name field format is invalid.',
};

function validation(e: CoreError, req: FastifyRequest): WireError {
  const field = e.details.field ?? '';
  if (field === 'name') return wire(422, unprocessable(NAME_RULES[e.details.rule ?? ''] ?? e.message, '/data/attributes/name'));
  if (field === WORKSPACE_FIELD) {
    const detail = e.details.rule === 'has_children' ? 'The company field cannot change: the label has sub-labels in its company.' : e.message;
    return wire(422, unprocessable(detail, req.limboRefs?.companyPointer ?? '/data/relationships/company'));
  }
  return wire(422, unprocessable(e.message, field === '' ? '/data' : `/data/attributes/${field}`));
}

function notFound(e: CoreError, req: FastifyRequest): WireError {
  const refs = req.limboRefs;
  if (e.details.entity === 'workspace' && e.details.field === WORKSPACE_FIELD && refs?.companyPointer) return wire(404, relatedMissing(refs.companyPointer));
  if (e.details.entity === 'resource' && refs?.productIds) {
    const i = refs.productIds.indexOf(String(e.details.id));
    if (i >= 0) return wire(404, relatedMissing(`/data/${i}`));
  }
  return { status: 404, body: jsonApiNotFound };
}

export const limboCoreErrors = {
  UNAUTHENTICATED: () => wire(401, errorObject(401, 'Unauthorized', 'Unauthenticated.')),
  FORBIDDEN: () => wire(403, errorObject(403, 'Forbidden', 'This action is unauthorized.')),
  NOT_FOUND: notFound,
  VALIDATION: validation,
  NAME_TAKEN: (_e, req) =>
    req.limboRefs?.companyPointer === '/data'
      ? wire(422, unprocessable('The company already has a label with this name.', '/data'))
      : wire(422, unprocessable('The name has already been taken.', '/data/attributes/name')),
  CYCLE: (e) => wire(422, unprocessable(e.message, '/data')),
  CONFLICT: (e) => wire(409, errorObject(409, 'Conflict', e.message)),
  LIMIT_EXCEEDED: (e) => withHeaders(wire(429, errorObject(429, 'Too Many Requests', e.message)), retryAfter(e)),
  UNAVAILABLE: (e) => withHeaders(wire(503, errorObject(503, 'Service Unavailable', e.message)), retryAfter(e)),
} satisfies CoreErrorTable;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const limboErrors: ErrorRenderer = {
  core: limboCoreErrors,
  // Request schemas are not used here (documents are decoded by document.ts); kept for completeness.
  validation: (p) => wire(400, errorObject(400, 'Bad Request', p.message)),
  plain: (status, message) => {
    if (status === 413) return wire(413, errorObject(413, TITLES[413]!, 'The request body is larger than the server accepts.'));
    return wire(status, errorObject(status, TITLES[status] ?? 'Error', message));
  },
};

const base = errorHandler(limboErrors);
/** The dialect's error handler: its own decode errors first, then core / transport / unexpected errors. */
export function limboErrorHandler(error: FastifyError | CoreError | JsonApiError, req: FastifyRequest, reply: FastifyReply) {
  if (error instanceof JsonApiError) return send(reply, wire(error.status, ...error.errors));
  return base(error as FastifyError, req, reply);
}
