// Use cases for the Razuna dialect's needs.
import type { PathStore } from './ports-paths.js';

export function createPaths(_store: PathStore, _now: () => number) {
  return {};
}
export type Paths = ReturnType<typeof createPaths>;
