// SQLite implementation of PathStore.
import type { PathStore } from '../core/ports-paths.js';
import type { Statements } from './statements.js';

export function sqlitePathStore(_s: Statements): PathStore {
  return {};
}
