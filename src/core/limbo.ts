// Use cases for the limbo dialect's needs.
import type { LimboStore } from './ports-limbo.js';

export function createLimbos(_store: LimboStore, _now: () => number) {
  return {};
}
export type Limbos = ReturnType<typeof createLimbos>;
