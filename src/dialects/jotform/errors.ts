// Core error → Jotform envelope error, with the vendor's texts. A bad key, a missing label and another
// workspace's label all get the same 401, so ids reveal nothing.
import type { FastifyRequest } from 'fastify';
import { retryAfter, withHeaders, type CoreErrorTable, type ErrorRenderer, type WireError } from '../../http/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Jotform calls left today for the request's key, once known. */
    limitLeft?: number;
  }
}

export interface JotformErrorContext {
  /** The mount prefix ('/API' by default), stripped from paths in messages. */
  prefix: string;
  dailyLimit: number;
}

/** The route template as the vendor writes it in messages: /label/{id}/resources → /label-id-resources. */
export function dashedPath(req: FastifyRequest, prefix: string): string {
  const template = (req.routeOptions.url ?? req.url.split('?')[0] ?? '').slice(prefix.length).replace(/^\/v1(?=\/|$)/, '');
  return `/${template.replace(/^\/+/, '').replaceAll(':', '').replace(/[{}]/g, '').replaceAll('/', '-')}`;
}

export function jotformErrors(ctx: JotformErrorContext): ErrorRenderer {
  const envelope = (req: FastifyRequest, status: number, message: string, info?: string): WireError => ({
    status,
    body: {
      responseCode: status,
      message,
      content: '',
      duration: `${(performance.now() - (req.startedAt ?? performance.now())).toFixed(2)}ms`,
      'limit-left': req.limitLeft ?? ctx.dailyLimit,
      ...(info !== undefined && { info }),
    },
  });
  const unauthorized = (req: FastifyRequest) => {
    const path = dashedPath(req, ctx.prefix);
    return envelope(req, 401, `You're not authorized to use (${path}) `, `${req.protocol}://${req.host}/docs#${path.slice(1)}`);
  };

  const core = {
    UNAUTHENTICATED: (_e, req) => unauthorized(req),
    FORBIDDEN: (_e, req) => envelope(req, 403, `Forbidden to use ${dashedPath(req, ctx.prefix)} `),
    NOT_FOUND: (e, req) => {
      if (e.details.entity === 'parent') return envelope(req, 400, `parent ${e.details.id} is not one of your labels`);
      if (e.details.entity === 'resource') return envelope(req, 400, `resource ${e.details.id} is not known in this workspace`);
      return unauthorized(req);
    },
    VALIDATION: (e, req) => envelope(req, 400, e.message),
    NAME_TAKEN: (e, req) => envelope(req, 400, `name: ${e.message} under this parent`),
    CYCLE: (e, req) => envelope(req, 400, `parent: ${e.message}`),
    CONFLICT: (e, req) => envelope(req, 400, e.message),
    // The daily call quota in the vendor's words; the generic rate limit (rule `rate`) says what it is.
    LIMIT_EXCEEDED: (e, req) => withHeaders(envelope(req, 429, e.details.rule === 'rate' ? e.message : "You've exceeded your daily API call limit."), retryAfter(e)),
    // The vendor documents no outage answer: its envelope, responseCode 503, the reason and Retry-After.
    UNAVAILABLE: (e, req) => withHeaders(envelope(req, 503, e.message), retryAfter(e)),
  } satisfies CoreErrorTable;

  return {
    core,
    validation: (p, req) => (p.context === 'params' ? unauthorized(req) : envelope(req, 400, p.message)),
    plain: (status, message, req) => envelope(req, status, message),
  };
}

export const notAvailable = (req: FastifyRequest, prefix: string) => {
  const path = (req.url.split('?')[0] ?? '').slice(prefix.length) || '/';
  return `Requested URL (${path}) is not available!`;
};
