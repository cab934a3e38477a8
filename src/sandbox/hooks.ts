// The sandbox on the request path. Each dialect route gets its dialect and operation in its config, and its
// handler goes behind the fault gate (after the dialect authenticated and decoded the request, before the
// handler runs): so a fault never leaves a request half-applied. The journal takes its entry in one root onSend
// hook (entry.ts: captured there, redacted when read); with the journal off it is not installed.
import type { FastifyInstance, FastifyReply, FastifyRequest, preValidationHookHandler, RouteHandlerMethod } from 'fastify';
import { faultError } from './fault-errors.js';
import type { FaultPlan, Faults } from './faults.js';
import { answered, capture, payloadText, sent, type Captured } from './entry.js';
import type { Journal } from './journal.js';
import { callerOf, dialectOf, operationOf, routeInfo, type RouteInfo } from './request-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as parsed, before a route schema validated (and trimmed) it. */
    sandboxBody: unknown;
    /** The fault rule that acted on the request. */
    sandboxFault: number | null;
    /** The journal's entry, once taken (in onSend, or when a fault dropped the request). */
    sandboxEntry: Captured | null;
  }
}

/**
 * The request fields above, declared on every request from the start: fields added to some requests only
 * would give request objects several shapes and slow every property access on them (V8 hidden classes).
 */
export function decorateRequests(app: FastifyInstance): void {
  app.decorateRequest('sandboxBody', null);
  app.decorateRequest('sandboxFault', null);
  app.decorateRequest('sandboxEntry', null);
}

/** Kept unless it is the admin API or an operations route (health, metrics, documents): requests to the dialects, and unknown routes. */
const journaled = (req: FastifyRequest) => dialectOf(req) !== null || (req.is404 && req.dialect === 'none');

/**
 * One root hook: onSend sees the answer's text and status, so the entry is taken there (its duration ends
 * when the answer is handed to the socket). The body as parsed is kept by a preValidation hook on the
 * dialect routes that take one (instrumentDialect), not on every request.
 */
export function registerJournal(app: FastifyInstance, journal: Journal): void {
  app.addHook('onSend', (req, reply, payload, done) => {
    // An onSend hook after this one that fails has its error answer sent through here again: that one is
    // what the client gets, so it replaces the answer in the entry already taken.
    if (req.sandboxEntry !== null) answered(req.sandboxEntry, reply, reply.statusCode, payloadText(payload));
    else if (journaled(req)) journal.record((req.sandboxEntry = capture(req, reply, reply.statusCode, payloadText(payload))));
    done(null, payload);
  });
}

/** The journal's entry for a request, if it has one, takes the answer's media type as sent (the app's onResponse hook calls it). */
export function journalSent(req: FastifyRequest, reply: FastifyReply): void {
  if (req.sandboxEntry) sent(req.sandboxEntry, reply);
}

const keepBody: preValidationHookHandler = (req, _reply, done) => {
  req.sandboxBody = req.body ?? null;
  done();
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The route's handler behind the fault check: while no rule exists, one property read and the handler's own
 * call (no hook, so nothing is added to the request's hook chain). The handler runs after every preHandler:
 * the dialect has authenticated and validated the request, nothing has been written yet.
 */
function faultGate(handler: RouteHandlerMethod, info: RouteInfo, faults: Faults, journal: Journal | null, now: () => number): RouteHandlerMethod {
  return function gated(this: FastifyInstance, req, reply) {
    if (faults.idle) return handler.call(this, req, reply);
    const plan = faults.plan({ dialect: info.dialect, method: req.method, url: req.url, operation: operationOf(req, info), ...callerOf(req) });
    if (plan === null) return handler.call(this, req, reply);
    req.sandboxFault = plan.ruleId;
    return act(plan, req, reply, journal, now).then((go) => (go ? handler.call(this, req, reply) : reply));
  };
}

/** Waits, then throws the error or drops the connection; true when the handler is to run after all. */
async function act(plan: FaultPlan, req: FastifyRequest, reply: FastifyReply, journal: Journal | null, now: () => number): Promise<boolean> {
  if (plan.delayMs > 0) await sleep(plan.delayMs);
  const end = plan.end;
  if (end === null) return true;
  if (end.action.type === 'error') throw faultError(end.action.error, dialectOf(req), req, end.action.retryAfter ?? 1, now());
  // drop: the connection closes without an answer (no onSend): the journal records it here, with status null.
  if (journal !== null) journal.record((req.sandboxEntry = capture(req, reply, null, null)));
  reply.hijack();
  req.raw.socket.destroy();
  return false;
}

/**
 * Installed in each dialect's scope before its routes: every route learns its dialect and operation, and its
 * handler is put behind the fault gate.
 */
export function instrumentDialect(scope: FastifyInstance, dialect: string, prefix: string, faults: Faults, journal: Journal | null, now: () => number): void {
  scope.addHook('onRoute', (route) => {
    const method = [route.method].flat()[0] ?? 'GET';
    const info = routeInfo(dialect, prefix, route, method);
    route.config = { ...route.config, sandbox: info };
    route.handler = faultGate(route.handler, info, faults, journal, now);
    // A body schema replaces the parsed body with what it validated (trimmed): keep what the client sent.
    if (journal !== null && route.schema?.body !== undefined) route.preValidation = [keepBody, ...[route.preValidation ?? []].flat()];
  });
}
