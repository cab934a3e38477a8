// Contract driver: Razuna (label.cfc?method=…, record sets; getall gives label_path).
import { call, type Ctx, type Driver } from './driver.js';

const ASSET_TYPES = ['img', 'vid', 'aud', 'doc', 'folder', 'collection'];
const rz = async (ctx: Ctx, method: string, args: Record<string, string> = {}) => {
  const q = new URLSearchParams({ method, api_key: `${ctx.tenant.workspaceId}-${ctx.tenant.keys.owner}`, ...args });
  const body = await call(ctx, 'GET', `/global/api2/label.cfc?${q}`);
  if (body.responsecode !== undefined && body.responsecode !== 0) throw new Error(`razuna ${method} answered ${JSON.stringify(body)}`);
  return body;
};
const rows = (body: { COLUMNS: string[]; DATA: string[][] }) => body.DATA.map((r) => Object.fromEntries(body.COLUMNS.map((c, i) => [c, r[i]!])));

export const razuna: Driver = {
  name: 'razuna',
  tree: true,
  resourceType: 'img',
  visible: () => true,
  create: async (ctx, name, parentId) => Number((await rz(ctx, 'setlabel', { label_text: name, label_parent: String(parentId ?? 0) })).label_id),
  rename: async (ctx, id, name) => void (await rz(ctx, 'setlabel', { label_id: String(id), label_text: name })),
  move: async (ctx, label, parentId) => void (await rz(ctx, 'setlabel', { label_id: String(label.id), label_text: label.name, label_parent: String(parentId ?? 0) })),
  assign: async (ctx, id, resource) => void (await rz(ctx, 'setassetlabel', { label_id: String(id), asset_id: resource, asset_type: 'img' })),
  unassign: async (ctx, id, resource) => void (await rz(ctx, 'removeassetlabel', { label_id: String(id), asset_id: resource })),
  remove: async (ctx, id) => void (await rz(ctx, 'remove', { label_id: String(id) })),
  labels: async (ctx) => rows(await rz(ctx, 'getall')).map((r) => ({ id: Number(r.label_id), name: r.label_text!, path: r.label_path! })),
  async assigned(ctx, type, resource) {
    if (!ASSET_TYPES.includes(type)) return null;
    return rows(await rz(ctx, 'getlabelofasset', { asset_id: resource, asset_type: type })).map((r) => Number(r.label_id));
  },
};
