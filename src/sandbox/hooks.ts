// The sandbox on the request path. Each dialect route gets its dialect and operation in its config, and its
// handler goes behind the fault gate (after the dialect authenticated and decoded the request, before the
// handler runs): so a fault never leaves a request half-applied. The journal records from root hooks (onSend
// keeps the answer's text, onResponse writes the entry); with the journal off they are not installed.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { faultError } from './fault-errors.js';
import type { FaultPlan, Faults } from './faults.js';
import { BODY_CAP, type Journal } from './journal.js';
import { redactHeaders, redactText, secretsOf } from './redact.js';
import { callerOf, dialectOf, operationOf, routeInfo, type RouteInfo } from './request-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The answer's text, kept by the journal's onSend hook. */
    sandboxPayload: string | null;
    /** The body as parsed, before a route schema validated (and trimmed) it. */
    sandboxBody: unknown;
    /** The fault rule that acted on the request. */
    sandboxFault: number | null;
    /** Dropped by a fault: recorded when dropped, as no answer follows. */
    sandboxDropped: boolean;
  }
}

/**
 * The request fields above, declared on every request from the start: fields added to some requests only
 * would give request objects several shapes and slow every property access on them (V8 hidden classes).
 */
export function decorateRequests(app: FastifyInstance): void {
  app.decorateRequest('sandboxPayload', null);
  app.decorateRequest('sandboxBody', null);
  app.decorateRequest('sandboxFault', null);
  app.decorateRequest('sandboxDropped', false);
}

const JSON_TYPE = /json/i;
/** Redaction sees this much more than is kept, so a secret that straddles the cut is still found whole. */
const MARGIN = 1024;

/** A body's text redacted and cut to BODY_CAP characters; cut, it says so and is no longer JSON. */
function bodyText(text: string | null, json: boolean, secrets: readonly string[]): { text: string | null; json: boolean } {
  if (text === null) return { text, json: false };
  const redacted = redactText(text.length > BODY_CAP + MARGIN ? text.slice(0, BODY_CAP + MARGIN) : text, secrets);
  if (text.length <= BODY_CAP) return { text: redacted, json };
  return { text: `${redacted.slice(0, BODY_CAP)}…[cut: ${text.length} characters in all]`, json: false };
}

/** Kept unless it is the admin API or an operations route (health, metrics, documents): requests to the dialects, and unknown routes. */
const journaled = (req: FastifyRequest) => dialectOf(req) !== null || (req.is404 && req.dialect === 'none');

function entry(req: FastifyRequest, status: number | null, responseText: string | null, responseJson: boolean, durationMs: number) {
  const body: unknown = req.sandboxBody ?? req.body;
  const secrets = secretsOf(req.headers, req.url, body);
  const requestText = body === undefined || body === null ? null : typeof body === 'string' ? body : Buffer.isBuffer(body) ? `[${body.length} bytes]` : JSON.stringify(body);
  const { workspaceId, keyId } = callerOf(req);
  const request = bodyText(requestText, typeof body === 'object', secrets);
  const response = bodyText(responseText, responseJson, secrets);
  // `id` first, set by the journal: one object shape from the start, kept as it is (journal.ts record).
  return {
    id: 0,
    at: Date.now() - durationMs,
    dialect: dialectOf(req),
    operation: operationOf(req, req.routeOptions.config.sandbox),
    method: req.method,
    url: redactText(req.url, secrets),
    requestHeaders: redactHeaders(req.headers, secrets),
    requestBody: request.text,
    requestJson: request.json,
    status,
    responseBody: response.text,
    responseJson: response.json,
    durationMs: Math.round(durationMs * 100) / 100,
    workspaceId,
    keyId,
    fault: req.sandboxFault,
  };
}

export function registerJournal(app: FastifyInstance, journal: Journal): void {
  app.addHook('preValidation', (req, _reply, done) => {
    req.sandboxBody = req.body ?? null;
    done();
  });
  app.addHook('onSend', (req, _reply, payload, done) => {
    // A stream (none of the dialects' answers today) is not read: it is recorded as no body.
    if (journaled(req)) req.sandboxPayload = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8', 0, BODY_CAP + MARGIN) : null;
    done(null, payload);
  });
  app.addHook('onResponse', (req, reply, done) => {
    if (!req.sandboxDropped && journaled(req)) record(journal, req, reply);
    done();
  });
}

function record(journal: Journal, req: FastifyRequest, reply: FastifyReply): void {
  const text = req.sandboxPayload;
  const json = text !== null && JSON_TYPE.test(String(reply.getHeader('content-type') ?? ''));
  journal.record(entry(req, reply.statusCode, text, json, reply.elapsedTime));
}

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
  // drop: the connection closes without an answer; the journal records it with status null.
  req.sandboxDropped = true;
  journal?.record(entry(req, null, null, false, reply.elapsedTime));
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
  });
}
