// Response schemas of the limbo dialect: they whitelist members and fix their order (documents as the vendor's
// examples, error members alphabetical). Errors and linkage are serialized from them by fast-json-stringify;
// resource documents are written as text in the same members and order (mapper.ts, test/limbo-render.test.ts).
import { z } from 'zod';

const jsonapi = z.object({ version: z.literal('1.0') });
const identifier = z.object({ type: z.string(), id: z.string() });
const relationship = z.object({
  links: z.object({ related: z.string(), self: z.string() }),
  data: z.union([identifier, z.array(identifier)]).optional(),
});
const selfLink = z.object({ self: z.string() });

const usage = z.object({ download: z.boolean(), copy_scan: z.boolean(), on_demand_stream: z.boolean(), non_interactive_stream: z.boolean() });
export const labelResource = z.object({
  type: z.literal('labels'),
  id: z.string(),
  attributes: z
    .object({
      name: z.string().optional(),
      usage: usage.optional(),
      description: z.string().nullable().optional(),
      'created-at': z.string().optional(),
      'updated-at': z.string().optional(),
    })
    .optional(),
  relationships: z.object({ company: relationship.optional(), products: relationship.optional() }).optional(),
  links: selfLink,
});

export const companyResource = z.object({
  type: z.literal('companies'),
  id: z.string(),
  attributes: z.object({ name: z.string().optional() }).optional(),
  links: selfLink,
});

/** Products carry their free attributes too (any JSON), after the fixed ones. */
export const productResource = z.object({
  type: z.literal('products'),
  id: z.string(),
  attributes: z
    .looseObject({ name: z.string().nullable().optional(), status: z.string().nullable().optional(), 'created-at': z.string().optional(), 'updated-at': z.string().optional() })
    .optional(),
  links: selfLink,
});

const includedResource = z.union([companyResource, productResource]);
const meta = z.object({
  page: z.object({ currentPage: z.int(), from: z.int(), lastPage: z.int(), perPage: z.int(), to: z.int(), total: z.int() }),
});
const pageLinks = { first: z.string(), last: z.string(), prev: z.string().optional(), next: z.string().optional() };

const singleDoc = <T extends z.ZodType>(data: T) =>
  z.object({ data, included: z.array(includedResource).optional(), jsonapi, links: selfLink });
const collectionDoc = <T extends z.ZodType>(data: T) =>
  z.object({ data: z.array(data), included: z.array(includedResource).optional(), meta, jsonapi, links: z.object(pageLinks) });

export const labelDoc = singleDoc(labelResource);
export const labelsDoc = collectionDoc(labelResource);
export const companyDoc = singleDoc(companyResource);
export const companiesDoc = collectionDoc(companyResource);
export const productDoc = singleDoc(productResource);
export const productsDoc = collectionDoc(productResource);
export const toOneDoc = z.object({ data: identifier, jsonapi, links: z.object({ self: z.string(), related: z.string() }) });
export const toManyDoc = z.object({ data: z.array(identifier), meta, jsonapi, links: z.object({ self: z.string(), related: z.string(), ...pageLinks }) });
export const noContent = z.null();

const errorObject = z.object({
  code: z.string().optional(),
  detail: z.string().optional(),
  source: z.object({ parameter: z.string().optional(), pointer: z.string().optional() }).optional(),
  status: z.string(),
  title: z.string(),
});
export const errorDoc = z.object({ jsonapi, errors: z.array(errorObject) });

/** Every error status a route may answer with. */
export const errors = Object.fromEntries([400, 401, 403, 404, 406, 409, 413, 415, 422, 429].map((s) => [s, errorDoc]));

export const tokenResponse = z.object({ token_type: z.literal('Bearer'), expires_in: z.int(), access_token: z.string(), refresh_token: z.string() });
export const oauthError = z.object({ error: z.string(), error_description: z.string() });
