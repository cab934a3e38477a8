// A journal entry in two steps. On the request path the journal only takes what it will need (references
// to the request's URL, headers and body text and to the answer's text, already in memory), cut to a bounded
// size: that costs a point read a few field reads. The redaction (the request's secrets collected, then
// blanked in the URL, headers and both bodies) runs when the entry is first read (journal.ts): the
// captured values never leave the process, and every way out of the journal goes through `redact`.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Recorded } from './journal.js';
import { bodySecrets, redactHeaders, redactText, secretsOf, type Headers } from './redact.js';
import { callerOf, dialectOf, operationOf } from './request-info.js';

/** Longest request or response body kept, in characters; the rest is cut and the entry says so. */
export const BODY_CAP = 16 * 1024;
/** Redaction sees this much more than is kept, so a secret that straddles the cut is still found whole. */
const MARGIN = 1024;
const KEEP = BODY_CAP + MARGIN;
const JSON_TYPE = /json/i;

/** What a request left, unredacted: held only inside the journal's buffer until it is first read. */
export interface Captured {
  at: number;
  dialect: string | null;
  operation: string | null;
  method: string;
  url: string;
  headers: Headers;
  /** The body's text (JSON text when `requestJson`), at most KEEP characters; `requestLength` is the whole. */
  requestText: string | null;
  requestJson: boolean;
  requestLength: number;
  /** Secrets among a parsed body's members, taken from the object (its text may be cut). */
  bodySecrets: readonly string[];
  status: number | null;
  responseText: string | null;
  responseType: string | null;
  responseLength: number;
  durationMs: number;
  workspaceId: number | null;
  keyId: number | null;
  fault: number | null;
}

/**
 * A string's first KEEP characters as a string of their own: a slice would keep the whole (maybe megabytes)
 * alive in the buffer (V8 sliced strings point into their parent).
 */
const kept = (text: string) => (text.length <= KEEP ? text : Buffer.from(text.slice(0, KEEP), 'utf16le').toString('utf16le'));

/** The answer's text as onSend sees it; a stream (none of the dialects' answers today) is recorded as no body. */
export function payloadText(payload: unknown): string | null {
  return typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8', 0, KEEP) : null;
}

/** Takes what the entry needs from a request and its answer (text null: no answer, or a stream). */
export function capture(req: FastifyRequest, reply: FastifyReply, status: number | null, responseText: string | null): Captured {
  const body: unknown = req.sandboxBody ?? req.body;
  const hasBody = body !== undefined && body !== null;
  // Only write requests carry a body: they pay for its text here, a point read does not.
  const requestText = !hasBody ? null : typeof body === 'string' ? body : Buffer.isBuffer(body) ? `[${body.length} bytes]` : JSON.stringify(body);
  const { workspaceId, keyId } = callerOf(req);
  const c: Captured = {
    at: Date.now() - reply.elapsedTime,
    dialect: dialectOf(req),
    operation: operationOf(req, req.routeOptions.config.sandbox),
    method: req.method,
    url: req.url,
    headers: req.headers,
    requestText: requestText === null ? null : kept(requestText),
    requestJson: hasBody && typeof body === 'object' && !Buffer.isBuffer(body),
    requestLength: requestText?.length ?? 0,
    bodySecrets: hasBody ? bodySecrets(body) : [],
    status: null,
    responseText: null,
    responseType: null,
    responseLength: 0,
    durationMs: 0,
    workspaceId,
    keyId,
    fault: req.sandboxFault,
  };
  answered(c, reply, status, responseText);
  return c;
}

/**
 * The answer to the request; again when another replaces it (an error answer, when sending the first failed).
 * An entry already read keeps the answer it was read with: its capture is gone then.
 */
export function answered(c: Captured, reply: FastifyReply, status: number | null, responseText: string | null): void {
  const type = responseText === null ? undefined : reply.getHeader('content-type');
  c.status = status;
  c.responseText = responseText === null ? null : kept(responseText);
  c.responseType = typeof type === 'string' ? type : null;
  c.responseLength = responseText?.length ?? 0;
  c.durationMs = reply.elapsedTime;
}

/**
 * The answer's media type as the client got it, once the answer is sent: a dialect's own onSend hook, which runs
 * after the journal's, may set it (limbo writes its documents as text and names their type there).
 */
export function sent(c: Captured, reply: FastifyReply): void {
  const type = c.responseText === null ? undefined : reply.getHeader('content-type');
  if (typeof type === 'string') c.responseType = type;
}

/** A body's text redacted and cut to BODY_CAP characters; cut, it says so and is no longer JSON. */
function bodyText(text: string | null, length: number, json: boolean, secrets: readonly string[]): { text: string | null; json: boolean } {
  if (text === null) return { text, json: false };
  const redacted = redactText(text, secrets);
  if (length <= BODY_CAP) return { text: redacted, json };
  return { text: `${redacted.slice(0, BODY_CAP)}…[cut: ${length} characters in all]`, json: false };
}

/** The entry as it may be shown: every secret the request presented blanked wherever it appears. */
export function redact(c: Captured): Recorded {
  const secrets = [...secretsOf(c.headers, c.url), ...c.bodySecrets];
  const request = bodyText(c.requestText, c.requestLength, c.requestJson, secrets);
  const response = bodyText(c.responseText, c.responseLength, c.responseType !== null && JSON_TYPE.test(c.responseType), secrets);
  return {
    at: c.at,
    dialect: c.dialect,
    operation: c.operation,
    method: c.method,
    url: redactText(c.url, secrets),
    requestHeaders: redactHeaders(c.headers, secrets),
    requestBody: request.text,
    requestJson: request.json,
    status: c.status,
    responseBody: response.text,
    responseJson: response.json,
    durationMs: Math.round(c.durationMs * 100) / 100,
    workspaceId: c.workspaceId,
    keyId: c.keyId,
    fault: c.fault,
  };
}
