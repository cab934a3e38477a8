// What the journal and the fault matcher know of a request: its dialect and operation (fixed per route when
// it is registered), and who called (set by the dialect's authentication). Read by shape, so this module
// depends on no dialect: Razuna keeps its decoded call in `req.razuna`, limbo its principal in `req.limboPrincipal`.
import type { FastifyRequest, RouteOptions } from 'fastify';
import { DIALECT_NAMES } from '../config.js';
import { LIMBO_OPERATIONS } from '../dialects/limbo/openapi.js';

/** Stored in each dialect route's config when it is registered. */
export interface RouteInfo {
  dialect: string;
  operation: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    sandbox?: RouteInfo;
  }
}

const DIALECTS = new Set<string>(DIALECT_NAMES);

/**
 * The operation of a route: its operationId; limbo's are given in its OpenAPI table (by path template and
 * verb), Razuna's one route is named per call (razunaMethod). `prefix` is the dialect's configured prefix.
 */
export function routeInfo(dialect: string, prefix: string, route: Pick<RouteOptions, 'url' | 'method' | 'schema'>, method: string): RouteInfo {
  const id = (route.schema as { operationId?: string } | undefined)?.operationId;
  if (id !== undefined) return { dialect, operation: id };
  if (dialect === 'limbo') {
    const template = route.url.slice(prefix.length).replace(/:([A-Za-z_]+)/g, '{$1}');
    const op = template === '/oauth/token' ? 'issueToken' : LIMBO_OPERATIONS[template]?.[method.toLowerCase()]?.operationId;
    return { dialect, operation: op ?? null };
  }
  return { dialect, operation: null };
}

interface Caller {
  workspaceId: number | null;
  keyId: number | null;
}
type Shaped = FastifyRequest & {
  razuna?: { method?: { name: string } };
  limboPrincipal?: { apiKeyId: number | null; workspaceKey: boolean; grants: { workspace: { id: number } }[] } | null;
};

/**
 * The dialect whose hooks took the request (each sets `req.dialect` first thing, unknown routes under its
 * mount included), or null. Read from the request, not from `req.routeOptions`, which builds a new object
 * on each read.
 */
export function dialectOf(req: FastifyRequest): string | null {
  return DIALECTS.has(req.dialect) ? req.dialect : null;
}

/** The operation of a request to the route `info` describes (null: no dialect route). */
export function operationOf(req: FastifyRequest, info: RouteInfo | undefined): string | null {
  if (!info) return null;
  return info.operation ?? (req as Shaped).razuna?.method?.name ?? null;
}

/** Workspace and key of the caller, once authenticated. A limbo access token or user-wide key spans workspaces: null. */
export function callerOf(req: FastifyRequest): Caller {
  if (req.actor) return { workspaceId: req.actor.workspaceId, keyId: req.actor.apiKeyId };
  const p = (req as Shaped).limboPrincipal;
  if (p) return { workspaceId: p.workspaceKey ? (p.grants[0]?.workspace.id ?? null) : null, keyId: p.apiKeyId };
  return { workspaceId: null, keyId: null };
}
