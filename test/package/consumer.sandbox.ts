// A user's test file, run by test/package.test.ts in a temporary project where labelmux is installed from
// its packed tarball (as `consumer.test.ts`, with that project's own vitest), and typechecked there by tsc
// against the packed types. It stays out of this project's own suite and typecheck (tsconfig.json excludes
// test/package): here `labelmux` would resolve to this checkout, not to the tarball.
// The scenario: start with fixtures → provision through the typed admin client → the real `jotform` npm client
// and kitsu (limbo) call it → the journal shows the calls → a fault makes the next call fail in Jotform's shape
// → reset() puts the fixtures back → stop.
import { createRequire } from 'node:module';
import KitsuModule from 'kitsu';
import { startLabelmux, type AdminPaths, type Labelmux } from 'labelmux';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The official `jotform` client's generic calls (CommonJS): each resolves to Jotform's envelope. */
interface JotformClient {
  get(url: string, config?: object): Promise<Envelope>;
  post(url: string, body?: unknown, config?: object): Promise<Envelope>;
}
interface Envelope {
  responseCode: number;
  content: any;
  'limit-left': number;
}
const require = createRequire(import.meta.url);
const Jotform = (require('jotform/dist/client.js') as { default: new (key: string, options: { baseURL: string }) => JotformClient }).default;
// kitsu ships CommonJS types with an ESM build: the class is the default export either way at run time.
const Kitsu: any = (KitsuModule as any).default ?? KitsuModule;

/** One workspace, its owner and a key with a chosen value: what every test starts from after reset(). */
const FIXTURE_KEY = 'f'.repeat(32);
const FIXTURES = {
  users: [{ email: 'ada@fixture.test', name: 'Ada' }],
  workspaces: [{ name: 'Fixture Co', members: [{ user: 'ada@fixture.test', role: 'owner' }], api_keys: [{ key: FIXTURE_KEY, user: 'ada@fixture.test' }], labels: [{ name: 'From fixtures' }] }],
};

let lm: Labelmux;
let workspaceId: number;
let key: string;
let jotform: JotformClient;
let kitsu: any;

beforeAll(async () => {
  lm = await startLabelmux({ fixtures: FIXTURES });
});
afterAll(() => lm?.stop());

describe('labelmux installed from its tarball', () => {
  it('provisions a workspace, a user, a membership and a key through the typed admin client', async () => {
    const ws = await lm.admin.POST('/_admin/workspaces', { body: { name: 'Acme Records' } });
    workspaceId = ws.data!.workspace.id;
    const user = await lm.admin.POST('/_admin/users', { body: { email: 'owner@acme.test', name: 'Owner', password: 'a-long-password' } });
    const userId = user.data!.user.id;
    const member = await lm.admin.PUT('/_admin/workspaces/{id}/members/{userId}', { params: { path: { id: workspaceId, userId } }, body: { role: 'owner' } });
    expect(member.response.status).toBe(200);
    const created = await lm.admin.POST('/_admin/api-keys', { body: { user_id: userId, workspace_id: workspaceId } });
    key = created.data!.api_key.key!;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    jotform = new Jotform(key, { baseURL: `${lm.url}/API` });
    kitsu = new Kitsu({ baseURL: `${lm.url}/api/v1`, headers: { Authorization: `Bearer ${key}` }, pluralize: false, camelCaseTypes: false, resourceCase: 'none' });
  });

  it('the jotform client creates a label; kitsu reads it through limbo, and the other way round', async () => {
    const { content: label } = await jotform.post('label', { name: 'Marketing' });
    expect(label).toMatchObject({ name: 'Marketing' });
    const labels = await kitsu.get('labels');
    expect(labels.data.map((l: { name: string }) => l.name)).toContain('Marketing');
    const made = await kitsu.post('labels', { name: 'Kitsu Records', company: { data: { type: 'companies', id: String(workspaceId) } } });
    expect(made.status).toBe(201);
    const tree = await jotform.get('user/labels');
    expect(JSON.stringify(tree.content)).toContain('Kitsu Records');
  });

  it('a vendor error arrives in the vendor shape through its client', async () => {
    await expect(jotform.post('label', { color: '#22c55e' })).rejects.toMatchObject({ response: { status: 400, data: { message: 'name is required' } } });
    await expect(kitsu.get('labels/999999')).rejects.toMatchObject({ errors: [{ status: '404' }] });
  });

  it('the journal shows what the jotform client sent, its key redacted', async () => {
    const { data } = await lm.admin.GET('/_admin/requests', { params: { query: { dialect: 'jotform' } } });
    const posts = data!.requests.filter((r) => r.method === 'POST' && r.url.includes('/API/label'));
    expect(posts.map((r) => r.status)).toEqual(expect.arrayContaining([200, 400]));
    expect(JSON.stringify(data)).not.toContain(key);
  });

  it('a fault makes the next jotform call fail in Jotform\'s shape, once', async () => {
    const fault = await lm.admin.POST('/_admin/faults', { body: { match: { dialect: 'jotform' }, action: { type: 'error', error: 'unavailable' }, times: 1 } });
    expect(fault.response.status).toBe(201);
    await expect(jotform.get('user/labels')).rejects.toMatchObject({ response: { status: 503, data: { responseCode: 503 } } });
    expect((await jotform.get('user/labels')).responseCode).toBe(200);
  });

  it('reset() puts the fixtures back: the labels and key made above are gone, the fixture key works', async () => {
    await lm.reset();
    const fixtureClient = new Jotform(FIXTURE_KEY, { baseURL: `${lm.url}/API` });
    const tree = JSON.stringify((await fixtureClient.get('user/labels')).content);
    expect(tree).toContain('From fixtures');
    expect(tree).not.toContain('Marketing');
    await expect(jotform.get('user/labels')).rejects.toMatchObject({ response: { status: 401 } });
  });

  it('stop() closes it: the port no longer answers', async () => {
    await lm.stop();
    await expect(fetch(`${lm.url}/healthz`)).rejects.toThrow();
  });
});

/** Never called: tsc must refuse what the admin API does not have (the packed types are not `any`). */
export async function typeErrors(l: Labelmux): Promise<void> {
  // @ts-expect-error no such admin route
  await l.admin.GET('/_admin/no-such-route');
  // @ts-expect-error `name` is required to create a workspace
  await l.admin.POST('/_admin/workspaces', { body: {} });
  // @ts-expect-error workspace ids are numbers
  const id: string = (await l.admin.POST('/_admin/workspaces', { body: { name: 'x' } })).data!.workspace.id;
  const path: keyof AdminPaths = '/_admin/workspaces';
  void [id, path];
}
