// docs/testing.md, run as written: the JavaScript client blocks (node, against a labelmux from
// startLabelmux), the curl block (bash), the base URL of the Python client block (the URLs its client
// builds from it), the compose file and the GitHub Actions job (their labelmux commands and settings start
// the server). The blocks that import the package run in test/package.test.ts, against the tarball.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildCli, serveEnvironment, type ServeFlags } from '../src/cli.js';
import { loadConfig } from '../src/config.js';
import { startLabelmux, type Labelmux } from '../src/index.js';
import { guideSnippet } from './guide-snippets.js';
import { ROOT } from './process-helper.js';

const run = promisify(execFile);

let lm: Labelmux;
let key: string;
let workspace: { id: number; uuid: string };
beforeAll(async () => {
  lm = await startLabelmux();
  workspace = (await lm.admin.POST('/_admin/workspaces', { body: { name: 'Guide' } })).data!.workspace;
  const user = (await lm.admin.POST('/_admin/users', { body: { email: 'guide@acme.test', name: 'Guide' } })).data!.user;
  await lm.admin.PUT('/_admin/workspaces/{id}/members/{userId}', { params: { path: { id: workspace.id, userId: user.id } }, body: { role: 'owner' } });
  key = (await lm.admin.POST('/_admin/api-keys', { body: { user_id: user.id, workspace_id: workspace.id } })).data!.api_key.key!;
});
afterAll(() => lm?.stop());

/** Runs a JavaScript block as an ES module next to this project's node_modules, with the guide's variables set. */
async function runJs(name: string): Promise<string> {
  const file = join(ROOT, 'test', `.guide-${name}.tmp.mjs`);
  const vars = `const url = ${JSON.stringify(lm.url)}, key = ${JSON.stringify(key)}, workspaceId = ${workspace.id}, workspaceUuid = ${JSON.stringify(workspace.uuid)};\n`;
  writeFileSync(file, vars + guideSnippet(name));
  try {
    return (await run(process.execPath, [file], { cwd: ROOT, timeout: 30_000 })).stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

describe('docs/testing.md: pointing each client at labelmux', () => {
  it('the jotform npm client block creates a label and reads the tree', async () => {
    const out = await runJs('jotform-npm');
    expect(out).toMatch(/^\d+ \[ 'Marketing' \]$/m);
  });

  it('the kitsu block creates and lists labels through limbo', async () => {
    expect(await runJs('kitsu')).toContain("'Night Shift'");
  });

  it('the fetch block reads Razuna, Livestorm and devtodev', async () => {
    const out = await runJs('fetch');
    expect(out).toContain('Night Shift'); // the label made above, in every dialect's answer
    expect(out).toMatch(/status_code: 200/);
    expect(out).not.toMatch(/error/i);
  });

  it('the curl block: every line answers 2xx', async () => {
    const env = { ...process.env, B: lm.url, KEY: key, WS: String(workspace.id), UUID: workspace.uuid };
    const lines = guideSnippet('curl').split('\n').filter(Boolean);
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const { stdout } = await run('bash', ['-euc', line], { env, timeout: 30_000 }); // -f: an HTTP error fails
      expect(stdout, line).toMatch(/Night Shift|"labels"|status_code/);
    }
  });

  it("Python's client: the base URL given makes the URLs labelmux serves (baseUrl + 'v1' + path, key in an apiKey header)", async () => {
    const code = guideSnippet('python');
    const baseUrl = /baseUrl='([^']+)'/.exec(code)![1]!.replace('http://127.0.0.1:8080', lm.url);
    // fetch_url's POST: the parameters urlencoded, as urllib labels them.
    const created = await fetch(`${baseUrl}v1/label`, { method: 'POST', headers: { apiKey: key, 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Invoices' });
    const label = ((await created.json()) as { content: { id: string; name: string } }).content;
    expect(label.name).toBe('Invoices');
    // fetch_url's PUT: JSON text under urllib's default form Content-Type.
    const put = await fetch(`${baseUrl}v1/label/${label.id}/add-resources`, { method: 'PUT', headers: { apiKey: key, 'content-type': 'application/x-www-form-urlencoded' }, body: JSON.stringify({ resources: [{ id: '232143945675058', type: 'form' }] }) });
    expect(((await put.json()) as { responseCode: number }).responseCode).toBe(200);
    const tree = await fetch(`${baseUrl}v1/user/labels`, { headers: { apiKey: key } });
    expect(JSON.stringify(await tree.json())).toContain('Invoices');
  });
});

/** `labelmux serve …` arguments → the configuration the server would start with. */
async function serveConfig(args: string[], env: Record<string, string>) {
  let flags: ServeFlags | undefined;
  const cli = buildCli(async () => undefined, async (f) => void (flags = f));
  cli.exitOverride();
  await cli.parseAsync(['serve', ...args], { from: 'user' });
  return loadConfig(serveEnvironment(env, flags!));
}

describe('docs/testing.md: running labelmux beside the tests', () => {
  it('docs/examples/compose.yaml is the guide\'s block; its image, command and settings start the server on the published port', async () => {
    const text = readFileSync(join(ROOT, 'docs', 'examples', 'compose.yaml'), 'utf8');
    expect(text).toBe(guideSnippet('compose'));
    const service = parse(text).services.labelmux as { build: { context: string }; command: string[]; environment: Record<string, string>; ports: string[] };
    expect(existsSync(join(ROOT, 'docs', 'examples', service.build.context, 'Dockerfile'))).toBe(true);
    expect(service.command.slice(0, 3)).toEqual(['node', 'bin/labelmux.js', 'serve']);
    // The image's own ENV (Dockerfile, runtime stage), then the service's environment.
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const imageEnv = Object.fromEntries([...dockerfile.matchAll(/^\s*(?:ENV\s+)?(HOST|PORT|LABELMUX_DB)=(\S+)/gm)].map((m) => [m[1]!, m[2]!]));
    expect(imageEnv).toMatchObject({ HOST: '0.0.0.0', PORT: '8080' });
    const config = await serveConfig(service.command.slice(3), { ...imageEnv, ...service.environment });
    expect(config).toMatchObject({ host: '0.0.0.0', db: ':memory:', bootstrap: 'none', adminToken: service.environment.LABELMUX_ADMIN_TOKEN });
    expect(service.ports).toEqual([`${config.port}:${config.port}`]);
  });

  it('the GitHub Actions job starts labelmux serve with valid settings and waits on its port', async () => {
    const job = parse(guideSnippet('github-actions')).jobs.integration as { env: Record<string, string>; steps: { run?: string }[] };
    const script = job.steps.map((s) => s.run ?? '').find((r) => r.includes('npx labelmux serve'))!;
    const line = /^(?<env>(?:\w+=\S+ )*)npx labelmux serve (?<args>[^>&]*)/m.exec(script)!.groups!;
    const env = Object.fromEntries(line.env!.trim().split(/\s+/).filter(Boolean).map((kv) => kv.split('=') as [string, string]));
    const config = await serveConfig(line.args!.trim().split(/\s+/), { ...job.env, ...env });
    expect(config).toMatchObject({ db: ':memory:', bootstrap: 'none', host: '127.0.0.1' });
    expect(script).toContain(`http://127.0.0.1:${config.port}/healthz`);
  });
});
