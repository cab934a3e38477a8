// The "grown" scale: a database built the way users build theirs, through the store's own write methods (the
// statements, rules, group commit and audit events every request uses), and never analyzed. One workspace
// grows to 100,000 labels beside four small ones; a copy is kept at each level (1k, 10k, 100k labels in the
// big workspace) so the same workloads can be compared as it grows.
//   labels: a tree (topics → groups of 50 → tags, sibling-scoped names like Jotform and Razuna), one in 20 a
//     workspace-scoped top-level label (Livestorm), one in 10 a timed label in one of three categories (devtodev)
//   creators: the owner and four members in turn (Livestorm's list reads every creator)
//   resources: one per two labels, of four types, each assigned three labels (the newest tag, an earlier one
//     and, for the first HOT_RESOURCES, the hot tag every page read reads: the same label at every level)
//   users: 20,000 spare members (admin deletes); a user-wide key over all five workspaces (limbo)
// Writes go in batches of concurrent calls, so the group commit batches them as it does under load.
//
// Helper indexes during growth only: without statistics, SQLite plans several of the rule checks a create runs
// (a name among siblings, a category by name, a resource by external id) over an index bounded only by the
// workspace, so a grower would take O(labels) per create and hours for 100k. While growing, HELPER_INDEXES
// give those checks an index that bounds them; they are dropped before each level's copy is taken. The rows
// are the ones the product writes (the same statements); only how long it took to write them differs, and no
// copy carries an index or statistics the product would not have.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Audit, NameScope } from '../src/core/index.js';
import { sha256 } from '../src/core/secrets.js';
import { createSqliteStore, type SqliteStore } from '../src/db/sqlite/index.js';

export const LEVELS = [1_000, 10_000, 100_000] as const;
/** Part of the cached files' names: a change to what is grown makes the next run grow afresh. */
export const GROW_VERSION = 3;
export const SMALL_WORKSPACES = 4;
export const SMALL_LABELS = 200;
export const SPARE_USERS = 20_000;
/** Resources on the hot tag, at every level (the page reads then measure the workspace's size, not the label's). */
export const HOT_RESOURCES = 200;
export const CATEGORIES = ['Releases', 'Campaigns', 'Incidents'] as const;
const TYPES = ['library_item', 'form', 'img', 'product'] as const;
const T0 = Date.UTC(2024, 0, 1);

const HELPER_INDEXES = [
  'CREATE INDEX bench_grow_name ON labels (workspace_id, name_key, starts_at, parent_id, id)',
  'CREATE INDEX bench_grow_external ON resources (workspace_id, external_id, type)',
];
const helpers = (store: SqliteStore, on: boolean) => {
  for (const sql of HELPER_INDEXES) store.sqlite.exec(on ? sql : `DROP INDEX ${sql.split(' ')[2]}`);
};

export const grownKey = (ws: number): string => ws.toString(16).padStart(32, 'c');
export const grownUserKey = 'd'.repeat(32);
export const grownUuid = (ws: number): string => `00000000-0000-4000-9000-${ws.toString(16).padStart(12, '0')}`;

/** What the workloads need to know about a grown database (written beside it as JSON). */
export interface GrownInfo {
  ws: number;
  key: string;
  uuid: string;
  userKey: string;
  /** The hot tag: every label-page read reads it; the first HOT_RESOURCES resources carry it. */
  leaf: number;
  /** Tags the write workloads assign (labelmux) and the baselines assign (their own, so neither meets the other's rows). */
  assigned: number;
  baselineAssigned: number;
  /** A timed label (devtodev get by id). */
  timed: number;
  /** Resources per type in the big workspace (external ids 1..n of each type). */
  resourcesPerType: number;
  /** The big workspace's first resource id (its resources' ids are consecutive). */
  firstResource: number;
  /** The owner of every workspace, who holds the user-wide key. */
  owner: number;
  /** Spare users' ids (admin deletes take them in turn). */
  spareUsers: [number, number];
  labels: number;
  seconds: number;
}

const audit = (): Audit => ({ actorUserId: 1, apiKeyId: 1, dialect: 'bench', at: Date.now() });

interface Grower {
  store: SqliteStore;
  ws: number;
  creators: number[];
  count: number;
  /** Names' sequence (a label's name is unique whatever its kind). */
  seq: number;
  top: number | null;
  group: number | null;
  groupSize: number;
  tags: number[];
  resources: number;
  hot: number | null;
}

/** Creates one label through the store; returns its id. */
async function label(g: Grower, parentId: number | null, name: string, scope: NameScope): Promise<number> {
  const creator = g.creators[g.count % g.creators.length]!;
  g.count++;
  const color = `#${((g.count * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(0, 6)}`;
  const l = await g.store.createLabel(g.ws, { parentId, name, color, description: '', startsAt: null, endsAt: null, extras: {} }, scope, { ...audit(), actorUserId: creator }, creator);
  return l.id;
}

/** One batch of up to `n` labels: the tree's parents first (awaited), then the rest concurrently. */
async function growBatch(g: Grower, n: number): Promise<void> {
  const calls: Promise<unknown>[] = [];
  const timed: { name: string; description: string; category: string; startsAt: number; endsAt: number }[] = [];
  for (let i = 0; i < n; i++) {
    const k = g.seq++;
    if (k % 10 === 9) {
      const at = T0 + k * 3_600_000;
      timed.push({ name: `Event ${k}`, description: '', category: CATEGORIES[k % 3]!, startsAt: at, endsAt: at + 3_600_000 });
    } else if (k % 20 === 4) {
      calls.push(label(g, null, `Flat ${k}`, 'workspace'));
    } else {
      if (g.top === null || k % 1000 === 0) {
        g.top = await label(g, null, `Topic ${g.seq++}`, 'siblings');
        g.group = null;
      }
      if (g.group === null || g.groupSize >= 50) {
        g.group = await label(g, g.top, `Group ${g.seq++}`, 'siblings');
        g.groupSize = 0;
      }
      g.groupSize++;
      calls.push(label(g, g.group, `Tag ${k}`, 'siblings').then((id) => g.tags.push(id)));
    }
  }
  for (let i = 0; i < timed.length; i += 30) {
    const items = timed.slice(i, i + 30);
    calls.push(g.store.createTimedLabels(g.ws, items, { day: '2024-01-01', counters: [] }, audit(), g.creators[0]!));
    g.count += items.length;
  }
  await Promise.all(calls);
}

/** One resource per two labels grown since the last call, each given three labels. */
async function growResources(g: Grower): Promise<void> {
  const want = Math.floor(g.count / 2);
  const calls: Promise<unknown>[] = [];
  for (; g.resources < want; g.resources++) {
    const r = g.resources;
    const type = TYPES[r % TYPES.length]!;
    const ext = String(Math.floor(r / TYPES.length) + 1);
    const newest = g.tags[g.tags.length - 1 - (r % 7)] ?? g.tags[0]!;
    const earlier = g.tags[Math.floor(((r * 7919) % 1000) / 1000 * g.tags.length)]!;
    const ids = [...new Set([newest, earlier, ...(r < HOT_RESOURCES ? [g.hot ?? g.tags[0]!] : [])])];
    calls.push(g.store.assign(g.ws, { type, externalId: ext, name: `${type} ${ext}`, status: 'active', attributes: { size: (r * 104729) % 1_000_000 } }, ids, { create: true, replace: false, answer: false }, audit()));
    if (calls.length >= 200) await Promise.all(calls.splice(0));
  }
  await Promise.all(calls);
}

async function workspace(store: SqliteStore, n: number, owner: number): Promise<number> {
  const ws = await store.createWorkspace(`Grown ${n}`, grownUuid(n), T0);
  await store.setMember(ws.id, owner, 'owner', T0);
  await store.createApiKey(owner, ws.id, 'bench', sha256(grownKey(ws.id)), T0);
  return ws.id;
}

/** Grows the database at `base`-<level>.db for every level; returns each level's info (also written as JSON). */
export async function grow(base: string): Promise<GrownInfo[]> {
  const started = performance.now();
  const path = `${base}.building.db`;
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const store = createSqliteStore(path);
  helpers(store, true);
  const owner = (await store.createUser('owner@grown.local', 'Owner', null, T0)).id;
  const ws = await workspace(store, 1, owner);
  const creators = [owner];
  for (let i = 1; i <= 4; i++) {
    const u = await store.createUser(`creator${i}@grown.local`, `Creator ${i}`, null, T0);
    await store.setMember(ws, u.id, 'member', T0);
    creators.push(u.id);
  }
  await store.createApiKey(owner, null, 'bench user-wide', sha256(grownUserKey), T0);
  const spare: number[] = [];
  for (let i = 0; i < SPARE_USERS; i += 100) {
    const batch = await Promise.all(Array.from({ length: 100 }, (_, j) => store.createUser(`spare${i + j}@grown.local`, `Spare ${i + j}`, null, T0)));
    await Promise.all(batch.map((u) => store.setMember(ws, u.id, 'member', T0)));
    spare.push(...batch.map((u) => u.id));
  }
  // The small workspaces, grown the same way, before and after the big one's first labels.
  const small: Grower[] = [];
  for (let i = 2; i <= 1 + SMALL_WORKSPACES; i++) small.push(fresh(store, await workspace(store, i, owner), [owner]));
  const g = fresh(store, ws, creators);
  await growBatch(g, 100);
  g.hot = g.tags[0]!;
  const fixed = { leaf: g.tags[0]!, assigned: g.tags[1]!, baselineAssigned: g.tags[2]! };
  for (const s of small) {
    await growBatch(s, SMALL_LABELS);
    await growResources(s);
  }
  const infos: GrownInfo[] = [];
  for (const level of LEVELS) {
    while (g.count < level) {
      await growBatch(g, Math.min(500, level - g.count));
      await growResources(g);
    }
    const timed = (await store.listTimedLabels(ws, [{ field: 'startsAt', op: 'gte', value: T0 }]))[0]!.id;
    helpers(store, false);
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(path, `${base}-${level / 1000}k.db`);
    helpers(store, true);
    const info: GrownInfo = {
      ws, key: grownKey(ws), uuid: grownUuid(1), userKey: grownUserKey, ...fixed, timed,
      resourcesPerType: Math.floor(g.resources / TYPES.length), owner,
      firstResource: (store.sqlite.prepare('SELECT min(id) AS id FROM resources WHERE workspace_id = ?').get(ws) as { id: number }).id, spareUsers: [spare[0]!, spare[spare.length - 1]!],
      labels: g.count, seconds: (performance.now() - started) / 1000,
    };
    writeFileSync(`${base}-${level / 1000}k.json`, `${JSON.stringify(info, null, 2)}\n`);
    process.stdout.write(`  grown to ${g.count} labels, ${g.resources} resources in ${info.seconds.toFixed(0)} s\n`);
    infos.push(info);
  }
  await store.close();
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  return infos;
}

const fresh = (store: SqliteStore, ws: number, creators: number[]): Grower => ({
  store, ws, creators, count: 0, seq: 0, top: null, group: null, groupSize: 0, tags: [], resources: 0, hot: null,
});
