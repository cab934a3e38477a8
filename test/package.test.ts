// The package as a user gets it: `npm pack` (its prepack build included) in a copy of this checkout, the
// tarball unpacked into a fresh project's node_modules/labelmux, and there: a test file run by that project's
// own vitest (test/package/consumer.sandbox.ts: startLabelmux, the typed admin client, the `jotform` client
// and kitsu; and docs/testing.md's vitest global setup with its test file), those files typechecked by tsc
// against the packed types, and `labelmux serve` run from the packed bin. No network and no native rebuild: the project's runtime dependencies are linked from this
// checkout's node_modules (better-sqlite3 as compiled here), only the declared `dependencies`, so a missing
// file in "files" or a missing dependency fails here.
import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideSnippet } from './guide-snippets.js';
import { cleanEnv } from './process-helper.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };
/** Not part of a checkout that `npm pack` sees: installed or built things and local data. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'data', 'coverage', 'bench/.data']);
/** What the consumer project installs itself: its test runner, compiler and vendor clients. */
const CONSUMER_DEPS = ['vitest', 'typescript', '@types/node', 'jotform', 'kitsu'];
/** docs/testing.md's vitest blocks, each written as the file it names. */
const GUIDE_FILES = ['vitest.config.ts', 'labelmux.setup.ts', 'labels.test.ts'];

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string; size: number }[];
}

let tmp: string;
let consumer: string;
let packed: PackResult;
const timings: string[] = [];

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await fn();
  } finally {
    timings.push(`${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

/** Runs a command; a failure shows its output. */
async function sh(cwd: string, cmd: string, args: string[], timeout = 120_000) {
  try {
    return await run(cmd, args, { cwd, env: cleanEnv({ CI: 'true', NO_COLOR: '1' }), timeout, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}: ${err.message}\n${err.stdout?.slice(-6000) ?? ''}\n${err.stderr?.slice(-6000) ?? ''}`);
  }
}

const link = (name: string) => {
  const to = join(consumer, 'node_modules', name);
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', name), to, 'dir');
};

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'labelmux-pack-'));
  const stage = join(tmp, 'stage');
  cpSync(ROOT, stage, { recursive: true, filter: (src) => !NOT_COPIED.has(relative(ROOT, src)) });
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir');
  const { stdout } = await timed('npm pack (prepack: the build)', () => sh(stage, 'npm', ['pack', '--json', '--pack-destination', tmp], 240_000));
  packed = (JSON.parse(stdout) as PackResult[])[0]!;

  consumer = join(tmp, 'consumer');
  const installed = join(consumer, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  await sh(tmp, 'tar', ['xzf', join(tmp, packed.filename), '-C', installed, '--strip-components=1']);
  for (const name of [...Object.keys(pkg.dependencies), ...CONSUMER_DEPS]) link(name);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', devDependencies: { [pkg.name]: `file:${packed.filename}` } }));
  writeFileSync(join(consumer, 'consumer.test.ts'), readFileSync(join(ROOT, 'test', 'package', 'consumer.sandbox.ts')));
  // docs/testing.md's vitest set-up, as written: one labelmux for the run, handed to labels.test.ts.
  for (const file of GUIDE_FILES) writeFileSync(join(consumer, file), guideSnippet(file));
  const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] };
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['consumer.test.ts', ...GUIDE_FILES] }));
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (packed) timings.push(`tarball: ${packed.filename}, ${(packed.size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked, ${packed.files.length} files`);
  console.info(timings.join('\n'));
});

describe('npm pack', () => {
  it('ships the built server, its declarations, the CLI and the migrations; no sources, tests or source maps', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/labelmux.js', 'dist/index.js', 'dist/index.d.ts', 'dist/sandbox/admin-api.d.ts', 'dist/server.js', 'dist/cli.js', 'dist/console/index.html', 'dist/build-info.json']));
    for (const dialect of ['sqlite', 'pg']) {
      const migrations = readdirSync(join(ROOT, 'migrations', dialect)).filter((f) => f.endsWith('.sql')).map((f) => `migrations/${dialect}/${f}`);
      expect(files).toEqual(expect.arrayContaining([...migrations, `migrations/${dialect}/meta/_journal.json`]));
    }
    expect(files.filter((f) => /^(src|test|scripts|bench|openapi|docs)\/|\.map$|_snapshot\.json$/.test(f))).toEqual([]);
    expect(packed.size).toBeLessThan(1024 * 1024);
  });
});

describe('the tarball installed in a fresh project', () => {
  it('runs user test files with their own vitest: startLabelmux, the typed admin client, jotform and kitsu; the guide\'s global setup', async () => {
    const { stdout } = await timed('consumer vitest', () => sh(consumer, process.execPath, [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=verbose']));
    const plain = stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/✓ labels\.test\.ts > creates a label through the Jotform API/);
    expect(plain).toMatch(/Tests\s+8 passed/);
  }, 120_000);

  it('typechecks a TypeScript user of startLabelmux and admin (and the guide\'s set-up) against the packed types', async () => {
    await timed('consumer tsc --noEmit', () => sh(consumer, process.execPath, [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']));
  }, 120_000);

  it('labelmux serve from the packed bin: --help lists it; it listens on --port 0 and stops on SIGTERM', async () => {
    const bin = join(consumer, 'node_modules', pkg.name, 'bin', 'labelmux.js');
    expect((await sh(consumer, process.execPath, [bin, '--help'])).stdout).toMatch(/^\s+serve \[options\]/m);
    expect((await sh(consumer, process.execPath, [bin, '--version'])).stdout).toBe(`${pkg.version}\n`);
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--db', ':memory:'], { cwd: consumer, env: cleanEnv({ LABELMUX_ADMIN_TOKEN: 'packed-admin-token-0123456789' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const check = () => {
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]!);
        };
        child.stderr.on('data', check); // the banner and "listening on" are on stderr
        void exited.then((code) => reject(new Error(`labelmux serve exited (${code}):\n${out}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // The console, built into the package, is served from it.
      expect((await fetch(`${url}/`)).headers.get('content-type')).toMatch(/^text\/html/);
      expect((await fetch(`${url}/_admin/workspaces`, { headers: { authorization: 'Bearer packed-admin-token-0123456789' } })).status).toBe(200);
      // The build ran in a copy without .git: the commit it recorded, and the server reports, is "unknown".
      const info = await fetch(`${url}/_admin/info`, { headers: { authorization: 'Bearer packed-admin-token-0123456789' } });
      expect(info.headers.get('x-labelmux-version')).toBe(pkg.version);
      expect(await info.json()).toMatchObject({ version: pkg.version, commit: 'unknown', store: 'sqlite', console: true });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);
});
