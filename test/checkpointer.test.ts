// The server checkpoints its WAL from a worker thread, so commits never stop to copy the WAL into the database
// file. The WAL must still be recycled (not grow without bound) and close must stop the worker.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Audit } from '../src/core/types.js';
import { BACKSTOP_PAGES, startCheckpointer } from '../src/db/sqlite/checkpointer.js';
import { createSqliteStore } from '../src/db/index.js';
import { createCore } from '../src/core/index.js';
import { createTenant } from './helper.js';

const dir = mkdtempSync(join(tmpdir(), 'labelmux-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: 1 };
const label = (name: string) => ({ parentId: null, name, color: null, description: 'x'.repeat(2500), startsAt: null, endsAt: null, extras: {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('background WAL checkpoints', () => {
  it('copy the WAL into the database file while commits never do it themselves, and stop on close', async () => {
    const path = join(dir, 'db.sqlite');
    const store = createSqliteStore(path, { backgroundCheckpoints: true });
    // Commits checkpoint only past BACKSTOP_PAGES of WAL: this test writes far less.
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    const tenant = await createTenant(createCore({ store }));
    const before = statSync(path).size;
    for (let i = 0; i < 400; i++) await store.createLabel(tenant.workspaceId, label(`l${i}`), 'siblings', audit, tenant.userIds.owner);
    await sleep(400);
    // ~1 MB of labels reached the database file itself: only the worker can have copied them there.
    expect(statSync(path).size - before).toBeGreaterThan(700_000);
    await store.close(); // stops the worker, then the final checkpoint empties the WAL
    expect(statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
  }, 30_000);

  it('is off for stores that do not ask for it (the CLI, tests): SQLite checkpoints in commits as usual', async () => {
    const store = createSqliteStore(join(dir, 'plain.sqlite'));
    expect(store.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    await store.close();
  });

  it('report a worker that fails (here: no database to open) once, and a clean stop not at all', async () => {
    const errors: Error[] = [];
    const broken = startCheckpointer(join(dir, 'missing', 'db.sqlite'), (e) => errors.push(e), 10);
    for (let i = 0; i < 100 && errors.length === 0; i++) await sleep(20);
    await broken.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^the WAL checkpoint worker stopped: .*(unable to open|does not exist|directory)/i);

    const path = join(dir, 'fine.sqlite');
    await createSqliteStore(path).close();
    const quiet: Error[] = [];
    const fine = startCheckpointer(path, (e) => quiet.push(e), 10);
    await sleep(100);
    await fine.stop();
    expect(quiet).toEqual([]);
  });
});
