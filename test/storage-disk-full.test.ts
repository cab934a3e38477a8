// A real full disk under a real server process: the database on a small tmpfs (needs root and mount; the
// test is skipped where mounting is not allowed — storage-unavailable.test.ts covers the same answers with
// SQLite's max_page_count). Writes answer 503 with the reason, reads keep working, /readyz says 503, and
// once space is freed the server becomes ready by itself (the probe /readyz runs); SIGTERM on a full disk
// still exits 0.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, kill, provision, type Server, sleep, startServer } from './process-helper.js';

const dir = mkdtempSync(join(tmpdir(), 'labelmux-full-'));
const mounted = (() => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m', 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Fills the file system with `filler` files until it has no room left. */
function fill(): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  for (let i = 0; ; i++) {
    try {
      writeFileSync(join(dir, `filler-${i}`), chunk);
    } catch {
      // the last one may be partial; even 1 byte more fails now
      return;
    }
  }
}
const unfill = () => execFileSync('sh', ['-c', `rm -f ${dir}/filler-*`]);

let s: Server | undefined;
afterAll(async () => {
  await kill(s);
  if (mounted) execFileSync('umount', ['-l', dir]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!mounted)('a full disk under a server process', () => {
  let ws: Awaited<ReturnType<typeof provision>>;
  const create = (name: string) => call(s!.port, 'POST', `/api/workspaces/${ws.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${ws.key}` }, body: { name } });
  const ready = async () => (await call(s!.port, 'GET', '/readyz')).status;

  beforeAll(async () => {
    s = await startServer(join(dir, 'labelmux.db'));
    ws = await provision(s.port, 'Full');
  });

  it('writes 503 with the reason, reads work, not ready; ready again by itself once space is freed; SIGTERM exits 0', async () => {
    const acknowledged: string[] = [];
    expect((await create('before')).status).toBe(201);
    acknowledged.push('before');
    fill();
    // Writes go on while the WAL has room it already holds (a checkpoint lets SQLite reuse it); then 503, and
    // /readyz (its probe needs 64 KiB more) says 503 too.
    let unavailable = 0;
    let readiness = 200;
    for (let i = 0; i < 2000 && readiness === 200; i++) {
      const r = await create(`full-${i}`);
      if (r.status === 201) acknowledged.push(`full-${i}`);
      else {
        expect(r.status, JSON.stringify(r.json)).toBe(503);
        expect(r.json.error).toMatch(/disk holding the database is full/);
        unavailable++;
        readiness = await ready();
      }
    }
    expect(unavailable).toBeGreaterThan(0);
    expect(readiness).toBe(503);
    const list = await call(s!.port, 'GET', `/api/workspaces/${ws.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${ws.key}` } });
    expect(list.status).toBe(200);
    expect(acknowledged.filter((n) => !list.json.labels.some((l: { name: string }) => l.name === n))).toEqual([]);

    unfill();
    let status = await ready();
    for (let i = 0; i < 50 && status !== 200; i++) {
      await sleep(200);
      status = await ready();
    }
    expect(status).toBe(200);
    expect((await create('after')).status).toBe(201);
    expect(s!.output()).toMatch(/SQLITE_FULL/);

    fill();
    for (let i = 0; i < 2000 && (await create(`again-${i}`)).status === 201; i++);
    s!.child.kill('SIGTERM');
    expect(await s!.exited(15_000), s!.output()).toEqual({ code: 0, signal: null });
  }, 60_000);
});
