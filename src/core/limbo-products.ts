// limbo's products (resources of type `product`) and the ids a credential names them by. JSON:API needs
// (type, id) to name one resource, and a credential spanning companies (an OAuth access token, a user-wide
// key) may see product "1001" in two of them; so such a credential names products `<companyId>-<externalId>`
// ("2-1001"). A workspace key reaches one company by construction and keeps the bare external id ("1001"),
// as before. Either credential may send either form: its own form is tried first, then the other one.
import { notFound } from './errors.js';
import { type LimboPrincipal, workspaceIds } from './limbo-principal.js';
import type { LimboProductQuery, LimboStore, ProductChoice } from './ports-limbo.js';
import type { Resource } from './types.js';
import { merge } from './objects.js';

export type ProductQuery = Omit<LimboProductQuery, 'workspaceIds' | 'labelId'>;

/** One reading of a product id: an external id, in one company or (null) in whichever the context says. */
interface ProductRef {
  workspaceId: number | null;
  externalId: string;
}

const QUALIFIED = /^([1-9][0-9]{0,15})-([\s\S]+)$/;

/** The id this credential names the product by. */
export const productIdOf = (p: LimboPrincipal, r: Pick<Resource, 'workspaceId' | 'externalId'>): string =>
  p.workspaceKey ? r.externalId : `${r.workspaceId}-${r.externalId}`;

/** The readings of an id a client sent, the credential's own form first. */
function readings(p: LimboPrincipal, id: string): ProductRef[] {
  const bare: ProductRef = { workspaceId: null, externalId: id };
  const m = QUALIFIED.exec(id);
  const qualified = m && Number.isSafeInteger(Number(m[1])) ? { workspaceId: Number(m[1]), externalId: m[2]! } : null;
  if (!qualified) return [bare];
  return p.workspaceKey ? [bare, qualified] : [qualified, bare];
}

/** What a linkage id may stand for in the label's company: the external ids of the readings that fit it. */
export const choiceIn = (p: LimboPrincipal, workspaceId: number, id: string): ProductChoice => ({
  ref: id,
  externalIds: readings(p, id)
    .filter((r) => r.workspaceId === null || r.workspaceId === workspaceId)
    .map((r) => r.externalId),
});

export function createLimboProducts(store: LimboStore) {
  return {
    async list(p: LimboPrincipal, q: ProductQuery): Promise<{ items: Resource[]; total: number }> {
      if (p.grants.length === 0) return { items: [], total: 0 };
      return store.limboListProducts(merge(q, { workspaceIds: workspaceIds(p) }));
    },

    /**
     * The product the id names: a qualified reading in one of the credential's companies, or a bare external
     * id that exactly one of them has (several: ambiguous, so not this reading). NOT_FOUND otherwise.
     */
    async get(p: LimboPrincipal, id: string): Promise<Resource> {
      const visible = workspaceIds(p);
      for (const r of readings(p, id)) {
        if (r.workspaceId !== null && !visible.includes(r.workspaceId)) continue;
        const found = await store.limboFindProducts(r.workspaceId === null ? visible : [r.workspaceId], r.externalId);
        if (found.length === 1) return found[0]!;
      }
      throw notFound('resource', id);
    },
  };
}
