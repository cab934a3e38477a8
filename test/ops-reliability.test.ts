// Process-level reliability of the real server (src/server.ts through tsx; see test/process-helper.ts):
//  - SIGTERM under load: concurrent writers keep the server busy and requests are in flight (half sent) when
//    SIGTERM arrives; every request the server took in gets its full answer, new ones are turned away, the
//    process exits 0, and the file holds exactly the acknowledged writes.
//  - `labelmux backup <file>` while writers keep writing: an online, consistent copy that holds everything
//    acknowledged before the backup began, no half-writes, passes integrity_check, and a server started on
//    the copy serves it.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.js';
import { call, kill, provision, type Server, sleep, startServer } from './process-helper.js';

const WRITERS = 8;
const IN_FLIGHT = 10;
const dir = mkdtempSync(join(tmpdir(), 'labelmux-ops-reliability-'));
const servers: Server[] = [];
afterAll(async () => {
  for (const s of servers) await kill(s);
  rmSync(dir, { recursive: true, force: true });
});

interface Tally {
  acked: Map<number, string>;
  refused: number;
  unavailable: number;
  /** Requests whose answer was cut off after it began, or that failed in any other way. */
  broken: string[];
}

/** Writers creating labels through Livestorm until `stop()`; each request on its own connection. */
function writers(port: number, t: { workspaceId: number; key: string }, prefix: string) {
  const tally: Tally = { acked: new Map(), refused: 0, unavailable: 0, broken: [] };
  let stopped = false;
  let n = 0;
  const loops = Array.from({ length: WRITERS }, async () => {
    while (!stopped) {
      const name = `${prefix}-${++n}`;
      try {
        const res = await call(port, 'POST', `/api/workspaces/${t.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${t.key}` }, body: { name } });
        if (res.status === 201) tally.acked.set(res.json.label.id, name);
        else if (res.status === 503) tally.unavailable++;
        else tally.broken.push(`${res.status} ${JSON.stringify(res.json)}`);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? '';
        // Refused at connect, or reset before any answer: the server never took the request in.
        if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') {
          tally.refused++;
          await sleep(20);
        } else tally.broken.push(String(e));
      }
    }
  });
  return {
    tally,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      return tally;
    },
  };
}

/** A label create whose body is only half sent; `finish()` sends the rest and reads the full answer. */
async function halfSent(port: number, t: { workspaceId: number; key: string }, name: string) {
  const body = JSON.stringify({ name });
  const sock = connect(port, '127.0.0.1');
  await once(sock, 'connect');
  let raw = '';
  sock.setEncoding('utf8').on('data', (c: string) => (raw += c));
  sock.on('error', () => undefined);
  const head = [`POST /api/workspaces/${t.workspaceId}/labels HTTP/1.1`, 'Host: 127.0.0.1', `Authorization: Bearer lnx_${t.key}`, 'Content-Type: application/json', `Content-Length: ${body.length}`, '', ''].join('\r\n');
  sock.write(head + body.slice(0, 5));
  return {
    async finish(): Promise<{ status: number; id?: number }> {
      sock.write(body.slice(5));
      for (const until = Date.now() + 10_000; Date.now() < until; await sleep(20)) {
        const [h = '', payload = ''] = raw.split('\r\n\r\n');
        const length = Number(/^content-length: *(\d+)$/im.exec(h)?.[1] ?? NaN);
        if (Buffer.byteLength(payload) >= length) {
          sock.destroy();
          return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(h)?.[1]), id: JSON.parse(payload).label?.id };
        }
      }
      throw new Error(`no complete answer: ${raw}`);
    },
  };
}

function readLabels(dbPath: string, workspaceId: number) {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      labels: new Map((db.prepare('SELECT id, name FROM labels WHERE workspace_id = ?').all(workspaceId) as { id: number; name: string }[]).map((r) => [r.id, r.name])),
      withoutEvent: db.prepare(`SELECT id FROM labels l WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.label_id = l.id AND e.action = 'label.created')`).all(),
    };
  } finally {
    db.close();
  }
}

describe('SIGTERM under load', () => {
  it('finishes every request it took in, turns the rest away, exits 0 and keeps exactly the acknowledged writes', async () => {
    const dbPath = join(dir, 'shutdown', 'labelmux.db');
    const s = await startServer(dbPath, { LOG_LEVEL: 'info' });
    servers.push(s);
    const t = await provision(s.port, 'Shutdown under load');
    const load = writers(s.port, t, 'load');
    await sleep(800);
    const pending = await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => halfSent(s.port, t, `in-flight-${i}`)));
    await sleep(300); // the server has parsed their headers: they are in flight
    const ackedBeforeTerm = load.tally.acked.size;
    s.child.kill('SIGTERM');
    await s.waitForOutput(/shutting down: finishing in-flight requests/, 10_000);
    const finished = await Promise.all(pending.map((p) => p.finish()));
    const tally = await load.stop();
    const exit = await s.exited(15_000);

    expect(exit, s.output()).toEqual({ code: 0, signal: null });
    expect(finished.map((f) => f.status)).toEqual(Array(IN_FLIGHT).fill(201));
    expect(tally.broken, 'requests cut off or failed otherwise').toEqual([]);
    expect(ackedBeforeTerm, 'the writers were busy before SIGTERM').toBeGreaterThan(20);

    const db = readLabels(dbPath, t.workspaceId);
    expect(db.integrity).toBe('ok');
    expect(db.withoutEvent).toEqual([]);
    const expected = new Map(tally.acked);
    for (const [i, f] of finished.entries()) expected.set(f.id!, `in-flight-${i}`);
    // Exactly the acknowledged writes: nothing lost, nothing written behind a client's back.
    expect(new Map([...db.labels].sort((a, b) => a[0] - b[0]))).toEqual(new Map([...expected].sort((a, b) => a[0] - b[0])));
    console.info(`shutdown under load: ${JSON.stringify({ acked: tally.acked.size, inFlight: IN_FLIGHT, refused: tally.refused, unavailable: tally.unavailable })}`);
  }, 120_000);
});

describe('labelmux backup <file>', () => {
  it('copies the live database while writes continue; the copy is consistent and a server started on it serves it', async () => {
    const dbPath = join(dir, 'live', 'labelmux.db');
    const s = await startServer(dbPath);
    servers.push(s);
    const t = await provision(s.port, 'Backup while writing');
    const load = writers(s.port, t, 'live');
    await sleep(800);
    const ackedBefore = new Map(load.tally.acked);
    const copy = join(dir, 'backup.db');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await runCli(['backup', copy], { LABELMUX_DB: dbPath });
    } finally {
      out.mockRestore();
    }
    const ackedAfter = new Map(load.tally.acked);
    await sleep(300);
    const tally = await load.stop();
    expect(code).toBe(0);
    expect(tally.broken).toEqual([]);
    expect(ackedBefore.size).toBeGreaterThan(10);
    expect(tally.acked.size, 'writes went on after the backup').toBeGreaterThan(ackedAfter.size);

    const backup = readLabels(copy, t.workspaceId);
    expect(backup.integrity).toBe('ok');
    expect(backup.withoutEvent).toEqual([]);
    for (const [id, name] of ackedBefore) expect(backup.labels.get(id), `label ${id} acknowledged before the backup`).toBe(name);
    // A consistent snapshot: nothing that was not (about to be) acknowledged by the time the backup ended.
    for (const [id, name] of backup.labels) expect(tally.acked.get(id), `label ${id} in the copy`).toBe(name);
    // A second backup to the same file is refused rather than overwriting it.
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['backup', copy], { LABELMUX_DB: dbPath })).toBe(1);
    } finally {
      err.mockRestore();
    }

    const restored = await startServer(copy);
    servers.push(restored);
    const list = await call(restored.port, 'GET', `/api/workspaces/${t.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${t.key}` } });
    expect(list.status).toBe(200);
    expect(new Set(list.json.labels.map((l: { id: number }) => l.id))).toEqual(new Set(backup.labels.keys()));
    console.info(`backup: ${JSON.stringify({ before: ackedBefore.size, inCopy: backup.labels.size, total: tally.acked.size })}`);
  }, 120_000);
});
