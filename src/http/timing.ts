// Request start time, for envelopes that report the server time spent (Jotform's `duration`).
declare module 'fastify' {
  interface FastifyRequest {
    startedAt?: number;
  }
}
export {};
