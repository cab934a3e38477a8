// The access log (LABELMUX_ACCESS_LOG): one `info` line per request, or per Nth request, written when the
// answer is sent. The line is one plain object on the app's root logger, with the request id as a field:
// no per-request pino child (about 3 µs, src/http/request-logger.ts) and none of Fastify's request and
// response serializers, which is what made Fastify's own request logging cost about 30% of a point read.
// The path is logged without its query string, which carries API keys in some dialects (Jotform's apiKey,
// Razuna's api_key).
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';

export type AccessLog = (req: FastifyRequest, reply: FastifyReply, route: string) => void;

const line = (req: FastifyRequest, reply: FastifyReply, route: string) => {
  const q = req.url.indexOf('?');
  return {
    reqId: req.id,
    method: req.method,
    url: q < 0 ? req.url : req.url.slice(0, q),
    route,
    status: reply.statusCode,
    ms: Math.round(reply.elapsedTime * 100) / 100,
    dialect: req.dialect,
    workspace: req.actor?.workspaceId,
  };
};

/**
 * `every`: log one request in `every` at info (1: each; 0: none). With LOG_LEVEL at debug or trace each
 * request not logged at info is logged at debug, as before the switch existed.
 */
export function accessLog(log: FastifyBaseLogger, every: number): AccessLog {
  let seen = 0;
  return (req, reply, route) => {
    if (every > 0 && ++seen >= every) {
      seen = 0;
      log.info(line(req, reply, route), 'request');
      return;
    }
    // The debug line names the route, not the URL: a client may put a key in a path segment.
    const level = req.log.level;
    if (level === 'debug' || level === 'trace') log.debug({ ...line(req, reply, route), url: undefined }, 'request');
  };
}
