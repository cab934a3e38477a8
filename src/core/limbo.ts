// Use cases for the limbo dialect: credentials spanning workspaces (limbo-principal.ts), OAuth tokens,
// labels across those workspaces, companies (= workspaces) and products (= resources of type `product`).
import { CoreError } from './errors.js';
import { createLimboLabels } from './limbo-labels.js';
import { ACCESS_TOKEN_PATTERN, createLimboOAuth } from './limbo-oauth.js';
import { actorIn, type LimboPrincipal } from './limbo-principal.js';
import { createLimboProducts } from './limbo-products.js';
import type { LabelStore, AuthStore } from './ports.js';
import type { LimboStore } from './ports-limbo.js';
import { KEY_PATTERN, sha256 } from './secrets.js';
import type { Workspace } from './types.js';

export * from './limbo-principal.js';
export { productIdOf, type ProductQuery } from './limbo-products.js';

export interface CompanyQuery {
  sort: { field: 'id' | 'name'; desc: boolean }[];
  limit: number;
  offset: number;
}

const unauthenticated = () => new CoreError('UNAUTHENTICATED', 'missing, invalid or expired credentials');

const compareCompanies = (sort: CompanyQuery['sort']) => (a: Workspace, b: Workspace) => {
  for (const { field, desc } of sort) {
    const x = field === 'id' ? a.id : a.name.toLowerCase();
    const y = field === 'id' ? b.id : b.name.toLowerCase();
    if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
  }
  return a.id - b.id;
};

export function createLimbos(store: LimboStore & LabelStore & AuthStore, now: () => number) {
  return {
    oauth: createLimboOAuth(store, now),
    labels: createLimboLabels(store, now),

    /** `Authorization: Bearer <x>`: a 32-hex API key or an access token from /oauth/token. */
    async authenticate(bearer: string | undefined): Promise<LimboPrincipal> {
      if (bearer === undefined) throw unauthenticated();
      if (KEY_PATTERN.test(bearer)) {
        const key = await store.findKey(sha256(bearer));
        if (!key) throw unauthenticated();
        const workspaceKey = key.keyWorkspaceId !== null;
        return { userId: key.userId, apiKeyId: key.apiKeyId, workspaceKey, grants: await store.limboGrants(key.userId, key.keyWorkspaceId) };
      }
      if (!ACCESS_TOKEN_PATTERN.test(bearer)) throw unauthenticated();
      const userId = await store.limboFindAccessToken(sha256(bearer), now());
      if (userId === null) throw unauthenticated();
      return { userId, apiKeyId: null, workspaceKey: false, grants: await store.limboGrants(userId, null) };
    },

    companies: {
      /** The credential's workspaces are already loaded with it: sorted and paged in memory. */
      list(p: LimboPrincipal, q: CompanyQuery): { items: Workspace[]; total: number } {
        const all = p.grants.map((g) => g.workspace).sort(compareCompanies(q.sort));
        return { items: all.slice(q.offset, q.offset + q.limit), total: all.length };
      },
      get(p: LimboPrincipal, id: number): Workspace {
        return actorIn(p, id).workspace;
      },
    },

    products: createLimboProducts(store),
  };
}
export type Limbos = ReturnType<typeof createLimbos>;
