// Jotform Labels API wire schemas (../shared/spec/jotform.md).
import { z } from 'zod';
import { DocRegistry } from '../../http/doc-registry.js';

/** Named components of the Jotform document. */
export const registry = new DocRegistry();

export const COLOR_MESSAGE = 'color must be a hex color like #22c55e';
export const RESOURCES_MAX = 1000;

const text = (field: string) => z.string({ error: (i) => (i.input === undefined ? `${field} is required` : `${field} must be a string`) });
/** A label reference as clients send it: a number or a digit string, or the root label's 32-hex id. */
const labelRef = (field: string) =>
  z.union([z.string(), z.number()], { error: `${field} must be a label id` }).transform(String).pipe(z.string().regex(/^([1-9][0-9]{0,15}|[0-9a-f]{32})$/, `${field} must be a label id`));
const color = z.string({ error: COLOR_MESSAGE }).regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, COLOR_MESSAGE);
const labelFields = {
  name: text('name').optional(),
  color: color.optional(),
  parent: labelRef('parent').optional(),
  parent_id: labelRef('parent_id').optional(),
  parentID: labelRef('parentID').optional(),
  parentId: labelRef('parentId').optional(),
};
const body = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess((v) => (v === undefined || v === null ? {} : v), z.strictObject(shape, { error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'body must be an object') }));

export const labelBody = body(labelFields).register(registry, { id: 'LabelFields', description: 'A form body (urlencoded or multipart) or JSON; a missing body is an empty one.' });

const resourceRef = z.strictObject({
  id: z.union([z.string().min(1).max(255), z.int().nonnegative()], { error: 'resource id must be a string' }).transform(String),
  type: z.string({ error: 'resource type must be a string' }).regex(/^[a-z][a-z0-9_]{0,31}$/, 'resource type must match [a-z][a-z0-9_]{0,31}'),
});
export const resourcesBody = body({
  resources: z
    .array(resourceRef, { error: (i) => (i.input === undefined ? 'resources is required' : 'resources must be an array of {id, type}') })
    .min(1, 'resources must not be empty')
    .max(RESOURCES_MAX, `resources must contain at most ${RESOURCES_MAX} items`),
}).register(registry, { id: 'ResourceList' });

export const idParams = z.object({ id: z.string() });

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);
export const resourcesQuery = z.object({
  apiKey: z.string().optional(),
  offset: z.coerce.number({ error: 'offset must be a number' }).int('offset must be an integer').min(0, 'offset must be 0 or more').max(1_000_000_000, 'offset is too large').default(0),
  limit: z.coerce.number({ error: 'limit must be a number' }).int('limit must be an integer').min(1, 'limit must be between 1 and 1000').max(1000, 'limit must be between 1 and 1000').default(20),
  orderby: z.enum(['created_at', 'id', 'type', 'title'], { error: 'orderby must be one of created_at, id, type, title' }).default('created_at'),
  direction: z.preprocess(upper, z.enum(['ASC', 'DESC'], { error: 'direction must be ASC or DESC' })).default('ASC'),
  type: z.string().max(32).optional(),
  status: z.string().max(255).optional(),
});

/** Members in the vendor's order: responseCode, message, content, duration, [resultSet,] limit-left. */
export const envelope = <T extends z.ZodType>(content: T) =>
  z.object({ responseCode: z.int(), message: z.string(), content, duration: z.string(), 'limit-left': z.int() });

export const label = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  parent: z.string().nullable(),
  owner: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
}).register(registry, { id: 'Label', description: 'ids are strings; a top-level label\'s parent is the root label\'s id; dates are "YYYY-MM-DD HH:MM:SS" UTC; owner is the creator\'s email.' });
export interface TreeLabel extends z.infer<typeof label> {
  sublabels: TreeLabel[];
}
export const treeLabel: z.ZodType<TreeLabel> = label.extend({ sublabels: z.array(z.lazy(() => treeLabel)) }).register(registry, { id: 'LabelTree', description: 'A label with its sublabels, ordered by name.' });
export const resourceRefOut = z.object({ id: z.string(), type: z.string() }).register(registry, { id: 'ResourceRef' });
export const resourceOut = z.looseObject({
  id: z.string(),
  type: z.string(),
  title: z.string().nullable(),
  status: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
}).register(registry, { id: 'Resource', description: 'A resource the label is assigned to, with its free attributes as extra members.' });
export const resourcesEnvelope = z.object({
  responseCode: z.int(),
  message: z.string(),
  content: z.array(resourceOut),
  duration: z.string(),
  resultSet: z.object({ offset: z.int(), limit: z.int(), count: z.int() }),
  'limit-left': z.int(),
});
export const errorEnvelope = envelope(z.literal(''))
  .extend({ info: z.string().optional() })
  .register(registry, { id: 'ErrorEnvelope', description: 'HTTP status = responseCode; message says what is wrong; 401 carries an info link to the docs.' });
