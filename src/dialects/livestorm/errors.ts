// Core error → Livestorm wire error: {"error":"<message>"} with the vendor's exact texts.
import { retryAfter, withHeaders, type CoreErrorTable, type ErrorRenderer, type WireError } from '../../http/errors.js';

const wire = (status: number, error: string): WireError => ({ status, body: { error } });

const NOT_FOUND: Record<string, string> = { workspace: 'Workspace not found', resource: 'Item not found' };

export const livestormCoreErrors = {
  UNAUTHENTICATED: () => wire(401, 'Unauthorized'),
  FORBIDDEN: (e) => {
    const action = e.details.action;
    if (action === 'create' || action === 'update' || action === 'delete') return wire(403, `Only owners and admins can ${action} labels`);
    if (action === 'assign') return wire(403, 'Only owners, admins and members can assign labels');
    return wire(403, 'Forbidden');
  },
  NOT_FOUND: (e) => wire(404, NOT_FOUND[e.details.entity ?? 'label'] ?? 'Label not found'),
  VALIDATION: (e) => wire(400, e.details.field === 'name' && e.details.rule === 'required' ? 'Name is required' : e.message),
  NAME_TAKEN: () => wire(409, 'A label with this name already exists'),
  CYCLE: (e) => wire(400, e.message),
  CONFLICT: (e) => wire(409, e.message),
  LIMIT_EXCEEDED: (e) => withHeaders(wire(429, e.message), retryAfter(e)),
  UNAVAILABLE: (e) => withHeaders(wire(503, e.message), retryAfter(e)),
} satisfies CoreErrorTable;

/** Path ids that are not ids answer like unknown objects, as the vendor's lookups would. */
const PARAM_NOT_FOUND: Record<string, string> = { id: 'Workspace not found', labelId: 'Label not found', itemId: 'Item not found' };

export const livestormErrors: ErrorRenderer = {
  core: livestormCoreErrors,
  validation: (p) => (p.context === 'params' ? wire(404, PARAM_NOT_FOUND[p.field] ?? 'Not found') : wire(400, p.message)),
  plain: (status, message) => wire(status, message),
};
