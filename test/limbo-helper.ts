// Shared setup for the limbo tests: an app with two tenants, a products catalogue, and `call()`, which
// checks every JSON:API answer's raw Content-Type and validates its document against the official
// JSON:API 1.0 schema (test/fixtures/jsonapi-1.0.schema.json) with ajv.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import * as formats from 'ajv-formats';
import { expect } from 'vitest';
import type { Role } from '../src/core/types.js';
import { ADMIN_TOKEN, buildTestApp, createTenant, FIXED_NOW, type Tenant, type TestApp } from './helper.js';

export const JSONAPI = 'application/vnd.api+json';
const require = createRequire(import.meta.url);

const ajv = new Ajv({ strict: false, allErrors: true });
(((formats as any).default ?? formats) as (a: Ajv) => void)(ajv);
ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
const schema = JSON.parse(readFileSync(new URL('./fixtures/jsonapi-1.0.schema.json', import.meta.url), 'utf8'));
export const validateDocument = ajv.compile(schema);

/** Fails the test unless `doc` is a valid JSON:API 1.0 document. */
export function assertJsonApi(doc: unknown): void {
  const ok = validateDocument(doc);
  if (!ok) throw new Error(`not a valid JSON:API 1.0 document: ${ajv.errorsText(validateDocument.errors)}\n${JSON.stringify(doc)}`);
}

export interface CallOptions {
  /** Bearer credential; null sends no Authorization header. Default: tenant A's owner key. */
  key?: string | null;
  body?: unknown;
  raw?: string;
  /** Defaults to the JSON:API media type when a body is sent; null sends none. */
  contentType?: string | null;
  /** Defaults to the JSON:API media type; null sends none. */
  accept?: string | null;
  headers?: Record<string, string>;
}

export interface Env {
  t: TestApp;
  a: Tenant;
  b: Tenant;
  call(method: string, url: string, opts?: CallOptions): Promise<Awaited<ReturnType<TestApp['app']['inject']>> & { doc: any }>;
  /** Registers products (resources of type `product`) in a workspace through the admin API. */
  products(ws: number, list: { id: string; name?: string; status?: string; attributes?: Record<string, unknown> }[]): Promise<void>;
  /** Fresh tenants A and B and a reset clock, for the next test on the same app (building an app is slow). */
  next(): Promise<void>;
  /** Creates a label through limbo and returns its id. */
  label(name: string, opts?: { ws?: number; key?: string; usage?: Record<string, boolean>; description?: string }): Promise<string>;
}

export async function setup(vars: Record<string, string> = {}): Promise<Env> {
  const t = await buildTestApp(vars);
  const a = await createTenant(t.core, 'Acme Records');
  const b = await createTenant(t.core, 'Beta Music');
  const call: Env['call'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? env.a.keys.owner : opts.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (opts.accept !== null) headers.accept = opts.accept ?? JSONAPI;
    const payload = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    if (payload !== undefined && opts.contentType !== null) headers['content-type'] = opts.contentType ?? JSONAPI;
    const res = await t.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined && { payload }) });
    let doc: unknown = undefined;
    if (url.startsWith('/api/v1') && res.body !== '') {
      // JSON:API forbids media type parameters: the raw header must be exactly the media type.
      expect(res.headers['content-type']).toBe(JSONAPI);
      doc = JSON.parse(res.body);
      assertJsonApi(doc);
    }
    return Object.assign(res, { doc });
  };
  const products: Env['products'] = async (ws, list) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/_admin/workspaces/${ws}/resources`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { resources: list.map((p) => ({ type: 'product', ...p })) },
    });
    expect(res.statusCode).toBe(200);
  };
  const label: Env['label'] = async (name, opts = {}) => {
    const res = await call('POST', '/api/v1/labels', {
      key: opts.key ?? env.a.keys.owner,
      body: {
        data: {
          type: 'labels',
          attributes: { name, ...(opts.usage && { usage: opts.usage }), ...(opts.description !== undefined && { description: opts.description }) },
          relationships: { company: { data: { type: 'companies', id: String(opts.ws ?? env.a.workspaceId) } } },
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.doc.data.id as string;
  };
  const next = async () => {
    t.clock.now = FIXED_NOW;
    env.a = await createTenant(t.core, 'Acme Records');
    env.b = await createTenant(t.core, 'Beta Music');
  };
  const env: Env = { t, a, b, call, products, label, next };
  return env;
}

/** A user with a password and memberships in several workspaces, plus its user-wide API key. */
export async function multiUser(env: Env, memberships: [number, Role][], password = 'correct horse battery') {
  const user = await env.t.core.admin.createUser({ email: `multi.${Math.random().toString(36).slice(2)}@example.com`, name: 'Multi', password });
  for (const [ws, role] of memberships) await env.t.core.admin.setMember(ws, user.id, role);
  const { key } = await env.t.core.admin.createApiKey({ userId: user.id });
  return { user, key, password };
}

/** Logs in through POST /oauth/token and returns the access token. */
export async function login(env: Env, email: string, password: string): Promise<{ access: string; refresh: string }> {
  const res = await env.t.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', email, password } });
  expect(res.statusCode, res.body).toBe(200);
  return { access: res.json().access_token, refresh: res.json().refresh_token };
}
