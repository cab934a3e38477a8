// Turns a presented credential plus the workspace a request names into an Actor, or a CoreError.
import { CoreError, notFound } from './errors.js';
import type { AuthStore, KeyPrincipal, WorkspaceSelector } from './ports.js';
import { KEY_PATTERN, sha256 } from './secrets.js';
import type { Actor } from './types.js';

const unauthenticated = () => new CoreError('UNAUTHENTICATED', 'missing or invalid credentials');

export function createAuth(store: AuthStore) {
  const auth = {
    /** The live key behind `rawKey`, or UNAUTHENTICATED (missing, malformed, unknown, revoked, user deleted). */
    async authenticate(rawKey: string | undefined): Promise<KeyPrincipal> {
      if (!rawKey || !KEY_PATTERN.test(rawKey)) throw unauthenticated();
      const key = await store.findKey(sha256(rawKey));
      if (!key) throw unauthenticated();
      return key;
    },

    /**
     * Enters the selected workspace. A workspace key may only name its own workspace; a user-wide key any
     * workspace of its user. Anything else is NOT_FOUND(workspace), never a hint that the workspace exists.
     */
    async enter(key: KeyPrincipal, ws: WorkspaceSelector, dialect: string): Promise<Actor> {
      const named = 'id' in ws ? ws.id : 'uuid' in ws ? ws.uuid : undefined;
      let selector = ws;
      if (key.keyWorkspaceId !== null) {
        if ('earliest' in ws) selector = { id: key.keyWorkspaceId };
        else if ('id' in ws && ws.id !== key.keyWorkspaceId) throw notFound('workspace', named);
      }
      const m = await store.findMembership(key.userId, selector);
      if (!m || (key.keyWorkspaceId !== null && m.workspaceId !== key.keyWorkspaceId)) throw notFound('workspace', named);
      return { userId: key.userId, workspaceId: m.workspaceId, workspace: m.workspace, role: m.role, apiKeyId: key.apiKeyId, dialect };
    },

    async actorForKey(rawKey: string | undefined, ws: WorkspaceSelector, dialect: string): Promise<Actor> {
      return auth.enter(await auth.authenticate(rawKey), ws, dialect);
    },
  };
  return auth;
}
export type Auth = ReturnType<typeof createAuth>;
