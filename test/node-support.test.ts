// The supported Node lines (package.json `engines`: 20.19+, 22.13+, 24+) install without EBADENGINE warnings,
// and the two dependencies package.json `overrides` pins back for Node 20 work with the packages that use them:
// light-my-request (every `app.inject`) with cookie 1.x, and @fastify/static 10 (under @fastify/swagger-ui) with
// content-disposition 2.x. cookie 2 and content-disposition 3 are the same code published as ES modules only,
// with `engines` raised to Node 22. .ci/run runs this file on each Node it tests.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, ROOT } from './process-helper.js';

const run = promisify(execFile);
const tmp = mkdtempSync(join(tmpdir(), 'labelmux-node-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm install on the running Node', () => {
  it('resolves the locked tree with no EBADENGINE warning, on the Node under test', async () => {
    // A dry run over copies of package.json and the lock: npm checks every package's `engines` against the
    // running Node exactly as a real install does, without touching this checkout's node_modules.
    for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, file), join(tmp, file));
    const env = cleanEnv({ NO_COLOR: '1' });
    const { stdout: versions } = await run('npm', ['version', '--json'], { cwd: tmp, env });
    expect((JSON.parse(versions) as { node: string }).node, 'npm runs on the Node under test').toBe(process.versions.node);
    const { stdout, stderr } = await run('npm', ['install', '--dry-run', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: tmp, env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout, 'the dry run went through the whole tree').toMatch(/^added \d{3,} packages/m);
    expect(`${stdout}\n${stderr}`.split('\n').filter((l) => /EBADENGINE/.test(l))).toEqual([]);
  }, 150_000);
});

describe('the overridden dependencies, in the packages that use them', () => {
  it('light-my-request sends inject cookies through cookie 1.x', async () => {
    const app = Fastify();
    app.get('/', async (req) => ({ cookie: req.headers.cookie }));
    const res = await app.inject({ method: 'GET', url: '/', cookies: { session: 'a b', theme: 'dark' } });
    expect(res.json()).toEqual({ cookie: 'session=a%20b; theme=dark' });
    await app.close();
  });

  it("@fastify/swagger-ui's @fastify/static writes Content-Disposition through content-disposition 2.x", async () => {
    // The copy swagger-ui loads (nested under it), not this project's own @fastify/static.
    const fromSwaggerUi = createRequire(createRequire(join(ROOT, 'package.json')).resolve('@fastify/swagger-ui'));
    expect((fromSwaggerUi('@fastify/static/package.json') as { version: string }).version).toMatch(/^10\./);
    writeFileSync(join(tmp, 'labels ü.csv'), 'id,name\n');
    const app = Fastify();
    await app.register(fromSwaggerUi('@fastify/static') as FastifyPluginAsync<{ root: string; serve: boolean }>, { root: tmp, serve: false });
    app.get('/export', (_req, reply) => reply.download('labels ü.csv'));
    const res = await app.inject({ method: 'GET', url: '/export' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="labels ?.csv"; filename*=UTF-8''labels%20%C3%BC.csv`);
    await app.close();
  });
});
