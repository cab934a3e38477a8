// SQLite implementation of LimboStore.
import type { LimboStore } from '../core/ports-limbo.js';
import type { Statements } from './statements.js';

export function sqliteLimboStore(_s: Statements): LimboStore {
  return {};
}
