// One OpenAPI 3.1 document per front end: each dialect (and the admin API) is registered inside its own
// scope with its own @fastify/swagger instance, so a document describes exactly that front end's routes.
// The zod route schemas that validate requests are the ones converted here.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export type DocumentSource = () => Record<string, unknown>;

export interface DocumentInfo {
  title: string;
  description: string;
}

export const VERSION = '0.1.0';

/** Registers `body` in a scope that owns an OpenAPI document; returns a getter for that document. */
export async function documented(app: FastifyInstance, info: DocumentInfo, body: (scope: FastifyInstance) => Promise<void>): Promise<DocumentSource> {
  let source: DocumentSource = () => ({});
  await app.register(async (scope) => {
    await scope.register(swagger, {
      openapi: { openapi: '3.1.0', info: { title: info.title, description: info.description, version: VERSION } },
      transform: jsonSchemaTransform,
    });
    await body(scope);
    source = () => scope.swagger() as unknown as Record<string, unknown>;
  });
  return () => source();
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
