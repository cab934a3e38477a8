// The closed set of core error codes. Every dialect maps each of them to its vendor's wire error in one
// table typed `satisfies Record<CoreErrorCode, …>`, so adding a code fails to compile until all answer it.
export const CORE_ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION',
  'NAME_TAKEN',
  'CYCLE',
  'CONFLICT',
  'LIMIT_EXCEEDED',
  'UNAVAILABLE',
] as const;
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/** What a request was trying to do when a permission check failed. */
export type Action = 'read' | 'create' | 'update' | 'delete' | 'assign';
export type Entity = 'workspace' | 'label' | 'parent' | 'resource' | 'user' | 'api_key' | 'member' | 'category';

export interface CoreErrorDetails {
  entity?: Entity;
  /** The offending id as the caller gave it. */
  id?: string | number;
  /** Input field at fault, in core terms (name, color, parent_id, …). */
  field?: string;
  /** Machine-readable rule for VALIDATION: required, too_long, format, … */
  rule?: string;
  action?: Action;
  /** For NAME_TAKEN: the label that already has the name. */
  existingId?: number;
  limit?: number;
  /** For LIMIT_EXCEEDED and UNAVAILABLE: seconds until a retry can succeed (e.g. a throttled login). */
  retryAfterSeconds?: number;
}

export class CoreError extends Error {
  override readonly name = 'CoreError';
  constructor(
    readonly code: CoreErrorCode,
    message: string,
    readonly details: CoreErrorDetails = {},
  ) {
    super(message);
  }
}

export const isCoreError = (e: unknown): e is CoreError => e instanceof CoreError;

export const notFound = (entity: Entity, id?: string | number) =>
  new CoreError('NOT_FOUND', `${entity} ${id ?? ''} not found`.replace('  ', ' '), { entity, id });

export const invalid = (field: string, rule: string, message: string) =>
  new CoreError('VALIDATION', message, { field, rule });

/**
 * The storage cannot serve the request now (database unreachable or hung, disk full, file not writable, write
 * queue full): nothing was done, or a write's outcome is unknown; a retry after `retryAfterSeconds` may work.
 */
export const unavailable = (message: string, retryAfterSeconds: number) =>
  new CoreError('UNAVAILABLE', message, { retryAfterSeconds });
