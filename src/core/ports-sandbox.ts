// Storage for the sandbox side of labelmux (test suites driving it): replacing the whole database with a
// fixture document's rows, and deleting one workspace with everything in it.
import type { NewLabel } from './ports.js';
import type { Role } from './types.js';

/**
 * A fixture document checked and turned into rows (core/fixtures.ts): every reference resolved, names and
 * colours normalised, passwords and keys hashed. Ids are numbered from 1 in document order, table by table,
 * so the same document always gives the same ids. Labels are listed parents first.
 */
export interface FixturePlan {
  workspaces: { id: number; uuid: string; name: string }[];
  users: { id: number; email: string; name: string; passwordHash: string | null }[];
  members: { workspaceId: number; userId: number; role: Role }[];
  keys: { id: number; userId: number; workspaceId: number | null; name: string; keyHash: string }[];
  labels: (NewLabel & { id: number; workspaceId: number })[];
  resources: { id: number; workspaceId: number; type: string; externalId: string; name: string | null; status: string | null; attributes: Record<string, unknown> }[];
  assignments: { labelId: number; resourceId: number }[];
}

export interface SandboxStore {
  /**
   * Empties every table (workspaces, users, keys, labels, resources, events, counters, OAuth tokens and login
   * failures), makes every id sequence start again at 1, and writes the plan with its ids, all in one unit of
   * work: nothing changes when it fails. Times of the written rows are `at`.
   */
  resetTo(plan: FixturePlan, at: number): Promise<void>;
  /**
   * Deletes the workspace with everything in it (labels, resources, assignments, members, its keys and their
   * daily counters, events), in one unit of work. False for an unknown workspace. Users stay.
   */
  deleteWorkspace(id: number): Promise<boolean>;
}
