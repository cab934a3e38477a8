// What the console (the browser UI at `/`) needs beyond the admin API's other routes: a label tree one level
// at a time, a subtree's size before a delete, members and keys, and its own key for the dialects' APIs.
import { isCoreError, notFound } from './errors.js';
import type { AdminStore, LabelStore } from './ports.js';
import type { ConsoleStore, MemberInfo, TreeNode } from './ports-console.js';
import type { LabelPath, PathStore } from './ports-paths.js';
import { newApiKey, sha256 } from './secrets.js';
import type { ApiKeyInfo, User } from './types.js';

/** The user the console's keys belong to: one for the whole server, a member (admin) of each workspace it opens. */
export const CONSOLE_USER = { email: 'console@labelmux.local', name: 'labelmux console' } as const;

export function createConsole(store: ConsoleStore & AdminStore & LabelStore & PathStore, now: () => number) {
  const requireWorkspace = async (id: number) => {
    if (!(await store.getWorkspace(id))) throw notFound('workspace', id);
  };
  /** The console user, created on first use (a concurrent twin's creation is found instead). */
  const consoleUser = async (): Promise<User> => {
    const found = await store.findUserByEmail(CONSOLE_USER.email);
    if (found) return found;
    try {
      return await store.createUser(CONSOLE_USER.email, CONSOLE_USER.name, null, now());
    } catch (e) {
      const again = isCoreError(e) && e.code === 'CONFLICT' ? await store.findUserByEmail(CONSOLE_USER.email) : null;
      if (again) return again;
      throw e;
    }
  };

  return {
    async tree(ws: number, parentId: number | null, offset: number, limit: number): Promise<TreeNode[]> {
      await requireWorkspace(ws);
      if (parentId !== null && !(await store.getLabel(ws, parentId))) throw notFound('label', parentId);
      return store.labelChildren(ws, parentId, offset, limit);
    },

    /** Labels whose path contains `text` (case-insensitive), by path: the first `limit` and how many match. */
    async search(ws: number, text: string, limit: number): Promise<{ labels: LabelPath[]; total: number }> {
      await requireWorkspace(ws);
      return store.listLabelPaths(ws, { search: text, limit });
    },

    async subtree(ws: number, labelId: number): Promise<{ labels: number; assignments: number }> {
      await requireWorkspace(ws);
      const counts = await store.subtreeCounts(ws, labelId);
      if (!counts) throw notFound('label', labelId);
      return counts;
    },

    /** Where a live feed showing the `back` latest events starts. */
    async eventCursor(ws: number, back: number): Promise<number> {
      await requireWorkspace(ws);
      return store.eventCursor(ws, back);
    },

    async members(ws: number): Promise<MemberInfo[]> {
      await requireWorkspace(ws);
      return store.listMembers(ws);
    },

    async keys(ws: number): Promise<ApiKeyInfo[]> {
      await requireWorkspace(ws);
      return store.listWorkspaceKeys(ws);
    },

    /**
     * A new key named "console" for the console user in this workspace (made an admin member when it is not a
     * member yet); shown once, as every key.
     */
    async consoleKey(ws: number): Promise<{ info: ApiKeyInfo; key: string }> {
      await requireWorkspace(ws);
      const user = await consoleUser();
      const members = await store.listMembers(ws);
      if (!members.some((m) => m.userId === user.id)) await store.setMember(ws, user.id, 'admin', now());
      const key = newApiKey();
      const info = await store.createApiKey(user.id, ws, 'console', sha256(key), now());
      return { info, key };
    },
  };
}
export type Console = ReturnType<typeof createConsole>;
