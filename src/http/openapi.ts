// One OpenAPI 3.1 document per front end: each dialect (and the admin API) is registered inside its own
// scope with its own @fastify/swagger instance, so a document describes exactly that front end's routes.
// The zod route schemas that validate requests are the ones converted here; schemas registered in the
// front end's DocRegistry become named components. A front end's `finish` hook adds what route schemas
// cannot say (content types, engine-read parameters), then every document is finalized the same way:
// paths written relative to the front end's servers, the statuses the transport adds (408, 413, 429 with
// Retry-After), response descriptions, unused components pruned. Documents are byte-stable (no clock; the
// servers are relative unless LABELMUX_PUBLIC_URL is set).
import { STATUS_CODES } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { DocRegistry } from './doc-registry.js';
import { BUILD_INFO } from '../build-info.js';

export { DocRegistry };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpenApiDocument = Record<string, any>;
export type DocumentSource = () => OpenApiDocument;

export interface DocumentOptions {
  title: string;
  description: string;
  /** Named components (response and request schemas registered with an `id`). */
  registry?: DocRegistry;
  securitySchemes?: Record<string, object>;
  /** The security requirement of every operation that does not set its own. */
  security?: Record<string, string[]>[];
  tags?: { name: string; description?: string }[];
  /**
   * The front end's base paths, relative to its configured prefix (`LABELMUX_<DIALECT>_PREFIX`): one Server
   * Object each, and every path is written relative to them (Jotform: `/API` and `/API/v1`, paths
   * `/user/labels`…). A path served under only some of them lists those in its Path Item. Default: `''`.
   */
  servers?: { url: string; description?: string }[];
  /** Set by the app: the public base URL (LABELMUX_PUBLIC_URL) and the configured prefix the servers start with. */
  at?: { publicUrl?: string | undefined; prefix?: string };
  /**
   * Statuses the transport adds to every operation, in the front end's own error shape (the content of the
   * operation's first 4xx response): 413 on operations with a body unless `tooLarge` is false (the front end
   * answers another status), 429 on authenticated operations unless `rateLimited` is false (the generic
   * limit does not count the front end's requests; a text documents the front end's own 429 instead), 415 on operations that take a form body unless `charset`
   * is false (the front end answers a form in an unknown charset with another status). A `finish` hook may
   * set them itself.
   */
  limits?: { tooLarge?: boolean; rateLimited?: boolean | string; charset?: boolean };
  /** Post-processing for behaviour the route schemas cannot describe; may mutate `doc` (paths are server-relative). */
  finish?: (doc: OpenApiDocument) => void;
}

/** The documents' `info.version`: the package's, so a client can tell which server a document describes. */
export const VERSION = BUILD_INFO.version;

/** Registers `body` in a scope that owns an OpenAPI document; returns a getter for that document. */
export async function documented(app: FastifyInstance, options: DocumentOptions, body: (scope: FastifyInstance) => Promise<void>): Promise<DocumentSource> {
  const registry = options.registry ?? new DocRegistry();
  let raw: () => OpenApiDocument = () => ({});
  await app.register(async (scope) => {
    await scope.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: options.title, description: options.description, version: VERSION },
        ...(options.tags && { tags: options.tags }),
        ...(options.security && { security: options.security }),
        // Checked by the OpenAPI validator in test/openapi.test.ts rather than by the types here.
        components: { ...(options.securitySchemes && { securitySchemes: options.securitySchemes as never }) },
      },
      transform: createJsonSchemaTransform({ schemaRegistry: registry }),
      transformObject: createJsonSchemaTransformObject({ schemaRegistry: registry }),
    });
    await body(scope);
    raw = () => scope.swagger() as unknown as OpenApiDocument;
  });
  let cached: OpenApiDocument | null = null;
  return () => {
    // Routes are fixed once the app is ready, so the finished document is built once (swagger() caches too
    // and hands out the same object: finish a copy).
    cached ??= finalize(structuredClone(raw()), options);
    return cached;
  };
}

/**
 * Response descriptions, server-relative paths, the front end's own additions, the transport's statuses,
 * then only the components still referenced.
 */
export function finalize(doc: OpenApiDocument, options: Pick<DocumentOptions, 'servers' | 'at' | 'limits' | 'finish'> = {}): OpenApiDocument {
  for (const op of operations(doc)) {
    for (const [status, response] of Object.entries<OpenApiDocument>(op.responses ?? {})) {
      if (response.description === 'Default Response') response.description = STATUS_CODES[Number(status)] ?? 'Response';
    }
  }
  relativePaths(doc, options.servers ?? [{ url: '' }], options.at ?? {});
  options.finish?.(doc);
  transportStatuses(doc, options.limits ?? {});
  bodyExamples(doc);
  pruneComponents(doc);
  // zod gives each registry schema `$id: "#/components/schemas/<name>"` and `$schema`: an `$id` with a fragment
  // is not a valid 2020-12 identifier and sends resolvers (Swagger UI's among them) looking in the wrong base.
  for (const schema of Object.values<OpenApiDocument>(doc.components?.schemas ?? {})) {
    delete schema.$id;
    delete schema.$schema;
  }
  // The servers where readers look for them, after info.
  const { openapi, info, servers, ...rest } = doc;
  return { openapi, info, servers, ...rest };
}

/** `<public URL><prefix><path>`, or the relative `<prefix><path>` (`/` when empty) without a public URL. */
export function serverUrl(at: NonNullable<DocumentOptions['at']>, path: string): string {
  const url = `${at.publicUrl?.replace(/\/+$/, '') ?? ''}${at.prefix ?? ''}${path}`;
  return url === '' ? '/' : url;
}

/**
 * Sets `servers` and rewrites each path relative to the longest server it starts with (after the prefix).
 * A path served under several servers is described once (the first); one served under only some of them
 * names those servers in its Path Item.
 */
function relativePaths(doc: OpenApiDocument, servers: NonNullable<DocumentOptions['servers']>, at: NonNullable<DocumentOptions['at']>): void {
  doc.servers = servers.map((s) => ({ ...s, url: serverUrl(at, s.url) }));
  const bases = servers.map((s) => `${at.prefix ?? ''}${s.url}`);
  const longestFirst = [...bases.keys()].sort((a, b) => bases[b]!.length - bases[a]!.length);
  const paths: Record<string, OpenApiDocument> = {};
  const under = new Map<string, number[]>();
  for (const [path, item] of Object.entries<OpenApiDocument>(doc.paths ?? {})) {
    const i = longestFirst.find((j) => path === bases[j] || path.startsWith(`${bases[j]}/`));
    if (i === undefined) throw new Error(`${path} is under none of the document's servers ${bases.join(', ')}`);
    const rest = path.slice(bases[i]!.length) || '/';
    paths[rest] ??= item;
    under.set(rest, [...(under.get(rest) ?? []), i]);
  }
  for (const [rest, found] of under) {
    if (found.length < servers.length) paths[rest]!.servers = found.sort((a, b) => a - b).map((i) => doc.servers[i]);
  }
  doc.paths = paths;
}

/** Fastify's own answer, before any front end sees the request, in every document alike. */
const REQUEST_TIMEOUT = {
  description: 'Request Timeout: the whole request (headers and body) did not arrive within LABELMUX_REQUEST_TIMEOUT; the connection is closed.',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { error: { const: 'Request Timeout' }, message: { type: 'string' }, statusCode: { const: 408 } },
        required: ['error', 'message', 'statusCode'],
      },
    },
  },
};
const RETRY_AFTER = {
  description: 'Seconds until a retry can succeed (sent with the generic rate limit and login throttling).',
  schema: { type: 'integer', minimum: 1 },
};

const STORAGE_UNAVAILABLE =
  'Service Unavailable: storage cannot serve the request now (database unreachable or hung, disk full, database file not writable, too many operations waiting). Retry after Retry-After seconds.';

/** 408 everywhere, 413, 415 and 429 where the front end sends them, 503 where storage is reached, and Retry-After on 429 and 503. */
function transportStatuses(doc: OpenApiDocument, limits: NonNullable<DocumentOptions['limits']>): void {
  for (const op of operations(doc)) {
    const responses: OpenApiDocument = op.responses;
    const firstError = Object.keys(responses).sort().find((s) => s.startsWith('4'));
    const errorContent = firstError === undefined ? undefined : responses[firstError].content;
    const authenticated = (op.security ?? doc.security ?? []).length > 0;
    responses['408'] ??= REQUEST_TIMEOUT;
    if (op.requestBody && limits.tooLarge !== false && errorContent) responses['413'] ??= { description: `Content Too Large: the body is over LABELMUX_BODY_LIMIT.`, content: errorContent };
    const form = op.requestBody?.content?.['application/x-www-form-urlencoded'];
    if (form && limits.charset !== false && errorContent) responses['415'] ??= { description: 'Unsupported Media Type: a form body in a charset labelmux does not know (UTF-8, ISO-8859-1, windows-1252 and every charset of the WHATWG Encoding standard are known).', content: errorContent };
    if (authenticated && limits.rateLimited !== false && errorContent) {
      const description = typeof limits.rateLimited === 'string' ? limits.rateLimited : 'Too Many Requests: over the generic rate limit (LABELMUX_RATE_LIMIT) for this credential.';
      responses['429'] ??= { description, content: errorContent };
    }
    if (responses['429']) responses['429'].headers ??= { 'Retry-After': RETRY_AFTER };
    // Every operation that reaches storage may meet an outage; its body is the front end's error (Razuna: its 429's).
    if (authenticated && errorContent) responses['503'] ??= { description: STORAGE_UNAVAILABLE, content: responses['429']?.content ?? errorContent, headers: { 'Retry-After': { ...RETRY_AFTER, description: 'Seconds after which a retry may find storage available again.' } } };
    op.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** A request body's media types without an example take the first of its schema's `examples` (zod `.meta`). */
function bodyExamples(doc: OpenApiDocument): void {
  const resolve = (schema: OpenApiDocument | undefined): OpenApiDocument | undefined =>
    typeof schema?.$ref === 'string' ? doc.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] : schema;
  for (const op of operations(doc)) {
    for (const media of Object.values<OpenApiDocument>(op.requestBody?.content ?? {})) {
      const examples = resolve(media.schema)?.examples;
      if (media.example === undefined && media.examples === undefined && Array.isArray(examples) && examples.length > 0) media.example = examples[0];
    }
  }
}

/**
 * Request examples that work as they are, by operation id: path parameters (typed as the parameter's
 * schema) and a body on the request's first media type. `paths` holds the path parameters' defaults.
 */
export function requestExamples(doc: OpenApiDocument, byOperation: Record<string, { path?: Record<string, string | number>; body?: unknown }>, paths: Record<string, string | number> = {}): void {
  for (const op of operations(doc)) {
    const given = byOperation[op.operationId] ?? {};
    for (const p of op.parameters ?? []) {
      const value = given.path?.[p.name] ?? paths[p.name];
      if (p.in !== 'path' || value === undefined) continue;
      p.example = p.schema?.type === 'integer' ? Number(value) : String(value);
    }
    if (given.body === undefined) continue;
    // On the first media type, the one Swagger UI offers: each example runs once (a second create would fail).
    // (A copy: the media types of one route may share one object.)
    const [type, first] = Object.entries<OpenApiDocument>(op.requestBody?.content ?? {})[0] ?? [];
    if (type !== undefined && first?.example === undefined) op.requestBody.content[type] = { ...first, example: given.body };
  }
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Every operation object of a document. */
export function operations(doc: OpenApiDocument): OpenApiDocument[] {
  return Object.values<OpenApiDocument>(doc.paths ?? {}).flatMap((item) => METHODS.flatMap((m) => (item[m] ? [item[m]] : [])));
}

/** Drops component schemas no path (directly or through other components) refers to. */
function pruneComponents(doc: OpenApiDocument): void {
  const schemas: OpenApiDocument | undefined = doc.components?.schemas;
  if (!schemas) return;
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!used.has(name) && schemas[name]) {
          used.add(name);
          visit(schemas[name]);
        }
      } else visit(v);
    }
  };
  visit(doc.paths);
  visit({ ...doc.components, schemas: undefined });
  for (const name of Object.keys(schemas)) if (!used.has(name)) delete schemas[name];
}

/** Serves /openapi/<name>.json and Swagger UI at /docs with a picker over every document. */
export async function serveDocuments(app: FastifyInstance, documents: Map<string, DocumentSource>): Promise<void> {
  for (const [name, source] of documents) {
    app.get(`/openapi/${name}.json`, { schema: { hide: true } }, async () => source());
  }
  await app.register(async (scope) => {
    // swagger-ui needs a swagger decorator in its scope; the picker below points it at the real documents.
    await scope.register(swagger, { openapi: { openapi: '3.1.0', info: { title: 'labelmux', version: VERSION } } });
    await scope.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { urls: [...documents.keys()].map((name) => ({ name, url: `/openapi/${name}.json` })), deepLinking: true },
    });
  });
}

/** Renames the `application/json` content of the responses whose status passes `which` to `mediaType`. */
export function retypeResponses(doc: OpenApiDocument, which: (status: string) => boolean, mediaType: string): void {
  for (const op of operations(doc)) {
    for (const [status, response] of Object.entries<OpenApiDocument>(op.responses ?? {})) {
      const content = response.content as OpenApiDocument | undefined;
      if (!which(status) || !content?.['application/json']) continue;
      response.content = Object.fromEntries(Object.entries(content).map(([type, v]) => [type === 'application/json' ? mediaType : type, v]));
    }
  }
}
