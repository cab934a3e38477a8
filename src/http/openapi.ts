// One OpenAPI 3.1 document per front end: each dialect (and the admin API) is registered inside its own
// scope with its own @fastify/swagger instance, so a document describes exactly that front end's routes.
// The zod route schemas that validate requests are the ones converted here; schemas registered in the
// front end's DocRegistry become named components. A front end's `finish` hook adds what route schemas
// cannot say (content types, engine-read parameters), then every document is finalized the same way:
// response descriptions, unused components pruned. Documents are byte-stable (no clock, relative server).
import { STATUS_CODES } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { DocRegistry } from './doc-registry.js';

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
  /** Post-processing for behaviour the route schemas cannot describe; may mutate `doc`. */
  finish?: (doc: OpenApiDocument) => void;
}

export const VERSION = '0.1.0';

/** Registers `body` in a scope that owns an OpenAPI document; returns a getter for that document. */
export async function documented(app: FastifyInstance, options: DocumentOptions, body: (scope: FastifyInstance) => Promise<void>): Promise<DocumentSource> {
  const registry = options.registry ?? new DocRegistry();
  let raw: () => OpenApiDocument = () => ({});
  await app.register(async (scope) => {
    await scope.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: options.title, description: options.description, version: VERSION },
        servers: [{ url: '/' }],
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
    cached ??= finalize(structuredClone(raw()), options.finish);
    return cached;
  };
}

/** Response descriptions, the front end's own additions, then only the components still referenced. */
export function finalize(doc: OpenApiDocument, finish?: (doc: OpenApiDocument) => void): OpenApiDocument {
  for (const op of operations(doc)) {
    for (const [status, response] of Object.entries<OpenApiDocument>(op.responses ?? {})) {
      if (response.description === 'Default Response') response.description = STATUS_CODES[Number(status)] ?? 'Response';
    }
  }
  finish?.(doc);
  pruneComponents(doc);
  // zod gives each registry schema `$id: "#/components/schemas/<name>"` and `$schema`: an `$id` with a fragment
  // is not a valid 2020-12 identifier and sends resolvers (Swagger UI's among them) looking in the wrong base.
  for (const schema of Object.values<OpenApiDocument>(doc.components?.schemas ?? {})) {
    delete schema.$id;
    delete schema.$schema;
  }
  return doc;
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
