// Storage port for credentials that span workspaces (an OAuth access token, a user-wide key): the workspaces
// such a credential sees, each with the user's role there.
import type { Role, Workspace } from './types.js';

/** One workspace a credential sees, with the user's role there. */
export interface Grant {
  workspace: Workspace;
  role: Role;
}

export interface GrantStore {
  /** The user's memberships (only `workspaceId`'s when given), earliest first. */
  listGrants(userId: number, workspaceId: number | null): Promise<Grant[]>;
}
