// A fresh app with two populated workspaces, A and B, and every kind of credential the reliability and
// security suites present: each role's workspace key, a user-wide key, a limbo access token, a revoked key,
// the key of a deleted user and an expired access token.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';
import { peek } from './test-store.js';

export interface Side extends Tenant {
  /** Label ids: a top-level label, its child, a devtodev category and its timed label (annotation). */
  labels: { top: number; child: number; category: number; annotation: number };
  /** A user-wide key of the owner (reaches every workspace the owner belongs to). */
  userWideKey: string;
  /** A limbo OAuth access token of the owner. */
  accessToken: string;
  ownerEmail: string;
}

export interface World extends TestApp {
  a: Side;
  b: Side;
  /** Keys of workspace A that must not work: revoked, and the key of a deleted user. */
  revokedKey: string;
  deletedUserKey: string;
  /** An access token of A's owner that has expired (the clock moved past its lifetime). */
  expiredToken: string;
}

const PASSWORD = 'correct horse battery staple';
let n = 0;

export async function inject(app: FastifyInstance, o: InjectOptions) {
  const res = await app.inject(o);
  if (res.statusCode >= 500) throw new Error(`${o.method} ${o.url} → ${res.statusCode} ${res.body}`);
  return res;
}

async function side(t: TestApp, name: string): Promise<Side> {
  const tenant = await createTenant(t.core, name);
  const ws = tenant.workspaceId;
  const auth = { authorization: `Bearer lnx_${tenant.keys.owner}` };
  const label = async (body: object) => (await inject(t.app, { method: 'POST', url: `/api/workspaces/${ws}/labels`, headers: auth, payload: body })).json().label.id as number;
  const top = await label({ name: `${name} top`, color: '#112233' });
  const child = Number(
    (await inject(t.app, { method: 'POST', url: '/API/label', headers: { apikey: tenant.keys.owner }, payload: { name: `${name} child`, parent: String(top) } })).json().content.id,
  );
  const created = await inject(t.app, {
    method: 'POST',
    url: '/api/v1/labels/create',
    payload: { user_token: tenant.keys.owner, app_id: tenant.uuid, labels: [{ name: `${name} release`, category: `${name} releases`, start_date: 1_795_000_000 }] },
  });
  const annotation = created.json().data.labels[0].id as number;
  const category = ((await peek(t.store, 'SELECT parent_id AS p FROM labels WHERE id = ?', annotation)) as { p: number }).p;
  await t.core.admin.upsertResources(ws, [
    ...['1', '2', '3'].map((id) => ({ type: 'library_item', externalId: id, name: `${name} item ${id}`, attributes: { mime_type: 'video/mp4', size: 10 } })),
    { type: 'form', externalId: '230000000000001', name: `${name} form` },
    { type: 'img', externalId: 'a1', name: `${name} image` },
    { type: 'product', externalId: 'p1', name: `${name} product`, status: 'active' },
  ]);
  for (const item of ['1', '2']) await inject(t.app, { method: 'POST', url: `/api/workspaces/${ws}/library/${item}/labels`, headers: auth, payload: { label_ids: [top, child] } });
  await inject(t.app, { method: 'PUT', url: `/API/label/${top}/add-resources`, headers: { apikey: tenant.keys.owner }, payload: { resources: [{ id: '230000000000001', type: 'form' }] } });
  // The owner gets a password (limbo's /oauth/token) and a user-wide key.
  const ownerEmail = `limbo.owner.${ws}.${++n}@example.com`;
  const owner = await t.core.admin.createUser({ email: ownerEmail, name: `${name} owner`, password: PASSWORD });
  await t.core.admin.setMember(ws, owner.id, 'owner');
  tenant.keys.owner = (await t.core.admin.createApiKey({ userId: owner.id, workspaceId: ws })).key;
  tenant.userIds.owner = owner.id;
  const userWideKey = (await t.core.admin.createApiKey({ userId: owner.id, workspaceId: null })).key;
  const token = await inject(t.app, { method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', email: ownerEmail, password: PASSWORD } });
  return { ...tenant, labels: { top, child, category, annotation }, userWideKey, accessToken: token.json().access_token, ownerEmail };
}

export async function buildWorld(env: Record<string, string> = {}): Promise<World> {
  const t = await buildTestApp({ LABELMUX_LIMBO_TOKEN_TTL: '60', ...env });
  const a = await side(t, 'Alpha');
  const b = await side(t, 'Bravo');
  const revoked = await t.core.admin.createApiKey({ userId: a.userIds.admin, workspaceId: a.workspaceId });
  await t.core.admin.revokeApiKey(revoked.info.id);
  const doomed = await t.core.admin.createUser({ email: `doomed.${++n}@example.com`, name: 'Doomed' });
  await t.core.admin.setMember(a.workspaceId, doomed.id, 'owner');
  const deletedUserKey = (await t.core.admin.createApiKey({ userId: doomed.id, workspaceId: a.workspaceId })).key;
  await t.core.admin.deleteUser(doomed.id);
  // An access token issued 61 s ago with a 60 s lifetime; A's owner then gets a fresh one at the current time.
  t.clock.now -= 61_000;
  const old = await inject(t.app, { method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', email: a.ownerEmail, password: PASSWORD } });
  t.clock.now += 61_000;
  return { ...t, a, b, revokedKey: revoked.key, deletedUserKey, expiredToken: old.json().access_token };
}
