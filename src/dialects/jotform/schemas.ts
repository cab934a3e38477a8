// Jotform Labels API wire schemas (docs/dialects.md and docs/dialects/jotform.md).
import { z } from 'zod';
import { DocRegistry } from '../../http/doc-registry.js';

/** Named components of the Jotform document. */
export const registry = new DocRegistry();

export const COLOR_MESSAGE = 'color must be a hex color like #22c55e';
export const RESOURCES_MAX = 1000;

const text = (field: string) => z.string({ error: (i) => (i.input === undefined ? `${field} is required` : `${field} must be a string`) });
/**
 * A parent as clients send it: a label id (number or digit string), the root label's 32-hex id, or empty for
 * top level — an empty form field (`parent=`, what @wojtekmaj/jotform's form encoder makes of `parent: null`)
 * or JSON null. Empty comes out as ''.
 */
const parentRef = (field: string) =>
  z
    .union([z.string(), z.number(), z.null()], { error: `${field} must be a label id` })
    .transform((v) => (v === null ? '' : String(v)))
    .pipe(z.string().regex(/^(|[1-9][0-9]{0,15}|[0-9a-f]{32})$/, `${field} must be a label id`));
const color = z.string({ error: COLOR_MESSAGE }).regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, COLOR_MESSAGE);
/**
 * The parent's aliases left out of the document: `parentID` and `parentId` are one identifier to generators
 * that camel-case names (orval emitted a duplicate), so they are accepted and checked at run time only.
 */
const HIDDEN_PARENTS = (['parentID', 'parentId'] as const).map((name) => [name, parentRef(name)] as const);

/** A missing body is an empty one; fields the vendor does not know are ignored, as the vendor does. */
const body = <T extends z.ZodRawShape>(shape: T, description: string) =>
  z.preprocess((v) => (v === undefined || v === null ? {} : v), z.looseObject(shape, { error: 'body must be an object' }).meta({ description }));

const labelShape = { color: color.optional(), parent: parentRef('parent').optional(), parent_id: parentRef('parent_id').optional() };
/**
 * Label fields with the parent resolved: the first present of `parent`, `parent_id`, `parentID`, `parentId`
 * wins ('' = top level); every alias present is checked, so a bad value is refused naming its field.
 */
const labelBody = <N extends z.ZodType<string | undefined>>(name: N, description: string) =>
  body({ name, ...labelShape }, description).transform((b, ctx) => {
    let parent = b.parent ?? b.parent_id;
    for (const [name, schema] of HIDDEN_PARENTS) {
      if (b[name] === undefined) continue;
      const r = schema.safeParse(b[name]);
      if (!r.success) ctx.issues.push({ code: 'custom', message: `${name} must be a label id`, path: [name], input: b[name] });
      else parent ??= r.data;
    }
    return { name: b.name as z.output<N>, color: b.color, parent };
  });
const ALIASES = 'The parent may also be sent as `parentID` or `parentId` (accepted, not listed: code generators merge the two names). An empty parent (`parent=` or JSON null) means top level. Other fields are ignored. A form body (urlencoded or multipart) or JSON.';

// Create and update differ only in `name`: required to create (the server refuses a create without it).
export const createLabelBody = labelBody(text('name'), `\`name\` is required. ${ALIASES}`).register(registry, { id: 'NewLabel' });
export const updateLabelBody = labelBody(text('name').optional(), `Only the fields sent change; a missing body changes nothing. ${ALIASES}`).register(registry, { id: 'LabelChanges' });
export type LabelBody = z.infer<typeof updateLabelBody>;

const resourceRef = z.looseObject({
  id: z.union([z.string().min(1).max(255), z.int().nonnegative()], { error: 'resource id must be a string' }).transform(String),
  type: z.string({ error: 'resource type must be a string' }).regex(/^[a-z][a-z0-9_]{0,31}$/, 'resource type must match [a-z][a-z0-9_]{0,31}'),
});
export const resourcesBody = body({
  resources: z
    .array(resourceRef, { error: (i) => (i.input === undefined ? 'resources is required' : 'resources must be an array of {id, type}') })
    .min(1, 'resources must not be empty')
    .max(RESOURCES_MAX, `resources must contain at most ${RESOURCES_MAX} items`),
}, 'Fields other than `resources` (and than `id`, `type` in each resource) are ignored.').register(registry, { id: 'ResourceList' });

export const idParams = z.object({ id: z.string() });

export const ORDER_FIELDS = ['created_at', 'id', 'type', 'title'] as const;
const ORDERBY_MESSAGE = `orderby must be one of ${ORDER_FIELDS.join(', ')}, optionally followed by ,ASC or ,DESC`;
/**
 * `orderby=<field>` or `orderby=<field>,<direction>`: the JavaScript clients (@wojtekmaj/jotform, the old
 * official Node client) send the direction that way and never as `direction`. Any letter case.
 */
const orderby = z
  .string()
  .meta({ description: `One of ${ORDER_FIELDS.join(', ')}, optionally with the direction after a comma (\`id,DESC\`); any letter case. A direction here wins over \`direction\`.`, examples: ['created_at', 'id,DESC'] })
  .transform((v, ctx) => {
    const [field = '', dir, ...rest] = v.split(',').map((p) => p.trim().toLowerCase());
    const f = ORDER_FIELDS.find((o) => o === field);
    if (f === undefined || rest.length > 0) return (ctx.issues.push({ code: 'custom', message: ORDERBY_MESSAGE, input: v }), z.NEVER);
    if (dir === undefined) return { field: f };
    if (dir !== 'asc' && dir !== 'desc') return (ctx.issues.push({ code: 'custom', message: 'orderby direction must be ASC or DESC', input: v }), z.NEVER);
    return { field: f, direction: dir as 'asc' | 'desc' };
  });
const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);
/** Unknown query parameters are ignored (cache busters, the apiKey); known ones are checked. */
export const resourcesQuery = z.object({
  apiKey: z.string().optional(),
  offset: z.coerce.number({ error: 'offset must be a number' }).int('offset must be an integer').min(0, 'offset must be 0 or more').max(1_000_000_000, 'offset is too large').default(0),
  limit: z.coerce.number({ error: 'limit must be a number' }).int('limit must be an integer').min(1, 'limit must be between 1 and 1000').max(1000, 'limit must be between 1 and 1000').default(20),
  orderby: orderby.optional(),
  direction: z.preprocess(upper, z.enum(['ASC', 'DESC'], { error: 'direction must be ASC or DESC' })).optional(),
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
