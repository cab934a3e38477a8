// One core, many dialects: a label created through limbo is the same label (same id) in Livestorm and
// Jotform for its company's workspace, and the other way round; limbo's products are the shared resources
// of type `product`.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setup, type Env } from './limbo-helper.js';

let e: Env;
beforeAll(async () => {
  e = await setup();
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

const livestorm = (method: string, path: string, key: string, payload?: object) =>
  e.t.app.inject({ method: method as 'GET', url: `/api/workspaces${path}`, headers: { authorization: `Bearer lnx_${key}` }, ...(payload && { payload }) });
const jotform = (method: string, path: string, key: string, payload?: object) =>
  e.t.app.inject({ method: method as 'GET', url: `/API${path}`, headers: { apikey: key }, ...(payload && { payload }) });
const limboNames = async (key = e.a.keys.owner) => (await e.call('GET', '/api/v1/labels?sort=id', { key })).doc.data.map((l: any) => [l.id, l.attributes.name]);

describe('limbo → other dialects', () => {
  it('a label created here is listed by Livestorm and Jotform of its workspace, with the same id', async () => {
    const id = await e.label('From limbo');
    const ls = await livestorm('GET', `/${e.a.workspaceId}/labels`, e.a.keys.viewer);
    expect(ls.statusCode).toBe(200);
    expect(ls.json().labels.map((l: any) => [String(l.id), l.name])).toEqual([[id, 'From limbo']]);
    const jf = await jotform('GET', '/user/labels', e.a.keys.viewer);
    expect(jf.statusCode).toBe(200);
    expect(jf.json().content.sublabels.map((l: any) => [l.id, l.name])).toEqual([[id, 'From limbo']]);
    // Other workspaces' dialects do not see it.
    expect((await livestorm('GET', `/${e.b.workspaceId}/labels`, e.b.keys.owner)).json().labels).toEqual([]);
  });

  it('renames and deletions made here show there', async () => {
    const id = await e.label('Before');
    await e.call('PATCH', `/api/v1/labels/${id}`, { body: { data: { type: 'labels', id, attributes: { name: 'After' } } } });
    expect((await jotform('GET', `/label/${id}`, e.a.keys.owner)).json().content.name).toBe('After');
    await e.call('DELETE', `/api/v1/labels/${id}`);
    expect((await livestorm('GET', `/${e.a.workspaceId}/labels`, e.a.keys.owner)).json().labels).toEqual([]);
  });

  it('products assigned here are the product resources Jotform sees on the label', async () => {
    await e.products(e.a.workspaceId, [{ id: '9001', name: 'Debut Album', status: 'live' }]);
    const id = await e.label('Releases');
    await e.call('POST', `/api/v1/labels/${id}/relationships/products`, { body: { data: [{ type: 'products', id: '9001' }] } });
    const res = await jotform('GET', `/label/${id}/resources`, e.a.keys.owner);
    expect(res.statusCode).toBe(200);
    expect(res.json().content).toEqual([expect.objectContaining({ id: '9001', type: 'product', title: 'Debut Album', status: 'live' })]);
  });

  it('a label moved to another company follows in the dialects of both workspaces', async () => {
    const user = await e.t.core.admin.createUser({ email: `mover.${e.a.workspaceId}@example.com`, name: 'Mover' });
    await e.t.core.admin.setMember(e.a.workspaceId, user.id, 'owner');
    await e.t.core.admin.setMember(e.b.workspaceId, user.id, 'owner');
    const { key } = await e.t.core.admin.createApiKey({ userId: user.id });
    const id = await e.label('Mover', { key });
    await e.call('PATCH', `/api/v1/labels/${id}/relationships/company`, { key, body: { data: { type: 'companies', id: String(e.b.workspaceId) } } });
    expect((await livestorm('GET', `/${e.a.workspaceId}/labels`, e.a.keys.owner)).json().labels).toEqual([]);
    expect((await livestorm('GET', `/${e.b.workspaceId}/labels`, e.b.keys.owner)).json().labels.map((l: any) => String(l.id))).toEqual([id]);
  });
});

describe('other dialects → limbo', () => {
  it('labels created through Livestorm and Jotform are listed here (usage reads as all true)', async () => {
    const ls = await livestorm('POST', `/${e.a.workspaceId}/labels`, e.a.keys.owner, { name: 'From Livestorm' });
    expect(ls.statusCode).toBe(201);
    const jf = await jotform('POST', '/label', e.a.keys.owner, { name: 'From Jotform' });
    expect(jf.statusCode).toBe(200);
    expect(await limboNames()).toEqual([
      [String(ls.json().label.id), 'From Livestorm'],
      [jf.json().content.id, 'From Jotform'],
    ]);
    const one = await e.call('GET', `/api/v1/labels/${ls.json().label.id}`);
    expect(one.doc.data.attributes.usage).toEqual({ download: true, copy_scan: true, on_demand_stream: true, non_interactive_stream: true });
    // Editing it here keeps what the other dialect stored (its colour) and adds the usage flags.
    await e.call('PATCH', `/api/v1/labels/${ls.json().label.id}`, { body: { data: { type: 'labels', id: String(ls.json().label.id), attributes: { usage: { download: false } } } } });
    const after = await livestorm('GET', `/${e.a.workspaceId}/labels`, e.a.keys.owner);
    expect(after.json().labels[0]).toMatchObject({ name: 'From Livestorm', color: '#6366f1' });
  });

  it('product resources another dialect assigned are this label’s products', async () => {
    const jf = await jotform('POST', '/label', e.a.keys.owner, { name: 'Jotform label' });
    const id = jf.json().content.id;
    const put = await jotform('PUT', `/label/${id}/add-resources`, e.a.keys.owner, { resources: [{ id: 'cat-7', type: 'product' }, { id: 'f1', type: 'form' }] });
    expect(put.statusCode).toBe(200);
    const res = await e.call('GET', `/api/v1/labels/${id}/relationships/products`);
    expect(res.doc.data).toEqual([{ type: 'products', id: 'cat-7' }]);
    expect((await e.call('GET', '/api/v1/products/cat-7')).statusCode).toBe(200);
  });
});
