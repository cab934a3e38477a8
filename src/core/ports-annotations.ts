// Storage port for the devtodev dialect's needs (owned by that dialect's work; see ports.ts for the rules).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AnnotationStore {}
