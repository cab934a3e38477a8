// Race-freedom across instances at the store level: two PostgreSQL stores (two pools, as two labelmux
// instances would have) on one database, racing the operations whose invariants span several rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/index.js';
import type { Actor } from '../../src/core/types.js';
import { createPgStore, type PgStore } from '../../src/db/pg/index.js';
import { createTenant } from '../helper.js';
import { createTestPgStore } from './test-db.js';

let first: PgStore & { url: string };
let second: PgStore;
let cores: [Core, Core];
let actors: [Actor, Actor];

beforeAll(async () => {
  first = createTestPgStore();
  await first.ready;
  second = createPgStore(first.url, { poolSize: 4 });
  cores = [createCore({ store: first }), createCore({ store: second })];
  const t = await createTenant(cores[0]);
  actors = [
    await cores[0].auth.actorForKey(t.keys.owner, { id: t.workspaceId }, 'test'),
    await cores[1].auth.actorForKey(t.keys.owner, { id: t.workspaceId }, 'test'),
  ];
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (e: { code?: string }) => e.code ?? String(e));

describe('two stores on one PostgreSQL database', () => {
  it('crossed moves (A under B, B under A) at once: one wins, the other is CYCLE, never a cycle', async () => {
    for (let round = 0; round < 15; round++) {
      const a = await cores[0].labels.create(actors[0], { name: `A${round}` });
      const b = await cores[0].labels.create(actors[0], { name: `B${round}` });
      const results = await Promise.all([
        outcome(cores[0].labels.update(actors[0], a.id, { parentId: b.id })),
        outcome(cores[1].labels.update(actors[1], b.id, { parentId: a.id })),
      ]);
      expect(results.sort()).toEqual(['CYCLE', 'ok']);
      const [la, lb] = await Promise.all([cores[1].labels.get(actors[1], a.id), cores[0].labels.get(actors[0], b.id)]);
      expect(la.parentId === b.id && lb.parentId === a.id).toBe(false);
    }
  });

  it('workspace-wide unique names under different parents (no index covers them): exactly one wins', async () => {
    for (let round = 0; round < 10; round++) {
      const p1 = await cores[0].labels.create(actors[0], { name: `P${round}-1` });
      const p2 = await cores[0].labels.create(actors[0], { name: `P${round}-2` });
      const results = await Promise.all([
        outcome(cores[0].labels.create(actors[0], { name: `Same${round}`, parentId: p1.id }, { nameScope: 'workspace' })),
        outcome(cores[1].labels.create(actors[1], { name: `SAME${round}`, parentId: p2.id }, { nameScope: 'workspace' })),
      ]);
      expect(results.sort()).toEqual(['NAME_TAKEN', 'ok']);
    }
  });

  it('a shared daily counter never passes its limit', async () => {
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => outcome(cores[i % 2]!.quota.consume('race', 'subject', 7))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(7);
    expect(results.filter((r) => r === 'LIMIT_EXCEEDED')).toHaveLength(17);
  });
});
