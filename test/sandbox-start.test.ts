// LABELMUX_FIXTURES at start (real server processes): the database is reset to the fixtures before the first
// request (and again at each start), the demo tenant is not created; a bad file stops the start with one line
// naming the setting and the element at fault, exit code 1, before the database is touched.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, cleanEnv, kill, ROOT, startServer, type Server } from './process-helper.js';

const EXAMPLE = join(ROOT, 'docs', 'fixtures.example.yaml');
const KEY = 'a'.repeat(32);

describe('LABELMUX_FIXTURES', () => {
  it('starts from the fixtures, and a restart on the same database starts from them again', async () => {
    const db = join(mkdtempSync(join(tmpdir(), 'labelmux-fixtures-start-')), 'f.db');
    let s: Server | undefined;
    try {
      s = await startServer(db, { LABELMUX_FIXTURES: EXAMPLE, LABELMUX_BOOTSTRAP: 'demo' });
      expect(s.output()).toMatch(/labelmux: database reset to the fixtures in .*fixtures\.example\.yaml \(2 workspaces, 2 users, 2 keys, 5 labels, 4 resources\)/);
      expect(s.output()).not.toMatch(/demo workspace/);
      const labels = await call(s.port, 'GET', '/api/workspaces/1/labels', { headers: { authorization: `Bearer lnx_${KEY}` } });
      expect(labels.status).toBe(200);
      expect(labels.json.labels).toHaveLength(5);
      expect((await call(s.port, 'POST', '/api/workspaces/1/labels', { headers: { authorization: `Bearer lnx_${KEY}` }, body: { name: 'Made here' } })).status).toBe(201);
      await kill(s);
      s = await startServer(db, { LABELMUX_FIXTURES: EXAMPLE });
      expect((await call(s.port, 'GET', '/api/workspaces/1/labels', { headers: { authorization: `Bearer lnx_${KEY}` } })).json.labels).toHaveLength(5);
      // POST /_admin/reset returns to the same fixtures.
      await call(s.port, 'POST', '/api/workspaces/1/labels', { headers: { authorization: `Bearer lnx_${KEY}` }, body: { name: 'Again' } });
      const reset = await call(s.port, 'POST', '/_admin/reset', { headers: { authorization: `Bearer ${ADMIN}` } });
      expect(reset.json).toEqual({ reset: { workspaces: 2, users: 2, members: 3, api_keys: 2, labels: 5, resources: 4, assignments: 4 } });
      expect((await call(s.port, 'GET', '/api/workspaces/1/labels', { headers: { authorization: `Bearer lnx_${KEY}` } })).json.labels).toHaveLength(5);
    } finally {
      await kill(s);
    }
  }, 120_000);

  it('a bad document: exit 1 with one line naming the setting and the element', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labelmux-fixtures-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'workspaces:\n  - name: W\n    labels:\n      - name: A\n      - name: B\n        parent: Foo\n');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: cleanEnv({ HOST: '127.0.0.1', PORT: '0', LABELMUX_DB: join(dir, 'never.db'), LABELMUX_ADMIN_TOKEN: ADMIN, LABELMUX_FIXTURES: file }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    expect(stdout).not.toMatch(/listening/);
    expect(code, stderr).toBe(1);
    expect(stderr).toBe(`labelmux: LABELMUX_FIXTURES=${file}: workspaces[0].labels[1].parent: no label "Foo"\n`);
  }, 90_000);
});
