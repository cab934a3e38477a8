// Turns a validation failure (zod issue surfaced by Fastify) into one message that names the field and
// the rule. Messages written into a schema (`error: '…'`) are kept as they are.
import type { FastifyError } from 'fastify';

export interface ValidationProblem {
  /** params | body | querystring | headers */
  context: string;
  /** Dotted path of the offending field ('' = the whole body). */
  field: string;
  message: string;
}

interface Issue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const MULTIPART_FAILURE = /boundary|Unexpected end of (form|multipart)|Malformed part header|multipart/i;
const DEFAULT_MESSAGE = /^(Invalid|Too (big|small)|Unrecognized)/;

function describe(field: string, issue: Issue): string {
  const p = issue.params ?? {};
  const what = field === '' ? 'body' : field;
  switch (issue.keyword) {
    case 'invalid_type':
      // zod reports a missing value as "expected X, received undefined".
      return /received undefined/.test(issue.message ?? '') ? `${what} is required` : `${what} must be ${article(EXPECTED[String(p.expected)] ?? String(p.expected))}`;
    case 'unrecognized_keys':
      return `unknown field${(p.keys as string[]).length > 1 ? 's' : ''} ${(p.keys as string[]).map((k) => (field ? `${field}.${k}` : k)).join(', ')}`;
    case 'too_big':
      if (p.origin === 'string') return `${what} must be at most ${p.maximum} characters`;
      return p.inclusive === false ? `${what} must be less than ${p.maximum}` : `${what} must be at most ${p.maximum}`;
    case 'too_small':
      if (p.origin === 'string') return `${what} must be at least ${p.minimum} character${p.minimum === 1 ? '' : 's'}`;
      return p.inclusive === false ? `${what} must be greater than ${p.minimum}` : `${what} must be at least ${p.minimum}`;
    case 'invalid_value':
      return `${what} must be one of ${(p.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `${what} has an invalid format`;
    default:
      return `${what} is invalid`;
  }
}

const EXPECTED: Record<string, string> = { int: 'integer', object: 'JSON object', nan: 'number' };
const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

export function validationProblem(error: FastifyError): ValidationProblem | null {
  const issues = error.validation as Issue[] | undefined;
  if (!issues || issues.length === 0) return null;
  const issue = issues[0]!;
  const field = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
  const message = issue.message && !DEFAULT_MESSAGE.test(issue.message) ? issue.message : describe(field, issue);
  return { context: error.validationContext ?? 'body', field, message };
}

/** A 4xx raised by Fastify itself (body parsing, content type, size) as a plain sentence. */
export function transportProblem(error: FastifyError): { status: number; message: string } | null {
  // busboy's parse failures (e.g. multipart/form-data without a boundary) carry no HTTP status.
  if (error.statusCode === undefined && MULTIPART_FAILURE.test(error.message)) return { status: 400, message: 'Malformed multipart/form-data body' };
  const status = error.statusCode ?? 500;
  if (status < 400 || status >= 500) return null;
  switch (error.code) {
    case 'LABELMUX_FORM_BODY': // src/http/form-body.ts: the message names the charset or the limit
      return { status, message: error.message };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: 'Request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Unsupported Content-Type' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: 'Body must not be empty when Content-Type is application/json' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, message: 'Body is not valid JSON' };
    default:
      if (error instanceof SyntaxError || /JSON/.test(error.message)) return { status: 400, message: 'Body is not valid JSON' };
      return { status, message: 'Bad request' };
  }
}
