// What the server says about itself: `labelmux --version`, GET /_admin/info, the X-Labelmux-Version header on
// every answer (each dialect's, the admin API's, errors and refusals before routing), the labelmux_build_info
// metric, the commit recorded by the build, and `/` with and without the console.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_INFO, gitCommit } from '../src/build-info.js';
import { serveConsole } from '../src/http/console.js';
import { ADMIN_TOKEN, buildTestApp, createTenant, type Tenant, type TestApp } from './helper.js';
import { ROOT } from './process-helper.js';
import { onPostgres } from './test-store.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
const HEAD = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();

let t: TestApp;
let tenant: Tenant;
beforeAll(async () => {
  t = await buildTestApp();
  tenant = await createTenant(t.core);
});
afterAll(() => t.close());

describe('the version', () => {
  it('labelmux --version prints package.json\'s version, and only it', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, 'bin', 'labelmux.js'), '--version'], { cwd: ROOT });
    expect(stdout).toBe(`${pkg.version}\n`);
    expect(BUILD_INFO.version).toBe(pkg.version);
  });

  it('run from the sources in a git checkout, the commit is the checkout\'s; elsewhere "unknown"', () => {
    expect(BUILD_INFO.commit).toBe(HEAD);
    expect(gitCommit(ROOT)).toBe(HEAD);
    const plain = mkdtempSync(join(tmpdir(), 'labelmux-no-git-'));
    try {
      expect(gitCommit(plain)).toBe('unknown'); // the Docker build copies no .git
      expect(gitCommit(join(ROOT, 'src'))).toBe('unknown'); // inside someone else's checkout: not our commit
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('GET /_admin/info', () => {
  it('says the version, commit, Node.js, dialects served, store, console and uptime', async () => {
    const res = await t.app.inject({ url: '/_admin/info', headers: AUTH });
    expect(res.statusCode).toBe(200);
    const info = res.json();
    expect(info).toEqual({
      name: 'labelmux',
      version: pkg.version,
      commit: HEAD,
      node: process.versions.node,
      store: onPostgres ? 'postgres' : 'sqlite',
      dialects: ['jotform', 'razuna', 'livestorm', 'devtodev', 'limbo'],
      console: expect.any(Boolean),
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      uptime_seconds: expect.any(Number),
    });
    expect(Date.parse(info.started_at)).toBeLessThanOrEqual(Date.now());
    expect(info.uptime_seconds).toBe(Math.floor(info.uptime_seconds));
    expect(Math.abs(Date.now() - Date.parse(info.started_at) - info.uptime_seconds * 1000)).toBeLessThan(5000);
  });

  it('lists only the enabled dialects, and says when the console is off', async () => {
    const other = await buildTestApp({ LABELMUX_RAZUNA_ENABLED: 'false', LABELMUX_LIMBO_ENABLED: 'off', LABELMUX_CONSOLE: 'off' });
    try {
      const info = (await other.app.inject({ url: '/_admin/info', headers: AUTH })).json();
      expect(info.dialects).toEqual(['jotform', 'livestorm', 'devtodev']);
      expect(info.console).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('needs the admin token, like the rest of the admin API', async () => {
    const res = await t.app.inject({ url: '/_admin/info' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('X-Labelmux-Version', () => {
  const requests = (): [string, InjectOptions][] => {
    const ws = tenant.workspaceId;
    const key = tenant.keys.owner;
    return [
      ['jotform', { url: `/API/user/labels?apiKey=${key}` }],
      ['jotform 401', { url: '/API/user/labels' }],
      ['razuna', { url: `/global/api2/label.cfc?method=getall&api_key=${ws}-${key}` }],
      ['razuna bad key', { url: '/global/api2/label.cfc?method=getall&api_key=nope' }],
      ['livestorm', { url: `/api/workspaces/${ws}/labels`, headers: { authorization: `Bearer lnx_${key}` } }],
      ['livestorm 404 route', { url: `/api/workspaces/${ws}/nope`, headers: { authorization: `Bearer lnx_${key}` } }],
      ['devtodev', { method: 'POST', url: '/api/v1/labels/get', payload: { user_token: key, app_id: tenant.uuid } }],
      ['devtodev bad key', { method: 'POST', url: '/api/v1/labels/get', payload: { user_token: 'nope' } }],
      ['limbo', { url: '/api/v1/labels', headers: { authorization: 'Bearer nope' } }],
      ['limbo oauth', { method: 'POST', url: '/oauth/token', payload: { grant_type: 'password' } }],
      ['admin', { url: '/_admin/workspaces', headers: AUTH }],
      ['admin 401', { url: '/_admin/workspaces' }],
      ['healthz', { url: '/healthz' }],
      ['metrics', { url: '/metrics' }],
      ['root', { url: '/' }],
      ['docs', { url: '/docs' }],
      ['openapi', { url: '/openapi/jotform.json' }],
      ['unknown route', { url: '/no/such/thing' }],
      ['refused before routing', { url: '/%E0%A4%A' }],
    ];
  };

  it('is on every answer: each dialect, the admin API, errors and refusals before routing', async () => {
    for (const [what, req] of requests()) {
      const res = await t.app.inject(req);
      expect(res.headers['x-labelmux-version'], `${what} → ${res.statusCode}`).toBe(pkg.version);
    }
  });
});

describe('labelmux_build_info', () => {
  it('is one sample of 1 with the version, commit and Node.js as labels', async () => {
    const text = (await t.app.inject({ url: '/metrics' })).body;
    expect(text).toContain('# TYPE labelmux_build_info gauge\n');
    const lines = text.split('\n').filter((l) => l.startsWith('labelmux_build_info'));
    expect(lines).toEqual([`labelmux_build_info{version="${pkg.version}",commit="${HEAD}",node="${process.versions.node}"} 1`]);
  });
});

describe('GET /', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'labelmux-console-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An app serving only the console from `consoleDir`. */
  const consoleApp = async (consoleDir: string, enabled = true) => {
    const app = Fastify();
    await serveConsole(app, { enabled, documents: ['admin', 'jotform'], dir: consoleDir });
    await app.ready();
    return app;
  };

  it('serves the console\'s page and assets when it is built', async () => {
    const built = join(dir, 'built/');
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(built, 'assets', 'app-1234.js'), 'export {};');
    const app = await consoleApp(built);
    try {
      const page = await app.inject({ url: '/', headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toBe('<!doctype html><title>console</title>');
      expect((await app.inject({ url: '/_console/assets/app-1234.js' })).statusCode).toBe(200);
      // Turned off, the built console is not served.
      const off = await consoleApp(built, false);
      expect((await off.inject({ url: '/', headers: { accept: 'text/html' } })).body).toContain('The console is off (LABELMUX_CONSOLE=off)');
      expect((await off.inject({ url: '/_console/assets/app-1234.js' })).statusCode).toBe(404);
      await off.close();
    } finally {
      await app.close();
    }
  });

  it('without a build, points at the documents: JSON for curl and API clients, a page of links for a browser', async () => {
    const app = await consoleApp(join(dir, 'never-built/'));
    try {
      for (const accept of [undefined, '*/*', 'application/json']) {
        const res = await app.inject({ url: '/', headers: accept === undefined ? {} : { accept } });
        expect(res.statusCode, String(accept)).toBe(200);
        expect(res.json()).toEqual({
          name: 'labelmux',
          version: pkg.version,
          console: 'not built: run npm run build',
          docs: '/docs',
          openapi: { admin: '/openapi/admin.json', jotform: '/openapi/jotform.json' },
          health: '/healthz',
        });
      }
      // What Firefox and Chromium send for a page.
      const page = await app.inject({ url: '/', headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('The console is not built: run npm run build.');
      for (const href of ['/docs', '/openapi/admin.json', '/openapi/jotform.json']) expect(page.body).toContain(`href="${href}"`);
    } finally {
      await app.close();
    }
  });

  it('with LABELMUX_CONSOLE=off the server\'s `/` leads to documents it really serves', async () => {
    const off = await buildTestApp({ LABELMUX_CONSOLE: 'off' });
    try {
      const guide = (await off.app.inject({ url: '/' })).json();
      expect(guide.console).toBe('off (LABELMUX_CONSOLE=off)');
      expect(Object.keys(guide.openapi)).toEqual(['admin', 'jotform', 'razuna', 'livestorm', 'devtodev', 'limbo']);
      for (const url of [...Object.values<string>(guide.openapi), guide.health]) expect((await off.app.inject({ url })).statusCode, url).toBe(200);
      expect((await off.app.inject({ url: guide.docs })).statusCode).toBeLessThan(400);
    } finally {
      await off.close();
    }
  });
});
