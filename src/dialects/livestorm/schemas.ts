// Livestorm Nexus wire schemas (../shared/spec/livestorm.md). Messages written here are the vendor's.
import { z } from 'zod';
import { DocRegistry } from '../../http/doc-registry.js';
import { idParam, parseId } from '../types.js';

/** Named components of the Livestorm document. */
export const registry = new DocRegistry();

export const COLOR_MESSAGE = 'color must be a hex color like #22c55e';
export const DEFAULT_COLOR = '#6366f1';

const id = z.int().positive();
const unixSeconds = z.int();
const name = z.string({ error: (i) => (i.input === undefined || i.input === null ? 'Name is required' : 'name must be a string') });
const color = z.string({ error: COLOR_MESSAGE }).regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, COLOR_MESSAGE);
/** A missing body is an empty object: a create without a body is "Name is required", not a type error. */
const body = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess((v) => (v === undefined || v === null ? {} : v), z.strictObject(shape, { error: (i) => (i.code === 'unrecognized_keys' ? undefined : 'body must be a JSON object') }));

export const workspaceParams = z.object({ id: z.string() });
export const labelParams = z.object({ id: z.string(), labelId: idParam() });
const itemId = z.string().max(255);
export const itemParams = z.object({ id: z.string(), itemId });
export const itemLabelParams = z.object({ id: z.string(), itemId, labelId: idParam() });

export const createLabelBody = body({ name, color: color.optional() });
export const updateLabelBody = body({ name: name.optional(), color: color.optional() });
export const assignBody = body({
  label_id: id.optional(),
  label_ids: z.array(id).min(1).max(100).optional(),
}).refine((b) => (b.label_id === undefined) !== (b.label_ids === undefined), { message: 'give exactly one of label_id or label_ids' });

export const libraryQuery = z.strictObject({
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

export const errorBody = z.object({ error: z.string() }).register(registry, { id: 'Error' });
export const okBody = z.object({ ok: z.literal(true) });
export const listLabelsResponse = z.object({ labels: z.array(labelListItem) });
export const oneLabelResponse = z.object({ label: labelOut });
export const libraryResponse = z.object({ items: z.array(item), total: z.int() });
export const itemResponse = z.object({ item });
export const itemLabelsResponse = z.object({ labels: z.array(labelSummary) });
