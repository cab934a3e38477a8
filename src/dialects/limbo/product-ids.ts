// How limbo names products. JSON:API needs (type, id) to name one resource, and a credential spanning
// companies (an OAuth access token, a user-wide key) may see product "1001" in two of them; so such a
// credential names products `<companyId>-<externalId>` ("2-1001"). A workspace key reaches one company by
// construction and keeps the bare external id ("1001"), as before. Either credential may send either form:
// its own form is tried first, then the other one (core/catalog.ts resolves the readings).
import type { ProductName, ProductRef } from '../../core/index.js';
import type { Principal } from '../../core/index.js';
import type { Resource } from '../../core/index.js';

const QUALIFIED = /^([1-9][0-9]{0,15})-([\s\S]+)$/;

/** The id this credential names the product by. */
export const productIdOf = (p: Principal, r: Pick<Resource, 'workspaceId' | 'externalId'>): string =>
  p.workspaceKey ? r.externalId : `${r.workspaceId}-${r.externalId}`;

/** The readings of an id a client sent, the credential's own form first. */
export function productName(p: Principal, id: string): ProductName {
  const bare: ProductRef = { workspaceId: null, externalId: id };
  const m = QUALIFIED.exec(id);
  const qualified = m && Number.isSafeInteger(Number(m[1])) ? { workspaceId: Number(m[1]), externalId: m[2]! } : null;
  const readings = !qualified ? [bare] : p.workspaceKey ? [bare, qualified] : [qualified, bare];
  return { ref: id, readings };
}
