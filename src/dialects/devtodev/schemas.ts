// devtodev Labels API wire schemas (docs/dialects.md and docs/dialects/devtodev.md). Custom messages leave out the field: the
// error renderer puts the full path in front ("labels.2.end_date must not be before start_date").
import { z } from 'zod';
import { isCoreError } from '../../core/index.js';
import { normalizeName } from '../../core/index.js';
import { DocRegistry } from '../../http/doc-registry.js';

/** Named components of the devtodev document. */
export const registry = new DocRegistry();

export const MAX_PER_REQUEST = 30;
export const LIMITS = { name: 255, description: 1000, category: 255 } as const;
/** 9999-12-31T23:59:59Z: keeps times in milliseconds far inside safe integers. */
export const MAX_SECONDS = 253_402_300_799;
const MAX_IDS = 1000;
const MAX_IN = 1000;

/** The first `max` characters (code points), never splitting a surrogate pair, as the vendor cuts. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let out = '';
  let n = 0;
  for (const ch of s) {
    if (n++ === max) break;
    out += ch;
  }
  return out;
}

const RULE_MESSAGE: Record<string, string> = { required: 'must not be empty', control_chars: 'must not contain control characters' };

/** Cut to `max`, then the core's name rule (trimmed, not empty, no control characters); '' allowed when `emptyOk`. */
const nameLike = (max: number, emptyOk: boolean) =>
  z.string().transform((v, ctx) => {
    const trimmed = cut(v.trim(), max).trim();
    if (emptyOk && trimmed === '') return '';
    try {
      return normalizeName(trimmed);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (isCoreError(e) && RULE_MESSAGE[e.details.rule ?? '']) || 'is not a valid name', input: v });
      return z.NEVER;
    }
  });

const labelName = nameLike(LIMITS.name, false);
const category = nameLike(LIMITS.category, true);
const description = z.string().transform((v) => cut(v, LIMITS.description));
/** Integers only (no numeric strings); a missing value keeps the default "is required". */
const int = () => z.int({ error: (i) => (i.code === 'invalid_type' && i.input !== undefined ? 'must be an integer' : undefined) });
const seconds = int().min(0).max(MAX_SECONDS);
const labelId = int().positive();

/** Credentials are checked by the plugin's hook before the body is validated; here they are just allowed. */
const body = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject({
    user_token: z.string().describe('The API key (code 1 when missing or invalid).'),
    app_id: z.string().describe('The workspace uuid (code 2 when missing, unknown or not reachable with this token).'),
    ...shape,
  });

export const credentialsBody = body({});

const filterValue = <T extends z.ZodType>(scalar: T, what: string) => {
  const list = z.union([scalar, z.array(scalar).max(MAX_IN)], { error: `must be ${what} or an array of at most ${MAX_IN} of them` });
  return z
    .strictObject(
      { gt: scalar.optional(), lt: scalar.optional(), gte: scalar.optional(), lte: scalar.optional(), eq: list.optional(), neq: list.optional() },
      { error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'must be an object of operators (gt, lt, gte, lte, eq, neq)') },
    )
    .optional();
};
const filterSeconds = int().min(-MAX_SECONDS).max(MAX_SECONDS);
export const FILTER_FIELDS = ['id', 'name', 'description', 'category', 'start_date', 'end_date'] as const;
export const FILTER_OPERATORS = ['gt', 'lt', 'gte', 'lte', 'eq', 'neq'] as const;

export const filter = z.strictObject(
  {
    id: filterValue(int(), 'an integer'),
    name: filterValue(z.string(), 'a string'),
    description: filterValue(z.string(), 'a string'),
    category: filterValue(z.string(), 'a string'),
    start_date: filterValue(filterSeconds, 'an integer (Unix seconds)'),
    end_date: filterValue(filterSeconds, 'an integer (Unix seconds)'),
  },
  { error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'must be an object keyed by field') },
);
export type Filter = z.infer<typeof filter>;

export const getBody = body({ filter: filter.nullish() });

const newLabel = z
  .strictObject({
    name: labelName,
    description: description.nullish(),
    category: category.nullish(),
    start_date: seconds,
    end_date: seconds.nullish(),
  })
  .superRefine((l, ctx) => {
    if (l.end_date != null && l.end_date < l.start_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must not be before start_date', input: l.end_date });
  });
export type NewLabel = z.infer<typeof newLabel>;

export const createBody = body({
  labels: z
    .array(newLabel)
    .min(1, 'must contain at least one label')
    .max(MAX_PER_REQUEST, `must contain at most ${MAX_PER_REQUEST} labels`),
});

const labelEdit = z
  .strictObject({
    id: labelId,
    name: labelName.nullish(),
    description: description.nullish(),
    category: category.nullish(),
    start_date: seconds.nullish(),
    end_date: seconds.nullish(),
  })
  .superRefine((l, ctx) => {
    if (l.end_date == null) return;
    if (l.start_date == null) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'cannot be given without start_date', input: l.end_date });
    else if (l.end_date < l.start_date) ctx.addIssue({ code: 'custom', path: ['end_date'], message: 'must not be before start_date', input: l.end_date });
  });
export type LabelEdit = z.infer<typeof labelEdit>;

export const editBody = body({ label: labelEdit });

export const deleteBody = body({
  ids: z.array(labelId).min(1, 'must contain at least one id').max(MAX_IDS, `must contain at most ${MAX_IDS} ids`),
});

export const deleteCategoryBody = body({
  category: category.refine((v) => v !== '', 'must not be empty'),
  move_labels_to_category: category.nullish(),
});

export const label = z.object({
  id: z.int(),
  name: z.string(),
  description: z.string(),
  category: z.string(),
  start_date: z.int(),
  end_date: z.int(),
}).register(registry, { id: 'Label', description: 'An annotation: start_date/end_date are Unix seconds (equal for a point event); category "" = none.' });

const ok = <T extends z.ZodRawShape>(data: T) => z.object({ status_code: z.literal(200), data: z.object(data) });
export const categoriesResponse = ok({ status: z.literal('complete'), categories: z.array(z.string()) });
export const categoryDeletedResponse = ok({ status: z.literal('deleted'), category: z.string() });
export const labelsResponse = ok({ status: z.literal('complete'), labels: z.array(label) });
export const createdResponse = ok({ status: z.literal('created'), labels: z.array(label) });
export const editedResponse = ok({ status: z.literal('edited'), label });
export const deletedResponse = ok({ status: z.literal('deleted'), ids: z.array(z.int()) });

export const errorBody = z
  .object({ status_code: z.int(), errors: z.array(z.object({ code: z.int(), msg: z.string() })) })
  .register(registry, { id: 'ErrorBody', description: 'HTTP status = status_code; one error per bad field; `code` is from the table in the document description (x-error-codes).' });
