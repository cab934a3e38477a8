// Serves the console (the browser UI built from console/ into dist/console by `npm run build`): its page at
// `/`, its assets under /_console/. Static files only: the console calls the admin API and the dialects like
// any client, so it adds nothing to the cost of API requests. Without the console (LABELMUX_CONSOLE=off, or a
// checkout not built yet) `/` still leads somewhere: to the API documents, as a small page for a browser and
// as JSON for anything else.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BUILD_INFO } from '../build-info.js';

/** dist/console from both src/http (tsx) and dist/http (the build): two levels up is the package root. */
export const CONSOLE_DIR = fileURLToPath(new URL('../../dist/console/', import.meta.url));
export const ASSETS_PREFIX = '/_console/';
/** The page loads only its own files and talks only to this server. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Whether `npm run build` made the console (dist/console/index.html). */
export const consoleBuilt = (dir = CONSOLE_DIR): boolean => existsSync(`${dir}index.html`);

export interface ConsoleOptions {
  /** LABELMUX_CONSOLE. */
  enabled: boolean;
  /** The OpenAPI documents served at /openapi/<name>.json, which `/` lists without the console. */
  documents: string[];
  /** Where the built console is (tests point elsewhere). */
  dir?: string;
}

export async function serveConsole(app: FastifyInstance, { enabled, documents, dir = CONSOLE_DIR }: ConsoleOptions): Promise<void> {
  const page = enabled && consoleBuilt(dir) ? readFileSync(`${dir}index.html`) : null;
  if (!page) {
    const why = enabled ? 'not built: run npm run build' : 'off (LABELMUX_CONSOLE=off)';
    const guide = { name: 'labelmux', version: BUILD_INFO.version, console: why, docs: '/docs', openapi: Object.fromEntries(documents.map((d) => [d, `/openapi/${d}.json`])), health: '/healthz' };
    const html = guidePage(guide.console, guide.openapi);
    app.get('/', { schema: { hide: true } }, async (req, reply) =>
      wantsHtml(req) ? reply.header('content-type', 'text/html; charset=utf-8').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').send(html) : guide);
    return;
  }
  app.get('/', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', CSP).header('x-content-type-options', 'nosniff').send(page));
  // In a scope of its own: @fastify/static is a fastify-plugin and would otherwise add to the root instance.
  await app.register(async (scope) => serveAssets(scope, dir));
}

/** Browsers ask for text/html; curl (`*\/*`) and API clients get JSON. */
const wantsHtml = (req: FastifyRequest) => (req.headers.accept ?? '').includes('text/html');

/** The page a browser gets at `/` without the console: links to the documents (names are fixed identifiers, nothing to escape). */
function guidePage(console: string, openapi: Record<string, string>): string {
  const links = Object.entries(openapi).map(([name, url]) => `<li><a href="${url}">${name}</a></li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>labelmux ${BUILD_INFO.version}</title></head><body><h1>labelmux ${BUILD_INFO.version}</h1><p>The console is ${console}.</p><p>API documentation: <a href="/docs">/docs</a>. OpenAPI documents:</p><ul>${links}</ul><p>Health: <a href="/healthz">/healthz</a></p></body></html>\n`;
}

async function serveAssets(scope: FastifyInstance, dir: string): Promise<void> {
  await scope.register(fastifyStatic, {
    root: `${dir}assets`,
    prefix: `${ASSETS_PREFIX}assets/`,
    decorateReply: false,
    index: false,
    // File names carry a content hash: cached for good.
    immutable: true,
    maxAge: '365d',
    setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
  });
}
