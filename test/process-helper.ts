// Runs the real server process (src/server.ts through tsx, as test/ops-shutdown.test.ts does) for the
// process-level reliability tests: crash (SIGKILL) cycles, shutdown under load, backup. Only loopback.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { delimiter, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDatabase } from './test-store.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const ADMIN = 'reliability-admin-token-0123456789';
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The environment a fresh shell would have: no settings leaking in from the process running the tests. The
 * running Node's directory comes first on PATH, so a child that finds `node` by name (npm, `#!/usr/bin/env
 * node` scripts) runs the Node under test, not whichever one the machine has.
 */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|VITEST|NODE_OPTIONS$|LABELMUX_|PORT$|HOST$|LOG_LEVEL$|LOG_FORMAT$)/.test(k)) env[k] = v;
  return { ...env, PATH: withRunningNode(process.env.PATH), ...extra };
}

/** PATH with the running Node's directory first. */
export const withRunningNode = (path = ''): string => [dirname(process.execPath), path].filter(Boolean).join(delimiter);

export interface Server {
  child: ChildProcess;
  port: number;
  output(): string;
  waitForOutput(re: RegExp, ms: number): Promise<RegExpExecArray>;
  exited(ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the server over `dbPath` (on PostgreSQL: its own database, see testDatabase) on a free loopback port; resolves once it listens. */
export async function startServer(dbPath: string, env: Record<string, string> = {}): Promise<Server> {
  const db = await testDatabase(dbPath);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', LABELMUX_DB: db, LABELMUX_BOOTSTRAP: 'none', LABELMUX_ADMIN_TOKEN: ADMIN, LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const waitForOutput = (re: RegExp, ms: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = re.exec(out);
        if (m) return done(() => resolve(m));
        if (child.exitCode !== null || child.signalCode !== null) return done(() => reject(new Error(`server exited before printing ${re}:\n${out}`)));
      };
      const t = setTimeout(() => done(() => reject(new Error(`no ${re} within ${ms} ms:\n${out}`))), ms);
      const done = (f: () => void) => (clearTimeout(t), child.stdout!.off('data', check), child.stderr!.off('data', check), child.off('exit', check), f());
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.on('exit', check);
      check();
    });
  const exited = (ms: number) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve({ code: child.exitCode, signal: child.signalCode });
      const t = setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms:\n${out}`)), ms);
      child.once('exit', (code, signal) => (clearTimeout(t), resolve({ code, signal })));
    });
  try {
    const m = await waitForOutput(/^labelmux: listening on http:\/\/127\.0\.0\.1:(\d+)$/m, 60_000);
    return { child, port: Number(m[1]), output: () => out, waitForOutput, exited };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

export async function kill(s: Server | undefined): Promise<void> {
  if (s && s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGKILL');
    await s.exited(10_000).catch(() => undefined);
  }
}

export interface Reply {
  status: number;
  json: any;
}

/**
 * One HTTP request on its own connection (no keep-alive, so a killed server fails only the requests it
 * had): resolves with the status and parsed body, or rejects when the connection fails or is cut.
 */
export function call(port: number, method: string, path: string, opts: { headers?: Record<string, string>; body?: unknown; timeoutMs?: number } = {}): Promise<Reply> {
  const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const headers: Record<string, string> = { connection: 'close', ...opts.headers };
  if (payload !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false, timeout: opts.timeoutMs ?? 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('error', reject);
      res.on('end', () => {
        if (!res.complete) return reject(new Error('response cut short'));
        let json: unknown = text;
        try {
          json = text === '' ? null : JSON.parse(text);
        } catch {
          /* not JSON: keep the text */
        }
        resolve({ status: res.statusCode!, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Provisions a workspace, an owner and a workspace key through the admin API; returns what tests need. */
export async function provision(port: number, name: string): Promise<{ workspaceId: number; uuid: string; key: string; userId: number }> {
  const admin = { authorization: `Bearer ${ADMIN}` };
  const ws = await call(port, 'POST', '/_admin/workspaces', { headers: admin, body: { name } });
  const user = await call(port, 'POST', '/_admin/users', { headers: admin, body: { email: `owner.${ws.json.workspace.id}.${Date.now()}@example.com`, name: `Owner of ${name}` } });
  await call(port, 'PUT', `/_admin/workspaces/${ws.json.workspace.id}/members/${user.json.user.id}`, { headers: admin, body: { role: 'owner' } });
  const key = await call(port, 'POST', '/_admin/api-keys', { headers: admin, body: { user_id: user.json.user.id, workspace_id: ws.json.workspace.id } });
  if (key.status !== 201) throw new Error(`provisioning failed: ${JSON.stringify(key.json)}`);
  return { workspaceId: ws.json.workspace.id, uuid: ws.json.workspace.uuid, key: key.json.api_key.key, userId: user.json.user.id };
}
