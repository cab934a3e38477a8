// The sandbox on the request path. Each dialect route gets its dialect and operation in its config and, as
// its last preHandler (after the dialect authenticated and decoded the request, before the handler), the
// fault hook: so a fault never leaves a request half-applied. The journal records from root hooks (onSend
// keeps the answer's text, onResponse writes the entry); with the journal off they are not installed.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { faultError } from './fault-errors.js';
import type { FaultPlan, Faults } from './faults.js';
import type { Journal } from './journal.js';
import { redactHeaders, redactText, secretsOf } from './redact.js';
import { callerOf, dialectOf, operationOf, routeInfo } from './request-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The answer's text, kept by the journal's onSend hook. */
    sandboxPayload?: string | null;
    /** The body as parsed, before a route schema validated (and trimmed) it. */
    sandboxBody?: unknown;
    /** The fault rule that acted on the request. */
    sandboxFault?: number;
    /** Dropped by a fault: recorded when dropped, as no answer follows. */
    sandboxDropped?: boolean;
  }
}

const JSON_TYPE = /json/i;

/** Kept unless it is the admin API or an operations route (health, metrics, documents): requests to the dialects, and unknown routes. */
const journaled = (req: FastifyRequest) => dialectOf(req) !== null || (req.is404 && req.dialect === 'none');

function entry(req: FastifyRequest, status: number | null, responseText: string | null, responseJson: boolean, durationMs: number) {
  const body: unknown = req.sandboxBody === undefined ? req.body : req.sandboxBody;
  const secrets = secretsOf(req.headers, req.url, body);
  const requestText = body === undefined || body === null ? null : typeof body === 'string' ? body : Buffer.isBuffer(body) ? `[${body.length} bytes]` : JSON.stringify(body);
  const { workspaceId, keyId } = callerOf(req);
  return {
    at: Date.now() - durationMs,
    dialect: dialectOf(req),
    operation: operationOf(req),
    method: req.method,
    url: redactText(req.url, secrets),
    requestHeaders: redactHeaders(req.headers, secrets),
    requestBody: requestText === null ? null : redactText(requestText, secrets),
    requestJson: requestText !== null && typeof body === 'object',
    status,
    responseBody: responseText === null ? null : redactText(responseText, secrets),
    responseJson,
    durationMs: Math.round(durationMs * 100) / 100,
    workspaceId,
    keyId,
    fault: req.sandboxFault ?? null,
  };
}

export function registerJournal(app: FastifyInstance, journal: Journal): void {
  app.addHook('preValidation', (req, _reply, done) => {
    req.sandboxBody = req.body;
    done();
  });
  app.addHook('onSend', (req, _reply, payload, done) => {
    if (journaled(req)) req.sandboxPayload = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : null;
    done(null, payload);
  });
  app.addHook('onResponse', (req, reply, done) => {
    if (journaled(req) && req.sandboxDropped !== true) record(journal, req, reply);
    done();
  });
}

function record(journal: Journal, req: FastifyRequest, reply: FastifyReply): void {
  const text = req.sandboxPayload ?? null;
  const json = text !== null && JSON_TYPE.test(String(reply.getHeader('content-type') ?? ''));
  journal.record(entry(req, reply.statusCode, text, json, reply.elapsedTime));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The fault hook: nothing but one check while no rule exists. */
function faultHook(faults: Faults, journal: Journal | null, now: () => number): preHandlerHookHandler {
  return (req, reply, done) => {
    if (faults.idle) return done();
    const dialect = dialectOf(req);
    const plan = faults.plan({ dialect, method: req.method, url: req.url, operation: operationOf(req), ...callerOf(req) });
    if (plan === null) return done();
    req.sandboxFault = plan.ruleId;
    act(plan, req, reply, journal, now).then(() => done(), (e: Error) => done(e));
  };
}

async function act(plan: FaultPlan, req: FastifyRequest, reply: FastifyReply, journal: Journal | null, now: () => number): Promise<void> {
  const started = performance.now();
  if (plan.delayMs > 0) await sleep(plan.delayMs);
  const end = plan.end;
  if (end === null) return;
  if (end.action.type === 'error') throw faultError(end.action.error, dialectOf(req), req, end.action.retryAfter ?? 1, now());
  // drop: the connection closes without an answer; the journal records it with status null.
  req.sandboxDropped = true;
  journal?.record(entry(req, null, null, false, performance.now() - started));
  reply.hijack();
  req.raw.socket.destroy();
}

/**
 * Installed in each dialect's scope before its routes: every route learns its dialect and operation, and
 * gets the fault hook as its last preHandler (route-level hooks run after the scope's own).
 */
export function instrumentDialect(scope: FastifyInstance, dialect: string, prefix: string, faults: Faults, journal: Journal | null, now: () => number): void {
  const hook = faultHook(faults, journal, now);
  scope.addHook('onRoute', (route) => {
    const method = [route.method].flat()[0] ?? 'GET';
    route.config = { ...route.config, sandbox: routeInfo(dialect, prefix, route, method) };
    route.preHandler = [...[route.preHandler ?? []].flat(), hook];
  });
}
