// Turns a presented credential plus the workspace a request names into an Actor, or a CoreError.
import { CoreError, notFound } from './errors.js';
import type { AuthStore, KeyPrincipal, WorkspaceSelector } from './ports.js';
import { KEY_PATTERN, sha256 } from './secrets.js';
import type { Actor, MembershipWithWorkspace } from './types.js';

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
      let m: MembershipWithWorkspace | null;
      if (key.keyWorkspaceId === null) {
        m = await store.findMembership(key.userId, ws);
      } else {
        if ('id' in ws && ws.id !== key.keyWorkspaceId) throw notFound('workspace', named);
        // The key's own membership usually came with the key (one query per request).
        m = key.keyMembership !== undefined ? key.keyMembership : await store.findMembership(key.userId, { id: key.keyWorkspaceId });
        if (m && 'uuid' in ws && m.workspace.uuid !== ws.uuid) m = null;
      }
      if (!m) throw notFound('workspace', named);
      return { userId: key.userId, workspaceId: m.workspaceId, workspace: m.workspace, role: m.role, apiKeyId: key.apiKeyId, dialect };
    },

    async actorForKey(rawKey: string | undefined, ws: WorkspaceSelector, dialect: string): Promise<Actor> {
      return auth.enter(await auth.authenticate(rawKey), ws, dialect);
    },
  };
  return auth;
}
export type Auth = ReturnType<typeof createAuth>;
