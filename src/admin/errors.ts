// Core error → RFC 9457 problem document for the admin API.
import type { CoreErrorTable, ErrorRenderer, WireError } from '../http/errors.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error',
};

export const problem = (status: number, detail: string): WireError => ({
  status,
  body: { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail },
  headers: { 'content-type': 'application/problem+json' },
});

export const adminCoreErrors = {
  UNAUTHENTICATED: (e) => problem(401, e.message),
  FORBIDDEN: (e) => problem(403, e.message),
  NOT_FOUND: (e) => problem(404, e.message),
  VALIDATION: (e) => problem(400, e.message),
  NAME_TAKEN: (e) => problem(409, e.message),
  CYCLE: (e) => problem(400, e.message),
  CONFLICT: (e) => problem(409, e.message),
  LIMIT_EXCEEDED: (e) => problem(429, e.message),
} satisfies CoreErrorTable;

export const adminErrors: ErrorRenderer = {
  core: adminCoreErrors,
  validation: (p) => (p.context === 'params' ? problem(404, `unknown ${p.field}`) : problem(400, p.message)),
  plain: (status, message) => problem(status, message),
};
