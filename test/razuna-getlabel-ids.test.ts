// getlabel's label_id as the engine reads a list: one id or several, split on ',', items trimmed, empty items
// dropped, an item that is not an id matches nothing. A lone id is read without splitting: same answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, get, sampleTree, setup, type Ctx } from './razuna.helpers.js';

let c: Ctx;
beforeAll(async () => {
  c = await setup();
  await sampleTree(c);
});
afterAll(() => c.t.close());

const getlabel = async (label_id: string) => (await get(c, { api_key: c.a.keys.owner, method: 'getlabel', label_id })).body;
const ids = async (label_id: string) => (JSON.parse(await getlabel(label_id)) as { DATA: string[][] }).DATA.map((r) => r[0]);

describe('razuna getlabel label_id', () => {
  it('a lone id, with or without blanks around it, or with empty items, reads that label', async () => {
    for (const raw of ['108', ' 108 ', '\t108', ',108', '108,', ' , 108 ,, ']) expect(await getlabel(raw), raw).toBe(fixture('getlabel-108.row.json'));
  });

  it('a lone item that is not an id (or nothing) reads no label', async () => {
    for (const raw of ['', ' ', 'x', '0', '0108', '-108', '1e2', '108x', '99999999999999999']) expect(await ids(raw), raw).toEqual([]);
  });

  it('a list reads each id once, skipping items that are not ids', async () => {
    expect((await ids('108, x ,108')).sort()).toEqual(['108']);
    expect((await ids('109,108')).sort()).toEqual(['108', '109']);
  });
});
