// SQLite implementation of AnnotationStore.
import type { AnnotationStore } from '../core/ports-annotations.js';
import type { Statements } from './statements.js';

export function sqliteAnnotationStore(_s: Statements): AnnotationStore {
  return {};
}
