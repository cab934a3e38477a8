// A fault's named error as the core error the dialect's own error table renders: so each dialect answers
// in its vendor's wire shape (Jotform's envelope, Razuna's struct or record set, Livestorm's {"error"},
// devtodev's codes, limbo's JSON:API or OAuth document) with its statuses and headers.
import type { FastifyRequest } from 'fastify';
import { CoreError } from '../core/index.js';
import type { ErrorName } from './faults.js';

/** A 500 the way an unexpected failure gives one: each dialect's renderer hides it as its generic 500. */
export class InjectedServerError extends Error {
  constructor() {
    super('server_error injected by a labelmux fault rule (POST /_admin/faults)');
  }
}

type Shaped = FastifyRequest & { limitLeft?: number; razuna?: { params: Map<string, string> } };

/** Seconds to the next UTC midnight at `now`, when a daily quota starts again. */
const untilMidnight = (now: number) => Math.max(1, Math.ceil((86_400_000 - (now % 86_400_000)) / 1000));

/** The id the request names, for not_found's message. */
function namedId(req: FastifyRequest): string {
  const fromPath = (req.params as Record<string, unknown> | undefined)?.id;
  if (typeof fromPath === 'string') return fromPath;
  return (req as Shaped).razuna?.params.get('label_id') ?? '0';
}

/**
 * `quota` is the vendor's own daily limit where it has one: Jotform's daily call limit (429 in its envelope,
 * `limit-left` 0), devtodev's code 8 (the token's daily limit of created labels). Razuna, Livestorm and
 * limbo document none: their 429 with Retry-After up to the next UTC midnight.
 */
function quota(dialect: string | null, req: FastifyRequest, now: number): CoreError {
  if (dialect === 'jotform') {
    (req as Shaped).limitLeft = 0;
    return new CoreError('LIMIT_EXCEEDED', "You've exceeded your daily API call limit.", { rule: 'daily' });
  }
  if (dialect === 'devtodev') return new CoreError('LIMIT_EXCEEDED', 'daily limit of created labels for this token reached', { rule: 'token' });
  return new CoreError('LIMIT_EXCEEDED', 'Daily quota exceeded. Retry after the next UTC midnight.', { rule: 'daily', retryAfterSeconds: untilMidnight(now) });
}

export function faultError(name: ErrorName, dialect: string | null, req: FastifyRequest, retryAfter: number, now: number): Error {
  switch (name) {
    case 'unavailable':
      return new CoreError('UNAVAILABLE', 'Service temporarily unavailable. Retry later.', { retryAfterSeconds: retryAfter });
    case 'rate_limited':
      return new CoreError('LIMIT_EXCEEDED', `Too many requests. Retry after ${retryAfter} s.`, { rule: 'rate', retryAfterSeconds: retryAfter });
    case 'quota':
      return quota(dialect, req, now);
    case 'server_error':
      return new InjectedServerError();
    case 'unauthorized':
      return new CoreError('UNAUTHENTICATED', 'missing, invalid or expired credentials');
    case 'forbidden':
      return new CoreError('FORBIDDEN', 'the credential may not do this', {});
    case 'not_found': {
      const id = namedId(req);
      return new CoreError('NOT_FOUND', `label ${id} not found`, { entity: 'label', id });
    }
  }
}
