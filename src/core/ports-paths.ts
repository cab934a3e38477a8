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

/**
 * Labels with paths in path order, held lean: objects are made a slice at a time (a whole workspace of them,
 * 100,000 labels, was ~30 MB of objects held while the answer was written).
 */
export interface LabelPathList {
  /** Labels in the list: the matches, at most the limit asked. */
  readonly length: number;
  /** Every match, the limit aside. */
  readonly total: number;
  slice(start: number, end: number): LabelPath[];
}

/**
 * Called by a whole-workspace read between two of its pages (other requests get a turn there): resolves false
 * when the reader has gone, and the read stops.
 */
export type Pace = () => Promise<boolean>;

export interface PathStore {
  /**
   * Every label with its path (or those matching `search`), ordered by path as listLabelPaths orders them,
   * read a page at a time; null when `pace` stopped it. `pageSize` is for tests.
   */
  labelPathList(workspaceId: number, query: Omit<PathQuery, 'ids'>, pace?: Pace, pageSize?: number): Promise<LabelPathList | null>;
  /** Labels with their paths, ordered by path (case-insensitively, then exactly, then by id). */
  listLabelPaths(workspaceId: number, query: PathQuery): Promise<{ labels: LabelPath[]; total: number }>;
  /** For each existing resource of `type` among `externalIds` (in the order asked), its labels with paths. */
  labelsOfResources(workspaceId: number, externalIds: string[], type: string): Promise<ResourceLabels[]>;
}
