// Label-path use cases (Razuna's record sets): whole tree, by ids, by search, labels of resources and
// resources of a label. Razuna lets only owners and admins list or search the whole tree, although those
// calls only read, so those two use cases check an admin role of their own.
import { CoreError, isCoreError } from './errors.js';
import type { AssignmentStore } from './ports.js';
import type { LabelPath, LabelPathList, Pace, PathStore, ResourceLabels } from './ports-paths.js';
import { assertMay, checkResourceRef } from './rules.js';
import type { Actor, Resource } from './types.js';

const ADMIN_ROLES: readonly string[] = ['owner', 'admin'];

/** Owner or admin, even for reading: the vendor's rule for listing and searching every label. */
function assertAdmin(actor: Actor): void {
  if (!ADMIN_ROLES.includes(actor.role)) {
    throw new CoreError('FORBIDDEN', `role ${actor.role} may not list or search every label`, { action: 'read' });
  }
}

export function createPaths(store: PathStore & Pick<AssignmentStore, 'listResources'>, _now: () => number) {
  return {
    /** Every label of the workspace with its path, ordered by path; null once `pace` said stop. Owner or admin only. */
    async all(actor: Actor, pace?: Pace): Promise<LabelPathList | null> {
      assertAdmin(actor);
      return store.labelPathList(actor.workspaceId, {}, pace);
    },

    /** The given labels with their paths, ordered by path; unknown ids are simply absent. */
    async byIds(actor: Actor, ids: number[]): Promise<LabelPath[]> {
      assertMay(actor, 'read');
      if (ids.length === 0) return [];
      return (await store.listLabelPaths(actor.workspaceId, { ids: [...new Set(ids)] })).labels;
    },

    /**
     * Labels whose path (hence also name) contains `text` case-insensitively and literally; `null` = all.
     * At most `limit` labels, with the total number of matches; null once `pace` said stop. Owner or admin only.
     */
    async search(actor: Actor, text: string | null, limit?: number, pace?: Pace): Promise<LabelPathList | null> {
      assertAdmin(actor);
      const query: { search?: string; limit?: number } = {};
      if (text !== null) query.search = text;
      if (limit !== undefined) query.limit = limit;
      return store.labelPathList(actor.workspaceId, query, pace);
    },

    /** The labels (with paths) of each existing resource of `type` among `externalIds`. */
    async ofResources(actor: Actor, externalIds: string[], type: string): Promise<ResourceLabels[]> {
      assertMay(actor, 'read');
      checkResourceRef(type, 'x');
      const ids = [...new Set(externalIds)];
      if (ids.length === 0) return [];
      return store.labelsOfResources(actor.workspaceId, ids, type);
    },

    /**
     * The resources of the given types carrying the label, by name, at most `limit`. An unknown label
     * (or `null`, an id that cannot exist) carries nothing, so the answer is empty rather than an error.
     */
    async resourcesOfLabel(actor: Actor, labelId: number | null, types: string[], limit: number): Promise<Resource[]> {
      assertMay(actor, 'read');
      if (labelId === null) return [];
      try {
        const page = await store.listResources(actor.workspaceId, { labelId, types, sort: 'name', direction: 'asc', limit, offset: 0, omit: { total: true, labels: true } });
        return page.items;
      } catch (e) {
        if (isCoreError(e) && e.code === 'NOT_FOUND' && e.details.entity === 'label') return [];
        throw e;
      }
    },
  };
}
export type Paths = ReturnType<typeof createPaths>;
