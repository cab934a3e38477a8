// No Docker engine runs here or in CI, so this test performs the Dockerfile's steps itself, reading them from
// the Dockerfile so the two stay in step: the build stage's COPY sources (from the git-visible files, less
// .dockerignore), `npm ci` (better-sqlite3 compiles from source: the slow part), `npm run build`,
// `npm prune --omit=dev`; then the runtime stage's `COPY --from=build` set in a separate directory, started with
// the image's ENV and CMD, probed with the image's own HEALTHCHECK command, and stopped with SIGTERM.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withRunningNode } from './process-helper.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

// ---- Dockerfile parsing (just enough for this file: one instruction per logical line) ----
interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | undefined;
  steps: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const logical = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const stages: Stage[] = [];
  for (const line of logical) {
    const m = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`unparsed Dockerfile line: ${line}`);
    const [, op, args] = m as unknown as [string, string, string];
    if (op === 'FROM') {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ from: f[1]!, name: f[2], steps: [] });
    } else stages.at(-1)!.steps.push({ op, args });
  }
  return stages;
}

const argsOf = (stage: Stage, op: string) => stage.steps.filter((s) => s.op === op).map((s) => s.args);
/** `ENV A=1 B=2` → {A:'1', B:'2'} (unquoted values only, as this Dockerfile writes them). */
const envOf = (stage: Stage) => Object.fromEntries(argsOf(stage, 'ENV').flatMap((a) => a.split(/\s+/).map((kv) => kv.split('=') as [string, string])));
/** The exec form `["node", "-e", "…"]` of CMD / HEALTHCHECK … CMD. */
const execForm = (args: string) => JSON.parse(args.slice(args.indexOf('['))) as string[];

// ---- .dockerignore, simplified: `name` or `dir/name` excludes that path and everything under it; `*` matches within one segment ----
function ignoredBy(patterns: string[]): (file: string) => boolean {
  const glob = (p: string) =>
    p
      .replace(/^\//, '')
      .split('**/')
      .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
      .join('(?:.*/)?');
  const res = patterns.map((p) => new RegExp(`^${glob(p)}(?:/.*)?$`));
  return (file) => res.some((r) => r.test(file));
}

const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const stages = parseDockerfile(text);
const build = stages.find((s) => s.name === 'build')!;
const runtime = stages.at(-1)!;

describe('Dockerfile (static: the lines the image relies on)', () => {
  it('has a build stage that compiles natively and a slim runtime stage', () => {
    expect(stages).toHaveLength(2);
    expect(build.from).toMatch(/^node:24-bookworm(-slim)?$/);
    expect(runtime.from).toBe('node:24-bookworm-slim');
    const runs = argsOf(build, 'RUN').join('\n');
    expect(runs).toMatch(/apt-get install .*python3 make g\+\+/);
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/\bnpm run build\b/);
    expect(runs).toMatch(/\bnpm prune --omit=dev\b/);
  });

  it('runs as a non-root user with /data as a volume it owns, and serves on 0.0.0.0:8080', () => {
    const [user] = argsOf(runtime, 'USER');
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(argsOf(runtime, 'VOLUME')).toContain('/data');
    expect(argsOf(runtime, 'RUN').join('\n')).toContain(`chown ${user}:${user} /data`);
    expect(envOf(runtime)).toMatchObject({ HOST: '0.0.0.0', LABELMUX_DB: '/data/labelmux.db' });
    expect(argsOf(runtime, 'EXPOSE')).toContain('8080');
    expect(execForm(argsOf(runtime, 'CMD')[0]!)).toEqual(['node', 'dist/server.js']);
  });

  it('has a HEALTHCHECK that uses node (no curl in the slim image) against /healthz', () => {
    const [hc] = argsOf(runtime, 'HEALTHCHECK');
    expect(hc).toBeDefined();
    const cmd = execForm(hc!);
    expect(cmd[0]).toBe('node');
    expect(cmd.join(' ')).toContain('http://127.0.0.1:');
    expect(cmd.join(' ')).toContain('/healthz');
  });

  it('copies the runtime files the server reads (migrations are applied from dist/../migrations)', () => {
    const copied = argsOf(runtime, 'COPY').map((a) => /--from=build\s+\/app\/(\S+)/.exec(a)?.[1]);
    expect(copied).toEqual(expect.arrayContaining(['node_modules', 'dist', 'migrations', 'bin', 'package.json']));
  });
});

// ---- the slow part: the same steps, for real ----

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/**
 * The environment a fresh shell would have: nothing from the npm/vitest process running this test, with the
 * running Node first on PATH (npm, node-gyp and the image's `node` commands then use the Node under test).
 * npm_config_nodedir stays: it is the machine's own setting (where that Node's headers are, so better-sqlite3
 * compiles without downloading them), not something the test process added.
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_(?!config_nodedir$)|VITEST|NODE_ENV$|NODE_OPTIONS$|LABELMUX_|PORT$|HOST$|LOG_LEVEL$)/i.test(k)) env[k] = v;
  return { ...env, PATH: withRunningNode(process.env.PATH), CI: 'true', ...extra };
}

/** The image's `node` is the Node running this test (`process.execPath`), whatever else is on PATH. */
const nodeIsRunning = ([cmd, ...args]: string[]): [string, string[]] => [cmd === 'node' ? process.execPath : cmd!, args];

async function step(cwd: string, cmd: string, args: string[], timeoutMs: number, log: string[]): Promise<void> {
  const started = Date.now();
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, env: cleanEnv(), timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    log.push(`$ ${cmd} ${args.join(' ')}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n${stdout.slice(-2000)}${stderr.slice(-2000)}`);
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string; killed?: boolean };
    const why = err.killed ? ` (killed after ${((Date.now() - started) / 1000).toFixed(0)} s: the step's time limit)` : '';
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}${why}: ${err.message}\n${err.stdout?.slice(-4000) ?? ''}\n${err.stderr?.slice(-4000) ?? ''}`);
  }
}

async function waitForHttp(url: string, deadline: number, child: ChildProcess): Promise<Response> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return res;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in time`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const exited = (child: ChildProcess, ms: number) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
    const t = setTimeout(() => reject(new Error(`no exit within ${ms} ms`)), ms);
    child.once('exit', (code, signal) => (clearTimeout(t), resolve({ code, signal })));
  });

describe('the Dockerfile steps, performed without Docker', () => {
  let tmp: string;
  let server: ChildProcess | undefined;
  const log: string[] = [];
  let built = false;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'labelmux-docker-'));
  });

  afterAll(async () => {
    if (server && server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited(server, 5000).catch(() => undefined);
    }
    rmSync(tmp, { recursive: true, force: true });
    if (log.length) console.info(log.map((l) => l.split('\n')[0]).join('\n'));
  });

  it('build stage: COPY, npm ci (native better-sqlite3), npm run build, npm prune --omit=dev', async () => {
    const ctx = join(tmp, 'build');
    // The build context: what git would check out (tracked + untracked-not-ignored), less .dockerignore.
    const { stdout } = await run('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const ignored = ignoredBy(readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    const context = stdout.split('\0').filter((f) => f && !ignored(f) && existsSync(join(ROOT, f)) && statSync(join(ROOT, f)).isFile());
    // The build stage's COPY instructions, in order: `COPY <src>… <dest>` relative to WORKDIR /app.
    for (const args of argsOf(build, 'COPY')) {
      const parts = args.split(/\s+/);
      const dest = parts.pop()!;
      for (const src of parts) {
        const match = ignoredBy([src]); // same glob rules: `src` matches `src/**`, `tsconfig*.json` its files
        const files = context.filter((f) => match(f));
        expect(files, `COPY ${src} matches nothing in the build context`).not.toHaveLength(0);
        for (const f of files) {
          const to = dest.endsWith('/') || dest === '.' ? join(ctx, f) : join(ctx, dest, f.slice(src.length + 1));
          mkdirSync(dirname(to), { recursive: true });
          cpSync(join(ROOT, f), to);
        }
      }
    }
    expect(existsSync(join(ctx, 'package-lock.json'))).toBe(true);

    await step(ctx, 'npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], 600_000, log);
    await step(ctx, 'npm', ['run', 'build'], 180_000, log);
    await step(ctx, 'npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], 120_000, log);

    expect(existsSync(join(ctx, 'dist/server.js'))).toBe(true);
    expect(existsSync(join(ctx, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(ctx, 'node_modules/typescript')), 'dev dependencies are pruned').toBe(false);
    expect(existsSync(join(ctx, 'node_modules/vitest')), 'dev dependencies are pruned').toBe(false);
    built = true;
  }, 960_000); // the compile alone took 70 s to 280 s here, depending on what else the 2 cores were doing

  it('runtime stage: the COPY --from=build set serves /healthz and /readyz, passes HEALTHCHECK, exits 0 on SIGTERM', async () => {
    expect(built, 'the build stage step failed').toBe(true);
    const app = join(tmp, 'app');
    mkdirSync(app);
    for (const args of argsOf(runtime, 'COPY')) {
      const m = /^--from=build\s+\/app\/(\S+)\s+\.\/(\S+)$/.exec(args);
      expect(m, `unexpected runtime COPY: ${args}`).not.toBeNull();
      renameSync(join(tmp, 'build', m![1]!), join(app, m![2]!)); // same file system: a move, not a copy
    }
    expect(existsSync(join(app, 'src')), 'the runtime image carries no TypeScript sources').toBe(false);

    const port = await freePort();
    const env = cleanEnv({ ...envOf(runtime), HOST: '127.0.0.1', PORT: String(port), LABELMUX_DB: join(tmp, 'data', 'labelmux.db') });
    const [cmd, args] = nodeIsRunning(execForm(argsOf(runtime, 'CMD')[0]!));
    const out: string[] = [];
    server = spawn(cmd, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (b: Buffer) => out.push(b.toString()));
    server.stderr!.on('data', (b: Buffer) => out.push(b.toString()));

    try {
      const base = `http://127.0.0.1:${port}`;
      const health = await waitForHttp(`${base}/healthz`, Date.now() + 30_000, server);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
      expect(existsSync(join(tmp, 'data', 'labelmux.db')), 'the database is created under the data directory').toBe(true);

      const [hcCmd, hcArgs] = nodeIsRunning(execForm(argsOf(runtime, 'HEALTHCHECK')[0]!));
      await expect(run(hcCmd, hcArgs, { cwd: app, env, timeout: 10_000 })).resolves.toBeDefined();

      server.kill('SIGTERM');
      expect(await exited(server, 15_000)).toEqual({ code: 0, signal: null });
      // …and the same HEALTHCHECK now reports the container unhealthy.
      await expect(run(hcCmd, hcArgs, { cwd: app, env, timeout: 10_000 })).rejects.toMatchObject({ code: 1 });
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- server output ---\n${out.join('').slice(-4000)}`, { cause: e });
    }
  }, 60_000);
});
