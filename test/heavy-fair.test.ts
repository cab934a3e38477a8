// Heavy reads are fair between tenants: one tenant never holds every slot, and waiting reads are served
// round-robin between tenants, so tenant B's small whole-workspace read does not queue behind tenant A's eight.
import { describe, expect, it, vi } from 'vitest';
import { FairSlots, HEAVY_CONCURRENCY } from '../src/http/heavy.js';
import { buildTestApp, createTenant } from './helper.js';

/** Acquires a slot and records when it started; `release` ends it. */
function starter(slots: FairSlots, started: string[]) {
  const held = new Map<string, () => void>();
  return {
    acquire: (tenant: string, id: string, weight = 1) => void slots.acquire(tenant, weight).then((release) => (started.push(id), held.set(id, release))),
    release: (id: string) => held.get(id)!(),
  };
}
const settle = () => new Promise((r) => setImmediate(r));

describe('fair heavy-read slots', () => {
  it('a tenant with many waiting reads leaves a slot free: another tenant starts at once', async () => {
    const started: string[] = [];
    const s = starter(new FairSlots(3, 2), started);
    for (let i = 1; i <= 8; i++) s.acquire('A', `A${i}`);
    s.acquire('B', 'B1');
    await settle();
    expect(started).toEqual(['A1', 'A2', 'B1']);
  });

  it('waiting tenants are served in turn, each one’s reads in arrival order', async () => {
    const started: string[] = [];
    const s = starter(new FairSlots(2, 2), started);
    for (let i = 1; i <= 4; i++) s.acquire('A', `A${i}`);
    s.acquire('B', 'B1');
    s.acquire('B', 'B2');
    s.acquire('C', 'C1');
    await settle();
    expect(started).toEqual(['A1', 'A2']);
    for (const id of ['A1', 'A2', 'A3', 'B1', 'C1', 'A4']) {
      s.release(id);
      await settle();
    }
    expect(started).toEqual(['A1', 'A2', 'A3', 'B1', 'C1', 'A4', 'B2']);
  });

  it('a big read (weight = every slot) waits for the slots to empty, nobody overtakes it, then it runs alone', async () => {
    const started: string[] = [];
    const s = starter(new FairSlots(3, 2), started);
    s.acquire('A', 'A1');
    s.acquire('B', 'B1');
    s.acquire('C', 'C1', 3);
    s.acquire('D', 'D1');
    await settle();
    expect(started).toEqual(['A1', 'B1']); // a slot is free, but C's turn comes first and it needs all three
    s.release('A1');
    await settle();
    expect(started).toEqual(['A1', 'B1']);
    s.release('B1');
    await settle();
    expect(started).toEqual(['A1', 'B1', 'C1']);
    s.acquire('E', 'E1');
    await settle();
    expect(started).toEqual(['A1', 'B1', 'C1']); // C runs alone
    s.release('C1');
    await settle();
    expect(started).toEqual(['A1', 'B1', 'C1', 'D1', 'E1']);
  });

  it('a release twice frees one slot only', async () => {
    const started: string[] = [];
    const slots = new FairSlots(1, 1);
    const release = await slots.acquire('A');
    void slots.acquire('B').then(() => started.push('B'));
    void slots.acquire('C').then(() => started.push('C'));
    release();
    release();
    await settle();
    expect(started).toEqual(['B']);
  });
});

describe('whole-workspace reads through the app', () => {
  it(`eight Razuna getall calls of tenant A do not queue tenant B's Livestorm list behind them (${HEAVY_CONCURRENCY} slots)`, async () => {
    const t = await buildTestApp();
    const a = await createTenant(t.core);
    const b = await createTenant(t.core);
    const bOwner = (await t.core.auth.actorForKey(b.keys.owner, { earliest: true }, 'test'))!;
    for (let i = 0; i < 20; i++) await t.core.labels.create(bOwner, { name: `b${i}` });
    // The order in which the reads start building their answers, once they hold a slot; A's take a while (as
    // 10,000 labels would), B's 20 labels none.
    const started: string[] = [];
    const paths = t.core.paths.all.bind(t.core.paths);
    const labels = t.core.labels.list.bind(t.core.labels);
    vi.spyOn(t.core.paths, 'all').mockImplementation(async (...args) => (started.push('A'), await new Promise((r) => setTimeout(r, 30)), paths(...args)));
    vi.spyOn(t.core.labels, 'list').mockImplementation(async (...args) => (started.push('B'), labels(...args)));
    const heavyA = Array.from({ length: 8 }, () => t.app.inject(`/global/api2/label.cfc?method=getall&api_key=${a.workspaceId}-${a.keys.owner}`));
    await new Promise((r) => setTimeout(r, 0));
    const res = await t.app.inject({ url: `/api/workspaces/${b.workspaceId}/labels`, headers: { authorization: `Bearer lnx_${b.keys.owner}` } });
    expect(res.json().labels).toHaveLength(20);
    expect((await Promise.all(heavyA)).map((r) => r.statusCode)).toEqual(Array(8).fill(200));
    // One global queue started all eight of A's reads before B's; now B's starts after A's first two.
    expect(started.indexOf('B')).toBeLessThanOrEqual(2);
    await t.close();
  });
});
