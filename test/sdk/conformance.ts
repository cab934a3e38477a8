// Checks a generated client's traffic against the document it was generated from: each response (status,
// content type, body) must be one the document gives for that operation, its body valid against the
// documented schema (ajv, JSON Schema 2020-12). The operation is found by method and path template under
// any of the document's server URLs, so the check follows the document when its servers or paths move.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';
import { expect } from 'vitest';

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const escape = (s: string) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
/** A server URL's path without the trailing slash ("/" and "" give ""; absolute URLs keep their path). */
const serverPath = (url: string) => new URL(url, 'http://server.invalid').pathname.replace(/\/+$/, '');

// Not imported from scripts/openapi.ts: that would bring the whole server into the flows' typecheck.
const OPENAPI_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'openapi');

type Document = { servers?: { url: string }[]; paths: Record<string, any>; components?: unknown };

/** The committed document `openapi/<name>.json`. */
export const loadDocument = (name: string): Document => JSON.parse(readFileSync(join(OPENAPI_DIR, `${name}.json`), 'utf8'));

/** One of the document's server URLs (the first is what generated clients use by default), resolved against `origin`. */
export function serverUrl(name: string, origin: string, index = 0): string {
  const url = loadDocument(name).servers?.[index]?.url ?? '/';
  return new URL(serverPath(url) || '/', origin).href.replace(/\/+$/, '');
}

export function conformance(name: string) {
  const doc = loadDocument(name);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (((formats as any).default ?? formats) as (a: Ajv2020) => void)(ajv);
  const cache = new Map<string, ReturnType<Ajv2020['compile']>>();
  // Servers may be given per document, per path item or per operation; every one of them is tried.
  const templates = Object.entries<any>(doc.paths).flatMap(([p, item]) =>
    HTTP_METHODS.filter((m) => item[m]).flatMap((m) =>
      (item[m].servers ?? item.servers ?? doc.servers ?? [{ url: '/' }]).map((s: { url: string }) => ({
        p,
        method: m,
        re: new RegExp(`^${escape(serverPath(s.url))}${escape(p).replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
      })),
    ),
  );
  /** `operationId status` of every response checked, in order. */
  const checked: string[] = [];
  const check = async (method: string, url: URL, res: Response) => {
    const where = `${name}: ${method} ${url.pathname} → ${res.status}`;
    const found = templates.find((t) => t.method === method.toLowerCase() && t.re.test(url.pathname));
    expect(found, `${where}: no documented operation`).toBeDefined();
    const op = doc.paths[found!.p][found!.method];
    const response = op.responses[String(res.status)];
    expect(response, `${where}: status not documented`).toBeDefined();
    checked.push(`${op.operationId} ${res.status}`);
    if (res.status === 204) return;
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const media = response.content?.[type];
    expect(media, `${where}: content type ${type} not documented (${Object.keys(response.content ?? {})})`).toBeDefined();
    const key = `${found!.p} ${method} ${res.status} ${type}`;
    let validate = cache.get(key);
    if (!validate) {
      validate = ajv.compile({ $id: `urn:labelmux:${name}:${cache.size}`, ...media.schema, components: doc.components });
      cache.set(key, validate);
    }
    const body = await res.clone().json();
    expect(validate(body), `${where}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`).toBe(true);
  };
  /** A `fetch` that checks every response before the client reads it (for clients that take a fetch). */
  const checkedFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const res = await fetch(request);
    await check(request.method, new URL(request.url), res);
    return res;
  };
  /** The same check as openapi-fetch middleware. */
  const middleware: Middleware = {
    async onResponse({ request, response }) {
      await check(request.method, new URL(request.url), response);
    },
  };
  return { fetch: checkedFetch, middleware, checked };
}
