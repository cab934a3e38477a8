// Contract driver: Livestorm (flat workspace labels, library items; Bearer lnx_<key>).
import { call, type Ctx, type Driver } from './driver.js';

const h = (ctx: Ctx) => ({ authorization: `Bearer lnx_${ctx.tenant.keys.owner}` });
const ls = (ctx: Ctx, method: string, path: string, payload?: unknown, status = 200) =>
  call(ctx, method, `/api/workspaces/${ctx.tenant.workspaceId}${path}`, { headers: h(ctx), payload, status });

export const livestorm: Driver = {
  name: 'livestorm',
  tree: false,
  resourceType: 'library_item',
  visible: () => true,
  create: async (ctx, name) => (await ls(ctx, 'POST', '/labels', { name }, 201)).label.id,
  rename: async (ctx, id, name) => void (await ls(ctx, 'PATCH', `/labels/${id}`, { name })),
  move: () => Promise.reject(new Error('livestorm labels are flat')),
  assign: async (ctx, id, resource) => void (await ls(ctx, 'POST', `/library/${resource}/labels`, { label_id: id })),
  unassign: async (ctx, id, resource) => void (await ls(ctx, 'DELETE', `/library/${resource}/labels/${id}`)),
  remove: async (ctx, id) => void (await ls(ctx, 'DELETE', `/labels/${id}`)),
  labels: async (ctx) => (await ls(ctx, 'GET', '/labels')).labels.map((l: any) => ({ id: l.id, name: l.name })),
  async assigned(ctx, type, resource) {
    if (type !== 'library_item') return null;
    return (await ls(ctx, 'GET', `/library/${resource}`)).item.labels.map((l: any) => l.id);
  },
};
