// A newcomer with a fresh clone and nothing but the README: its start command (`npm start`, which builds),
// the `export` line filled in from the start banner, every curl block of the README and each "try it" line
// of the banner, then the console in a browser (Debian's chromium through playwright-core, as
// test/console.test.ts drives it): sign in with the banner's admin token and see the label made through
// Jotform. Then docs/testing.md's install block, as written, in a new project beside the clone, and its
// `npx labelmux serve` line from that project. test/docs-commands.test.ts runs the other blocks of every
// document against a server of its own; this file runs the steps those blocks take for granted. It clones
// HEAD, as a newcomer would get it: commit a change to the README or docs/testing.md before running it.
//
// Bounded: `npm install` is not run (the clone's node_modules is a link to this checkout's, which would take
// minutes to install again offline), the server listens on a free port (PORT=0: another server may hold
// 8080), npm works offline and runs no install scripts (the build `npm start` made is what `npm pack`
// packs, and the project gets the package's dependencies as links to this checkout's copies), and each
// step has a time limit. The newcomer's database is the default SQLite file, so the PostgreSQL run of the
// suite skips this file.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notRunBlocks, openTerminal, runBlocks, shellBlocks, type ShellBlock } from './doc-blocks.js';
import { cleanEnv, ROOT } from './process-helper.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
/** npm as the test runs it: no registry, no install scripts (see above). */
const NPM_OFFLINE = { npm_config_offline: 'true', npm_config_ignore_scripts: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

/** A command started in its own process group, its output collected; `stop` ends the group. */
interface Started {
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, ms: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

function start(command: string, cwd: string, env: Record<string, string>): Started {
  const child = spawn('bash', ['-c', command], { cwd, env: cleanEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waitFor = async (re: RegExp, ms: number) => {
    const until = Date.now() + ms;
    for (;;) {
      const m = re.exec(out);
      if (m) return m;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`\`${command}\` exited before printing ${re}:\n${out.slice(-4000)}`);
      if (Date.now() > until) throw new Error(`\`${command}\`: no ${re} within ${ms / 1000} s:\n${out.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-child.pid!, 'SIGTERM');
    const killed = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
    await exited;
    clearTimeout(killed);
  };
  return { child, output: () => out, waitFor, stop };
}

/** The one README block marked not run whose text matches `re`. */
function markedBlock(root: string, file: string, re: RegExp): ShellBlock {
  const found = notRunBlocks(root, file).filter((b) => re.test(b.code));
  if (found.length !== 1) throw new Error(`${file}: expected one block marked not run matching ${re}, found ${found.length}`);
  return found[0]!;
}

let tmp: string;
let clone: string;
let server: Started | undefined;
let base: string;
/** What the start banner printed. */
let banner: { ADMIN: string; KEY: string; WS: string; UUID: string; tryIt: string[] };
const timings: string[] = [];
const since = (t: number) => `${((Date.now() - t) / 1000).toFixed(1)} s`;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'labelmux-newcomer-'));
  clone = join(tmp, 'labelmux');
  let t = Date.now();
  await run('git', ['clone', '--quiet', ROOT, clone], { timeout: 60_000 });
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
  timings.push(`git clone: ${since(t)}`);

  // README's start command, without its `npm install` (above).
  const startBlock = markedBlock(clone, 'README.md', /npm start/);
  expect(startBlock.code.trim()).toBe('npm install && npm start');
  t = Date.now();
  server = start('npm start', clone, { PORT: '0' });
  base = (await server.waitFor(/^labelmux: listening on (http:\/\/\S+)$/m, 240_000))[1]!;
  timings.push(`npm start (build included) until listening: ${since(t)}`);
  const out = server.output();
  const one = (re: RegExp, what: string) => {
    const m = re.exec(out);
    if (!m) throw new Error(`the start banner has no ${what}:\n${out.slice(0, 4000)}`);
    return m[1]!;
  };
  banner = {
    ADMIN: one(/^labelmux: admin token for this run \(set LABELMUX_ADMIN_TOKEN to fix it\): (\S+)$/m, 'admin token'),
    KEY: one(/^\s+api key\s+([0-9a-f]{32})$/m, 'api key'),
    WS: one(/^\s+workspace\s+id=(\d+) /m, 'workspace id'),
    UUID: one(/^\s+workspace\s+id=\d+ uuid=(\S+)/m, 'workspace uuid'),
    tryIt: [...out.matchAll(/^\s+\[(\w+)\] (curl .*)$/gm)].map((m) => m[2]!),
  };
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  console.info(timings.join('\n'));
});

describe.skipIf(process.env.LABELMUX_TEST_DB === 'postgres')('a newcomer on a fresh clone, with the README', () => {
  it("README: the export line with the banner's values, then every curl block, answer as written", async () => {
    const exportBlock = markedBlock(clone, 'README.md', /^export /);
    const values: Record<string, string> = { B: base, KEY: banner.KEY, ADMIN: banner.ADMIN, WS: banner.WS, UUID: banner.UUID };
    const names = [...exportBlock.code.matchAll(/\b([A-Z]+)=(\S+)/g)].map((m) => m[1]!);
    expect(names.sort()).toEqual(Object.keys(values).sort());
    const filled = { ...exportBlock, code: exportBlock.code.replace(/\b([A-Z]+)=(\S+)/g, (_, n: string) => `${n}=${values[n]}`) };
    const blocks = shellBlocks(clone, 'README.md');
    expect(blocks.length).toBeGreaterThanOrEqual(6); // one label made, then one listing per API
    const t = Date.now();
    const terminal = openTerminal(join(tmp, 'readme'), {});
    expect(await runBlocks([filled, ...blocks], terminal)).toEqual([]);
    timings.push(`README blocks: ${since(t)}`);
    // Each API's listing shows the label the first block made.
    const answers = readFileSync(join(terminal.scratch, 'curls'), 'utf8').trim().split('\n').map((l) => readFileSync(l.split(' ')[2]!, 'utf8'));
    expect(JSON.parse(answers[0]!)).toMatchObject({ responseCode: 200, content: { name: 'Welcome' } });
    const listings = answers.slice(1);
    expect(listings).toHaveLength(5);
    // devtodev lists only labels with a date (README says so): its answer is the empty list.
    const devtodev = listings.filter((a) => a.includes('"status_code"'));
    expect(devtodev.map((a) => JSON.parse(a) as unknown)).toEqual([{ status_code: 200, data: { status: 'complete', labels: [] } }]);
    for (const a of listings.filter((l) => !devtodev.includes(l))) expect(a).toContain('"Welcome"');
  });

  it("the banner's try-it lines, one per API, answer 2xx", async () => {
    expect(banner.tryIt).toHaveLength(5);
    const blocks = banner.tryIt.map((code, i) => ({ file: 'banner', line: i + 1, code }));
    expect(await runBlocks(blocks, openTerminal(join(tmp, 'banner'), {}))).toEqual([]);
  });

  it("the console: GET / is its page; in chromium, the banner's admin token signs in and the tree shows the label made above", async () => {
    const res = await fetch(`${base}/`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    const t = Date.now();
    const profile = join(tmp, 'chromium');
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(15_000);
      await page.goto(`${base}/`);
      await page.getByLabel('Admin token').fill(banner.ADMIN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: /^Demo workspace/ }).waitFor();
      await page.getByRole('tree', { name: 'Labels' }).getByRole('treeitem').filter({ hasText: 'Welcome' }).waitFor();
    } finally {
      await context.close();
    }
    timings.push(`console in chromium: ${since(t)}`);
  });
});

describe.skipIf(process.env.LABELMUX_TEST_DB === 'postgres')('docs/testing.md, in a new project beside the clone', () => {
  const app = () => join(tmp, 'my-app');

  it('the install block: npm pack in the clone, npm install of the tarball in the project', async () => {
    const install = markedBlock(clone, 'docs/testing.md', /npm install --save-dev/);
    mkdirSync(join(app(), 'node_modules'), { recursive: true });
    writeFileSync(join(app(), 'package.json'), JSON.stringify({ name: 'my-app', private: true }));
    // The package's dependencies, already there: offline, npm keeps what satisfies the tarball's ranges.
    for (const name of Object.keys(pkg.dependencies)) {
      const to = join(app(), 'node_modules', name);
      mkdirSync(dirname(to), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', name), to, 'dir');
    }
    const t = Date.now();
    expect(await runBlocks([install], openTerminal(join(tmp, 'install'), NPM_OFFLINE, tmp), 120_000)).toEqual([]);
    timings.push(`npm pack + npm install: ${since(t)}`);
    const manifest = JSON.parse(readFileSync(join(app(), 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    expect(manifest.devDependencies[pkg.name]).toBe(`file:../labelmux/${pkg.name}-${pkg.version}.tgz`);
    expect(install.code).toContain(`${pkg.name}-${pkg.version}.tgz`);
  }, 180_000);

  it('the serve line, from that project (on a free port instead of 8080): it listens, answers, and stops on SIGTERM', async () => {
    const serve = markedBlock(clone, 'docs/testing.md', /labelmux serve/);
    expect(serve.code).toContain('--port 8080');
    const t = Date.now();
    const served = start(serve.code.replace('--port 8080', '--port 0'), app(), {});
    try {
      const url = (await served.waitFor(/^labelmux: listening on (http:\/\/\S+)$/m, 60_000))[1]!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const key = (await served.waitFor(/^\s+api key\s+([0-9a-f]{32})$/m, 1000))[1]!;
      expect((await fetch(`${url}/API/user/labels`, { headers: { APIKEY: key } })).status).toBe(200);
    } finally {
      await served.stop();
    }
    timings.push(`npx labelmux serve: ${since(t)}`);
  }, 90_000);
});
