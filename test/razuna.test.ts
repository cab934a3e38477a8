// The Razuna dialect against its documented behaviour (docs/dialects.md, docs/dialects/razuna.md): transport, keys, roles, every method's semantics,
// every error row (whole bodies), bad input, and the tree shared with the other dialects.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeWddx, fixture, get, postForm, postMultipart, sampleTree, setup, URL_BASE, type Ctx, type Params } from './razuna.helpers.js';

let c: Ctx;
const build = async () => {
  c = await setup();
  await sampleTree(c);
};
/** A fresh app and tree for each test. */
const perTest = () => (beforeEach(build), afterEach(() => c.t.close()));
/** One app and tree for a group whose tests leave the labels as they found them. */
const perGroup = () => (beforeAll(build), afterAll(() => c.t.close()));

const key = () => c.a.keys.owner;
const call = (params: Params, k: string = key()) => get(c, { api_key: k, ...params });
const body = async (params: Params, k?: string) => (await call(params, k)).body;
const rows = async (params: Params, k?: string) => (await call(params, k)).json().DATA as string[][];
const paths = async () => (await rows({ method: 'getall' })).map((r) => r[2]);
const eventCount = async () => (await c.t.core.admin.listEvents(c.a.workspaceId, 0, 100_000)).length;
const labelOfAsset = async (asset_id: string, asset_type: string) => (await rows({ method: 'getlabelofasset', asset_id, asset_type })).map((r) => r[0]);

const SETLABEL_MISSING = (id: string) => `Label_id '${id}' does not exist. Please check label_id and try again.`;
const PARENT_MISSING = (p: string) => `Parent label_id '${p}' does not exist. Please check label_id and try again.`;
const CIRCULAR = (p: string, id: string) => `Parent label_id '${p}' is currently a child of the label '${id}'. Please address this issue first to avoid a circular reference.`;

describe('transport', () => {
  perGroup();
  it('GET and POST (form-urlencoded, multipart) answer the same; names are case-insensitive', async () => {
    const expected = fixture('getlabel-108.row.json');
    expect(await body({ method: 'getlabel', label_id: '108' })).toBe(expected);
    expect((await postForm(c, { method: 'getlabel', api_key: key(), label_id: '108' })).body).toBe(expected);
    expect((await postMultipart(c, { method: 'getlabel', api_key: key(), label_id: '108' })).body).toBe(expected);
    expect((await postForm(c, { label_id: '108' }, { method: 'getlabel', api_key: key() })).body).toBe(expected);
    expect((await get(c, { METHOD: 'GETLABEL', API_KEY: key(), Label_Id: '108' })).body).toBe(expected);
    expect((await postMultipart(c, { LABEL_ID: '108' }, { Method: 'GetLabel', Api_Key: key() })).body).toBe(expected);
  });

  it('the query string wins over the body; unknown parameters are ignored', async () => {
    expect((await postForm(c, { label_id: '109', method: 'getall' }, { method: 'getlabel', api_key: key(), label_id: '108' })).body).toBe(fixture('getlabel-108.row.json'));
    expect((await postMultipart(c, { label_id: '109' }, { method: 'getlabel', api_key: key(), label_id: '108', foo: 'bar' })).body).toBe(fixture('getlabel-108.row.json'));
  });

  it('a repeated parameter (in any case) is a comma list, as CFML joins it', async () => {
    const res = await c.t.app.inject({ method: 'GET', url: `${URL_BASE}?method=getlabel&api_key=${key()}&label_id=109&LABEL_ID=108` });
    expect(res.body).toBe(fixture('getlabel-108-109.row.json'));
  });

  it('other bodies (JSON, text) are ignored like the engine ignores them; files are not parameters', async () => {
    let res = await c.t.app.inject({ method: 'POST', url: `${URL_BASE}?method=getlabel&api_key=${key()}`, headers: { 'content-type': 'application/json' }, payload: '{"label_id":"108"' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('{"message":"The parameter LABEL_ID to function getlabel is required but was not passed in.","errorcode":"","detail":""}');
    res = await c.t.app.inject({ method: 'POST', url: `${URL_BASE}?method=getlabel&label_id=108&api_key=${key()}`, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(res.body).toBe(fixture('getlabel-108.row.json'));
    res = await c.t.app.inject({ method: 'POST', url: `${URL_BASE}?method=getall&api_key=${key()}` });
    expect(res.body).toBe(fixture('getall.row.json'));
    res = await postMultipart(c, { method: 'getlabel', api_key: key(), label_id: '108' }, {}, { name: 'label_id', content: '109' });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ message: expect.any(String), errorcode: '', detail: '' });
  });

  it('transport errors keep their status with the engine error struct; never a 500', async () => {
    let res = await c.t.app.inject({ method: 'POST', url: `${URL_BASE}?method=getall&api_key=${key()}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'x='.padEnd(1024 * 1024 + 10, 'a') });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ message: 'Request body is too large', errorcode: '', detail: '' });
    res = await c.t.app.inject({ method: 'POST', url: `${URL_BASE}?method=getall&api_key=${key()}`, headers: { 'content-type': 'multipart/form-data' }, payload: 'x' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ message: 'Malformed multipart/form-data body', errorcode: '', detail: '' });
    // a truncated multipart body carries no fields: the query's parameters still answer
    res = await c.t.app.inject({ method: 'POST', url: `${URL_BASE}?method=getall&api_key=${key()}`, headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, payload: '--zzz\r\nbroken' });
    expect(res.body).toBe(fixture('getall.row.json'));
    res = await postMultipart(c, { __proto__: 'x', method: 'getall', api_key: key() } as Params);
    expect(res.statusCode).toBeLessThan(500);
    res = await c.t.app.inject({ method: 'GET', url: `${URL_BASE}?__proto__=x&constructor=y&method=getall&api_key=${key()}` });
    expect(res.body).toBe(fixture('getall.row.json'));
    res = await postForm(c, { ['__proto__']: 'x', hasOwnProperty: 'y', method: 'getall', api_key: key() });
    expect(res.body).toBe(fixture('getall.row.json'));
  });

  it('unknown paths and verbs under the mount answer 404 with the engine error struct', async () => {
    for (const [method, url] of [['GET', `${URL_BASE}/foo`], ['GET', `${URL_BASE}/?method=getall&api_key=${key()}`], ['PUT', URL_BASE], ['DELETE', `${URL_BASE}?method=remove`]] as const) {
      const res = await c.t.app.inject({ method, url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json(), url).toEqual({ message: expect.stringMatching(/^Not found/), errorcode: '', detail: '' });
    }
  });
});

describe('api_key and workspaces', () => {
  perGroup();
  it('bad or missing key: the login message, as a record set (string "1") or a struct by the method', async () => {
    for (const k of ['', 'nope', '0'.repeat(32), `${c.a.keys.owner.toUpperCase()}`, `${c.a.keys.owner} `]) {
      expect(await body({ method: 'getall' }, k), k).toBe(fixture('login.recordset.json'));
      expect(await body({ method: 'setlabel', label_text: 'x' }, k), k).toBe(fixture('login.struct.json'));
    }
    expect((await get(c, { method: 'getall' })).body).toBe(fixture('login.recordset.json'));
    for (const m of ['getlabel', 'getlabelofasset', 'getassetoflabel', 'searchlabel']) {
      const args = { label_id: '108', asset_id: '1', asset_type: 'img', searchfor: '*' };
      expect((await get(c, { method: m, ...args })).body, m).toBe(fixture('login.recordset.json'));
    }
    for (const m of ['remove', 'setassetlabel', 'removeassetlabel']) {
      expect((await get(c, { method: m, label_id: '108', asset_id: '1', asset_type: 'img' })).body, m).toBe(fixture('login.struct.json'));
    }
  });

  it('a revoked key and a deleted user stop at once', async () => {
    const user = await c.t.core.admin.createUser({ email: 'temp@example.com', name: 'Temp' });
    await c.t.core.admin.setMember(c.a.workspaceId, user.id, 'owner');
    const { info, key: k } = await c.t.core.admin.createApiKey({ userId: user.id, workspaceId: c.a.workspaceId });
    expect(await body({ method: 'getlabel', label_id: '108' }, k)).toBe(fixture('getlabel-108.row.json'));
    await c.t.core.admin.revokeApiKey(info.id);
    expect(await body({ method: 'getlabel', label_id: '108' }, k)).toBe(fixture('login.recordset.json'));
    const k2 = (await c.t.core.admin.createApiKey({ userId: user.id, workspaceId: c.a.workspaceId })).key;
    await c.t.core.admin.deleteUser(user.id);
    expect(await body({ method: 'getlabel', label_id: '108' }, k2)).toBe(fixture('login.recordset.json'));
  });

  it('<workspaceId>-<key>: a workspace key must name its own workspace', async () => {
    expect(await body({ method: 'getlabel', label_id: '108' }, `${c.a.workspaceId}-${key()}`)).toBe(fixture('getlabel-108.row.json'));
    expect(await body({ method: 'getlabel', label_id: '108' }, `${c.b.workspaceId}-${key()}`)).toBe(fixture('login.recordset.json'));
    expect(await body({ method: 'setlabel', label_text: 'x' }, `${c.b.workspaceId}-${key()}`)).toBe(fixture('login.struct.json'));
    for (const k of [`999-${key()}`, `abc-${key()}`, `-${key()}`, `0-${key()}`, `${c.a.workspaceId}-`, `${c.a.workspaceId}-${key()}-x`]) {
      expect(await body({ method: 'getall' }, k), k).toBe(fixture('login.recordset.json'));
    }
  });

  it('a user-wide key: the prefix picks the workspace, a bare key the earliest membership', async () => {
    const owner = c.a.userIds.owner;
    await c.t.core.admin.setMember(c.b.workspaceId, owner, 'admin');
    const wide = (await c.t.core.admin.createApiKey({ userId: owner, workspaceId: null })).key;
    expect(await body({ method: 'getall' }, wide)).toBe(fixture('getall.row.json'));
    expect(await body({ method: 'getall' }, `${c.a.workspaceId}-${wide}`)).toBe(fixture('getall.row.json'));
    const inB = await rows({ method: 'getall' }, `${c.b.workspaceId}-${wide}`);
    expect(inB).toHaveLength(105);
    expect(inB[0]).toEqual(['1', 'b1', 'b1']);
    const created = JSON.parse(await body({ method: 'setlabel', label_text: 'made in B' }, `${c.b.workspaceId}-${wide}`));
    expect((await c.t.core.admin.listEvents(c.b.workspaceId, 0, 1000)).at(-1)).toMatchObject({ dialect: 'razuna', action: 'label.created', labelId: Number(created.label_id) });
    const outsider = await c.t.core.admin.createWorkspace('Gamma');
    expect(await body({ method: 'getall' }, `${outsider.id}-${wide}`)).toBe(fixture('login.recordset.json'));
  });
});

describe('roles', () => {
  perGroup();
  it('getall, searchlabel, setlabel and remove are for owners and admins', async () => {
    for (const role of ['owner', 'admin'] as const) {
      expect(await body({ method: 'getall' }, c.a.keys[role]), role).toBe(fixture('getall.row.json'));
      expect(await body({ method: 'searchlabel', searchfor: 'pictures' }, c.a.keys[role]), role).toBe(fixture('searchlabel-pictures.row.json'));
    }
    const before = await eventCount();
    for (const role of ['member', 'viewer'] as const) {
      const k = c.a.keys[role];
      expect(await body({ method: 'getall' }, k), role).toBe(fixture('noaccess.recordset.json'));
      expect(await body({ method: 'searchlabel', searchfor: '*' }, k), role).toBe(fixture('noaccess.recordset.json'));
      expect(await body({ method: 'setlabel', label_text: 'x' }, k), role).toBe(fixture('noaccess.struct.json'));
      expect(await body({ method: 'setlabel', label_text: 'x', label_id: '108' }, k), role).toBe(fixture('noaccess.struct.json'));
      expect(await body({ method: 'remove', label_id: '108' }, k), role).toBe(fixture('noaccess.struct.json'));
    }
    expect(await eventCount()).toBe(before);
    expect(await paths()).toHaveLength(4);
  });

  it('setassetlabel and removeassetlabel need member or above; reads are for every role', async () => {
    const asset = { asset_id: '5', asset_type: 'img' };
    expect(await body({ method: 'setassetlabel', label_id: '108', ...asset }, c.a.keys.viewer)).toBe(fixture('noaccess.struct.json'));
    expect(await body({ method: 'setassetlabel', label_id: '108', ...asset }, c.a.keys.member)).toBe(fixture('setassetlabel.json'));
    expect(await body({ method: 'removeassetlabel', label_id: '108', asset_id: '5' }, c.a.keys.viewer)).toBe(fixture('noaccess.struct.json'));
    const v = c.a.keys.viewer;
    expect(await body({ method: 'getlabel', label_id: '108' }, v)).toBe(fixture('getlabel-108.row.json'));
    expect((await rows({ method: 'getlabelofasset', ...asset }, v)).map((r) => r[0])).toEqual(['108']);
    expect((await rows({ method: 'getassetoflabel', label_id: '108' }, v)).map((r) => r[0])).toEqual(['5']);
    expect(await body({ method: 'removeassetlabel', label_id: '108', asset_id: '5' }, c.a.keys.member)).toBe(fixture('removeassetlabel.json'));
  });
});

describe('engine errors', () => {
  perGroup();
  it('missing method, unknown method, missing required argument (whole bodies, HTTP 200)', async () => {
    let res = await call({});
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(fixture('missing-method.json'));
    expect(await body({ method: ' ' })).toBe(fixture('missing-method.json'));
    for (const m of ['foo', 'constructor', '__proto__', 'toString', 'getAll2']) {
      res = await call({ method: m });
      expect(res.statusCode).toBe(200);
      expect(res.json(), m).toEqual({ responsecode: 1, message: `The method '${m}' does not exist in component label.cfc. Available methods: getall, getlabel, setlabel, remove, setassetlabel, removeassetlabel, getlabelofasset, getassetoflabel, searchlabel.` });
    }
    expect(await body({ method: 'setlabel' })).toBe(fixture('missing-argument.json'));
    expect(await body({ method: 'SetLabel', label_id: '108' })).toBe(fixture('missing-argument.json'));
    const missing = (param: string, fn: string) => JSON.stringify({ message: `The parameter ${param} to function ${fn} is required but was not passed in.`, errorcode: '', detail: '' });
    expect(await body({ method: 'getlabel' })).toBe(missing('LABEL_ID', 'getlabel'));
    expect(await body({ method: 'remove' })).toBe(missing('LABEL_ID', 'remove'));
    expect(await body({ method: 'setassetlabel', label_id: '1' })).toBe(missing('ASSET_ID', 'setassetlabel'));
    expect(await body({ method: 'setassetlabel', label_id: '1', asset_id: '1' })).toBe(missing('ASSET_TYPE', 'setassetlabel'));
    expect(await body({ method: 'removeassetlabel', label_id: '1' })).toBe(missing('ASSET_ID', 'removeassetlabel'));
    expect(await body({ method: 'getlabelofasset', asset_id: '1' })).toBe(missing('ASSET_TYPE', 'getlabelofasset'));
    expect(await body({ method: 'getassetoflabel' })).toBe(missing('LABEL_ID', 'getassetoflabel'));
    expect(await body({ method: 'searchlabel' })).toBe(missing('SEARCHFOR', 'searchlabel'));
    // the engine checks arguments before the method's own login check
    expect(await body({ method: 'setlabel' }, 'bad')).toBe(fixture('missing-argument.json'));
  });
});

describe('getall / getlabel', () => {
  perTest();
  it('getall: every label with its path, ordered by path (case-insensitively), only this workspace', async () => {
    await call({ method: 'setlabel', label_text: 'Zebra' });
    await call({ method: 'setlabel', label_text: 'apple', label_parent: '108' });
    await call({ method: 'setlabel', label_text: 'Banana' });
    expect(await paths()).toEqual(['Banana', 'documents', 'pictures', 'pictures/color', 'pictures/color/apple', 'pictures/color/landscape', 'Zebra']);
  });

  it('getlabel: lists, unknown and foreign ids are simply absent, duplicates once, ordered by path', async () => {
    expect(await body({ method: 'getlabel', label_id: '109,108' })).toBe(fixture('getlabel-108-109.row.json'));
    expect(await body({ method: 'getlabel', label_id: ' 109 , 108,108,,999,abc,1,-5,1e2,0x6c' })).toBe(fixture('getlabel-108-109.row.json'));
    expect(await body({ method: 'getlabel', label_id: '' })).toBe(fixture('empty-labels.row.json'));
    expect(await body({ method: 'getlabel', label_id: '99999999999999999999999' })).toBe(fixture('empty-labels.row.json'));
  });
});

describe('setlabel', () => {
  perTest();
  it('creates (top level, nested), updates the text, moves, keeps the parent when label_parent is omitted', async () => {
    expect(await body({ method: 'setlabel', label_text: 'painting' })).toBe(fixture('setlabel-painting.json'));
    expect(JSON.parse(await body({ method: 'setlabel', label_text: 'oil', label_parent: '110', label_id: '0' }))).toEqual({ responsecode: 0, message: 'Label successfully added or updated', label_id: '111' });
    expect(await paths()).toContain('painting/oil');
    expect(await body({ method: 'setlabel', label_id: '110', label_text: 'Painting', label_parent: '107' })).toBe(fixture('setlabel-painting.json'));
    expect(await body({ method: 'setlabel', label_id: '110', label_text: 'Paintings' })).toBe(fixture('setlabel-painting.json'));
    expect(await body({ method: 'getlabel', label_id: '111' })).toBe('{"COLUMNS":["label_id","label_text","label_path"],"DATA":[["111","oil","pictures/Paintings/oil"]]}');
    await call({ method: 'setlabel', label_id: '110', label_text: 'Paintings', label_parent: '0' });
    expect(await paths()).toEqual(['documents', 'Paintings', 'Paintings/oil', 'pictures', 'pictures/color', 'pictures/color/landscape']);
    const events = await c.t.core.admin.listEvents(c.a.workspaceId, 0, 1000);
    expect(events.slice(-5).map((e) => [e.dialect, e.action])).toEqual([
      ['razuna', 'label.created'], ['razuna', 'label.created'], ['razuna', 'label.moved'], ['razuna', 'label.updated'], ['razuna', 'label.moved'],
    ]);
  });

  it('error rows: unknown label_id, unknown parent, circular parent (struct, responsecode 1, label_id echoed)', async () => {
    const before = await eventCount();
    const cases: [Params, object][] = [
      [{ label_id: '999', label_text: 'x' }, { responsecode: 1, message: SETLABEL_MISSING('999'), label_id: '999' }],
      [{ label_id: 'abc', label_text: 'x' }, { responsecode: 1, message: SETLABEL_MISSING('abc'), label_id: 'abc' }],
      [{ label_text: 'x', label_parent: '999' }, { responsecode: 1, message: PARENT_MISSING('999'), label_id: '0' }],
      [{ label_id: '108', label_text: 'x', label_parent: '999' }, { responsecode: 1, message: PARENT_MISSING('999'), label_id: '108' }],
      [{ label_text: 'x', label_parent: 'x7' }, { responsecode: 1, message: PARENT_MISSING('x7'), label_id: '0' }],
      [{ label_id: '107', label_text: 'pictures', label_parent: '109' }, { responsecode: 1, message: CIRCULAR('109', '107'), label_id: '107' }],
      [{ label_id: '107', label_text: 'pictures', label_parent: '108' }, { responsecode: 1, message: CIRCULAR('108', '107'), label_id: '107' }],
      [{ label_id: '107', label_text: 'pictures', label_parent: '107' }, { responsecode: 1, message: CIRCULAR('107', '107'), label_id: '107' }],
    ];
    for (const [params, expected] of cases) {
      const res = await call({ method: 'setlabel', ...params });
      expect(res.statusCode).toBe(200);
      expect(res.body, JSON.stringify(params)).toBe(JSON.stringify(expected));
    }
    expect(await eventCount()).toBe(before);
  });

  it('another workspace\u2019s label and parent answer like missing ones', async () => {
    expect(await body({ method: 'setlabel', label_id: '5', label_text: 'mine now' })).toBe(JSON.stringify({ responsecode: 1, message: SETLABEL_MISSING('5'), label_id: '5' }));
    expect(await body({ method: 'setlabel', label_text: 'x', label_parent: '5' })).toBe(JSON.stringify({ responsecode: 1, message: PARENT_MISSING('5'), label_id: '0' }));
  });

  it('bad label_text and sibling name clashes are error structs naming the parameter; nothing changes', async () => {
    const before = await eventCount();
    expect(JSON.parse(await body({ method: 'setlabel', label_text: '' }))).toEqual({ responsecode: 1, message: 'Parameter LABEL_TEXT is not valid: name is required.', label_id: '0' });
    expect(JSON.parse(await body({ method: 'setlabel', label_text: 'x'.repeat(256) })).message).toBe('Parameter LABEL_TEXT is not valid: name must be at most 255 characters.');
    expect(JSON.parse(await body({ method: 'setlabel', label_text: 'a\u0001b' })).message).toBe('Parameter LABEL_TEXT is not valid: name must not contain control characters.');
    expect(JSON.parse(await body({ method: 'setlabel', label_text: 'COLOR', label_parent: '107' }))).toEqual({
      responsecode: 1, message: "A label named 'COLOR' already exists at this level (label_id '108'). Please choose another label_text.", label_id: '0',
    });
    expect(JSON.parse(await body({ method: 'setlabel', label_id: '106', label_text: 'Pictures' })).message).toBe(
      "A label named 'Pictures' already exists at this level (label_id '107'). Please choose another label_text.",
    );
    expect(await eventCount()).toBe(before);
  });
});

describe('remove', () => {
  perTest();
  it('removes lists with their subtrees and assignments; unknown ids are ignored', async () => {
    await call({ method: 'setassetlabel', label_id: '109,106', asset_id: '1', asset_type: 'img' });
    expect(await body({ method: 'remove', label_id: '107,999' })).toBe(fixture('remove.json'));
    expect(await paths()).toEqual(['documents']);
    expect(await labelOfAsset('1', 'img')).toEqual(['106']);
    expect(await body({ method: 'remove', label_id: '999' })).toBe(fixture('remove.json'));
    expect(await body({ method: 'remove', label_id: '5' })).toBe(fixture('remove.json')); // B's label: untouched
    expect((await c.t.core.admin.exportWorkspace(c.b.workspaceId)).labels).toHaveLength(105);
  });

  it('malformed ids and an empty list are refused, naming the parameter; nothing changes', async () => {
    const before = await eventCount();
    expect(await body({ method: 'remove', label_id: '108,abc' })).toBe(JSON.stringify({ responsecode: 1, message: SETLABEL_MISSING('abc') }));
    expect(await body({ method: 'remove', label_id: ' , ' })).toBe(JSON.stringify({ responsecode: 1, message: 'Parameter LABEL_ID is not valid: at least one label id is required.' }));
    expect(await eventCount()).toBe(before);
    expect(await paths()).toHaveLength(4);
  });
});

describe('asset labels', () => {
  perTest();
  it('setassetlabel appends by default; append=false replaces the asset\u2019s labels', async () => {
    expect(await body({ method: 'setassetlabel', label_id: '108', asset_id: '129844', asset_type: 'img' })).toBe(fixture('setassetlabel.json'));
    await call({ method: 'setassetlabel', label_id: '109,106', asset_id: '129844', asset_type: 'img', append: 'true' });
    expect(await labelOfAsset('129844', 'img')).toEqual(['106', '108', '109']);
    await call({ method: 'setassetlabel', label_id: '106', asset_id: '129844', asset_type: 'img', append: 'yes' });
    expect(await labelOfAsset('129844', 'img')).toEqual(['106', '108', '109']);
    expect(await body({ method: 'setassetlabel', label_id: '107', asset_id: '129844', asset_type: 'IMG', append: 'false' })).toBe(fixture('setassetlabel.json'));
    expect(await labelOfAsset('129844', 'img')).toEqual(['107']);
    await call({ method: 'setassetlabel', label_id: '108', asset_id: '129844', asset_type: 'img', append: '0' });
    expect(await labelOfAsset('129844', 'img')).toEqual(['108']);
  });

  it('setassetlabel errors: unknown or malformed label, bad type, bad append, bad asset id; nothing changes', async () => {
    const before = await eventCount();
    const base = { method: 'setassetlabel', asset_id: '1', asset_type: 'img' };
    expect(await body({ ...base, label_id: '108,999' })).toBe(JSON.stringify({ responsecode: 1, message: SETLABEL_MISSING('999') }));
    expect(await body({ ...base, label_id: '5' })).toBe(JSON.stringify({ responsecode: 1, message: SETLABEL_MISSING('5') }));
    expect(await body({ ...base, label_id: 'x' })).toBe(JSON.stringify({ responsecode: 1, message: SETLABEL_MISSING('x') }));
    expect(await body({ ...base, label_id: '108', asset_type: 'pdf' })).toBe(
      JSON.stringify({ responsecode: 1, message: 'Parameter ASSET_TYPE is not valid: asset_type must be one of img, vid, aud, doc, folder, collection.' }),
    );
    expect(await body({ ...base, label_id: '108', append: 'maybe' })).toBe(JSON.stringify({ responsecode: 1, message: 'Parameter APPEND is not valid: append must be true or false.' }));
    expect(JSON.parse(await body({ ...base, label_id: '108', asset_id: '' })).message).toMatch(/^Parameter ASSET_ID is not valid: /);
    expect(JSON.parse(await body({ ...base, label_id: '108', asset_id: 'x'.repeat(256) })).message).toMatch(/^Parameter ASSET_ID is not valid: /);
    expect(await eventCount()).toBe(before);
    expect(await labelOfAsset('1', 'img')).toEqual([]);
  });

  it('removeassetlabel removes from that asset id of any type; absent assignments and assets are fine', async () => {
    for (const type of ['img', 'doc']) await call({ method: 'setassetlabel', label_id: '107,108', asset_id: '42', asset_type: type });
    await call({ method: 'setassetlabel', label_id: '108', asset_id: '43', asset_type: 'img' });
    expect(await body({ method: 'removeassetlabel', label_id: '108', asset_id: '42' })).toBe(fixture('removeassetlabel.json'));
    expect(await labelOfAsset('42', 'img')).toEqual(['107']);
    expect(await labelOfAsset('42', 'doc')).toEqual(['107']);
    expect(await labelOfAsset('43', 'img')).toEqual(['108']);
    expect(await body({ method: 'removeassetlabel', label_id: '108', asset_id: '42' })).toBe(fixture('removeassetlabel.json'));
    expect(await body({ method: 'removeassetlabel', label_id: '108', asset_id: 'never-seen' })).toBe(fixture('removeassetlabel.json'));
    expect(await body({ method: 'removeassetlabel', label_id: 'zz', asset_id: '42' })).toBe(JSON.stringify({ responsecode: 1, message: SETLABEL_MISSING('zz') }));
  });

  it('getlabelofasset: a list of assets of one type, in the order asked, labels by path', async () => {
    await call({ method: 'setassetlabel', label_id: '109,106', asset_id: 'b', asset_type: 'vid' });
    await call({ method: 'setassetlabel', label_id: '107', asset_id: 'a', asset_type: 'vid' });
    await call({ method: 'setassetlabel', label_id: '108', asset_id: 'a', asset_type: 'img' });
    expect(await body({ method: 'getlabelofasset', asset_id: 'b,a,zzz,b', asset_type: 'vid' })).toBe(
      '{"COLUMNS":["label_id","label_text","label_path","assetid"],"DATA":[["106","documents","documents","b"],["109","landscape","pictures/color/landscape","b"],["107","pictures","pictures","a"]]}',
    );
    expect(await body({ method: 'getlabelofasset', asset_id: 'a', asset_type: 'folder' })).toBe('{"COLUMNS":["label_id","label_text","label_path","assetid"],"DATA":[]}');
    expect(await body({ method: 'getlabelofasset', asset_id: 'a', asset_type: 'image' })).toBe(
      '{"COLUMNS":["responsecode","message"],"DATA":[["1","Parameter ASSET_TYPE is not valid: asset_type must be one of img, vid, aud, doc, folder, collection."]]}',
    );
  });

  it('getassetoflabel: the three column sets by label_type; unknown labels give an empty record set', async () => {
    await c.t.core.admin.upsertResources(c.a.workspaceId, [
      { type: 'folder', externalId: '12', name: 'Holidays', attributes: { folder_id_r: '3', folder_is_collection: 'f' } },
      { type: 'collection', externalId: '77', name: 'Best of 2012', attributes: { folder_id_r: 12 } },
    ]);
    for (const [id, type] of [['12', 'folder'], ['77', 'collection'], ['9', 'img']]) await call({ method: 'setassetlabel', label_id: '108', asset_id: id!, asset_type: type! });
    expect(await body({ method: 'getassetoflabel', label_id: '108', label_type: 'folders' })).toBe(fixture('getassetoflabel-108-folders.row.json'));
    expect(await body({ method: 'getassetoflabel', label_id: '108', label_type: 'COLLECTIONS' })).toBe(fixture('getassetoflabel-108-collections.row.json'));
    expect((await rows({ method: 'getassetoflabel', label_id: '108', label_type: 'assets' })).map((r) => [r[0], r[1], r[5]])).toEqual([['9', '', 'img']]);
    for (const label_id of ['999', '5', 'abc', '']) expect(await body({ method: 'getassetoflabel', label_id }), label_id).toBe(fixture('getassetoflabel-empty.row.json'));
    expect(await body({ method: 'getassetoflabel', label_id: '108', label_type: 'files' })).toBe(
      '{"COLUMNS":["responsecode","message"],"DATA":[["1","Parameter LABEL_TYPE is not valid: label_type must be one of assets, folders, collections."]]}',
    );
  });
});

describe('searchlabel', () => {
  perTest();
  it('case-insensitive substring of text or path; * is everything', async () => {
    expect(await body({ method: 'searchlabel', searchfor: 'pictures' })).toBe(fixture('searchlabel-pictures.row.json'));
    expect((await rows({ method: 'searchlabel', searchfor: 'COLOR/LAND' })).map((r) => r[0])).toEqual(['109']);
    expect((await rows({ method: 'searchlabel', searchfor: 'cum' })).map((r) => r[0])).toEqual(['106']);
    expect(await body({ method: 'searchlabel', searchfor: '*' })).toBe(fixture('getall.row.json'));
    expect(await body({ method: 'searchlabel', searchfor: ' * ' })).toBe(fixture('getall.row.json'));
    expect(await body({ method: 'searchlabel', searchfor: 'nothing like it' })).toBe(fixture('empty-labels.row.json'));
  });

  it('SQL metacharacters, % and _ are literal text', async () => {
    for (const name of ['100% cotton', 'snake_case', 'plain', "O'Brien", 'a\\b']) await call({ method: 'setlabel', label_text: name });
    const texts = async (searchfor: string) => (await rows({ method: 'searchlabel', searchfor })).map((r) => r[1]);
    expect(await texts('%')).toEqual(['100% cotton']);
    expect(await texts('_')).toEqual(['snake_case']);
    expect(await texts('0%_')).toEqual([]);
    expect(await texts("'")).toEqual(["O'Brien"]);
    expect(await texts('\\')).toEqual(['a\\b']);
    for (const evil of ["'; DROP TABLE labels; --", '" OR 1=1 --', "') OR ('1'='1", '*/ UNION SELECT 1,2,3 --']) {
      expect(await texts(evil), evil).toEqual([]);
    }
    expect(await paths()).toHaveLength(9);
  });

  it('over 1000 hits: the overridemax struct with the count; overridemax=1 lifts the cap; exactly 1000 pass', async () => {
    const owner = (await c.t.core.auth.actorForKey(key(), { earliest: true }, 'test'))!;
    for (let i = 0; i < 1001; i++) await c.t.core.labels.create(owner, { name: `batch ${String(i).padStart(4, '0')}` });
    expect(await body({ method: 'searchlabel', searchfor: '*' })).toBe(fixture('searchlabel-over-cap.json'));
    expect(JSON.parse(await body({ method: 'searchlabel', searchfor: 'batch' })).message).toMatch(/^The search returned more than a 1000 records: 1001 records\./);
    expect(JSON.parse(await body({ method: 'searchlabel', searchfor: 'batch', overridemax: '0' })).responsecode).toBe(1);
    expect(await rows({ method: 'searchlabel', searchfor: '*', overridemax: '1' })).toHaveLength(1005);
    const wddx = decodeWddx((await call({ method: 'searchlabel', searchfor: '*', __BDRETURNFORMAT: 'wddx' })).body);
    expect(wddx).toEqual({ responsecode: 1, message: JSON.parse(fixture('searchlabel-over-cap.json')).message });
    await call({ method: 'remove', label_id: '1110' });
    const capped = await rows({ method: 'searchlabel', searchfor: 'batch' });
    expect(capped).toHaveLength(1000);
    expect(capped[0]).toEqual(['110', 'batch 0000', 'batch 0000']);
    expect(await body({ method: 'getall' })).toMatch(/^\{"COLUMNS":/);
    expect((await rows({ method: 'getall' })).length).toBe(1004);
  });
});

describe('one tree shared with the other dialects', () => {
  perTest();
  it('labels made and moved through Razuna are the same labels, same ids, in Jotform', async () => {
    const id = JSON.parse(await body({ method: 'setlabel', label_text: 'sky', label_parent: '109' })).label_id;
    const jot = await c.t.app.inject({ method: 'GET', url: `/API/label/${id}`, headers: { apikey: key() } });
    expect(jot.json().content).toMatchObject({ id, name: 'sky', parent: '109' });
    await c.t.app.inject({ method: 'PUT', url: `/API/label/${id}`, headers: { apikey: key(), 'content-type': 'application/json' }, payload: JSON.stringify({ parent: '106', name: 'Sky' }) });
    expect(await body({ method: 'getlabel', label_id: id })).toBe(`{"COLUMNS":["label_id","label_text","label_path"],"DATA":[["${id}","Sky","documents/Sky"]]}`);
    await c.t.app.inject({ method: 'DELETE', url: '/API/label/107', headers: { apikey: key() } });
    expect(await paths()).toEqual(['documents', 'documents/Sky']);
  });
});
