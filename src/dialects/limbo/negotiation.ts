// JSON:API 1.0 content negotiation (https://jsonapi.org/format/1.0/#content-negotiation) with
// laravel-json-api's texts, and the request body's JSON decoding.
import type { FastifyRequest } from 'fastify';
import { JSONAPI_MEDIA_TYPE } from '../../http/jsonapi.js';
import { errorObject, JsonApiError } from './errors.js';

const NOT_ACCEPTABLE = 'The requested resource is capable of generating only content not acceptable according to the Accept headers sent in the request.';
const UNSUPPORTED = 'The request entity has a media type which the server or resource does not support.';

interface MediaRange {
  type: string;
  params: Map<string, string>;
}

const parseRange = (raw: string): MediaRange => {
  const [type = '', ...rest] = raw.split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i > 0) params.set(p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim());
  }
  return { type: type.trim().toLowerCase(), params };
};

/**
 * Acceptable: no Accept, or one range that is * / *, application/*, or the JSON:API type without media type
 * parameters (a `q` weight is an accept parameter, not a media type one; q=0 refuses it).
 */
export function acceptable(header: string | string[] | undefined): boolean {
  // What clients send on every request, answered without parsing.
  if (header === undefined || header === JSONAPI_MEDIA_TYPE || header === '*/*') return true;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '') return true;
  return value.split(',').some((raw) => {
    const { type, params } = parseRange(raw);
    const q = params.get('q');
    if (q !== undefined && Number(q) === 0) return false;
    params.delete('q');
    if (type === '*/*' || type === 'application/*') return true;
    return type === JSONAPI_MEDIA_TYPE && params.size === 0;
  });
}

export function assertAcceptable(req: FastifyRequest): void {
  if (!acceptable(req.headers.accept)) throw new JsonApiError([errorObject(406, 'Not Acceptable', NOT_ACCEPTABLE)]);
}

/** A request carrying a body must say exactly `application/vnd.api+json` (no parameters). */
export function assertMediaType(req: FastifyRequest): void {
  const body = req.body;
  if (typeof body !== 'string' || body.length === 0) return;
  const raw = req.headers['content-type'];
  if (raw === undefined || raw.trim().toLowerCase() !== JSONAPI_MEDIA_TYPE) {
    throw new JsonApiError([errorObject(415, 'Unsupported Media Type', UNSUPPORTED)]);
  }
}

const invalidJson = (detail: string, code?: string) => new JsonApiError([errorObject(400, 'Invalid JSON', detail, undefined, code)]);

/** The request document as a JSON object, or laravel-json-api's "Invalid JSON" errors. */
export function readJsonObject(req: FastifyRequest): Record<string, unknown> {
  const raw = typeof req.body === 'string' ? req.body : '';
  if (raw.trim() === '') throw invalidJson('Expecting JSON to decode.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // PHP's json_decode reports JSON_ERROR_SYNTAX (code 4) as "Syntax error".
    throw invalidJson('Syntax error', '4');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidJson('Expecting JSON to decode to an object.');
  return parsed as Record<string, unknown>;
}
