// Livestorm Nexus wire schemas (docs/dialects.md and docs/dialects/livestorm.md). Messages written here are the vendor's.
import { z } from 'zod';
import { DocRegistry } from '../../http/doc-registry.js';
import { idParam, parseId } from '../types.js';

/** Named components of the Livestorm document. */
export const registry = new DocRegistry();

export const COLOR_MESSAGE = 'color must be a hex color like #22c55e';

const id = z.int().positive();
const unixSeconds = z.int();
const name = z.string({ error: (i) => (i.input === undefined || i.input === null ? 'Name is required' : 'name must be a string') });
const color = z.string({ error: COLOR_MESSAGE }).regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, COLOR_MESSAGE);
/**
 * A missing body is an empty object: a create without a body is "Name is required", not a type error. Fields
 * the vendor does not know are ignored (as it does), so the label object a GET returned can be sent back.
 */
const body = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess((v) => (v === undefined || v === null ? {} : v), z.object(shape, { error: 'body must be a JSON object' }));

/**
 * A path id: Livestorm ids are integers, and documented so; the wire carries text, so it is checked as
 * digits (anything else is the vendor's 404, see errors.ts) and documented as the integer it stands for.
 */
const pathId = () => idParam().meta({ type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const itemId = z.string().max(255);
export const workspaceParams = z.object({ id: pathId() });
export const labelParams = z.object({ id: pathId(), labelId: pathId() });
export const itemParams = z.object({ id: pathId(), itemId });
export const itemLabelParams = z.object({ id: pathId(), itemId, labelId: pathId() });

export const createLabelBody = body({ name, color: color.optional() });
export const updateLabelBody = body({ name: name.optional(), color: color.optional() });
export const assignBody = body({
  label_id: id.optional(),
  label_ids: z.array(id).min(1).max(100).optional(),
}).refine((b) => (b.label_id === undefined) !== (b.label_ids === undefined), { message: 'give exactly one of label_id or label_ids' });

/** Unknown query parameters are ignored, as on every route (jQuery's `_=<timestamp>` cache buster); known ones are checked. */
export const libraryQuery = z.object({
  label: z.string().refine((v) => parseId(v) !== null, 'label must be a label id').transform(Number).optional(),
  search: z.string().max(255).optional(),
  sort: z.enum(['date', 'name', 'size']).default('date'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number({ error: 'limit must be a number' }).int('limit must be an integer').min(1, 'limit must be between 1 and 100').max(100, 'limit must be between 1 and 100').default(50),
  offset: z.coerce.number({ error: 'offset must be a number' }).int('offset must be an integer').min(0, 'offset must be 0 or more').max(1_000_000_000, 'offset is too large').default(0),
});

export const labelListItem = z
  .object({ id, name: z.string(), color: z.string(), created_by_name: z.string().nullable(), created_at: unixSeconds })
  .register(registry, { id: 'LabelListItem', description: 'created_at is Unix seconds; created_by_name is null once the creator is deleted.' });
export const labelOut = z.object({ id, name: z.string(), color: z.string(), created_at: unixSeconds }).register(registry, { id: 'Label' });
export const labelSummary = z.object({ id, name: z.string(), color: z.string() }).register(registry, { id: 'LabelSummary' });

export const item = z.object({
  id: z.union([z.int(), z.string()]),
  workspace_id: id,
  name: z.string().nullable(),
  description: z.string().nullable(),
  mime_type: z.string().nullable(),
  size: z.number().nullable(),
  duration: z.number().nullable(),
  labels: z.array(labelSummary),
  created_at: unixSeconds,
  updated_at: unixSeconds,
}).register(registry, { id: 'LibraryItem', description: 'A media-library item (a resource of type library_item) with the labels it carries.' });

export const errorBody = z.object({ error: z.string() }).register(registry, { id: 'ErrorBody' });
export const okBody = z.object({ ok: z.literal(true) });
export const listLabelsResponse = z.object({ labels: z.array(labelListItem) });
export const oneLabelResponse = z.object({ label: labelOut });
export const libraryResponse = z.object({ items: z.array(item), total: z.int() });
export const itemResponse = z.object({ item });
export const itemLabelsResponse = z.object({ labels: z.array(labelSummary) });
