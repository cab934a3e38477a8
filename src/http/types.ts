// Request decorations shared by all front ends.
import type { Actor } from '../core/index.js';

/** One route of a front end, as registered (`url` with the mount prefix and `:param`s). */
export interface RouteEntry {
  /** 'admin' or a dialect name. */
  frontEnd: string;
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the admin API and the enabled dialects registered, in registration order. */
    routeTable: readonly RouteEntry[];
  }
  interface FastifyRequest {
    /** The front end serving this request: a dialect name, 'admin' or 'none'. */
    dialect: string;
    /** Set by the front end's authentication hook. */
    actor: Actor | null;
  }
}
export {};
