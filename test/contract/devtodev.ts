// Contract driver: devtodev (POST operations, credentials in the body). Its labels are annotations: timed
// labels at the top level here (no category), and it lists only timed labels. It has no assignments.
import { call, type Ctx, type Driver } from './driver.js';

const dd = async (ctx: Ctx, op: string, body: object = {}) =>
  (await call(ctx, 'POST', `/api/v1/labels/${op}`, { payload: { user_token: ctx.tenant.keys.owner, app_id: ctx.tenant.uuid, ...body } })).data;
const T0 = 1_790_000_000;

export const devtodev: Driver = {
  name: 'devtodev',
  tree: false,
  resourceType: null,
  visible: (l) => l.timed,
  create: async (ctx, name) => (await dd(ctx, 'create', { labels: [{ name, start_date: T0 }] })).labels[0].id,
  rename: async (ctx, id, name) => void (await dd(ctx, 'edit', { label: { id, name } })),
  move: () => Promise.reject(new Error('the contract keeps devtodev labels at the top level')),
  assign: () => Promise.reject(new Error('devtodev has no assignments')),
  unassign: () => Promise.reject(new Error('devtodev has no assignments')),
  remove: async (ctx, id) => void (await dd(ctx, 'delete', { ids: [id] })),
  labels: async (ctx) => (await dd(ctx, 'get')).labels.map((l: any) => ({ id: l.id, name: l.name })),
  assigned: async () => null,
};
