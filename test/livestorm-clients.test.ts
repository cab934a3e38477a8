// The Livestorm dialect against what real clients send: the label object a GET returned sent back in a
// PATCH, extra fields in bodies, jQuery's `_=<timestamp>` cache buster in the query, plain fetch over HTTP.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';

let t: TestApp;
let a: Tenant;

beforeEach(async () => {
  t = await buildTestApp();
  a = await createTenant(t.core, 'Acme');
  await t.core.admin.upsertResources(a.workspaceId, [{ type: 'library_item', externalId: '42', name: 'Intro video', attributes: { mime_type: 'video/mp4', size: 1234 } }]);
});
afterEach(() => t.close());

const ws = () => `/api/workspaces/${a.workspaceId}`;
const call = (method: string, url: string, body?: unknown) =>
  t.app.inject({
    method: method as 'GET',
    url,
    headers: { authorization: `Bearer lnx_${a.keys.owner}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { payload: JSON.stringify(body) }),
  });
const eventCount = async () => (await t.core.admin.listEvents(a.workspaceId, 0, 1000)).length;
const createLabel = async (body: object) => (await call('POST', `${ws()}/labels`, body)).json().label as { id: number; name: string; color: string; created_at: number };

describe('fields the vendor does not know are ignored; known ones are still checked', () => {
  it('GET → PATCH of the same label object succeeds and writes nothing; a changed field in it is applied', async () => {
    const { id } = await createLabel({ name: 'Marketing', color: '#22c55e' });
    const listed = (await call('GET', `${ws()}/labels`)).json().labels[0];
    // The label object as the vendor documents it, with the fields only a full read shows.
    const full = { ...listed, workspace_id: a.workspaceId, created_by: a.userIds.owner };
    const events = await eventCount();
    for (const body of [listed, full]) {
      const res = await call('PATCH', `${ws()}/labels/${id}`, body);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ label: { id, name: 'Marketing', color: '#22c55e', created_at: listed.created_at } });
    }
    expect(await eventCount()).toBe(events);
    const renamed = await call('PATCH', `${ws()}/labels/${id}`, { ...full, name: 'Brand' });
    expect(renamed.json().label).toMatchObject({ id, name: 'Brand', color: '#22c55e' });
    expect(await eventCount()).toBe(events + 1);
  });

  it('extra fields on create and assign are ignored', async () => {
    const made = await createLabel({ name: 'Copy', color: '#abc', id: 999, workspace_id: 12345, created_by_name: 'Someone' });
    expect(made).toMatchObject({ name: 'Copy', color: '#aabbcc' });
    expect(made.id).not.toBe(999);
    const res = await call('POST', `${ws()}/library/42/labels`, { label_id: made.id, item_id: 42, labels: [] });
    expect(res.json()).toEqual({ labels: [{ id: made.id, name: 'Copy', color: '#aabbcc' }] });
    const many = await call('POST', `${ws()}/library/42/labels`, { label_ids: [made.id], note: 'x' });
    expect(many.statusCode).toBe(200);
  });

  it('a known field with a wrong value is still refused with the vendor message, and nothing is written', async () => {
    const { id } = await createLabel({ name: 'Marketing' });
    const listed = (await call('GET', `${ws()}/labels`)).json().labels[0];
    const events = await eventCount();
    for (const [body, error] of [
      [{ ...listed, color: 'red' }, 'color must be a hex color like #22c55e'],
      [{ ...listed, name: '' }, 'Name is required'],
      [{ ...listed, name: 42 }, 'name must be a string'],
    ] as const) {
      const res = await call('PATCH', `${ws()}/labels/${id}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error });
    }
    expect((await call('POST', `${ws()}/labels`, { color: '#22c55e', workspace_id: 1 })).json()).toEqual({ error: 'Name is required' });
    expect((await call('POST', `${ws()}/library/42/labels`, { label_id: 'x', extra: 1 })).json()).toEqual({ error: 'label_id must be a number' });
    expect(await eventCount()).toBe(events);
  });
});

describe('unknown query parameters are ignored on every route; known ones are checked', () => {
  it("jQuery's cache buster (_=<timestamp>) on the library as on the labels", async () => {
    const { id } = await createLabel({ name: 'Marketing' });
    await call('POST', `${ws()}/library/42/labels`, { label_id: id });
    for (const url of [`${ws()}/labels?_=1764757200000`, `${ws()}/library?_=1764757200000`, `${ws()}/library?label=${id}&_=1764757200000`, `${ws()}/library/42?_=1764757200000`]) {
      const res = await call('GET', url);
      expect(res.statusCode, url).toBe(200);
    }
    expect((await call('GET', `${ws()}/library?label=${id}&_=1&utm_source=x`)).json().total).toBe(1);
    expect((await call('PATCH', `${ws()}/labels/${id}?_=1`, { name: 'Brand' })).json().label.name).toBe('Brand');
    for (const [qs, error] of [['_=1&limit=0', 'limit must be between 1 and 100'], ['_=1&sort=size2', 'sort must be one of "date", "name", "size"']]) {
      const res = await call('GET', `${ws()}/library?${qs}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error });
    }
  });
});

describe('path ids', () => {
  it('are documented as integers and still refuse anything else with the vendor 404', async () => {
    const doc = (await t.app.inject({ url: '/openapi/livestorm.json' })).json();
    for (const [path, item] of Object.entries<Record<string, { parameters?: { in: string; name: string; schema: { type: string } }[] }>>(doc.paths)) {
      for (const op of Object.values(item)) {
        for (const p of op.parameters ?? []) {
          if (p.in === 'path') expect(p.schema.type, `${path} ${p.name}`).toBe(p.name === 'itemId' ? 'string' : 'integer');
        }
      }
    }
    const { id } = await createLabel({ name: 'Marketing' });
    for (const [method, url, error] of [
      ['GET', `/api/workspaces/0${a.workspaceId}/labels`, 'Workspace not found'],
      ['GET', `/api/workspaces/1e0/labels`, 'Workspace not found'],
      ['DELETE', `${ws()}/labels/0${id}`, 'Label not found'],
      ['DELETE', `${ws()}/labels/${id}.0`, 'Label not found'],
      ['DELETE', `${ws()}/library/42/labels/1e0`, 'Label not found'],
    ] as const) {
      const res = await call(method, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual({ error });
    }
  });
});

describe('a fetch client over HTTP (the snippet in docs/dialects/livestorm.md)', () => {
  it('lists, creates, sends a read label back with a change, assigns', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const KEY = a.keys.owner;
    const WS = a.workspaceId;
    // --- the snippet, as documented (BASE, KEY and WS set above) ---
    const BASE = `${base}/api/workspaces/${WS}`;
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${BASE}${path}`, {
        method,
        headers: { Authorization: `Bearer lnx_${KEY}`, ...(body !== undefined && { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${res.status} ${(await res.json()).error}`);
      return res.json();
    };
    const { label } = await api('POST', '/labels', { name: 'Onboarding' }); // color defaults to #6366f1
    const { labels } = await api('GET', `/labels?_=${Date.now()}`);
    const read = labels.find((l: { id: number }) => l.id === label.id);
    await api('PATCH', `/labels/${label.id}`, { ...read, color: '#22c55e' }); // unknown fields are ignored
    await api('POST', '/library/42/labels', { label_id: label.id });
    const { items } = await api('GET', `/library?label=${label.id}`);
    // --- end of the snippet ---
    expect(label.color).toBe('#6366f1');
    expect(items).toHaveLength(1);
    expect(items[0].labels).toEqual([{ id: label.id, name: 'Onboarding', color: '#22c55e' }]);
    await expect(api('PATCH', `/labels/${label.id}`, { color: 'green' })).rejects.toThrow('400 color must be a hex color like #22c55e');
  });
});
