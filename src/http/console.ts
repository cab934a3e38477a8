// Serves the console (the browser UI built from console/ into dist/console by `npm run build`): its page at
// `/`, its assets under /_console/. Static files only: the console calls the admin API and the dialects like
// any client, so it adds nothing to the cost of API requests. Without a build, `/` says how to make one.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** dist/console from both src/http (tsx) and dist/http (the build): two levels up is the package root. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));
export const ASSETS_PREFIX = '/_console/';
/** The page loads only its own files and talks only to this server. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export async function serveConsole(app: FastifyInstance): Promise<void> {
  const index = `${CONSOLE_DIR}index.html`;
  const page = existsSync(index) ? readFileSync(index) : null;
  app.get('/', { schema: { hide: true } }, async (_req, reply) => {
    if (!page) return reply.code(404).send({ error: 'The console is not built: run npm run build (API documentation: /docs)' });
    return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').send(page);
  });
  // In a scope of its own: @fastify/static is a fastify-plugin and would otherwise add to the root instance.
  if (page) await app.register(async (scope) => serveAssets(scope));
}

async function serveAssets(scope: FastifyInstance): Promise<void> {
  await scope.register(fastifyStatic, {
    root: `${CONSOLE_DIR}assets`,
    prefix: `${ASSETS_PREFIX}assets/`,
    decorateReply: false,
    index: false,
    // File names carry a content hash: cached for good.
    immutable: true,
    maxAge: '365d',
    setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
  });
}
