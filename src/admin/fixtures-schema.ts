// The fixture document's shape (docs/fixtures.md), and its JSON Schema for editors: served at
// GET /_admin/fixtures.schema.json and committed as docs/fixtures.schema.json. What the shape cannot say
// (references between elements, unique names and keys) the core checks (core/fixtures.ts).
import { z } from 'zod';
import { ROLES } from '../core/index.js';

const text = (max: number) => z.string().max(max);
const key = z.string().regex(/^[0-9a-f]{32}$/, 'key must be 32 lowercase hexadecimal characters').meta({ description: 'The API key itself, as clients send it: 32 lowercase hex characters. Stored hashed.' });
/** A time as UTC milliseconds or an ISO 8601 date-time with offset (2026-12-24T18:00:00Z). */
const time = z
  .union([z.int(), z.iso.datetime({ offset: true })])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)))
  .meta({ description: 'UTC milliseconds, or an ISO 8601 date-time with offset such as 2026-12-24T18:00:00Z.' });
const labelRef = z
  .union([text(255).min(1), z.array(text(255).min(1)).min(1).max(64)])
  .meta({ description: 'A label of the same workspace: its name (when no other label there has it), or its path of names from the top, e.g. ["Marketing", "Q1"].' });
const json = z.record(z.string(), z.unknown());

const label = z
  .strictObject({
    name: text(1000).meta({ description: 'Unique among its siblings (ignoring case), timed labels excepted.' }),
    parent: labelRef.nullable().optional(),
    color: text(7).nullable().optional().meta({ description: '#rrggbb or #rgb; labelmux\'s default colour (#6366f1) when omitted.' }),
    description: text(10_000).optional(),
    starts_at: time.nullable().optional().meta({ description: 'A timed label (devtodev\'s, Livestorm\'s events): its start.' }),
    ends_at: time.nullable().optional(),
    extras: json.optional().meta({ description: 'Dialect-owned attributes, as the export document has them.' }),
  })
  .meta({ description: 'A label. Ids are numbered from 1 in document order across all workspaces.' });

const resource = z.strictObject({
  type: text(32).meta({ description: 'form, library_item, img, product, … ([a-z][a-z0-9_]{0,31})' }),
  id: text(255).meta({ description: 'The external id clients use (Jotform form id, Livestorm item id, limbo product id …).' }),
  name: text(1000).nullable().optional(),
  status: text(255).nullable().optional(),
  attributes: json.optional(),
  labels: z.array(labelRef).max(10_000).optional().meta({ description: 'The labels assigned to it.' }),
});

const workspace = z.strictObject({
  uuid: z.uuid().optional().meta({ description: 'Chosen uuid (devtodev\'s app_id, limbo\'s company id, the Jotform root label); random once per load when omitted.' }),
  name: text(1000),
  members: z.array(z.strictObject({ user: text(254).meta({ description: 'Email of one of `users`.' }), role: z.enum(ROLES) })).optional(),
  api_keys: z
    .array(z.strictObject({ key, user: text(254).meta({ description: 'Email of a member of this workspace.' }), name: text(255).optional() }))
    .optional()
    .meta({ description: 'Keys that act in this workspace only.' }),
  labels: z.array(label).max(100_000).optional(),
  resources: z.array(resource).max(100_000).optional(),
});

const user = z.strictObject({
  email: text(254),
  name: text(1000),
  password: z.string().min(8).max(1024).optional().meta({ description: 'For limbo\'s POST /oauth/token.' }),
  api_keys: z
    .array(z.strictObject({ key, name: text(255).optional() }))
    .optional()
    .meta({ description: 'User-wide keys: they act in every workspace the user is a member of.' }),
});

export const fixturesDocument = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'For editors: the URL of this schema.' }),
    users: z.array(user).max(100_000).optional(),
    workspaces: z.array(workspace).max(10_000).optional(),
  })
  .meta({
    title: 'labelmux fixtures',
    description: 'The state labelmux starts from and POST /_admin/reset returns to: users, workspaces with members, API keys with chosen values, a label tree, resources and their labels (docs/fixtures.md).',
  });

export type FixturesInput = z.input<typeof fixturesDocument>;

/** The JSON Schema (draft 2020-12) of the document as written by hand (times as text or numbers). */
export function fixturesJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(fixturesDocument, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

/** The schema as served and committed (docs/fixtures.schema.json; `npx tsx scripts/fixtures-schema.ts` writes it). */
export const fixturesSchemaText = (): string => `${JSON.stringify({ $id: 'fixtures.schema.json', ...fixturesJsonSchema() }, null, 2)}\n`;
