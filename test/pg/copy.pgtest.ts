// copySqliteToPg: a SQLite database built through the core (nested labels, a moved label whose parent has a
// higher id, timed labels, assignments, events, counters) is copied into PostgreSQL; both stores then export
// the same workspace documents and events, and new ids continue past the copied ones.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import { createSqliteStore } from '../../src/db/index.js';
import { copySqliteToPg } from '../../src/db/pg/copy-from-sqlite.js';
import { createPgStore } from '../../src/db/pg/index.js';
import { createTenant } from '../helper.js';
import { createTestPgStore } from './test-db.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe('copySqliteToPg', () => {
  it('copies every row and id; both stores then answer the same', async () => {
    // A SQLite file store, whatever the suite's database: it is the source of the copy.
    const dir = mkdtempSync(join(tmpdir(), 'labelmux-copy-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    const sqlite = createSqliteStore(join(dir, 'src.db'));
    closers.push(() => sqlite.close());
    const core = createCore({ store: sqlite, now: () => 1_700_000_000_000 });
    const t = await createTenant(core, 'Copied');
    const owner = await core.auth.actorForKey(t.keys.owner, { id: t.workspaceId }, 'test');
    const root = await core.labels.create(owner, { name: 'Root' });
    const child = await core.labels.create(owner, { name: 'Child', parentId: root.id });
    const later = await core.labels.create(owner, { name: 'Later' });
    await core.labels.update(owner, child.id, { parentId: later.id }); // parent id > child id
    await core.labels.create(owner, { name: 'Launch', startsAt: 1000, endsAt: 2000 });
    await core.admin.upsertResources(t.workspaceId, [{ type: 'asset', externalId: 'a1', name: 'One' }]);
    await core.resources.assign(owner, { type: 'asset', externalId: 'a1' }, [root.id, child.id]);
    await core.quota.consume('test', 'subject', 10, 3);

    // The target: an empty database (the template is migrated and empty).
    const target = createTestPgStore();
    await target.ready;
    closers.push(() => target.close());
    const result = await copySqliteToPg(sqlite.sqlite, target.url);
    expect(result.rows).toMatchObject({ workspaces: 1, users: 4, labels: 4, resources: 1, assignments: 2 });

    const pg = createPgStore(target.url, { poolSize: 1 });
    closers.push(() => pg.close());
    expect(await pg.exportWorkspace(t.workspaceId)).toEqual(await sqlite.exportWorkspace(t.workspaceId));
    expect(await pg.listEvents(t.workspaceId, 0, 1000)).toEqual(await sqlite.listEvents(t.workspaceId, 0, 1000));
    expect(await pg.listLabelPaths(t.workspaceId, {})).toEqual(await sqlite.listLabelPaths(t.workspaceId, {}));
    expect(await pg.consume('test', 'subject', '2023-11-14', 0, 10)).toEqual(await sqlite.consume('test', 'subject', '2023-11-14', 0, 10));
    // The tables are analyzed (a table never analyzed has reltuples -1).
    const analyzed = await pg.db.read((q) => q.all<{ relname: string; reltuples: number }>(`SELECT relname, reltuples FROM pg_class WHERE relname IN ('labels', 'resources', 'assignments') ORDER BY relname`));
    expect(analyzed).toEqual([{ relname: 'assignments', reltuples: 2 }, { relname: 'labels', reltuples: 4 }, { relname: 'resources', reltuples: 1 }]);
    // Sequences continue past the copied ids.
    const next = await pg.createWorkspace('Next', 'uuid-next', 1);
    expect(next.id).toBe(t.workspaceId + 1);
    // And copying into a non-empty database is refused.
    await expect(copySqliteToPg(sqlite.sqlite, target.url)).rejects.toThrow(/not empty/);
  });
});
