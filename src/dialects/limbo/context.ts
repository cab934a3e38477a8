// Per-request pieces the handlers share: the caller's principal, ids from the path, the render context.
import type { FastifyRequest } from 'fastify';
import { notFound } from '../../core/index.js';
import type { Grant, Principal, Workspace } from '../../core/index.js';
import { charLength } from '../../core/index.js';
import { parseId } from '../types.js';
import { jsonInner, type RenderContext } from './mapper.js';
import { productIdOf } from './product-ids.js';
import type { ParsedQuery } from './query.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the /api/v1 authentication hook. */
    limboPrincipal: Principal | null;
  }
  interface FastifyInstance {
    /** LABELMUX_PUBLIC_URL without a trailing '/', or null: decorated by the /api/v1 plugin. */
    limboPublicUrl?: string | null;
  }
}

export const principal = (req: FastifyRequest): Principal => req.limboPrincipal!;

/** A path id that is not a label id answers like a missing label (404 document). */
export function labelId(req: FastifyRequest): number {
  const raw = (req.params as { id?: string }).id;
  const id = parseId(raw);
  if (id === null) throw notFound('label', raw);
  return id;
}

export function companyPathId(req: FastifyRequest): number {
  const raw = (req.params as { id?: string }).id;
  const id = parseId(raw);
  if (id === null) throw notFound('workspace', raw);
  return id;
}

/** An external id (at most 255 characters) behind a company id of at most 16 digits and a dash. */
const PRODUCT_ID_MAX = 255 + 17;

/** A product id as sent (product-ids.ts reads it: `<companyId>-<externalId>` or an external id), without control characters. */
export function productPathId(req: FastifyRequest): string {
  const raw = (req.params as { id?: string }).id ?? '';
  if (raw === '' || charLength(raw) > PRODUCT_ID_MAX || /\p{Cc}/u.test(raw)) throw notFound('resource', raw);
  return raw;
}

/**
 * `<public URL><mount>` when LABELMUX_PUBLIC_URL is set (behind a proxy the request's Host is the proxy's
 * upstream); otherwise `<scheme>://<host><mount>` from the request itself, as the vendor's links.
 */
export const baseUrl = (req: FastifyRequest, prefix: string) => `${req.server.limboPublicUrl ?? `${req.protocol}://${req.host}`}${prefix}`;

/** The credential's workspaces by id, made once per grants list (a key's grants are one array while remembered). */
const companyMaps = new WeakMap<Grant[], Map<number, Workspace>>();
const companiesOf = (grants: Grant[]): Map<number, Workspace> => {
  let m = companyMaps.get(grants);
  if (!m) companyMaps.set(grants, (m = new Map(grants.map((g) => [g.workspace.id, g.workspace]))));
  return m;
};

export function renderContext(req: FastifyRequest, prefix: string, q: Pick<ParsedQuery, 'include' | 'fields'>): RenderContext {
  const p = principal(req);
  const base = baseUrl(req, prefix);
  return {
    base,
    escapedBase: jsonInner(base),
    include: q.include,
    fields: q.fields,
    companies: companiesOf(p.grants),
    productId: (r) => productIdOf(p, r),
  };
}
