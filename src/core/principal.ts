// A credential that spans workspaces: an OAuth access token (or a user-wide key) sees every workspace of its
// user, a workspace key its one workspace; each with the user's role there. Dialects whose credentials name
// no single workspace (one request may touch several) authenticate to a Principal.
import { CoreError } from './errors.js';
import { ACCESS_TOKEN_PATTERN } from './oauth.js';
import type { AuthStore } from './ports.js';
import type { Grant, GrantStore } from './ports-grants.js';
import type { OAuthStore } from './ports-oauth.js';
import { KEY_PATTERN, sha256 } from './secrets.js';
import type { Actor, Audit } from './types.js';

/** Who is calling, through which dialect, and which workspaces (with which role in each) the credential sees, earliest first. */
export interface Principal {
  userId: number;
  apiKeyId: number | null;
  /**
   * A workspace API key: it reaches its one workspace by construction (an access token or a user-wide key
   * spans the user's workspaces, however many that is today). A dialect may name things differently for it.
   */
  workspaceKey: boolean;
  grants: Grant[];
  /** The dialect the request came through (recorded in audit events). */
  dialect: string;
}

export const workspaceIds = (p: Principal): number[] => p.grants.map((g) => g.workspace.id);

/**
 * The principal acting in one of its workspaces, as the shared label use cases expect. A workspace it does
 * not see is NOT_FOUND (no existence oracle); `field` names the request field that named it.
 */
export function actorIn(p: Principal, workspaceId: number, field?: string): Actor {
  const g = p.grants.find((x) => x.workspace.id === workspaceId);
  if (!g) throw new CoreError('NOT_FOUND', `workspace ${workspaceId} not found`, { entity: 'workspace', id: workspaceId, ...(field !== undefined && { field }) });
  return { userId: p.userId, workspaceId, workspace: g.workspace, role: g.role, apiKeyId: p.apiKeyId, dialect: p.dialect };
}

export const auditOf = (p: Principal, at: number): Audit => ({ actorUserId: p.userId, apiKeyId: p.apiKeyId, dialect: p.dialect, at });

const unauthenticated = () => new CoreError('UNAUTHENTICATED', 'missing, invalid or expired credentials');

export function createPrincipals(store: AuthStore & GrantStore & OAuthStore, now: () => number) {
  return {
    /** `Authorization: Bearer <x>`: a 32-hex API key or an access token from the OAuth token endpoint. */
    async authenticate(bearer: string | undefined, dialect: string): Promise<Principal> {
      if (bearer === undefined) throw unauthenticated();
      if (KEY_PATTERN.test(bearer)) {
        const key = await store.findKey(sha256(bearer));
        if (!key) throw unauthenticated();
        const workspaceKey = key.keyWorkspaceId !== null;
        return { userId: key.userId, apiKeyId: key.apiKeyId, workspaceKey, grants: await store.listGrants(key.userId, key.keyWorkspaceId), dialect };
      }
      if (!ACCESS_TOKEN_PATTERN.test(bearer)) throw unauthenticated();
      const userId = await store.findAccessToken(sha256(bearer), now());
      if (userId === null) throw unauthenticated();
      return { userId, apiKeyId: null, workspaceKey: false, grants: await store.listGrants(userId, null), dialect };
    },
  };
}
export type Principals = ReturnType<typeof createPrincipals>;
