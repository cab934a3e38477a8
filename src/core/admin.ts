// Operator use cases behind the admin API and the CLI: tenants, users, memberships, keys, resources,
// events and whole-workspace export/import.
import { invalid, notFound } from './errors.js';
import type { AdminStore, ResourceInput, WorkspaceExport } from './ports.js';
import { checkResourceRef, checkSpan, normalizeColor, normalizeName } from './rules.js';
import { hashPassword, KEY_PATTERN, newApiKey, newUuid, sha256 } from './secrets.js';
import type { ApiKeyInfo, AuditEvent, Membership, Role, User, Workspace } from './types.js';
import { merge } from './objects.js';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Something to assign labels to straight away, in each dialect's resource vocabulary. */
const DEMO_RESOURCES: ResourceInput[] = [
  { type: 'library_item', externalId: '1', name: 'Welcome video', attributes: { mime_type: 'video/mp4', size: 1048576, duration: 90 } },
  { type: 'form', externalId: '232143945675058', name: 'Contact form', status: 'ENABLED' },
  { type: 'img', externalId: '1', name: 'logo.png', attributes: { ext: 'png' } },
  { type: 'product', externalId: '1', name: 'First release', status: 'draft' },
];
const ADMIN_AUDIT = { actorUserId: null, apiKeyId: null, dialect: 'admin' } as const;

export interface DemoTenant {
  workspace: Workspace;
  user: User;
  key: string;
}

export function createAdmin(store: AdminStore, now: () => number) {
  const requireWorkspace = async (id: number): Promise<Workspace> => {
    const ws = await store.getWorkspace(id);
    if (!ws) throw notFound('workspace', id);
    return ws;
  };

  const admin = {
    async createWorkspace(name: string): Promise<Workspace> {
      return store.createWorkspace(normalizeName(name), newUuid(), now());
    },
    listWorkspaces: (): Promise<Workspace[]> => store.listWorkspaces(),
    getWorkspace: requireWorkspace,

    async createUser(input: { email: string; name: string; password?: string | undefined }): Promise<User> {
      const email = input.email.trim();
      if (!EMAIL.test(email) || email.length > 254) throw invalid('email', 'format', 'email must be an email address');
      if (input.password !== undefined && (input.password.length < 8 || input.password.length > 1024)) {
        throw invalid('password', 'length', 'password must be 8-1024 characters');
      }
      const hash = input.password === undefined ? null : await hashPassword(input.password);
      return store.createUser(email, normalizeName(input.name), hash, now());
    },

    async deleteUser(id: number): Promise<void> {
      if (!(await store.deleteUser(id))) throw notFound('user', id);
    },

    async setMember(workspaceId: number, userId: number, role: Role): Promise<Membership> {
      return store.setMember(workspaceId, userId, role, now());
    },

    /** The user's keys for this workspace stop working at once; user-wide keys no longer reach it. */
    async removeMember(workspaceId: number, userId: number): Promise<void> {
      if (!(await store.removeMember(workspaceId, userId, now()))) throw notFound('member', userId);
    },

    /**
     * Returns the key once; only its SHA-256 is stored. `key` chooses the value (a test suite's fixed key): 32
     * lowercase hex like a generated one, and unique (CONFLICT naming `key` when another key has it).
     */
    async createApiKey(input: { userId: number; workspaceId?: number | null; name?: string; key?: string | undefined }): Promise<{ info: ApiKeyInfo; key: string }> {
      if (input.key !== undefined && !KEY_PATTERN.test(input.key)) throw invalid('key', 'format', 'key must be 32 lowercase hexadecimal characters');
      const key = input.key ?? newApiKey();
      const name = input.name === undefined ? '' : input.name.trim();
      if (name.length > 255) throw invalid('name', 'too_long', 'name must be at most 255 characters');
      const info = await store.createApiKey(input.userId, input.workspaceId ?? null, name, sha256(key), now());
      return { info, key };
    },

    async revokeApiKey(id: number): Promise<void> {
      if (!(await store.revokeApiKey(id, now()))) throw notFound('api_key', id);
    },

    async upsertResources(workspaceId: number, resources: ResourceInput[]): Promise<number> {
      await requireWorkspace(workspaceId);
      for (const r of resources) checkResourceRef(r.type, r.externalId);
      return store.upsertResources(workspaceId, resources, now());
    },

    async listEvents(workspaceId: number, after: number, limit: number): Promise<AuditEvent[]> {
      await requireWorkspace(workspaceId);
      return store.listEvents(workspaceId, after, limit);
    },

    async exportWorkspace(workspaceId: number): Promise<WorkspaceExport> {
      await requireWorkspace(workspaceId);
      return store.exportWorkspace(workspaceId);
    },

    /** Returns the label ids: document id → stored id (the same when kept, new ones for a clone). */
    async importWorkspace(workspaceId: number, doc: WorkspaceExport): Promise<Map<number, number>> {
      await requireWorkspace(workspaceId);
      // Every label passes the same rules as one created through a dialect.
      const labels = doc.labels.map((l) => {
        checkSpan(l.starts_at, l.ends_at);
        return merge(l, { name: normalizeName(l.name), color: l.color === null ? null : normalizeColor(l.color) });
      });
      for (const r of doc.resources) checkResourceRef(r.type, r.id);
      return store.importWorkspace(workspaceId, merge(doc, { labels }), merge(ADMIN_AUDIT, { at: now() }));
    },

    /** On an empty database: a demo workspace, its owner and a workspace key. Null if not empty. */
    async bootstrapDemo(): Promise<DemoTenant | null> {
      if (!(await store.isEmpty())) return null;
      const workspace = await admin.createWorkspace('Demo workspace');
      const user = await admin.createUser({ email: 'owner@demo.labelmux.local', name: 'Demo Owner' });
      await store.setMember(workspace.id, user.id, 'owner', now());
      const { key } = await admin.createApiKey({ userId: user.id, workspaceId: workspace.id, name: 'demo' });
      await store.upsertResources(workspace.id, DEMO_RESOURCES, now());
      return { workspace, user, key };
    },
  };
  return admin;
}
export type Admin = ReturnType<typeof createAdmin>;

