// Wire schemas of the sandbox's admin routes (docs/sandbox.md). They are components of the admin document.
import { z } from 'zod';
import { registry } from '../admin/schemas.js';
import { DIALECT_NAMES } from '../config.js';
import { DURATION } from './clock.js';
import { ERROR_NAMES, pathTest } from './faults.js';

const id = z.int().positive();
const idParam = z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer id').transform(Number).meta({ type: 'integer', minimum: 1, pattern: undefined });
/** `path` filters: a substring, or `/regex/` (checked here, so a bad expression is a 400 naming the field). */
const pathPattern = z
  .string()
  .min(1)
  .max(500)
  .refine((v) => {
    try {
      pathTest(v);
      return true;
    } catch {
      return false;
    }
  }, 'path is not a valid regular expression (a value that starts and ends with / is one)');
const method = z.string().regex(/^[A-Za-z]{1,16}$/, 'method must be an HTTP method such as GET');
const iso = z.iso.datetime({ offset: true });

export const faultParams = z.object({ id: idParam });

const journalFilterFields = {
  dialect: z.enum(DIALECT_NAMES).optional(),
  workspace: z.coerce.number().int().positive().optional(),
  method: method.optional(),
  path: pathPattern.optional(),
  status: z.string().regex(/^[1-5](?:[0-9]{2}|xx)$/i, 'status must be a status (404) or a class (4xx)').optional(),
  since: z.string().refine((v) => /^[0-9]{1,15}$/.test(v) || Number.isFinite(Date.parse(v)), 'since must be an ISO time or an entry id').optional(),
};
export const countQuery = z.strictObject(journalFilterFields);
export const listQuery = z.strictObject({ ...journalFilterFields, limit: z.coerce.number().int().min(1).max(10_000).default(100) });

const headers = z.record(z.string(), z.union([z.string(), z.array(z.string())]));
export const journalEntry = z
  .object({
    id,
    at: z.string(),
    dialect: z.string().nullable().meta({ description: 'jotform, razuna, livestorm, devtodev, limbo, or null' }),
    operation: z.string().nullable(),
    method: z.string(),
    url: z.string(),
    requestHeaders: headers,
    requestBody: z.unknown(),
    status: z.int().nullable(),
    responseBody: z.unknown(),
    durationMs: z.number(),
    workspaceId: id.nullable(),
    keyId: id.nullable(),
    fault: id.nullable(),
  })
  .register(registry, {
    id: 'JournalEntry',
    description:
      'One request to a dialect (or to an unknown route), secrets redacted. Bodies are JSON when they were JSON and within 16 KiB, else text (cut at 16 KiB). `status` null: no answer (a drop fault). `dialect` null: an unknown route outside every dialect. `fault`: the fault rule that acted on it.',
  });

const delayMs = z.int().min(0).max(600_000);
const faultMatch = z.strictObject({
  dialect: z.enum(DIALECT_NAMES).optional(),
  method: method.optional(),
  path: pathPattern.optional(),
  operation: z.string().min(1).max(200).optional(),
  workspace: id.optional(),
  keyId: id.optional(),
});
const faultAction = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('delay'),
    ms: z.union([delayMs, z.tuple([delayMs, delayMs]).refine(([a, b]) => a <= b, 'ms: a range [min, max] needs min ≤ max')]),
  }),
  z.strictObject({ type: z.literal('error'), error: z.enum(ERROR_NAMES), retryAfter: z.int().min(0).max(86_400).optional() }),
  z.strictObject({ type: z.literal('drop') }),
]);
export const createFaultBody = z
  .strictObject({ match: faultMatch.optional(), action: faultAction, times: z.int().min(1).max(1_000_000).optional(), probability: z.number().gt(0).max(1).optional() })
  // The example (run by test/openapi-truth.test.ts before the dialects' examples) names a workspace no example uses.
  .meta({ examples: [{ match: { dialect: 'livestorm', path: '/api/workspaces/424242/' }, action: { type: 'error', error: 'unavailable', retryAfter: 5 }, times: 1 }] });

export const faultRule = z
  .object({
    id,
    match: z.object({ dialect: z.string().optional(), method: z.string().optional(), path: z.string().optional(), operation: z.string().optional(), workspace: id.optional(), keyId: id.optional() }),
    action: z.union([
      z.object({ type: z.literal('delay'), ms: z.union([z.int(), z.array(z.int())]) }),
      z.object({ type: z.literal('error'), error: z.string(), retryAfter: z.int().optional() }),
      z.object({ type: z.literal('drop') }),
    ]),
    times: z.int().nullable(),
    probability: z.number(),
    fired: z.int(),
  })
  .register(registry, { id: 'FaultRule', description: 'A fault rule: which requests (match), what happens (action), how often (times: null = no cap; probability per request), and how often it fired.' });

export const clockBody = z
  .strictObject({ set: iso.optional(), advance: z.string().regex(DURATION, 'advance must be a duration such as 90s, 15m, 25h or 2d').optional() })
  .refine((b) => (b.set === undefined) !== (b.advance === undefined), 'give exactly one of set or advance')
  .meta({ examples: [{ advance: '25h' }] });
export const clockState = z
  .object({ now: z.string(), controlled: z.boolean() })
  .register(registry, { id: 'Clock', description: 'The time the core reads, and whether it is the controllable clock (LABELMUX_CLOCK).' });
