// The admin routes the console uses (src/admin/console-routes.ts): answers and error paths.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, buildTestApp, createTenant, type TestApp, type Tenant } from './helper.js';

let t: TestApp;
let tenant: Tenant;
const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const ids: Record<string, number> = {};

const admin = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = AUTH) => t.app.inject({ method, url: `/_admin${url}`, headers });
const jotform = async (method: 'POST' | 'PUT', url: string, payload: object) => {
  const r = await t.app.inject({ method, url: `/API${url}`, headers: { apikey: tenant.keys.owner }, payload });
  expect(r.json().responseCode).toBe(200);
  return r.json().content;
};

beforeAll(async () => {
  t = await buildTestApp();
  tenant = await createTenant(t.core);
  for (const [name, parent] of [['Music', ''], ['Rock', 'Music'], ['Indie', 'Rock'], ['Jazz', 'Music'], ['art', '']] as const) {
    ids[name] = Number((await jotform('POST', '/label', { name, parent: parent === '' ? '' : String(ids[parent]) })).id);
  }
  await jotform('PUT', `/label/${ids.Rock}/add-resources`, { resources: [{ id: '1', type: 'form' }, { id: '2', type: 'form' }] });
  await jotform('PUT', `/label/${ids.Indie}/add-resources`, { resources: [{ id: '1', type: 'form' }] });
});
afterAll(async () => t?.close());

describe('console admin routes', () => {
  it('refuses a missing or wrong admin token on every console route (401 problem)', async () => {
    const ws = tenant.workspaceId;
    for (const url of ['/dialects', `/workspaces/${ws}/label-tree`, `/workspaces/${ws}/label-search?q=a`, `/workspaces/${ws}/labels/${ids.Rock}/subtree`, `/workspaces/${ws}/members`, `/workspaces/${ws}/api-keys`, `/workspaces/${ws}/events/stream`]) {
      const r = await admin('GET', url, { authorization: 'Bearer wrong-token' });
      expect(r.statusCode, url).toBe(401);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await admin('POST', `/workspaces/${ws}/console-key`, {})).statusCode).toBe(401);
  });

  it('lists one tree level with counts, ordered by name ignoring case', async () => {
    const top = (await admin('GET', `/workspaces/${tenant.workspaceId}/label-tree`)).json();
    expect(top.labels.map((l: any) => [l.name, l.children, l.assignments])).toEqual([['art', 0, 0], ['Music', 2, 0]]);
    const music = (await admin('GET', `/workspaces/${tenant.workspaceId}/label-tree?parent=${ids.Music}`)).json();
    expect(music.labels.map((l: any) => [l.name, l.parent_id, l.children, l.assignments])).toEqual([['Jazz', ids.Music, 0, 0], ['Rock', ids.Music, 1, 2]]);
    const page = (await admin('GET', `/workspaces/${tenant.workspaceId}/label-tree?parent=${ids.Music}&offset=1&limit=1`)).json();
    expect(page.labels.map((l: any) => l.name)).toEqual(['Rock']);
  });

  it('answers 404 for an unknown workspace or parent, and for another workspace\'s label', async () => {
    const other = await createTenant(t.core);
    for (const url of [`/workspaces/99999/label-tree`, `/workspaces/${tenant.workspaceId}/label-tree?parent=99999`, `/workspaces/${other.workspaceId}/label-tree?parent=${ids.Music}`, `/workspaces/${other.workspaceId}/labels/${ids.Music}/subtree`, `/workspaces/99999/members`, `/workspaces/99999/api-keys`, `/workspaces/99999/label-search?q=x`, `/workspaces/99999/events/stream`]) {
      const r = await admin('GET', url);
      expect(r.statusCode, url).toBe(404);
      expect(r.json().status).toBe(404);
    }
    expect((await admin('POST', '/workspaces/99999/console-key')).statusCode).toBe(404);
  });

  it('refuses bad query parameters (400) and bad path ids (404)', async () => {
    const ws = tenant.workspaceId;
    for (const url of [`/workspaces/${ws}/label-tree?limit=0`, `/workspaces/${ws}/label-tree?limit=1001`, `/workspaces/${ws}/label-tree?offset=-1`, `/workspaces/${ws}/label-tree?parent=abc`, `/workspaces/${ws}/label-tree?nope=1`, `/workspaces/${ws}/label-search`, `/workspaces/${ws}/label-search?q=`, `/workspaces/${ws}/events/stream?last=5000`]) {
      const r = await admin('GET', url);
      expect([400, 404], url).toContain(r.statusCode);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await admin('GET', `/workspaces/${ws}/label-tree?limit=0`)).statusCode).toBe(400);
    expect((await admin('GET', `/workspaces/abc/label-tree`)).statusCode).toBe(404);
    expect((await admin('GET', `/workspaces/${ws}/labels/0/subtree`)).statusCode).toBe(404);
  });

  it('searches by name or path, case-insensitively, with the number of matches', async () => {
    const r = (await admin('GET', `/workspaces/${tenant.workspaceId}/label-search?q=music/r&limit=5`)).json();
    expect(r).toEqual({ labels: [{ id: ids.Rock, parent_id: ids.Music, name: 'Rock', path: 'Music/Rock' }, { id: ids.Indie, parent_id: ids.Rock, name: 'Indie', path: 'Music/Rock/Indie' }], total: 2 });
    expect((await admin('GET', `/workspaces/${tenant.workspaceId}/label-search?q=o&limit=1`)).json().total).toBe(2);
  });

  it('counts what a delete removes: the subtree and its assignments', async () => {
    expect((await admin('GET', `/workspaces/${tenant.workspaceId}/labels/${ids.Music}/subtree`)).json()).toEqual({ labels: 4, assignments: 3 });
    expect((await admin('GET', `/workspaces/${tenant.workspaceId}/labels/${ids.Indie}/subtree`)).json()).toEqual({ labels: 1, assignments: 1 });
  });

  it('lists members and live workspace keys', async () => {
    const members = (await admin('GET', `/workspaces/${tenant.workspaceId}/members`)).json().members;
    expect(members.map((m: any) => m.role)).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(members[0]).toMatchObject({ user_id: tenant.userIds.owner, email: expect.stringContaining('@example.com') });
    const keys = (await admin('GET', `/workspaces/${tenant.workspaceId}/api-keys`)).json().api_keys;
    expect(keys).toHaveLength(4);
    expect(keys[0]).not.toHaveProperty('key');
    await t.app.inject({ method: 'DELETE', url: `/_admin/api-keys/${keys[3].id}`, headers: AUTH });
    expect((await admin('GET', `/workspaces/${tenant.workspaceId}/api-keys`)).json().api_keys).toHaveLength(3);
  });

  it('makes a console key that works in the dialects; the console user joins once as admin', async () => {
    const first = await admin('POST', `/workspaces/${tenant.workspaceId}/console-key`);
    expect(first.statusCode).toBe(201);
    const key = first.json().api_key;
    expect(key).toMatchObject({ name: 'console', workspace_id: tenant.workspaceId, key: expect.stringMatching(/^[0-9a-f]{32}$/) });
    const read = await t.app.inject({ method: 'GET', url: `/API/label/${ids.Rock}`, headers: { apikey: key.key } });
    expect(read.json().content.name).toBe('Rock');
    expect((await admin('POST', `/workspaces/${tenant.workspaceId}/console-key`)).json().api_key.user_id).toBe(key.user_id);
    const members = (await admin('GET', `/workspaces/${tenant.workspaceId}/members`)).json().members;
    expect(members.filter((m: any) => m.email === 'console@labelmux.local')).toEqual([{ user_id: key.user_id, email: 'console@labelmux.local', name: 'labelmux console', role: 'admin' }]);
  });

  it('lists every dialect with its base path', async () => {
    const r = (await admin('GET', '/dialects')).json();
    expect(r.dialects).toContainEqual({ name: 'jotform', enabled: true, base: '/API' });
    expect(r.dialects.map((d: any) => d.name).sort()).toEqual(['devtodev', 'jotform', 'limbo', 'livestorm', 'razuna']);
  });
});

describe('the live audit stream', () => {
  it('sends past events, then a change made through a dialect, as server-sent events; closing the server ends it', async () => {
    const live = await buildTestApp();
    const tn = await createTenant(live.core);
    const address = await live.app.listen({ host: '127.0.0.1', port: 0 });
    const api = (url: string, init: RequestInit = {}) => fetch(`${address}${url}`, init);
    await api('/API/label', { method: 'POST', headers: { apikey: tn.keys.owner, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'First' }) });
    const res = await api(`/_admin/workspaces/${tn.workspaceId}/events/stream?last=10`, { headers: AUTH });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const until = async (re: RegExp) => {
      while (!re.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${re}: ${text}`);
        text += value;
      }
    };
    await until(/"action":"label\.created"/);
    expect(text).toMatch(/^id: \d+\ndata: \{.*"dialect":"jotform"/m);
    await api(`/api/workspaces/${tn.workspaceId}/labels`, { method: 'POST', headers: { authorization: `Bearer lnx_${tn.keys.owner}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Second' }) });
    await until(/"dialect":"livestorm"/);
    expect(text.match(/^data: /gm)).toHaveLength(2);
    await live.close();
    await until(/$^/).catch((e: Error) => expect(e.message).toMatch(/stream ended/));
  });

  it('starts after `after` when given, and answers 404 for an unknown workspace whatever `after` is', async () => {
    expect((await admin('GET', '/workspaces/99999/events/stream?after=0')).statusCode).toBe(404);
    // seconds=0: the events there are, then the end of the stream.
    const all = await admin('GET', `/workspaces/${tenant.workspaceId}/events/stream?after=0&seconds=0`);
    expect(all.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const ids = [...all.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(5);
    const rest = await admin('GET', `/workspaces/${tenant.workspaceId}/events/stream?after=${ids[2]}&seconds=0`);
    expect([...rest.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(ids.slice(3));
    const last = await admin('GET', `/workspaces/${tenant.workspaceId}/events/stream?last=2&seconds=0`);
    expect([...last.body.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))).toEqual(ids.slice(-2));
  });
});
