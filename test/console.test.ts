// The console in a real browser: Debian's chromium driven by playwright-core against a server on 127.0.0.1.
// Sign-in (a bad token refused), a workspace and a label tree made through the UI, rename, a refused move
// with the dialect's reason, the five formats equal to what each dialect answers over HTTP, a write made with
// plain HTTP appearing in the live events within a second, a 10,000-label workspace's tree within a second,
// and no request leaving 127.0.0.1. LABELMUX_CONSOLE_SCREENSHOT=<file> also saves the five-formats view
// (`npm run console:screenshot` writes docs/console.png).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createCore, type Core } from '../src/core/index.js';
import type { DatabaseStore } from '../src/db/index.js';
import { ROOT } from './process-helper.js';
import { ERROR_NAMES } from '../src/sandbox/index.js';
import { createTestStore } from './test-store.js';

const CHROMIUM = '/usr/bin/chromium';
const ADMIN = 'console-test-admin-token-0123456789';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BIG = { roots: 100, children: 99 };

let store: DatabaseStore;
let core: Core;
let app: FastifyInstance;
let base = '';
let profile = '';
let context: BrowserContext;
let page: Page;
let bigWorkspace = 0;
const outside: string[] = [];

/** The console's assets as `npm run build` makes them (vite, into dist/console; vitest's NODE_ENV=test would bundle JSX's development runtime). */
function buildConsole(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'console/vite.config.ts'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

/** A workspace of BIG.roots top-level labels with BIG.children children each (10,000 labels), imported at once. */
async function bigTree(): Promise<number> {
  const ws = await core.admin.createWorkspace('Ten thousand');
  const at = Date.now();
  const label = (id: number, parent: number | null, name: string) => ({ id, parent_id: parent, name, color: '#22c55e', description: '', starts_at: null, ends_at: null, extras: {}, created_by_email: null, created_at: at, updated_at: at });
  const labels = [];
  for (let r = 0; r < BIG.roots; r++) labels.push(label(1_000_000 + r, null, `topic ${r}`));
  for (let r = 0; r < BIG.roots; r++) for (let c = 0; c < BIG.children; c++) labels.push(label(1_100_000 + r * 1000 + c, 1_000_000 + r, `label ${r}.${c}`));
  await core.admin.importWorkspace(ws.id, { format: 'labelmux-workspace', version: 1, workspace: { name: 'Ten thousand' }, labels, resources: [] });
  return ws.id;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The console's browser tests need Debian's chromium at ${CHROMIUM}: apt-get install --no-install-recommends chromium (.ci/run installs it when missing).`);
  buildConsole();
  store = createTestStore();
  core = createCore({ store });
  app = await buildApp({ config: loadConfig({ LABELMUX_DB: ':memory:', LABELMUX_ADMIN_TOKEN: ADMIN, LABELMUX_JOURNAL: 'on' }), core, adminToken: ADMIN });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  bigWorkspace = await bigTree();
  profile = mkdtempSync(join(tmpdir(), 'labelmux-console-chromium-'));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 } });
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await app?.close();
  await store?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** The console key the page made for workspace `ws` (kept in the tab's sessionStorage). */
const consoleKey = (ws: number) => page.evaluate((k) => (JSON.parse(sessionStorage.getItem(k) ?? 'null') as { key: string } | null)?.key ?? null, `labelmux.consoleKey.${ws}`);
const tree = () => page.getByRole('tree', { name: 'Labels' });
const item = (name: string) => tree().getByRole('treeitem').filter({ has: page.locator(`.name:text-is("${name}")`) });

/** An answer without what changes from call to call (Jotform's duration and limit-left). */
const stable = (v: any): any => {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'duration' && k !== 'limit-left').map(([k, x]) => [k, stable(x)]));
  return v;
};

describe('the console in chromium', () => {
  let ws = 0;
  const ids: Record<string, number> = {};

  it('serves its page with its own assets only, and refuses a bad admin token with a clear message', async () => {
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'self'");
    await expect(page.getByRole('link', { name: 'API documentation' }).getAttribute('href')).resolves.toBe('/docs');
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/admin token was refused \(401\)/);
    expect(page.url()).not.toContain('token');
    // Assets: hashed names cached for good; other paths keep the server's JSON 404.
    const script = await page.locator('script[type=module]').getAttribute('src');
    const asset = await fetch(`${base}${script}`);
    expect([asset.status, asset.headers.get('cache-control')]).toEqual([200, 'public, max-age=31536000, immutable']);
    const missing = await fetch(`${base}/_console/assets/nope.js`);
    expect(missing.status).toBe(404);
    expect(await (await fetch(`${base}/nope`)).json()).toEqual({ error: 'Not found' });
  });

  it('signs in (the token kept in sessionStorage, not in the URL) and creates a workspace', async () => {
    await page.getByLabel('Admin token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('labelmux.adminToken'))).toBe(ADMIN);
    expect(page.url()).toBe(`${base}/`);
    await page.getByLabel('New workspace').fill('Console test');
    await page.getByRole('button', { name: 'Create', exact: true }).first().click();
    await page.getByRole('heading', { name: /^Console test/ }).waitFor();
    ws = (await core.admin.listWorkspaces()).find((w) => w.name === 'Console test')!.id;
  });

  it('creates a label tree through the UI and shows it, with keyboard expansion', async () => {
    const create = async (name: string) => {
      await page.getByLabel(/^New label/).fill(name);
      await page.locator('.tree-pane').getByRole('button', { name: 'Create' }).click();
      await page.getByRole('status').filter({ hasText: `Created ${name}` }).waitFor();
    };
    await create('Music');
    await item('Music').click();
    await create('Rock');
    // The tree reads its levels again after a write: Music can open once it knows it has a child.
    await expect.poll(() => item('Music').getAttribute('aria-expanded')).toBe('false');
    await item('Music').focus();
    await page.keyboard.press('ArrowRight');
    await item('Rock').waitFor();
    await item('Rock').click();
    await create('Indie');
    await expect.poll(() => item('Rock').getAttribute('aria-expanded')).toBe('false');
    await item('Rock').focus();
    await page.keyboard.press('ArrowRight');
    await item('Indie').waitFor();
    expect(await item('Indie').getAttribute('aria-level')).toBe('3');
    for (const l of await store.listLabels(ws)) ids[l.name] = l.id;
    expect(Object.keys(ids).sort()).toEqual(['Indie', 'Music', 'Rock']);
  });

  it('renames a label, and shows the dialect\'s reason when a move would make a cycle', async () => {
    await item('Indie').click();
    await page.getByLabel('Name', { exact: true }).fill('Indie rock');
    await page.getByRole('button', { name: 'Rename' }).click();
    await item('Indie rock').waitFor();
    await item('Music').click();
    await page.getByLabel('Move under').fill('indie');
    await page.getByRole('button', { name: 'Music/Rock/Indie rock' }).click();
    const alert = page.locator('.tree-pane [role=alert]');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^Moved label \d+ refused: 400: parent: /);
    expect((await store.getLabel(ws, ids.Music!))!.parentId).toBeNull();
  });

  it('shows one label in five formats, each equal to what its dialect answers over HTTP', async () => {
    await item('Rock').click();
    const panes = page.locator('article.format');
    await expect.poll(() => panes.count(), { timeout: 10_000 }).toBe(5);
    const key = (await consoleKey(ws))!;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    const uuid = (await core.admin.getWorkspace(ws)).uuid;
    const shown = async (d: string) => JSON.parse((await page.locator(`article[data-dialect=${d}] pre.wire`).textContent())!);
    const get = async (url: string, headers: Record<string, string> = {}) => (await fetch(`${base}${url}`, { headers })).json();
    const post = async (url: string, body: object) => (await fetch(`${base}${url}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json();

    expect(stable(await shown('jotform'))).toEqual(stable(await get(`/API/label/${ids.Rock}`, { apikey: key })));
    expect(await shown('razuna')).toEqual(await get(`/global/api2/label.cfc?method=getlabel&api_key=${ws}-${key}&label_id=${ids.Rock}`));
    const livestorm = (await get(`/api/workspaces/${ws}/labels`, { authorization: `Bearer lnx_${key}` })).labels.find((l: any) => l.id === ids.Rock);
    expect(await shown('livestorm')).toEqual(livestorm);
    const categories = await post('/api/v1/labels/categories/get', { user_token: key, app_id: uuid });
    const labels = await post('/api/v1/labels/get', { user_token: key, app_id: uuid, filter: { id: { eq: ids.Rock } } });
    const devtodev = JSON.stringify(labels).includes(`"id":${ids.Rock}`) ? labels : categories;
    expect(JSON.stringify(devtodev)).toContain(JSON.stringify(await shown('devtodev')));
    expect(await shown('limbo')).toEqual(await get(`/api/v1/labels/${ids.Rock}`, { authorization: `Bearer ${key}`, accept: 'application/vnd.api+json' }));
    // Each pane's curl line names the console key as $KEY, never the key itself.
    for (const curl of await page.locator('.curl code').allTextContents()) {
      expect(curl).toContain('$KEY');
      expect(curl).not.toContain(key);
    }
    // devtodev shows a top-level label without a time span as a category, listed by name.
    await item('Music').click();
    await page.locator('article[data-dialect=devtodev]').getByText('a category: listed by name ("Music")').waitFor();
    expect(await shown('devtodev')).toEqual(await post('/api/v1/labels/categories/get', { user_token: key, app_id: uuid }));
    await item('Rock').click();
    await page.locator('article[data-dialect=limbo] pre.wire').getByText('"Rock"').waitFor();
    if (process.env.LABELMUX_CONSOLE_SCREENSHOT) {
      await page.setViewportSize({ width: 1600, height: 1250 });
      await page.locator('.tree-pane [role=alert]').evaluate((e) => e.remove());
      await page.screenshot({ path: process.env.LABELMUX_CONSOLE_SCREENSHOT });
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
  });

  it('shows a change made with plain HTTP in a dialect in the live events within a second, with its diff', async () => {
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByText('Feed: live').waitFor();
    await page.locator('.event').first().waitFor();
    const key = (await consoleKey(ws))!;
    const t0 = Date.now();
    const res = await fetch(`${base}/api/workspaces/${ws}/labels/${ids.Rock}`, { method: 'PATCH', headers: { authorization: `Bearer lnx_${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ color: '#f59e0b' }) });
    expect(res.status).toBe(200);
    const event = page.locator('.event').filter({ has: page.locator('.badge', { hasText: 'livestorm' }) });
    await event.waitFor({ timeout: 5000 });
    const ms = Date.now() - t0;
    console.log(`console: a Livestorm write appeared in the live events after ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    expect(await event.locator('.diff tbody tr').allTextContents()).toEqual(['color"#6366f1""#f59e0b"']);
  });

  it('shows the request journal (the Livestorm write above among it) and adds a fault rule that fires in the dialect\'s shape', async () => {
    await page.getByRole('tab', { name: 'Requests' }).click();
    await page.getByRole('button', { name: new RegExp(`^PATCH /api/workspaces/${ws}/labels/${ids.Rock}$`) }).click();
    await page.getByRole('heading', { name: 'Response 200' }).waitFor();
    await page.getByRole('tab', { name: 'Faults' }).click();
    const errors = await page.getByLabel('Error', { exact: true }).locator('option').allTextContents();
    expect(errors).toEqual([...ERROR_NAMES]);
    const key = (await consoleKey(ws))!;
    await page.getByLabel('Dialect').fill('livestorm');
    await page.getByLabel('Times').fill('1');
    await page.getByRole('button', { name: 'Add fault' }).click();
    await page.getByRole('button', { name: /^Remove fault / }).waitFor();
    const res = await fetch(`${base}/api/workspaces/${ws}/labels`, { headers: { authorization: `Bearer lnx_${key}` } });
    expect(res.status).toBe(503);
    expect(Object.keys(await res.json())).toEqual(['error']);
    await page.getByRole('tab', { name: 'Requests' }).click();
    await page.getByRole('tab', { name: 'Faults' }).click();
    expect(await page.locator('section[aria-label="Faults"] tbody td').nth(5).textContent()).toBe('1');
    await page.getByRole('button', { name: /^Remove fault / }).click();
    await page.getByRole('button', { name: /^Remove fault / }).waitFor({ state: 'detached' });
  });

  it('makes a new console key when its key was revoked, and goes on', async () => {
    const stored = JSON.parse((await page.evaluate((k) => sessionStorage.getItem(k), `labelmux.consoleKey.${ws}`))!);
    await core.admin.revokeApiKey(stored.id);
    await page.getByRole('tab', { name: 'Labels' }).click();
    await item('Music').click();
    await page.getByRole('heading', { name: /^Music/ }).waitFor();
    expect(await consoleKey(ws)).not.toBe(stored.key);
  });

  it('renders the top of a 10,000-label workspace\'s tree within a second, opens a level and searches as you type', async () => {
    await page.getByRole('tab', { name: 'Labels' }).click();
    const t0 = Date.now();
    await page.getByRole('button', { name: /^Ten thousand/ }).click();
    await item('topic 0').waitFor();
    const ms = Date.now() - t0;
    console.log(`console: the 10,000-label tree rendered in ${ms} ms`);
    expect(ms).toBeLessThan(1000);
    expect(await tree().getByRole('treeitem').count()).toBe(BIG.roots);
    await item('topic 0').focus();
    await page.keyboard.press('ArrowRight');
    await item('label 0.98').waitFor();
    expect(await tree().getByRole('treeitem').count()).toBe(BIG.roots + BIG.children);
    await page.getByLabel('Find a label').fill('label 42.7');
    await page.getByRole('button', { name: 'topic 42/label 42.7', exact: true }).waitFor();
    expect(bigWorkspace).toBeGreaterThan(0);
  });

  it('sent no request anywhere but 127.0.0.1', () => {
    expect(outside).toEqual([]);
  });
});
