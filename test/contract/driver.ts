// What the cross-dialect contract (test/contract.test.ts) needs from each dialect: a small driver that
// writes through the dialect's own wire API and reads back what the dialect shows.
import { expect } from 'vitest';
import type { Tenant, TestApp } from '../helper.js';

export interface Ctx {
  t: TestApp;
  tenant: Tenant;
}

/** A label as a dialect shows it: always id and name; path where the dialect renders one. */
export interface Seen {
  id: number;
  name: string;
  path?: string;
}

export interface Driver {
  name: 'jotform' | 'razuna' | 'livestorm' | 'devtodev' | 'limbo';
  /** Whether the dialect can place a label under a parent (create under one, move). */
  tree: boolean;
  /** The resource type the dialect assigns labels to; null: it has no assignments. */
  resourceType: string | null;
  /** The labels this dialect lists, given the ids the scenario knows (some dialects show a subset). */
  visible(label: { timed: boolean }): boolean;
  create(ctx: Ctx, name: string, parentId: number | null): Promise<number>;
  rename(ctx: Ctx, id: number, name: string): Promise<void>;
  move(ctx: Ctx, label: { id: number; name: string }, parentId: number | null): Promise<void>;
  assign(ctx: Ctx, id: number, resource: string): Promise<void>;
  unassign(ctx: Ctx, id: number, resource: string): Promise<void>;
  remove(ctx: Ctx, id: number): Promise<void>;
  /** Every label the dialect lists for the tenant. */
  labels(ctx: Ctx): Promise<Seen[]>;
  /** Labels the dialect shows on `resource` of `type`; null when it cannot show that type. */
  assigned(ctx: Ctx, type: string, resource: string, labelIds: number[]): Promise<number[] | null>;
}

/** app.inject with a JSON payload; fails the test on any status but `status`. */
export async function call(ctx: Ctx, method: string, url: string, opts: { headers?: Record<string, string>; payload?: unknown; status?: number } = {}) {
  const res = await ctx.t.app.inject({
    method: method as 'GET',
    url,
    // A JSON body gets its content type; a request without a body has none (an empty JSON body is a 400).
    headers: { ...(opts.payload !== undefined && { 'content-type': 'application/json' }), ...opts.headers },
    ...(opts.payload !== undefined && { payload: typeof opts.payload === 'string' ? opts.payload : JSON.stringify(opts.payload) }),
  });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(opts.status ?? 200);
  return res.body === '' ? null : res.json();
}

/** Paths from parent links: "A/B/C". */
export function pathsOf(nodes: { id: number; name: string; parent: number | null }[]): Map<number, string> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const path = (id: number): string => {
    const n = byId.get(id)!;
    return n.parent === null ? n.name : `${path(n.parent)}/${n.name}`;
  };
  return new Map(nodes.map((n) => [n.id, path(n.id)]));
}
