// Turns a presented credential plus the workspace a request names into an Actor, or a CoreError.
import { CoreError, notFound } from './errors.js';
import type { AuthStore, WorkspaceSelector } from './ports.js';
import { KEY_PATTERN, sha256 } from './secrets.js';
import type { Actor } from './types.js';

const unauthenticated = () => new CoreError('UNAUTHENTICATED', 'missing or invalid credentials');

export function createAuth(store: AuthStore) {
  return {
    /**
     * Authenticates `rawKey` and resolves the workspace. A workspace key may only name its own workspace;
     * a user-wide key may name any workspace of its user. Anything else is NOT_FOUND(workspace), never a
     * hint that the workspace exists.
     */
    async actorForKey(rawKey: string | undefined, ws: WorkspaceSelector, dialect: string): Promise<Actor> {
      if (!rawKey || !KEY_PATTERN.test(rawKey)) throw unauthenticated();
      const key = await store.findKey(sha256(rawKey));
      if (!key) throw unauthenticated();
      let selector = ws;
      if (key.keyWorkspaceId !== null) {
        if ('earliest' in ws) selector = { id: key.keyWorkspaceId };
        else if ('id' in ws && ws.id !== key.keyWorkspaceId) throw notFound('workspace', ws.id);
      }
      const m = await store.findMembership(key.userId, selector);
      if (!m || (key.keyWorkspaceId !== null && m.workspaceId !== key.keyWorkspaceId)) {
        throw notFound('workspace', 'id' in ws ? ws.id : 'uuid' in ws ? ws.uuid : undefined);
      }
      return { userId: key.userId, workspaceId: m.workspaceId, role: m.role, apiKeyId: key.apiKeyId, dialect };
    },
  };
}
export type Auth = ReturnType<typeof createAuth>;
