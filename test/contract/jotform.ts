// Contract driver: Jotform (/API, APIKEY header, the envelope; the label tree gives paths).
import { call, pathsOf, type Ctx, type Driver } from './driver.js';

const h = (ctx: Ctx) => ({ apikey: ctx.tenant.keys.owner });
const root = (ctx: Ctx) => ctx.tenant.uuid.replaceAll('-', '');
const jf = async (ctx: Ctx, method: string, path: string, payload?: unknown) => {
  const body = await call(ctx, method, `/API${path}`, { headers: h(ctx), payload });
  expect200(body);
  return body.content;
};
const expect200 = (body: any) => {
  if (body.responseCode !== 200) throw new Error(`jotform answered ${JSON.stringify(body)}`);
};

interface Node {
  id: string;
  name: string;
  parent: string | null;
  sublabels: Node[];
}

export const jotform: Driver = {
  name: 'jotform',
  tree: true,
  resourceType: 'form',
  visible: () => true,
  create: async (ctx, name, parentId) => Number((await jf(ctx, 'POST', '/label', { name, ...(parentId !== null && { parent: String(parentId) }) })).id),
  rename: async (ctx, id, name) => void (await jf(ctx, 'PUT', `/label/${id}`, { name })),
  move: async (ctx, label, parentId) => void (await jf(ctx, 'PUT', `/label/${label.id}`, { parent: parentId === null ? root(ctx) : String(parentId) })),
  assign: async (ctx, id, resource) => void (await jf(ctx, 'PUT', `/label/${id}/add-resources`, { resources: [{ id: resource, type: 'form' }] })),
  unassign: async (ctx, id, resource) => void (await jf(ctx, 'PUT', `/label/${id}/remove-resources`, { resources: [{ id: resource, type: 'form' }] })),
  remove: async (ctx, id) => void (await jf(ctx, 'DELETE', `/label/${id}`)),
  async labels(ctx) {
    const tree: Node = await jf(ctx, 'GET', '/user/labels');
    const flat: { id: number; name: string; parent: number | null }[] = [];
    const walk = (n: Node) => n.sublabels.forEach((c) => (flat.push({ id: Number(c.id), name: c.name, parent: c.parent === tree.id ? null : Number(c.parent) }), walk(c)));
    walk(tree);
    const paths = pathsOf(flat);
    return flat.map((l) => ({ id: l.id, name: l.name, path: paths.get(l.id)! }));
  },
  // Jotform lists a label's resources of every type.
  async assigned(ctx, type, resource, labelIds) {
    const out: number[] = [];
    for (const id of labelIds) {
      const list: { id: string; type: string }[] = await jf(ctx, 'GET', `/label/${id}/resources?limit=1000`);
      if (list.some((r) => r.id === resource && r.type === type)) out.push(id);
    }
    return out;
  },
};
