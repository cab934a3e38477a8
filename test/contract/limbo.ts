// Contract driver: limbo (JSON:API at /api/v1; labels are top level in their company; products are the
// resources of type `product`).
import { call, type Ctx, type Driver } from './driver.js';

const JSONAPI = 'application/vnd.api+json';
const h = (ctx: Ctx, body: boolean) => ({ authorization: `Bearer ${ctx.tenant.keys.owner}`, accept: JSONAPI, ...(body && { 'content-type': JSONAPI }) });
const lb = (ctx: Ctx, method: string, path: string, payload?: unknown, status = 200) => call(ctx, method, `/api/v1${path}`, { headers: h(ctx, payload !== undefined), payload, status });
const products = (resource: string) => ({ data: [{ type: 'products', id: resource }] });

export const limbo: Driver = {
  name: 'limbo',
  tree: false,
  resourceType: 'product',
  visible: () => true,
  async create(ctx, name) {
    const company = { data: { type: 'companies', id: String(ctx.tenant.workspaceId) } };
    return Number((await lb(ctx, 'POST', '/labels', { data: { type: 'labels', attributes: { name }, relationships: { company } } }, 201)).data.id);
  },
  rename: async (ctx, id, name) => void (await lb(ctx, 'PATCH', `/labels/${id}`, { data: { type: 'labels', id: String(id), attributes: { name } } })),
  move: () => Promise.reject(new Error('limbo labels are top level')),
  assign: async (ctx, id, resource) => void (await lb(ctx, 'POST', `/labels/${id}/relationships/products`, products(resource), 204)),
  unassign: async (ctx, id, resource) => void (await lb(ctx, 'DELETE', `/labels/${id}/relationships/products`, products(resource), 204)),
  remove: async (ctx, id) => void (await lb(ctx, 'DELETE', `/labels/${id}`, undefined, 204)),
  labels: async (ctx) => (await lb(ctx, 'GET', '/labels?page[size]=100&sort=id')).data.map((l: any) => ({ id: Number(l.id), name: l.attributes.name })),
  async assigned(ctx, type, resource, labelIds) {
    if (type !== 'product') return null;
    const out: number[] = [];
    for (const id of labelIds) {
      const linkage = await lb(ctx, 'GET', `/labels/${id}/relationships/products`);
      if (linkage.data.some((p: any) => p.id === resource)) out.push(id);
    }
    return out;
  },
};
