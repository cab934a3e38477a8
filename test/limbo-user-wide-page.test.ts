// limbo's label list for a credential spanning several workspaces (one big, two small): a page reads at most
// offset+limit rows of each workspace whatever its size (each workspace's ordered walk has its own bound), the
// merged page is the slice of the whole list in the page's order (ties on equal names, and on one creation
// time, by id in the order's direction, so descending is ascending reversed; offsets up to and past the end);
// the whole list's total is the workspaces' kept numbers, and a filtered total counted once stays remembered
// across writes that change no label row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelSortField } from '../src/core/ports-cross-workspace.js';
import type { Audit } from '../src/core/types.js';
import type { DatabaseStore } from '../src/db/index.js';
import { storeOver } from '../src/db/store/index.js';
import { nameKey } from '../src/db/store/rows.js';
import { judge, planOf, recordingDb, type Recorded } from './plan-check.js';
import { createTestStore, onPostgres } from './test-store.js';

const BIG = 120;
const audit: Audit = { actorUserId: null, apiKeyId: null, dialect: 'test', at: 1 };
const label = (name: string, timed = false) => ({ parentId: null, name, color: null, description: '', startsAt: timed ? 1 : null, endsAt: timed ? 2 : null, extras: {} });

let store: DatabaseStore;
let owner: number;
const ws: number[] = [];
/** Every label of the three workspaces: id, name. */
const all: { id: number; name: string }[] = [];
const seen = new Map<string, Recorded>();
let recorded: ReturnType<typeof storeOver>;

beforeAll(async () => {
  store = createTestStore();
  owner = (await store.createUser('owner@bounds.test', 'Owner', null, 1)).id;
  for (const [i, n] of ['Big', 'Small A', 'Small B'].entries()) {
    const w = await store.createWorkspace(n, `00000000-0000-4000-8000-00000000020${i}`, 1);
    await store.setMember(w.id, owner, 'owner', 1);
    ws.push(w.id);
  }
  const add = async (w: number, name: string, timed = false) => all.push({ id: (await store.createLabel(w, label(name, timed), 'siblings', audit, owner)).id, name });
  // Names shared across the workspaces (and within one, as timed labels) tie: the id decides.
  for (let i = 0; i < BIG; i++) await add(ws[0]!, `label ${String(i).padStart(3, '0')}`);
  for (let i = 0; i < 3; i++) await add(ws[0]!, 'label 007', true);
  for (const [k, w] of ws.slice(1).entries()) {
    for (const name of ['label 003', 'LABEL 007', 'Label 010', `only ${k}`, 'aaa', 'zzz']) await add(w, name);
  }
  recorded = storeOver(recordingDb(store.db, seen, { name: 'listLabelsIn' }));
}, 60_000);

afterAll(async () => {
  await store?.close();
});

const page = (field: LabelSortField, desc: boolean, offset: number, limit: number) =>
  recorded.listLabelsIn({ workspaceIds: ws, sort: [{ field, desc }], limit, offset });

/** The whole list in the page's order, as the merge must give it: the key, then the id in the key's direction. */
function expected(desc: boolean): number[] {
  const sorted = [...all].sort((a, b) => {
    const [x, y] = [nameKey(a.name), nameKey(b.name)];
    const up = x === y ? a.id - b.id : x < y ? -1 : 1;
    return desc ? -up : up;
  });
  return sorted.map((l) => l.id);
}

/** The page statement just sent (the merge of one ordered walk per workspace). */
function mergeStatement(): Recorded {
  const merges = [...seen.values()].filter((r) => /UNION ALL/.test(r.sql));
  expect(merges).toHaveLength(1);
  return merges[0]!;
}

describe("limbo's label list over several workspaces", () => {
  it('reads at most offset+limit rows of each workspace, however big', async () => {
    for (const [offset, limit] of [[0, 5], [10, 5], [30, 20]] as const) {
      seen.clear();
      expect((await page('name', false, offset, limit)).items).toHaveLength(limit);
      const merge = mergeStatement();
      // The walks alone, without the merge's LIMIT and OFFSET: what the merge reads of each workspace.
      const walks = merge.sql.replace(/ LIMIT (\?|\(SELECT CAST\(\? AS bigint\)\)) OFFSET (\?|\(SELECT CAST\(\? AS bigint\)\))$/, '');
      expect(walks).not.toBe(merge.sql);
      const rows = await store.db.all<{ workspace_id: number }>(walks, ...merge.params.slice(0, -2));
      const perWorkspace = new Map<number, number>();
      for (const r of rows) perWorkspace.set(Number(r.workspace_id), (perWorkspace.get(Number(r.workspace_id)) ?? 0) + 1);
      expect(perWorkspace.get(ws[0]!)).toBe(offset + limit);
      for (const n of perWorkspace.values()) expect(n).toBeLessThanOrEqual(offset + limit);
    }
  });

  it("hides every value from PostgreSQL's planner, so one plan serves every request", async () => {
    // Knowing the workspaces' ids and the page's bounds, analyzed PostgreSQL costed the plan for those values
    // below the plan for any values and planned the whole union again for every request.
    seen.clear();
    await page('name', false, 10, 5);
    // The page and its total (kept numbers summed over the workspaces' list).
    const statements = [...seen.values()].map((r) => r.sql).filter((sql) => /UNION ALL|label_counts/.test(sql));
    expect(statements).toHaveLength(2);
    for (const sql of statements) {
      const hidden = sql.replaceAll('(SELECT CAST(? AS bigint))', '').replaceAll('(SELECT CAST(? AS bigint[]))', '');
      if (store.kind === 'postgres') expect(hidden).not.toContain('?');
      else expect(hidden).toBe(sql);
    }
  });

  it("walks each workspace's name index in the page's order (no full scan, no sort of a workspace)", async () => {
    for (const desc of [false, true]) {
      seen.clear();
      await page('name', desc, 40, 20);
      const merge = mergeStatement();
      const plan = await planOf(store, merge.sql, merge.params);
      expect(judge(store.kind, merge.sql, plan, false)).toBeNull();
      const text = plan.map((l) => l.detail).join('\n');
      expect(text.match(/labels_workspace_name_idx/g)?.length).toBe(ws.length);
      if (store.kind === 'postgres') expect(text).not.toMatch(/Seq Scan|Bitmap/);
      else expect(text).not.toMatch(/^SCAN l\b/m);
    }
  });

  it('reads a descending order as the ascending one reversed, ties included, in every sort field', async () => {
    const whole = async (field: LabelSortField, desc: boolean) => {
      const ids: number[] = [];
      for (let offset = 0; ; offset += 50) {
        const { items } = await page(field, desc, offset, 50);
        ids.push(...items.map((l) => l.id));
        if (items.length < 50) return ids;
      }
    };
    for (const field of ['name', 'created_at', 'updated_at', 'id'] as const) {
      const up = await whole(field, false);
      expect(up).toHaveLength(all.length);
      expect(await whole(field, true), field).toEqual([...up].reverse());
    }
    expect(expected(true)).toEqual(expected(false).reverse());
  });

  it('gives the slice of the whole list in its order: ties on equal names by id, descending, offsets to the end', async () => {
    const total = all.length;
    for (const desc of [false, true]) {
      const ids = expected(desc);
      for (const offset of [0, 1, 6, 119, total - 20, total - 3, total - 1, total, total + 4]) {
        for (const limit of [1, 7, 20]) {
          const got = await page('name', desc, offset, limit);
          expect(got.items.map((l) => l.id), `desc=${desc} offset=${offset} limit=${limit}`).toEqual(ids.slice(offset, offset + limit));
          expect(got.total).toBe(total);
        }
      }
    }
  });

  it("reads the whole list's total from the kept numbers, never counting; a filtered total is counted once and remembered across writes that change no label row", async () => {
    const total = async (name?: string) => {
      seen.clear();
      const page = await recorded.listLabelsIn({ workspaceIds: ws, sort: [{ field: 'name', desc: false }], limit: 5, offset: 0, ...(name !== undefined && { name }) });
      return { total: page.total, counted: [...seen.keys()].some((sql) => /count\(\*\)/.test(sql)) };
    };
    // 'label 007' in the big workspace (one plain, three timed) and 'LABEL 007' in each small one.
    const named = 6;
    expect(await total()).toEqual({ total: all.length, counted: false });
    expect(await total('label 007')).toEqual({ total: named, counted: true });
    await store.assign(ws[0]!, { type: 'form', externalId: 'f1' }, [all[0]!.id], { create: true, replace: false, answer: false }, audit);
    await store.linkProducts(ws[1]!, all[BIG + 3]!.id, 'add', [], audit);
    await store.consume('quota', 'key:1', '2026-12-04', 1, 1000); // a request counted (Jotform's daily quota)
    expect(await total()).toEqual({ total: all.length, counted: false });
    // PostgreSQL remembers a total only while no transaction has ended (other instances write too).
    expect(await total('label 007')).toEqual({ total: named, counted: onPostgres });
    const extra = await store.createLabel(ws[2]!, label('label 007', true), 'siblings', audit, owner);
    expect(await total()).toEqual({ total: all.length + 1, counted: false });
    expect(await total('label 007')).toEqual({ total: named + 1, counted: true });
    await store.deleteLabels(ws[2]!, [extra.id], audit);
    expect(await total()).toEqual({ total: all.length, counted: false });
    expect(await total('label 007')).toEqual({ total: named, counted: true });
  });

  it("recounts a total filtered on products when a product's assignments change", async () => {
    const withProducts = async () => (await recorded.listLabelsIn({ workspaceIds: ws, sort: [], limit: 1, offset: 0, hasProducts: true })).total;
    const product = (n: number) => store.assign(ws[0]!, { type: 'product', externalId: `p${n}`, name: `P${n}` }, [all[n]!.id], { create: true, replace: false, answer: false }, audit);
    await product(1);
    await product(2);
    expect(await withProducts()).toBe(2); // counted (a page of one of two), then remembered
    await product(3);
    expect(await withProducts()).toBe(3);
  });
});
