// Real clients' requests, as they put them on the wire: the Jotform Python client (urllib, run for real
// against a listening server, and the Python snippet of docs/dialects/jotform.md run as
// written), devtodev's R client (httr: a JSON body without Content-Type), and URLs with
// doubled slashes (a PHP import script's `http://host//global/api2/label.cfc?`) in every dialect.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';

let t: TestApp;
let a: Tenant;
beforeAll(async () => {
  t = await buildTestApp();
  a = await createTenant(t.core, 'Clients');
});
afterAll(() => t.close());

const SCRIPT = fileURLToPath(new URL('./clients/jotform-urllib.py', import.meta.url));

/** Runs python3 with a hard time limit; resolves with stdout (or rejects with stderr). */
const python = (args: string[]) =>
  new Promise<string>((resolve, reject) =>
    execFile('python3', args, { timeout: 30_000, killSignal: 'SIGKILL' }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
  );

let listening: Promise<string> | undefined;
/** The test app on a real socket (listened once for the file). */
const origin = () => (listening ??= t.app.listen({ port: 0, host: '127.0.0.1' }));

describe('Jotform: the Python client style over urllib', () => {
  it('creates (form POST), updates, adds, lists, removes (JSON text PUT under the form type) and deletes', async () => {
    const base = await origin();
    const out = JSON.parse(await python([SCRIPT, `${base}/API/`, a.keys.owner])) as Record<string, any>;
    const id = out.created.id as string;
    expect(out.created).toMatchObject({ name: 'Café', color: '#22c55e' });
    expect(out.child).toMatchObject({ name: 'Child', parent: id });
    expect(out.updated).toMatchObject({ id, name: 'Renamed Café', color: '#123456' });
    const forms = [{ id: '232143945675058', type: 'form' }, { id: '232143945675059', type: 'form' }];
    expect(out.added).toEqual(forms);
    expect(out.listed.map((r: { id: string }) => r.id)).toEqual(forms.map((f) => f.id));
    expect(out.removed).toEqual(forms.slice(0, 1));
    expect(out.after.map((r: { id: string }) => r.id)).toEqual([forms[1]!.id]);
    expect(out.deleted).toBe(true);
  });
});

/** The ```python block that follows `heading` in a Markdown file of the repository. */
function pythonBlock(file: string, heading: string): string {
  const doc = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
  const at = doc.indexOf(heading);
  const code = at < 0 ? undefined : /```python\n([\s\S]*?)```/.exec(doc.slice(at))?.[1];
  if (!code) throw new Error(`no python block after "${heading}" in ${file}`);
  return code;
}

/** A snippet's documented server and key replaced by the test's, each of which must be there to replace. */
function pointed(code: string, base: string, documentedKey: string, key: string): string {
  for (const needle of ['http://127.0.0.1:8080', `'${documentedKey}'`]) if (!code.includes(needle)) throw new Error(`the snippet no longer holds ${needle}`);
  return code.replaceAll('http://127.0.0.1:8080', base).replaceAll(`'${documentedKey}'`, `'${key}'`);
}

describe('the Python (urllib) snippet of docs/dialects/jotform.md, run as written', () => {
  /** The Jotform label tree of a tenant, read back through the dialect. */
  const tree = async (key: string) => (await t.app.inject({ method: 'GET', url: '/API/user/labels', headers: { apikey: key } })).json().content;
  const resources = async (key: string, id: string) => (await t.app.inject({ method: 'GET', url: `/API/label/${id}/resources`, headers: { apikey: key } })).json().content;

  it('docs/dialects/jotform.md "Python (urllib…)": creates, renames, adds, lists and removes a form', async () => {
    const b = await createTenant(t.core, 'Python jotform.md');
    const code = pointed(pythonBlock('docs/dialects/jotform.md', '### Python (urllib'), await origin(), '23faeea337309a9d3820c42d7ccea54b', b.keys.owner);
    const out = await python(['-c', code]);
    expect(out).toContain("'id': '232143945675058'");
    const [label] = (await tree(b.keys.owner)).sublabels;
    expect(label).toMatchObject({ name: 'Renamed', color: '#22c55e' });
    expect(await resources(b.keys.owner, label.id)).toEqual([]);
  });
});

describe("devtodev: devtodevr's httr request (JSON body, no Content-Type)", () => {
  /** httr::POST(url, body = jsonlite::toJSON(…, auto_unbox = TRUE)): `Content-Type: ""`, which libcurl drops. */
  const httr = (op: string, body: string, contentType?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/labels/${op}`,
      headers: {
        host: 'www.devtodev.com',
        'user-agent': 'libcurl/8.5.0 r-curl/5.2.3 httr/1.4.7',
        'accept-encoding': 'deflate, gzip, br, zstd',
        accept: 'application/json, text/xml, application/xml, */*',
        'content-length': String(Buffer.byteLength(body)),
        ...(contentType !== undefined && { 'content-type': contentType }),
      },
      payload: body,
    });
  const auth = () => `"user_token":"${a.keys.owner}","app_id":"${a.uuid}"`;

  it('dtd_get_categories and a create written the same way succeed', async () => {
    const created = await httr('create', `{${auth()},"labels":[{"name":"Release 1.2","category":"Releases","start_date":1764720000}]}`);
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ status_code: 200, data: { labels: [{ name: 'Release 1.2', category: 'Releases', start_date: 1764720000 }] } });
    const categories = await httr('categories/get', `{${auth()}}`);
    expect(categories.json()).toEqual({ status_code: 200, data: { status: 'complete', categories: ['Releases'] } });
    const empty = await httr('categories/get', `{${auth()}}`, ''); // `Content-Type:` sent empty
    expect(empty.json()).toEqual(categories.json());
  });

  it('other types stay code 3; a broken untyped body is code 3 too', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await httr('categories/get', `{${auth()}}`, type);
      expect(res.json(), type).toEqual({ status_code: 400, errors: [{ code: 3, msg: 'Content-Type must be application/json' }] });
    }
    const fractional = await httr('create', `{${auth()},"labels":[{"name":"Now","start_date":1764720000.25}]}`); // as.numeric(Sys.time())
    expect(fractional.json()).toMatchObject({ status_code: 400, errors: [{ code: 4 }] });
    const broken = await httr('categories/get', `{${auth()}`);
    expect(broken.json()).toMatchObject({ status_code: 400, errors: [{ code: 3 }] });
  });
});

describe('doubled slashes in the path are one slash, in every dialect', () => {
  const inject = (method: 'GET' | 'POST', url: string, headers: Record<string, string> = {}, payload?: string) => t.app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });

  it('razuna (the PHP import script), jotform, livestorm, devtodev, limbo and /oauth/token', async () => {
    const razuna = await inject('GET', `//global/api2/label.cfc?method=getall&api_key=${a.keys.owner}`);
    expect(razuna.json()).toEqual({ COLUMNS: ['label_id', 'label_text', 'label_path'], DATA: expect.any(Array) });
    expect((await inject('GET', `/global//api2///label.cfc?method=getall&api_key=${a.keys.owner}`)).statusCode).toBe(200);
    const jotform = await inject('GET', '//API//v1//user/labels', { apikey: a.keys.owner });
    expect(jotform.json()).toMatchObject({ responseCode: 200 });
    const livestorm = await inject('GET', `/api/workspaces//${a.workspaceId}//labels`, { authorization: `Bearer lnx_${a.keys.owner}` });
    expect(livestorm.json()).toMatchObject({ labels: expect.any(Array) });
    const devtodev = await inject('POST', '/api/v1//labels//categories/get', { 'content-type': 'application/json' }, JSON.stringify({ user_token: a.keys.owner, app_id: a.uuid }));
    expect(devtodev.json()).toMatchObject({ status_code: 200 });
    const limbo = await inject('GET', '/api//v1/labels', { authorization: `Bearer ${a.keys.owner}`, accept: 'application/vnd.api+json' });
    expect(limbo.statusCode).toBe(200);
    expect(limbo.json()).toMatchObject({ data: expect.any(Array) });
    const oauth = await inject('POST', '//oauth//token', { 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=password&email=nobody%40example.com&password=x');
    expect(oauth.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('the query string keeps its slashes; an escaped slash is not merged', async () => {
    const set = await inject('GET', `//global/api2/label.cfc?method=setlabel&api_key=${a.keys.owner}&label_text=a//b`);
    expect(set.json()).toMatchObject({ responsecode: 0 });
    const got = await inject('GET', `/global/api2/label.cfc?method=getlabel&api_key=${a.keys.owner}&label_id=${set.json().label_id}`);
    expect(got.json().DATA[0][1]).toBe('a//b');
    const escaped = await inject('GET', '/API/label/%2F%2F1', { apikey: a.keys.owner });
    expect(escaped.json()).toMatchObject({ responseCode: 401 }); // an id that is not one: answered like a missing label
  });
});
