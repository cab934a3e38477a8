// Request decorations shared by all front ends.
import type { Actor } from '../core/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The front end serving this request: a dialect name, 'admin' or 'none'. */
    dialect: string;
    /** Set by the front end's authentication hook. */
    actor: Actor | null;
  }
}
export {};
