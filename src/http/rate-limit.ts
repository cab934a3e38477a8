// The generic per-credential request rate limit (LABELMUX_RATE_LIMIT, off unless configured), on
// @fastify/rate-limit. It counts requests per API key (by key id) or, for credentials that are not keys
// (limbo's OAuth access tokens), per user; requests without a principal (admin, operations, docs, anything
// refused before authentication) are not counted. The raw key never becomes a limiter key or a log field.
//
// It runs as a route-level preHandler hook, i.e. after every front end's own hooks, so the front end has
// authenticated the request by then whatever hook it authenticates in (onRequest, preValidation or
// preHandler). Past the limit it raises the core's LIMIT_EXCEEDED (rule `rate`, `retryAfterSeconds`), which
// each front end's error table renders in its vendor's shape with status 429 and `Retry-After`.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import { CoreError } from '../core/index.js';
import type { RateCounter } from '../core/index.js';

/** Who is calling, as the front ends record it: `req.actor`, or a principal spanning workspaces (limbo). */
interface Principal {
  userId: number;
  apiKeyId: number | null;
}

/**
 * The limiter key of a request: `key:<api key id>`, `user:<user id>` for a key-less credential, or '' when
 * the request carries no authenticated principal. limbo keeps its principal in its own decoration
 * (`limboPrincipal`); it is read by shape so this module depends on no front end.
 */
export function rateKey(req: FastifyRequest): string {
  const p: Principal | null | undefined = req.actor ?? (req as unknown as { limboPrincipal?: Principal | null }).limboPrincipal;
  if (!p) return '';
  return p.apiKeyId !== null ? `key:${p.apiKeyId}` : `user:${p.userId}`;
}

/**
 * A @fastify/rate-limit store counting in the database (core's RateCounter), for instances that share one:
 * the limit then holds across all of them. Windows are fixed and aligned to the epoch, where the in-memory
 * store's start at a key's first request.
 */
function sharedStore(counter: RateCounter, windowMs: number) {
  return class SharedRateStore {
    incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void): void {
      counter.hit(key, windowMs).then(
        ({ count, resetInMs }) => cb(null, { current: count, ttl: resetInMs }),
        (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
      );
    }
    child() {
      return this;
    }
  };
}

/**
 * Registers the limiter. With `shared` (a database several instances use), requests are counted there;
 * otherwise in this process's memory, which is faster and holds for the one process on a SQLite file.
 */
export async function registerRateLimit(app: FastifyInstance, limit: RateLimitConfig, shared?: RateCounter): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    ...(shared && { store: sharedStore(shared, limit.windowMs) }),
    max: limit.max,
    timeWindow: limit.windowMs,
    hook: 'preHandler',
    keyGenerator: rateKey,
    allowList: (_req, key) => key === '',
    // Retry-After is written by each front end's LIMIT_EXCEEDED mapping, from `retryAfterSeconds`.
    addHeaders: { 'retry-after': false },
    errorResponseBuilder: (_req, ctx) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(ctx.ttl / 1000));
      return new CoreError('LIMIT_EXCEEDED', `Too many requests: at most ${ctx.max} per ${limit.windowMs / 1000} s for this credential. Retry after ${retryAfterSeconds} s.`, {
        rule: 'rate',
        limit: ctx.max,
        retryAfterSeconds,
      });
    },
  });
}
