// Cost before authentication, measured on the real server process: one client without credentials posting
// 50,000-key urlencoded bodies (about 430 KiB each) at 200 bodies a second (some 88 MB/s) to every form-taking
// front end must not slow another tenant down. The tenant's point read is timed in alternating quiet and flood
// windows of the same test (so a machine busy with other work weighs on both alike); the flood's median must
// stay within twice the quiet median. Before the form parser was bounded and the early refusal of
// too-many-fields bodies, such a flood (at 2 MB/s already) raised that median a hundredfold.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, kill, provision, ROOT, type Server, sleep, startServer } from './process-helper.js';

const ROUNDS = 8;
const WINDOW_MS = 1000;
const RATE = 200;

let dir: string;
let server: Server | undefined;
let flooder: ChildProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'labelmux-flood-'));
  server = await startServer(join(dir, 'flood.db'));
}, 90_000);

afterAll(async () => {
  flooder?.kill('SIGKILL');
  await kill(server);
  rmSync(dir, { recursive: true, force: true });
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('an unauthenticated flood of many-field form bodies', () => {
  it('leaves another tenant’s point-read median within twice its quiet value, every flood body refused with 413/401', async () => {
    const port = server!.port;
    const b = await provision(port, 'Tenant B');
    const made = await call(port, 'POST', `/api/workspaces/${b.workspaceId}/labels`, { headers: { authorization: `Bearer lnx_${b.key}` }, body: { name: 'Point' } });
    expect(made.status).toBe(201);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const headers = { authorization: `Bearer ${b.key}`, accept: 'application/vnd.api+json' };
    const read = () =>
      new Promise<number>((resolve, reject) => {
        const t0 = performance.now();
        const req = request({ host: '127.0.0.1', port, path: `/api/v1/labels/${made.json.label.id}`, headers, agent }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`status ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end();
      });
    const sample = async (ms: number, into: number[]) => {
      for (const end = Date.now() + ms; Date.now() < end; await sleep(2)) into.push(await read());
    };
    const paths = [
      '/global/api2/label.cfc?method=getall&api_key=1-0123456789abcdef0123456789abcdef', // a bad key in the query
      '/global/api2/label.cfc', // no key at all: it could be in the body
      '/oauth/token', // limbo's password grant: the credentials are in the body
      '/API/v1/label', // Jotform: no APIKEY
    ];
    flooder = fork(join(ROOT, 'test/flood-client.mjs'), [String(port), '4', String(RATE), ...paths], { stdio: 'inherit' });
    for (let i = 0; i < 100; i++) await read(); // warm up
    const quiet: number[] = [];
    const flood: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await sample(WINDOW_MS, quiet);
      flooder.send('start');
      await sleep(100);
      await sample(WINDOW_MS, flood);
      flooder.send('stop');
      await sleep(200);
    }
    const report = await new Promise<{ sent: number; statuses: Record<string, number> }>((resolve) => {
      flooder!.once('message', resolve as (m: unknown) => void);
      flooder!.send('report');
    });
    agent.destroy();
    const result = { quietP50: median(quiet), floodP50: median(flood), quiet: quiet.length, flood: flood.length, ...report };
    console.log('flood:', JSON.stringify(result));
    expect(report.sent).toBeGreaterThan(ROUNDS * RATE * 0.5); // the flood did run at about its rate
    expect(Object.keys(report.statuses).sort()).toEqual(['401', '413']); // each body refused, none reset or failed
    expect(result.floodP50).toBeLessThanOrEqual(2 * result.quietP50);
  }, 60_000);
});
