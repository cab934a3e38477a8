// Admin API wire schemas (docs/admin.md, "Admin API").
import { z } from 'zod';
import { ROLES } from '../core/index.js';
import { DocRegistry } from '../http/doc-registry.js';
import type { OpenApiDocument } from '../http/openapi.js';

/** Named components of the admin document. */
export const registry = new DocRegistry();

const id = z.int().positive();
// Path ids are integers, as in every answer (the path carries their digits): documented as such.
const idParam = z.string().regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer id').transform(Number).meta({ type: 'integer', minimum: 1, pattern: undefined });
const iso = z.string();
const json = z.record(z.string(), z.unknown());

export const wsParams = z.object({ id: idParam });
export const memberParams = z.object({ id: idParam, userId: idParam });
// Request examples work when sent as they are, in order, to a fresh server with its demo workspace (id 1,
// owner user 1): the user they create is user 2 (see PATH_EXAMPLES).
export const createWorkspaceBody = z.strictObject({ name: z.string().max(1000) }).meta({ examples: [{ name: 'Acme' }] });
export const createUserBody = z
  .strictObject({ email: z.string().max(254), name: z.string().max(1000), password: z.string().max(1024).optional() })
  .meta({ examples: [{ email: 'ada@example.com', name: 'Ada', password: 'correct horse battery' }] });
export const setMemberBody = z.strictObject({ role: z.enum(ROLES) }).meta({ examples: [{ role: 'member' }] });
export const createKeyBody = z
  .strictObject({
    user_id: id,
    workspace_id: id.nullable().optional(),
    name: z.string().max(255).optional(),
    key: z.string().regex(/^[0-9a-f]{32}$/, 'key must be 32 lowercase hexadecimal characters').optional().meta({ description: 'A chosen key value (32 lowercase hex), e.g. a test suite\'s fixed key; generated when omitted. Unique: 409 when another key has it.' }),
  })
  .meta({ examples: [{ user_id: 2, workspace_id: 1, name: 'ci' }] });
/** The resources the dialects' request examples assign labels to (Livestorm item 42, limbo product 9001, a Razuna image). */
export const DEMO_RESOURCES = [
  { type: 'library_item', id: '42', name: 'Intro video' },
  { type: 'product', id: '9001', name: 'Debut Album', status: 'live' },
  { type: 'img', id: 'a1', name: 'beach.jpg', attributes: { ext: 'jpg' } },
];
export const upsertResourcesBody = z
  .strictObject({
    resources: z
      .array(z.strictObject({ type: z.string().max(32), id: z.string().max(255), name: z.string().max(1000).nullable().optional(), status: z.string().max(255).nullable().optional(), attributes: json.optional() }))
      .max(10_000),
  })
  .meta({ examples: [{ resources: DEMO_RESOURCES }] });
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

const IMPORT_EXAMPLE = {
  format: 'labelmux-workspace',
  version: 1,
  workspace: { name: 'Acme' },
  labels: [],
  resources: [{ type: 'form', id: '232143945675058', name: 'Contact', status: null, attributes: {}, created_at: 1790000000000, updated_at: 1790000000000, label_ids: [] }],
};

/** Path parameters of the request examples, by operation (other ids: 1, the demo workspace). */
const PATH_EXAMPLES: Record<string, Record<string, number>> = {
  deleteUser: { id: 2 },
  revokeApiKey: { id: 2 },
  setMember: { id: 1, userId: 2 },
  removeMember: { id: 1, userId: 2 },
  importWorkspace: { id: 2 }, // the empty workspace createWorkspace made
  deleteWorkspace: { id: 2 }, // the same, once the examples before it are done with it
};

/** Path parameter examples, and the import example (a body too long for the schema's metadata). */
export function documentExamples(doc: OpenApiDocument): void {
  // A type-only import of openapi.ts: the CLI loads this module and must not load the swagger plugins.
  for (const op of Object.values<OpenApiDocument>(doc.paths).flatMap((item) => Object.values<OpenApiDocument>(item))) {
    for (const p of op.parameters ?? []) if (p.in === 'path') p.example = PATH_EXAMPLES[op.operationId]?.[p.name] ?? 1;
    if (op.operationId === 'importWorkspace') op.requestBody.content['application/json'].example = IMPORT_EXAMPLE;
  }
}

export const problem = z
  .object({ type: z.string(), title: z.string(), status: z.int(), detail: z.string() })
  .register(registry, { id: 'Problem', description: 'RFC 9457 problem details.' });
