// The jsona + fetch snippet of docs/dialects/limbo.md ("## Client snippets"), run exactly as written: taken
// from the document, run by Node as an ES module from the repository (so `jsona` resolves) against a server
// on a real socket, with a workspace key and with an access token of a user in two companies.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { login, multiUser, setup, type Env } from './limbo-helper.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** The first ```js block under "## Client snippets". */
function snippet(): string {
  const doc = readFileSync(new URL('../docs/dialects/limbo.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Client snippets'));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('no js snippet under "## Client snippets" in docs/dialects/limbo.md');
  return code;
}

let e: Env;
let base: string;
beforeAll(async () => {
  e = await setup();
  base = `${await e.t.app.listen({ port: 0, host: '127.0.0.1' })}/api/v1`;
});
beforeEach(() => e.next());
afterAll(() => e.t.close());

async function run(token: string, company: number, product: string): Promise<string[]> {
  const env = { ...process.env, LIMBO_URL: base, LIMBO_TOKEN: token, LIMBO_COMPANY: String(company), LIMBO_PRODUCT: product };
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', snippet()], { cwd: ROOT, env, timeout: 30_000 });
  return stdout.trim().split('\n');
}

describe('docs/dialects/limbo.md client snippet (jsona + fetch)', () => {
  it('with a workspace key: creates the label, links the product, lists labels with their products', async () => {
    await e.products(e.a.workspaceId, [{ id: '1001', name: 'Debut Album' }]);
    const other = await e.label('Archive');
    const out = await run(e.a.keys.owner, e.a.workspaceId, 'Debut Album');
    const created = (await e.call('GET', '/api/v1/labels?filter[name]=Night%20Shift%20Records&include=products')).doc;
    const id = created.data[0].id;
    expect(created.data[0].attributes.usage).toMatchObject({ download: false, copy_scan: true });
    expect(out).toEqual([`${other} Archive: -`, `${id} Night Shift Records: 1001 Debut Album`]);
  });

  it('with an access token spanning two companies that both have product 1001: the label gets its own company’s', async () => {
    await e.products(e.a.workspaceId, [{ id: '1001', name: 'Debut Album' }]);
    await e.products(e.b.workspaceId, [{ id: '1001', name: 'Other Album' }]);
    const { user, password } = await multiUser(e, [
      [e.a.workspaceId, 'owner'],
      [e.b.workspaceId, 'owner'],
    ]);
    const { access } = await login(e, user.email, password);
    const out = await run(access, e.b.workspaceId, 'Other Album');
    expect(out).toEqual([expect.stringMatching(new RegExp(`^\\d+ Night Shift Records: ${e.b.workspaceId}-1001 Other Album$`))]);
  });
});
