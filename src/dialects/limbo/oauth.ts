// POST /oauth/token (RFC 6749 §4.3.2 password grant, §6 refresh) with §5.2 error responses. Accepts
// form-encoded bodies (the RFC's) and JSON (Laravel Passport's). Unrecognized parameters are ignored (§3.2).
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { isCoreError, type CoreError } from '../../core/index.js';
import { errorHandler, send, type CoreErrorTable, type ErrorRenderer, type WireError } from '../../http/errors.js';
import { addressKey, AddressThrottle } from '../../http/address-throttle.js';
import { registerFormBody } from '../../http/form-body.js';
import type { DialectOptions } from '../types.js';
import * as s from './schemas.js';

const wire = (status: number, error: string, description: string, headers?: Record<string, string>): WireError => ({
  status,
  body: { error, error_description: description },
  headers: { 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
});

/** League OAuth2 server's invalid_request text, with its hint naming the parameter. */
const invalidRequest = (param: string) =>
  wire(400, 'invalid_request', `The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Check the \`${param}\` parameter.`);

class OAuthError extends Error {
  constructor(readonly wire: WireError) {
    super(String((wire.body as { error: string }).error));
  }
}

const oauthCore = {
  UNAUTHENTICATED: (e) => wire(400, 'invalid_grant', e.message),
  LIMIT_EXCEEDED: (e) => {
    const retry = e.details.retryAfterSeconds ?? 1;
    return wire(429, 'slow_down', `${e.message} Retry after ${retry} second${retry === 1 ? '' : 's'}.`, { 'retry-after': String(retry) });
  },
  VALIDATION: (e) => invalidRequest(e.details.field ?? 'grant_type'),
  FORBIDDEN: (e) => wire(400, 'invalid_grant', e.message),
  NOT_FOUND: (e) => wire(400, 'invalid_grant', e.message),
  NAME_TAKEN: (e) => wire(400, 'invalid_request', e.message),
  CYCLE: (e) => wire(400, 'invalid_request', e.message),
  CONFLICT: (e) => wire(400, 'invalid_request', e.message),
  // RFC 6749 §4.1.2.1's code for a server that cannot answer now (the token endpoint's §5.2 list has none).
  UNAVAILABLE: (e) => wire(503, 'temporarily_unavailable', e.message, { 'retry-after': String(e.details.retryAfterSeconds ?? 1) }),
} satisfies CoreErrorTable;

const oauthErrors: ErrorRenderer = {
  core: oauthCore,
  validation: (p) => invalidRequest(p.field || 'grant_type'),
  plain: (status, message) => {
    if (status === 413) return wire(413, 'invalid_request', 'The request body is too large.');
    // A form in a charset we cannot read keeps the message that names it.
    if (status === 415) return wire(400, 'invalid_request', message.startsWith('Unsupported charset') ? message : 'The request body must be application/x-www-form-urlencoded or application/json.');
    if (status >= 500) return wire(500, 'server_error', 'The authorization server encountered an unexpected condition.');
    if (status === 404) return wire(404, 'not_found', 'The requested URL was not found on this server.');
    return wire(400, 'invalid_request', message === 'Body is not valid JSON' ? 'The request body is not valid JSON.' : message);
  },
};

const base = errorHandler(oauthErrors);
const onError = (error: FastifyError | CoreError | OAuthError, req: FastifyRequest, reply: FastifyReply) =>
  error instanceof OAuthError ? send(reply, error.wire) : base(error as FastifyError, req, reply);

type Grant = { type: 'password'; email: string; password: string } | { type: 'refresh_token'; refreshToken: string };

/** One string parameter; repeated (an array), non-string or too long values are invalid_request. */
function param(body: Record<string, unknown>, name: string, max: number): string {
  const v = body[name];
  if (typeof v !== 'string' || v === '' || v.length > max) throw new OAuthError(invalidRequest(name));
  return v;
}

function decode(body: unknown): Grant {
  const b = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const grantType = param(b, 'grant_type', 64);
  if (grantType === 'password') {
    // `username` is the RFC's name for it (and Passport's); limbo's documents say `email`.
    const email = b.email !== undefined ? param(b, 'email', 254) : b.username !== undefined ? param(b, 'username', 254) : param(b, 'email', 254);
    return { type: 'password', email, password: param(b, 'password', 1024) };
  }
  if (grantType === 'refresh_token') return { type: 'refresh_token', refreshToken: param(b, 'refresh_token', 256) };
  throw new OAuthError(wire(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.'));
}

export const oauthPlugin: FastifyPluginAsync<DialectOptions> = async (app, { core, config }) => {
  registerFormBody(app);
  app.removeContentTypeParser('text/plain');
  app.setErrorHandler(onError);
  app.addHook('onRequest', (req, _reply, done) => {
    req.dialect = 'limbo';
    done();
  });
  app.setNotFoundHandler((req, reply) => send(reply, oauthErrors.plain(404, 'Not found', req)));
  // An address that keeps failing is refused here, before its body is read or a password hashed.
  const throttle = new AddressThrottle('login attempts');
  if (app.hasDecorator('resetHooks')) app.resetHooks.add(() => throttle.clear());
  app.addHook('onRequest', (req, _reply, done) => {
    try {
      throttle.check(req.ip);
      done();
    } catch (e) {
      done(e as Error);
    }
  });
  const counted = <T>(req: FastifyRequest, attempt: Promise<T>) =>
    attempt.catch((e: unknown) => {
      if (isCoreError(e) && e.code === 'UNAUTHENTICATED') throttle.fail(req.ip);
      throw e;
    });

  const ttl = config.limboTokenTtl;
  app.post('/token', { schema: { response: { 200: s.tokenResponse, 400: s.oauthError, 413: s.oauthError, 429: s.oauthError } } }, async (req, reply) => {
    const grant = decode(req.body);
    const pair = await counted(req, grant.type === 'password' ? core.oauth.password(grant.email, grant.password, ttl, addressKey(req.ip)) : core.oauth.refresh(grant.refreshToken, ttl));
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return { token_type: 'Bearer' as const, expires_in: pair.expiresIn, access_token: pair.accessToken, refresh_token: pair.refreshToken };
  });
};
