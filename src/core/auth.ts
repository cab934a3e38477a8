// Turns a presented credential plus the workspace a request names into an Actor, or a CoreError.
import { CoreError, notFound } from './errors.js';
import type { AuthStore, KeyPrincipal, WorkspaceSelector } from './ports.js';
import { KEY_PATTERN, sha256 } from './secrets.js';
import type { Actor, MembershipWithWorkspace } from './types.js';

const unauthenticated = () => new CoreError('UNAUTHENTICATED', 'missing or invalid credentials');

/**
 * The actor for `m`, the membership a user-wide key found for the selector or a workspace key's own (which must
 * match what the selector names). Anything else is NOT_FOUND(workspace), never a hint that the workspace exists.
 */
function actorOf(key: KeyPrincipal, ws: WorkspaceSelector, dialect: string, m: MembershipWithWorkspace | null): Actor {
  const named = 'id' in ws ? ws.id : 'uuid' in ws ? ws.uuid : undefined;
  if (key.keyWorkspaceId !== null) {
    if ('id' in ws && ws.id !== key.keyWorkspaceId) throw notFound('workspace', named);
    if (m && 'uuid' in ws && m.workspace.uuid !== ws.uuid) m = null;
  }
  if (!m) throw notFound('workspace', named);
  return { userId: key.userId, workspaceId: m.workspaceId, workspace: m.workspace, role: m.role, apiKeyId: key.apiKeyId, dialect };
}

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
     * authenticate() when the store knows the answer at once (the key's lookup remembered): the key, or the
     * same UNAUTHENTICATED thrown; undefined when authenticate() must ask the store. A request's hot path
     * without a promise.
     */
    authenticateNow(rawKey: string | undefined): KeyPrincipal | undefined {
      if (!rawKey || !KEY_PATTERN.test(rawKey)) throw unauthenticated();
      if (store.findKeyNow === undefined) return undefined;
      const key = store.findKeyNow(sha256(rawKey));
      if (key === null) throw unauthenticated();
      return key;
    },

    /**
     * Enters the selected workspace. A workspace key may only name its own workspace; a user-wide key any
     * workspace of its user. Anything else is NOT_FOUND(workspace), never a hint that the workspace exists.
     */
    async enter(key: KeyPrincipal, ws: WorkspaceSelector, dialect: string): Promise<Actor> {
      const known = auth.entered(key, ws, dialect);
      if (known) return known;
      const m = await store.findMembership(key.userId, key.keyWorkspaceId === null ? ws : { id: key.keyWorkspaceId });
      return actorOf(key, ws, dialect, m);
    },

    /**
     * enter() when the answer is known without the store (a workspace key whose membership came with it, the
     * usual case): the actor, or the same error; undefined when enter() must look the membership up. A
     * request's hot path without a promise.
     */
    entered(key: KeyPrincipal, ws: WorkspaceSelector, dialect: string): Actor | undefined {
      if (key.keyWorkspaceId === null || key.keyMembership === undefined) return undefined;
      return actorOf(key, ws, dialect, key.keyMembership);
    },

    async actorForKey(rawKey: string | undefined, ws: WorkspaceSelector, dialect: string): Promise<Actor> {
      return auth.enter(await auth.authenticate(rawKey), ws, dialect);
    },
  };
  return auth;
}
export type Auth = ReturnType<typeof createAuth>;
