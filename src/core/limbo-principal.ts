// A limbo credential spans workspaces: an access token (or a user-wide key) sees every workspace of its
// user, a workspace key its one workspace; each with the user's role there.
import { CoreError } from './errors.js';
import type { LimboGrant } from './ports-limbo.js';
import type { Actor, Audit } from './types.js';

export const LIMBO_DIALECT = 'limbo';

/** Who is calling and which workspaces (with which role in each) the credential sees, earliest first. */
export interface LimboPrincipal {
  userId: number;
  apiKeyId: number | null;
  /**
   * A workspace API key: it reaches its one workspace by construction (an access token or a user-wide key
   * spans the user's workspaces, however many that is today). Decides how products are named (limbo-products.ts).
   */
  workspaceKey: boolean;
  grants: LimboGrant[];
}

export const workspaceIds = (p: LimboPrincipal): number[] => p.grants.map((g) => g.workspace.id);

/**
 * The principal acting in one of its workspaces, as the shared label use cases expect. A workspace it does
 * not see is NOT_FOUND (no existence oracle); `field` names the request field that named it.
 */
export function actorIn(p: LimboPrincipal, workspaceId: number, field?: string): Actor {
  const g = p.grants.find((x) => x.workspace.id === workspaceId);
  if (!g) throw new CoreError('NOT_FOUND', `workspace ${workspaceId} not found`, { entity: 'workspace', id: workspaceId, ...(field !== undefined && { field }) });
  return { userId: p.userId, workspaceId, workspace: g.workspace, role: g.role, apiKeyId: p.apiKeyId, dialect: LIMBO_DIALECT };
}

export const limboAudit = (p: LimboPrincipal, at: number): Audit => ({ actorUserId: p.userId, apiKeyId: p.apiKeyId, dialect: LIMBO_DIALECT, at });
