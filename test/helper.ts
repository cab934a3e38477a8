// Builds a fresh app over a fresh :memory: database with a fixed clock, plus tenants to test with.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore, type Core } from '../src/core/index.js';
import type { Role } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { createSandbox } from '../src/sandbox/index.js';
import { createTestStore } from './test-store.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
/** 2026-11-22T10:01:02Z */
export const FIXED_NOW = Date.UTC(2026, 10, 22, 10, 1, 2);

export interface TestApp {
  app: FastifyInstance;
  core: Core;
  store: DatabaseStore;
  clock: { now: number };
  close(): Promise<void>;
}

export async function buildTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN_TOKEN, ...env });
  const store = createTestStore();
  const clock = { now: FIXED_NOW };
  // The core reads the sandbox clock, which runs as `clock` until POST /_admin/clock (or LABELMUX_CLOCK) holds it.
  const sandbox = createSandbox(config.sandbox, () => clock.now);
  const core = createCore({ store, now: sandbox.clock.now });
  const app = await buildApp({ config, core, adminToken: ADMIN_TOKEN, sandbox });
  await app.ready();
  return { app, core, store, clock, close: async () => (await app.close(), await store.close()) };
}

export interface Tenant {
  workspaceId: number;
  uuid: string;
  /** Workspace key per role. */
  keys: Record<Role, string>;
  userIds: Record<Role, number>;
}

let seq = 0;
/** A workspace with one user (and workspace key) per role. */
export async function createTenant(core: Core, name = `Workspace ${++seq}`): Promise<Tenant> {
  const ws = await core.admin.createWorkspace(name);
  const keys = {} as Record<Role, string>;
  const userIds = {} as Record<Role, number>;
  for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
    const user = await core.admin.createUser({ email: `${role}.${ws.id}.${++seq}@example.com`, name: `${role} ${ws.id}` });
    await core.admin.setMember(ws.id, user.id, role);
    keys[role] = (await core.admin.createApiKey({ userId: user.id, workspaceId: ws.id })).key;
    userIds[role] = user.id;
  }
  return { workspaceId: ws.id, uuid: ws.uuid, keys, userIds };
}
