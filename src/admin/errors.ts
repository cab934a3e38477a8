// Core error → RFC 9457 problem document for the admin API.
import { plainCoreTable, type CoreErrorTable, type ErrorRenderer, type WireError } from '../http/errors.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const problem = (status: number, detail: string): WireError => ({
  status,
  body: { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail },
  headers: { 'content-type': 'application/problem+json' },
});

/** RFC 9110 §11.6.1: a 401 names the scheme it wants. */
const CHALLENGE = { 'www-authenticate': 'Bearer realm="labelmux-admin"' };

export const adminCoreErrors = {
  ...plainCoreTable(problem),
  UNAUTHENTICATED: (e) => {
    const w = problem(401, e.message);
    return { ...w, headers: { ...w.headers, ...CHALLENGE } };
  },
} satisfies CoreErrorTable;

export const adminErrors: ErrorRenderer = {
  core: adminCoreErrors,
  validation: (p) => (p.context === 'params' ? problem(404, `unknown ${p.field}`) : problem(400, p.message)),
  plain: (status, message) => problem(status, message),
};
