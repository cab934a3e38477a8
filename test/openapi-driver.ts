// Drives a front end from its own OpenAPI document and checks every answer against it: the operation that
// serves the URL, the status (documented at all), the declared headers, the content type and the body (ajv,
// JSON Schema 2020-12, against the schema for that status and content type). Used by openapi-truth.test.ts.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as formats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export type Json = Record<string, any>;
const VERBS = ['get', 'put', 'post', 'delete', 'patch'];

export interface Operation {
  path: string;
  method: string;
  op: Json;
  /** Server URLs (relative) this operation is served under. */
  servers: string[];
}

export interface Request {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const base = (url: string) => (url === '/' ? '' : url);
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');

export class DocumentChecker {
  readonly ops: Operation[];
  /** `<operationId> <status>` of every answer checked. */
  readonly seen = new Set<string>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(
    readonly name: string,
    readonly doc: Json,
  ) {
    (((formats as Json).default ?? formats) as (a: Ajv2020) => void)(this.ajv);
    this.ops = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
      VERBS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method], servers: (item.servers ?? doc.servers).map((s: Json) => s.url) })),
    );
  }

  /** The operation serving a route template (`/API/v1/label/:id`), and the server it is under. */
  forRoute(method: string, url: string): { operation: Operation; server: string } | undefined {
    const template = url.replace(/:(\w+)/g, '{$1}');
    for (const operation of this.ops) {
      if (operation.method !== method.toLowerCase()) continue;
      const server = operation.servers.find((s) => base(s) + operation.path === template);
      if (server !== undefined) return { operation, server };
    }
    return undefined;
  }

  /** The operation a concrete request path is answered by. */
  forUrl(method: string, pathname: string): Operation | undefined {
    return this.ops.find(
      (o) => o.method === method.toLowerCase() && o.servers.some((s) => new RegExp(`^${(base(s) + o.path).replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname)),
    );
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile({ $id: `urn:labelmux:${this.name}:${this.validators.size}`, ...schema, components: this.doc.components });
      this.validators.set(key, v);
    }
    return v;
  }

  /** Checks one answer against what `operation` documents; returns the parsed JSON body (or the text). */
  check(operation: Operation, req: Request, res: Answer): unknown {
    const where = `${this.name} ${req.method} ${req.url} (${operation.op.operationId}) → ${res.status}`;
    const response = operation.op.responses[String(res.status)];
    expect(response, `${where}: status ${res.status} is not documented\n${res.body.slice(0, 300)}`).toBeDefined();
    this.seen.add(`${operation.op.operationId} ${res.status}`);
    return this.conforms(response, `${operation.path} ${operation.method} ${res.status}`, where, res);
  }

  /** Checks an answer no operation owns (an unknown route): some operation documents that status and body. */
  checkAny(where: string, res: Answer): void {
    const candidates = this.ops.filter((o) => o.op.responses[String(res.status)]);
    expect(candidates.length, `${this.name} ${where} → ${res.status}: no operation documents it\n${res.body.slice(0, 300)}`).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const o of candidates) {
      try {
        this.conforms(o.op.responses[String(res.status)], `${o.path} ${o.method} ${res.status}`, where, res);
        return;
      } catch (e) {
        failures.push(String(e).slice(0, 300));
      }
    }
    expect.fail(`${this.name} ${where} → ${res.status}: matches no documented ${res.status}: ${failures[0]}`);
  }

  private conforms(response: Json, key: string, where: string, res: Answer): unknown {
    for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
      const value = res.headers[name.toLowerCase()];
      if (header.required) expect(value, `${where}: header ${name} is required`).toBeDefined();
      if (value === undefined) continue;
      const parsed = header.schema?.type === 'integer' ? Number(value) : value;
      const v = this.validator(`${key} header ${name}`, header.schema ?? {});
      expect(v(parsed), `${where}: header ${name}: ${String(value)} ${this.ajv.errorsText(v.errors)}`).toBe(true);
    }
    if (res.body === '') {
      expect(res.status === 204 || res.status === 408 || !response.content, `${where}: empty body where content is documented`).toBe(true);
      return undefined;
    }
    const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
    const media = response.content?.[type];
    expect(media, `${where}: content type ${type} is not documented (${Object.keys(response.content ?? {}).join(', ')})`).toBeDefined();
    const body = isJson(type) ? JSON.parse(res.body) : res.body;
    const v = this.validator(`${key} ${type}`, media.schema ?? {});
    expect(v(body), `${where}: ${this.ajv.errorsText(v.errors)}\n${res.body.slice(0, 500)}`).toBe(true);
    return body;
  }
}

/** Sends a request through inject (no socket). */
export async function send(app: FastifyInstance, req: Request): Promise<Answer> {
  const res = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, ...(req.payload !== undefined && { payload: req.payload }) });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

/** Encodes a body for a media type: JSON, a form, or multipart fields (scalars). */
export function encode(type: string, body: unknown): { payload: string; contentType: string } {
  if (isJson(type)) return { payload: JSON.stringify(body), contentType: type };
  const fields = Object.entries(body as Json).map(([k, v]) => [k, String(v)] as [string, string]);
  if (type === 'application/x-www-form-urlencoded') return { payload: new URLSearchParams(fields).toString(), contentType: type };
  const boundary = 'labelmuxTruthBoundary';
  const parts = fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  return { payload: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}
