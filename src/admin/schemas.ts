// Admin API wire schemas (../shared/spec/README.md, "Admin API").
import { z } from 'zod';
import { ROLES } from '../core/types.js';
import { DocRegistry } from '../http/doc-registry.js';

/** Named components of the admin document. */
export const registry = new DocRegistry();

const id = z.int().positive();
const idParam = z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer id').transform(Number);
const iso = z.string();
const json = z.record(z.string(), z.unknown());

export const wsParams = z.object({ id: idParam });
export const memberParams = z.object({ id: idParam, userId: idParam });
export const createWorkspaceBody = z.strictObject({ name: z.string().max(1000) });
export const createUserBody = z.strictObject({ email: z.string().max(254), name: z.string().max(1000), password: z.string().max(1024).optional() });
export const setMemberBody = z.strictObject({ role: z.enum(ROLES) });
export const createKeyBody = z.strictObject({ user_id: id, workspace_id: id.nullable().optional(), name: z.string().max(255).optional() });
export const upsertResourcesBody = z.strictObject({
  resources: z
    .array(z.strictObject({ type: z.string().max(32), id: z.string().max(255), name: z.string().max(1000).nullable().optional(), status: z.string().max(255).nullable().optional(), attributes: json.optional() }))
    .max(10_000),
});
export const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const workspace = z.object({ id, uuid: z.string(), name: z.string(), created_at: iso }).register(registry, { id: 'Workspace' });
export const user = z.object({ id, email: z.string(), name: z.string() }).register(registry, { id: 'User' });
export const member = z.object({ workspace_id: id, user_id: id, role: z.enum(ROLES) }).register(registry, { id: 'Member' });
export const apiKey = z
  .object({ id, key: z.string().optional(), workspace_id: id.nullable(), user_id: id, name: z.string(), created_at: iso })
  .register(registry, { id: 'ApiKey', description: '`key` (32 hex characters) is present only when the key is created.' });
export const event = z.object({
  id,
  workspace_id: id,
  actor_user_id: id.nullable(),
  api_key_id: id.nullable(),
  dialect: z.string(),
  action: z.string(),
  label_id: id.nullable(),
  before: z.unknown(),
  after: z.unknown(),
  at: iso,
}).register(registry, { id: 'Event', description: 'One audit event; before/after are the label (or assignment) around the change, null where it did not exist.' });

// Import documents are checked against the invariants every exported document already satisfies, so a
// hand-edited document cannot store what the core would refuse (upper-case or short colours, untrimmed
// names, inverted time spans, duplicate ids that the store would silently drop).
const exportedLabel = z.strictObject({
  id,
  parent_id: id.nullable(),
  name: z.string(),
  color: z.string().regex(/^#[0-9a-f]{6}$/).nullable(),
  description: z.string(),
  starts_at: z.int().nullable(),
  ends_at: z.int().nullable(),
  extras: json,
  created_by_email: z.string().nullable(),
  created_at: z.int(),
  updated_at: z.int(),
});
const exportedResource = z.strictObject({
  type: z.string(),
  id: z.string(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  attributes: json,
  created_at: z.int(),
  updated_at: z.int(),
  label_ids: z.array(id),
});
export const workspaceExport = z
  .strictObject({
    format: z.literal('labelmux-workspace'),
    version: z.literal(1),
    workspace: z.strictObject({ name: z.string() }),
    labels: z.array(exportedLabel),
    resources: z.array(exportedResource),
  })
  .superRefine((doc, ctx) => {
    const ids = new Set<number>();
    doc.labels.forEach((l, i) => {
      if (ids.has(l.id)) ctx.addIssue({ code: 'custom', path: ['labels', i, 'id'], message: `labels.${i}.id: label id ${l.id} appears twice` });
      ids.add(l.id);
      if (l.name !== l.name.trim()) ctx.addIssue({ code: 'custom', path: ['labels', i, 'name'], message: `labels.${i}.name must not start or end with whitespace` });
      if (l.ends_at !== null && l.starts_at === null) ctx.addIssue({ code: 'custom', path: ['labels', i, 'ends_at'], message: `labels.${i}.ends_at needs starts_at` });
      if (l.starts_at !== null && l.ends_at !== null && l.ends_at < l.starts_at) {
        ctx.addIssue({ code: 'custom', path: ['labels', i, 'ends_at'], message: `labels.${i}.ends_at must not be before starts_at` });
      }
    });
    doc.resources.forEach((r, i) => {
      if (new Set(r.label_ids).size !== r.label_ids.length) {
        ctx.addIssue({ code: 'custom', path: ['resources', i, 'label_ids'], message: `resources.${i}.label_ids must not repeat a label id` });
      }
    });
  })
  .register(registry, { id: 'WorkspaceExport', description: 'A whole workspace (format labelmux-workspace, version 1): labels with their tree, resources with their label ids.' });

export const problem = z
  .object({ type: z.string(), title: z.string(), status: z.int(), detail: z.string() })
  .register(registry, { id: 'Problem', description: 'RFC 9457 problem details.' });
