// Fault rules (POST /_admin/faults): each named error in each dialect's own wire shape, delay, drop, times
// and probability, matching, and that a faulted request changes nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Faults } from '../src/sandbox/index.js';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';
import { admin, DIALECTS, labelCount, requests, type DialectName } from './sandbox-helper.js';

let t: TestApp;
let a: Tenant;
let b: Tenant;
beforeAll(async () => {
  t = await buildTestApp({ LABELMUX_JOURNAL: 'on' });
  a = await createTenant(t.core, 'Fault A');
  b = await createTenant(t.core, 'Fault B');
});
afterAll(() => t.close());
beforeEach(async () => {
  expect((await admin(t, 'DELETE', '/_admin/faults')).statusCode).toBe(204);
});

const addFault = async (rule: unknown) => {
  const res = await admin(t, 'POST', '/_admin/faults', rule);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().fault as { id: number; fired: number };
};

type Name = 'unavailable' | 'rate_limited' | 'quota' | 'server_error' | 'unauthorized' | 'forbidden' | 'not_found';
/** Expected status per dialect (jotform, razuna, livestorm, devtodev, limbo), devtodev's code, and whether Retry-After is sent. */
const TABLE: Record<Name, { status: Record<DialectName, number>; devtodev: number; retry: DialectName[] }> = {
  unavailable: { status: { jotform: 503, razuna: 503, livestorm: 503, devtodev: 503, limbo: 503 }, devtodev: 12, retry: [...DIALECTS] },
  rate_limited: { status: { jotform: 429, razuna: 429, livestorm: 429, devtodev: 429, limbo: 429 }, devtodev: 11, retry: [...DIALECTS] },
  quota: { status: { jotform: 429, razuna: 429, livestorm: 429, devtodev: 429, limbo: 429 }, devtodev: 8, retry: ['razuna', 'livestorm', 'limbo'] },
  server_error: { status: { jotform: 500, razuna: 500, livestorm: 500, devtodev: 500, limbo: 500 }, devtodev: 0, retry: [] },
  unauthorized: { status: { jotform: 401, razuna: 200, livestorm: 401, devtodev: 401, limbo: 401 }, devtodev: 1, retry: [] },
  forbidden: { status: { jotform: 403, razuna: 200, livestorm: 403, devtodev: 403, limbo: 403 }, devtodev: 10, retry: [] },
  not_found: { status: { jotform: 401, razuna: 200, livestorm: 404, devtodev: 404, limbo: 404 }, devtodev: 5, retry: [] },
};

/** The body is the dialect's own error shape for `status`. */
function expectShape(d: DialectName, name: Name, status: number, body: any): void {
  switch (d) {
    case 'jotform':
      expect(body).toMatchObject({ responseCode: status, content: '' });
      expect(body['limit-left']).toEqual(name === 'quota' ? 0 : expect.any(Number));
      if (name === 'quota') expect(body.message).toBe("You've exceeded your daily API call limit.");
      if (name === 'unauthorized' || name === 'not_found') expect(body.message).toBe("You're not authorized to use (/label) ");
      break;
    case 'razuna':
      // setlabel answers a struct; errors from the engine (500) an engine struct.
      if (name === 'server_error') expect(body).toMatchObject({ errorcode: '' });
      else expect(body).toMatchObject({ responsecode: 1, message: expect.any(String) });
      if (name === 'unauthorized') expect(body.message).toMatch(/^Login not valid!/);
      if (name === 'not_found') expect(body.message).toMatch(/^Label_id '0' does not exist/);
      break;
    case 'livestorm':
      expect(body).toEqual({ error: expect.any(String) });
      if (name === 'unauthorized') expect(body.error).toBe('Unauthorized');
      if (name === 'not_found') expect(body.error).toBe('Label not found');
      break;
    case 'devtodev':
      expect(body).toEqual({ status_code: status, errors: [{ code: TABLE[name].devtodev, msg: expect.any(String) }] });
      break;
    case 'limbo':
      expect(body.errors[0]).toMatchObject({ status: String(status), title: expect.any(String) });
      if (name !== 'not_found') expect(body.jsonapi).toEqual({ version: '1.0' });
      break;
  }
}

describe('each named error answers in the dialect\'s own shape, and the faulted create changes nothing', () => {
  for (const d of DIALECTS) {
    it.each(Object.keys(TABLE) as Name[])(`${d}: %s`, async (name) => {
      const req = requests(a, d, `${d}-${name}`);
      await addFault({ match: { dialect: d, method: 'POST' }, action: { type: 'error', error: name, retryAfter: 7 }, times: 1 });
      const before = await labelCount(t, a.workspaceId);
      const res = await t.app.inject(req.create);
      const want = TABLE[name];
      expect(res.statusCode, res.body).toBe(want.status[d]);
      if (want.retry.includes(d)) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      else expect(res.headers['retry-after']).toBeUndefined();
      if (name === 'unavailable' || name === 'rate_limited') expect(res.headers['retry-after']).toBe('7');
      expectShape(d, name, want.status[d], res.json());
      expect(await labelCount(t, a.workspaceId)).toBe(before);
      // times: 1 is spent: the same create goes through now.
      expect((await t.app.inject(req.create)).statusCode).toBeLessThan(300);
      expect(await labelCount(t, a.workspaceId)).toBeGreaterThan(before); // devtodev's first create adds its category too
    });
  }
});

describe('limbo\'s token endpoint', () => {
  it('answers faults in its OAuth error shape', async () => {
    await t.core.admin.createUser({ email: 'fault@limbo.test', name: 'F', password: 'correct horse battery' });
    await addFault({ match: { operation: 'issueToken' }, action: { type: 'error', error: 'unavailable' } });
    const res = await t.app.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'grant_type=password&email=fault%40limbo.test&password=correct+horse+battery' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: 'temporarily_unavailable', error_description: expect.any(String) });
    expect(res.headers['retry-after']).toBe('1');
  });
});

describe('matching', () => {
  const status = async (d: DialectName, ten: Tenant = a) => (await t.app.inject(requests(ten, d).read)).statusCode;

  it('by dialect, method, path substring and /pattern/', async () => {
    await addFault({ match: { dialect: 'livestorm', method: 'GET', path: '/labels' }, action: { type: 'error', error: 'server_error' } });
    expect(await status('livestorm')).toBe(500);
    expect(await status('jotform')).toBe(200);
    expect((await t.app.inject(requests(a, 'livestorm', 'M1').create)).statusCode).toBe(201);
    await admin(t, 'DELETE', '/_admin/faults');
    await addFault({ match: { path: '/^\\/global\\/api2\\/label\\.cfc\\?method=getall/' }, action: { type: 'error', error: 'unavailable' } });
    expect(await status('razuna')).toBe(503);
    expect((await t.app.inject({ ...requests(a, 'razuna').read, url: `/global/api2/label.cfc?api_key=${a.workspaceId}-${a.keys.owner}&method=getall` })).statusCode).toBe(200);
  });

  it('by operation: Jotform\'s /API/v1 twin (createLabelV1) matches createLabel; Razuna\'s operation is its method; limbo\'s its operationId', async () => {
    await addFault({ match: { operation: 'createLabel' }, action: { type: 'error', error: 'forbidden' } });
    await addFault({ match: { operation: 'getall' }, action: { type: 'error', error: 'forbidden' } });
    expect((await t.app.inject(requests(a, 'jotform').create)).statusCode).toBe(403); // POST /API/v1/label
    expect((await t.app.inject({ ...requests(a, 'jotform').create, url: '/API/label' })).statusCode).toBe(403);
    expect((await t.app.inject(requests(a, 'limbo').create)).statusCode).toBe(403);
    expect((await t.app.inject(requests(a, 'razuna').read)).json().DATA[0][0]).toBe('1');
    expect(await status('jotform')).toBe(200);
  });

  it('by workspace and by key', async () => {
    await addFault({ match: { workspace: b.workspaceId }, action: { type: 'error', error: 'unavailable' } });
    for (const d of DIALECTS) {
      expect(await status(d, a), d).toBe(200);
      expect(await status(d, b), d).toBe(503);
    }
    await admin(t, 'DELETE', '/_admin/faults');
    await t.app.inject(requests(a, 'jotform').read);
    const { keyId } = (await admin(t, 'GET', '/_admin/requests?limit=1')).json().requests[0];
    await addFault({ match: { keyId }, action: { type: 'error', error: 'rate_limited' } });
    expect(await status('livestorm', a)).toBe(429);
    expect(await status('livestorm', b)).toBe(200);
  });
});

describe('times, probability, listing and removal', () => {
  it('times caps the rule; GET lists how often each fired; a spent rule stays listed', async () => {
    const f = await addFault({ match: { dialect: 'jotform' }, action: { type: 'error', error: 'unavailable' }, times: 2 });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await t.app.inject(requests(a, 'jotform').read)).statusCode);
    expect(codes).toEqual([503, 503, 200]);
    expect((await admin(t, 'GET', '/_admin/faults')).json()).toEqual({
      faults: [{ id: f.id, match: { dialect: 'jotform' }, action: { type: 'error', error: 'unavailable' }, times: 2, probability: 1, fired: 2 }],
    });
  });

  it('probability is rolled per request (the matcher with a given random source)', () => {
    const faults = new Faults();
    faults.add({ match: {}, action: { type: 'error', error: 'unavailable' }, times: null, probability: 0.25 });
    const target = { dialect: 'jotform', method: 'GET', url: '/API/user/labels', operation: 'getUserLabels', workspaceId: 1, keyId: 1 };
    const rolls = [0.1, 0.3, 0.24, 0.9];
    const fired = rolls.map((r) => faults.plan(target, () => r) !== null);
    expect(fired).toEqual([true, false, true, false]);
    expect(faults.list()[0]!.fired).toBe(2);
  });

  it('a rule that practically never fires leaves every request alone', async () => {
    await addFault({ match: {}, action: { type: 'error', error: 'unavailable' }, probability: 1e-12 });
    for (let i = 0; i < 10; i++) expect((await t.app.inject(requests(a, 'livestorm').read)).statusCode).toBe(200);
  });

  it('DELETE /faults/:id removes one rule (404 for an unknown id); DELETE /faults removes all', async () => {
    const f1 = await addFault({ match: { dialect: 'jotform' }, action: { type: 'error', error: 'unavailable' } });
    const f2 = await addFault({ match: { dialect: 'livestorm' }, action: { type: 'error', error: 'unavailable' } });
    expect((await admin(t, 'DELETE', `/_admin/faults/${f1.id}`)).statusCode).toBe(204);
    expect((await admin(t, 'DELETE', `/_admin/faults/${f1.id}`)).json()).toMatchObject({ status: 404, detail: `fault ${f1.id} not found` });
    expect((await admin(t, 'GET', '/_admin/faults')).json().faults.map((f: { id: number }) => f.id)).toEqual([f2.id]);
    expect((await t.app.inject(requests(a, 'jotform').read)).statusCode).toBe(200);
    expect((await admin(t, 'DELETE', '/_admin/faults')).statusCode).toBe(204);
    expect((await admin(t, 'GET', '/_admin/faults')).json()).toEqual({ faults: [] });
    expect((await t.app.inject(requests(a, 'livestorm').read)).statusCode).toBe(200);
  });
});

describe('delay and drop (over a real socket)', () => {
  let base: string;
  beforeAll(async () => {
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  const send = (ten: Tenant, d: DialectName, kind: 'read' | 'create', name?: string) => {
    const r = requests(ten, d, name)[kind];
    return fetch(`${base}${r.url as string}`, { method: r.method as string, headers: r.headers as Record<string, string>, body: r.payload as string | undefined });
  };

  it('a delay holds only the matched request: others are answered meanwhile (the event loop is free)', async () => {
    await addFault({ match: { dialect: 'livestorm' }, action: { type: 'delay', ms: [400, 500] }, times: 1 });
    const order: string[] = [];
    const slow = send(a, 'livestorm', 'read').then((r) => (order.push('delayed'), r.status));
    const fast = send(a, 'jotform', 'read').then((r) => (order.push('other'), r.status));
    expect(await Promise.all([slow, fast])).toEqual([200, 200]);
    expect(order).toEqual(['other', 'delayed']);
    const [entry] = (await admin(t, 'GET', '/_admin/requests?dialect=livestorm&limit=1')).json().requests;
    expect(entry.durationMs).toBeGreaterThanOrEqual(400);
    expect(entry.fault).toBeGreaterThan(0);
  });

  it('a delay then an error: both rules act, in order', async () => {
    await addFault({ match: { dialect: 'devtodev' }, action: { type: 'delay', ms: 50 }, times: 1 });
    await addFault({ match: { dialect: 'devtodev' }, action: { type: 'error', error: 'unavailable' }, times: 1 });
    expect((await send(a, 'devtodev', 'read')).status).toBe(503);
    expect((await admin(t, 'GET', '/_admin/faults')).json().faults.map((f: { fired: number }) => f.fired)).toEqual([1, 1]);
  });

  it('drop closes the connection without an answer, writes nothing, and is journaled with status null', async () => {
    await addFault({ match: { dialect: 'limbo', method: 'POST' }, action: { type: 'drop' }, times: 1 });
    const before = await labelCount(t, a.workspaceId);
    await expect(send(a, 'limbo', 'create', 'Dropped')).rejects.toThrow();
    expect(await labelCount(t, a.workspaceId)).toBe(before);
    const [entry] = (await admin(t, 'GET', '/_admin/requests?dialect=limbo&limit=1')).json().requests;
    expect(entry).toMatchObject({ method: 'POST', status: null, responseBody: null, operation: 'createLabel' });
    expect((await send(a, 'limbo', 'create', 'Dropped')).status).toBe(201);
  });
});

describe('input errors: 400 naming the field; admin token only', () => {
  const bad: [unknown, RegExp][] = [
    [{}, /action/],
    [{ action: { type: 'explode' } }, /action|type/],
    [{ action: { type: 'error', error: 'teapot' } }, /error/],
    [{ action: { type: 'error' } }, /error/],
    [{ action: { type: 'delay' } }, /ms/],
    [{ action: { type: 'delay', ms: -1 } }, /ms/],
    [{ action: { type: 'delay', ms: 600_001 } }, /ms/],
    [{ action: { type: 'delay', ms: [500, 100] } }, /ms/],
    [{ action: { type: 'drop' }, times: 0 }, /times/],
    [{ action: { type: 'drop' }, probability: 0 }, /probability/],
    [{ action: { type: 'drop' }, probability: 1.5 }, /probability/],
    [{ action: { type: 'drop' }, match: { dialect: 'salesforce' } }, /dialect/],
    [{ action: { type: 'drop' }, match: { workspace: 'x' } }, /workspace/],
    [{ action: { type: 'drop' }, match: { keyId: 0 } }, /keyId/],
    [{ action: { type: 'drop' }, match: { path: '/(/' } }, /path/],
    [{ action: { type: 'drop' }, match: { method: 'GET POST' } }, /method/],
    [{ action: { type: 'drop' }, match: { colour: 'red' } }, /colour/],
    [{ action: { type: 'drop' }, extra: 1 }, /extra/],
  ];
  it.each(bad)('%j', async (body, field) => {
    const res = await admin(t, 'POST', '/_admin/faults', body);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().detail).toMatch(field);
  });

  it('an unknown fault id that is no id is 404; no token, a wrong one or a dialect key is 401', async () => {
    expect((await admin(t, 'DELETE', '/_admin/faults/abc')).statusCode).toBe(404);
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', `Bearer ${a.keys.owner}`, `Bearer lnx_${a.keys.owner}`]) {
      for (const [method, url] of [['GET', '/_admin/faults'], ['POST', '/_admin/faults'], ['DELETE', '/_admin/faults'], ['DELETE', '/_admin/faults/1']] as const) {
        const res = await t.app.inject({ method, url, headers: authorization ? { authorization } : {} });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
      }
    }
  });
});
