// Storage port for the console (the browser UI at `/`): a label tree read one level at a time with counts,
// a subtree's size before a delete, and who and which keys reach a workspace.
import type { ApiKeyInfo, Role, User } from './types.js';

/** One label of a tree level: how many children and assignments it has. */
export interface TreeNode {
  id: number;
  parentId: number | null;
  name: string;
  color: string | null;
  children: number;
  assignments: number;
}

export interface MemberInfo {
  userId: number;
  email: string;
  name: string;
  role: Role;
}

export interface ConsoleStore {
  /** One page of the children of `parentId` (null: the top level), ordered by case-folded name then id. */
  labelChildren(workspaceId: number, parentId: number | null, offset: number, limit: number): Promise<TreeNode[]>;
  /** The label and everything below it: how many labels and assignments a delete removes; null when unknown. */
  subtreeCounts(workspaceId: number, labelId: number): Promise<{ labels: number; assignments: number } | null>;
  /** The workspace's members with their users. */
  listMembers(workspaceId: number): Promise<MemberInfo[]>;
  /** The live (not revoked) keys bound to the workspace. */
  listWorkspaceKeys(workspaceId: number): Promise<ApiKeyInfo[]>;
  /** The id of the workspace's event `back` places before its latest (0 when it has no more): a live feed starts after it. */
  eventCursor(workspaceId: number, back: number): Promise<number>;
  /** The user with this email (case-insensitive), or null. */
  findUserByEmail(email: string): Promise<User | null>;
}
