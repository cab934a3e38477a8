// Use cases for the devtodev dialect's needs.
import type { AnnotationStore } from './ports-annotations.js';

export function createAnnotations(_store: AnnotationStore, _now: () => number) {
  return {};
}
export type Annotations = ReturnType<typeof createAnnotations>;
