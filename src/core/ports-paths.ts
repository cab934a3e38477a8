// Storage port for label paths (Razuna's `label_path`: the ancestors' names joined by '/'). Same rules as
// ports.ts: async, one method call is one consistent unit of work.

/** A label with its path from the top of the tree, e.g. `pictures/color`. */
export interface LabelPath {
  id: number;
  parentId: number | null;
  name: string;
  path: string;
}

export interface PathQuery {
  /** Only these labels (unknown ids and other workspaces' ids are simply absent). */
  ids?: number[];
  /** Case-insensitive literal substring of the path (which ends with the name); `%` and `_` are not wildcards. */
  search?: string;
  /** At most this many labels; `total` still counts every match. */
  limit?: number;
}

/** The labels of one resource, ordered by path. */
export interface ResourceLabels {
  externalId: string;
  type: string;
  labels: LabelPath[];
}

export interface PathStore {
  /** Labels with their paths, ordered by path (case-insensitively, then exactly, then by id). */
  listLabelPaths(workspaceId: number, query: PathQuery): Promise<{ labels: LabelPath[]; total: number }>;
  /** For each existing resource of `type` among `externalIds` (in the order asked), its labels with paths. */
  labelsOfResources(workspaceId: number, externalIds: string[], type: string): Promise<ResourceLabels[]>;
}
