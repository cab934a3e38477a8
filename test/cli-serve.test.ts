// `labelmux serve` (src/cli.ts → src/serve.ts): the server as `npm start` runs it, with the flags as settings
// and the sandbox defaults (the request journal) on; documented in `labelmux --help`.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, serveEnvironment } from '../src/cli.js';
import { isSetting } from '../src/sandbox/settings.js';
import { cleanEnv, ROOT } from './process-helper.js';

const BIN = join(ROOT, 'bin', 'labelmux.js');
afterEach(() => vi.restoreAllMocks());

describe('labelmux serve: settings', () => {
  it('each flag overrides its setting; the rest of the environment stays', () => {
    const env = serveEnvironment({ PORT: '8080', LABELMUX_DB: './x.db', LABELMUX_JOTFORM_DAILY_LIMIT: '5' }, { port: '0', host: '0.0.0.0', db: ':memory:' });
    expect(env).toMatchObject({ PORT: '0', HOST: '0.0.0.0', LABELMUX_DB: ':memory:', LABELMUX_JOTFORM_DAILY_LIMIT: '5' });
    expect(serveEnvironment({ PORT: '9000' }, {})).toMatchObject({ PORT: '9000' });
  });

  it('the journal is on unless the environment says otherwise (once this build has LABELMUX_JOURNAL)', () => {
    expect(serveEnvironment({}, {}).LABELMUX_JOURNAL).toBe(isSetting('LABELMUX_JOURNAL') ? 'on' : undefined);
    expect(serveEnvironment({ LABELMUX_JOURNAL: 'off' }, {}).LABELMUX_JOURNAL).toBe('off');
  });

  it('--help lists serve with its options', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
    expect(await runCli(['--help'], {})).toBe(0);
    expect(out).toMatch(/^\s+serve \[options\]\s+run the server/m);
    out = '';
    expect(await runCli(['serve', '--help'], {})).toBe(0);
    for (const flag of ['--port <port>', '--host <host>', '--db <database>', '--fixtures <file>']) expect(out).toContain(flag);
  });
});

describe('labelmux serve: the process', () => {
  it('starts like npm start (admin token, demo banner, listening on the chosen port), stops on SIGTERM with 0', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', ':memory:', '--host', '127.0.0.1'], { cwd: ROOT, env: cleanEnv({ LOG_LEVEL: 'warn' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        // The banner and "listening on" are on stderr (stdout carries only the log).
        child.stderr.on('data', () => {
          const m = /^labelmux: listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
          if (m) resolve(m[1]!);
        });
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${out}`)));
      });
      expect(out).toMatch(/^labelmux: admin token for this run \(set LABELMUX_ADMIN_TOKEN to fix it\): [0-9a-f]{48}$/m);
      expect(out).toContain('labelmux: created a demo workspace on this empty database');
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  }, 60_000);

  it('a bad flag value is one line naming the setting, exit 1', async () => {
    const r = await promisify(execFile)(process.execPath, [BIN, 'serve', '--port', '70000', '--db', ':memory:'], { cwd: ROOT, env: cleanEnv({}), timeout: 30_000 }).then(
      () => null,
      (e: { code?: number; stderr?: string }) => e,
    );
    expect(r?.code).toBe(1);
    expect(r?.stderr).toMatch(/^labelmux: Invalid configuration: PORT: /);
  }, 60_000);
});
