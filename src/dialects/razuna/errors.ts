// Core error → Razuna answer. Every API-level outcome is HTTP 200; the body is a record set or a struct,
// as the called method returns, in the output format the request asked for. Texts are the vendor's.
import type { FastifyRequest } from 'fastify';
import type { CoreError } from '../../core/index.js';
import { retryAfter, withHeaders, type CoreErrorTable, type ErrorRenderer, type WireError } from '../../http/errors.js';
import { engineError, failure, failureRows } from './mapper.js';
import type { Method } from './methods.js';
import { DEFAULT_FORMAT, encode, type Format, type Outcome } from './output.js';
import type { Params } from './params.js';

/** What the engine knows of a request once its parameters are read. */
export interface RazunaCall {
  params: Params;
  format: Format;
  method?: Method;
}

declare module 'fastify' {
  interface FastifyRequest {
    razuna?: RazunaCall;
  }
}

export const LOGIN_NOT_VALID =
  'Login not valid! Check user API Key and ensure with your administrator that the user has appropriate permissions for access.';
export const NO_ACCESS =
  'No permissible data or action found for user! If you believe this is a mistake then please check with your administrator to ensure that you have appropriate permissions for access.';

export const wire = (status: number, outcome: Outcome, format: Format): WireError => {
  const { contentType, body } = encode(outcome, format);
  return { status, body, headers: { 'content-type': contentType } };
};

/** An answer the engine gives before or instead of running a method (missing method, argument, callback). */
export class RazunaFault extends Error {
  constructor(readonly outcome: Outcome) {
    super('razuna fault');
  }
  render(req: FastifyRequest): WireError {
    return wire(200, this.outcome, req.razuna?.format ?? DEFAULT_FORMAT);
  }
}

/**
 * An API error in the method's shape: a one-row record set for record-set methods, a struct otherwise.
 * `own` errors of the method (not login or role) carry the method's echoed members, e.g. setlabel's label_id.
 */
function apiError(req: FastifyRequest, message: string, own = true): WireError {
  const call = req.razuna;
  const method = call?.method;
  const outcome = method?.returns === 'recordset' ? failureRows(message) : failure(message, (own && call && method?.echo?.(call.params)) || {});
  return wire(200, outcome, call?.format ?? DEFAULT_FORMAT);
}

const param = (req: FastifyRequest, name: string) => req.razuna?.params.get(name)?.trim() ?? '';

const labelMissing = (id: unknown) => `Label_id '${String(id)}' does not exist. Please check label_id and try again.`;
const parentMissing = (id: unknown) => `Parent label_id '${String(id)}' does not exist. Please check label_id and try again.`;
const circular = (parent: unknown, id: string) =>
  `Parent label_id '${String(parent)}' is currently a child of the label '${id}'. Please address this issue first to avoid a circular reference.`;

/** Core field → the parameter that carried it. */
const PARAM_OF: Record<string, string> = { name: 'label_text', parent_id: 'label_parent', ids: 'label_id', type: 'asset_type', id: 'asset_id' };

function notFound(e: CoreError, req: FastifyRequest): WireError {
  switch (e.details.entity) {
    case 'workspace':
      return apiError(req, LOGIN_NOT_VALID, false); // another workspace's prefix: no hint that it exists
    case 'parent':
      return apiError(req, parentMissing(e.details.id));
    case 'label':
      return apiError(req, labelMissing(e.details.id));
    default:
      return apiError(req, e.message);
  }
}

export const razunaCoreErrors = {
  UNAUTHENTICATED: (_e, req) => apiError(req, LOGIN_NOT_VALID, false),
  FORBIDDEN: (_e, req) => apiError(req, NO_ACCESS, false),
  NOT_FOUND: notFound,
  VALIDATION: (e, req) => {
    const field = e.details.field ?? '';
    if (field === 'parent_id' && e.details.rule === 'self') return apiError(req, circular(param(req, 'label_parent'), param(req, 'label_id')));
    return apiError(req, `Parameter ${(PARAM_OF[field] ?? field).toUpperCase()} is not valid: ${e.message}.`);
  },
  NAME_TAKEN: (e, req) =>
    apiError(req, `A label named '${param(req, 'label_text')}' already exists at this level (label_id '${e.details.existingId}'). Please choose another label_text.`),
  CYCLE: (e, req) => apiError(req, circular(e.details.id, param(req, 'label_id'))),
  CONFLICT: (e, req) => apiError(req, e.message),
  // The engine has no limits of its own: a limit (the generic rate limit) answers like a transport refusal,
  // with its own status (429) and Retry-After, the body in the method's error shape.
  LIMIT_EXCEEDED: (e, req) => withHeaders({ ...apiError(req, e.message, false), status: 429 }, retryAfter(e)),
  // Storage out of service is no API outcome either (the engine would not answer 200): status 503 and
  // Retry-After, the body in the method's error shape so the client's usual error path reads the reason.
  UNAVAILABLE: (e, req) => withHeaders({ ...apiError(req, e.message, false), status: 503 }, retryAfter(e)),
} satisfies CoreErrorTable;

export const razunaErrors: ErrorRenderer = {
  core: razunaCoreErrors,
  // No route validates with a schema (parameters are the engine's); kept for completeness of the renderer.
  validation: (p, req) => apiError(req, p.message),
  // Transport problems (body too large, broken multipart) keep their status: they never reached the API.
  plain: (status, message, req) => wire(status, engineError(message), req.razuna?.format ?? DEFAULT_FORMAT),
};
