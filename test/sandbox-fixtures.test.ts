// Fixture documents (docs/fixtures.md, src/admin/fixtures.ts, src/core/fixtures.ts): the example loads and the
// dialects see it (chosen keys, the tree, assignments); ids follow document order; every refusal names the
// element at fault; a refused document changes nothing; the JSON Schema is served and committed.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FixturesError, loadFixtures, parseFixturesText, prepareFixtures, readFixturesFile } from '../src/admin/fixtures.js';
import { fixturesJsonSchema, fixturesSchemaText } from '../src/admin/fixtures-schema.js';
import { ADMIN_TOKEN, buildTestApp, type TestApp } from './helper.js';
import { peekAll } from './test-store.js';

const EXAMPLE = join(import.meta.dirname, '..', 'docs', 'fixtures.example.yaml');
const ADA_KEY = 'a'.repeat(32);
const BOB_KEY = 'b'.repeat(32);

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const livestorm = (url: string, key: string) => t.app.inject({ url: `/api/workspaces${url}`, headers: { authorization: `Bearer lnx_${key}` } });

describe('the example document (docs/fixtures.example.yaml)', () => {
  it('loads, and every dialect sees its workspaces, chosen keys, label tree and assignments', async () => {
    const summary = await loadFixtures(t.core, await readFixturesFile(EXAMPLE));
    expect(summary).toEqual({ workspaces: 2, users: 2, members: 3, api_keys: 2, labels: 5, resources: 4, assignments: 4 });

    // Ids are numbered from 1 in document order.
    expect(await peekAll(t.store, 'SELECT id, uuid, name FROM workspaces ORDER BY id')).toEqual([
      { id: 1, uuid: '6f1c2b9e-4d1a-4c55-9a52-0d8c6b3e7a10', name: 'Acme' },
      { id: 2, uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Empty workspace' },
    ]);
    expect(await peekAll(t.store, 'SELECT id, name, parent_id, color, starts_at FROM labels ORDER BY id')).toEqual([
      { id: 1, name: 'Marketing', parent_id: null, color: '#22c55e', starts_at: null },
      { id: 2, name: 'Campaigns', parent_id: 1, color: null, starts_at: null },
      { id: 3, name: 'Spring', parent_id: 2, color: null, starts_at: null },
      { id: 4, name: 'Launch party', parent_id: 1, color: null, starts_at: Date.parse('2026-03-20T18:00:00Z') },
      { id: 5, name: 'Sales', parent_id: null, color: null, starts_at: null },
    ]);

    // The chosen keys work as clients send them.
    const labels = await livestorm('/1/labels', ADA_KEY);
    expect(labels.statusCode, labels.body).toBe(200);
    expect(labels.json().labels.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(['Marketing', 'Campaigns', 'Spring', 'Sales']));
    const item = await livestorm('/1/library/42', BOB_KEY);
    expect(item.statusCode, item.body).toBe(200);
    expect(item.json().item.labels.map((l: { name: string }) => l.name)).toEqual(['Sales']);
    const jotform = await t.app.inject({ url: '/API/user/labels', headers: { apikey: ADA_KEY } });
    expect(jotform.json().responseCode).toBe(200);
    // Bob's user-wide key reaches the second workspace, where he is an admin; Ada's key is Acme's only.
    expect((await livestorm('/2/labels', BOB_KEY)).statusCode).toBe(200);
    expect((await livestorm('/2/labels', ADA_KEY)).statusCode).not.toBe(200);

    // Ada's password logs in through limbo.
    const login = await t.app.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password', username: 'ada@example.com', password: 'correct horse battery' } });
    expect(login.statusCode, login.body).toBe(200);

    const exported = (await t.app.inject({ url: '/_admin/workspaces/1/export', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).json();
    expect(exported.resources.map((r: { type: string; id: string; label_ids: number[] }) => [r.type, r.id, r.label_ids])).toEqual([
      ['form', '232143945675058', [1, 3]],
      ['img', 'a1', []],
      ['library_item', '42', [5]],
      ['product', '9001', [2]],
    ]);
  });

  it('the same document gives the same ids and uuids at every reset (a random uuid is chosen once per load)', async () => {
    const plan = await readFixturesFile(EXAMPLE);
    await loadFixtures(t.core, plan);
    const first = await peekAll(t.store, 'SELECT id, uuid FROM workspaces ORDER BY id');
    await t.core.sandbox.reset();
    expect(await peekAll(t.store, 'SELECT id, uuid FROM workspaces ORDER BY id')).toEqual(first);
  });
});

/** A document with one workspace (and two users, Ada an owner) around `workspace`'s members. */
const doc = (workspace: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  users: [{ email: 'ada@example.com', name: 'Ada' }, { email: 'bob@example.com', name: 'Bob' }],
  workspaces: [{ name: 'W', members: [{ user: 'ada@example.com', role: 'owner' }], ...workspace }],
  ...extra,
});
const labels = (...list: Record<string, unknown>[]) => doc({ labels: list });

describe('a refused document names the element at fault', () => {
  const cases: [string, unknown, string][] = [
    ['a parent that is no label', labels({ name: 'A' }, { name: 'B' }, { name: 'C', parent: 'A' }, { name: 'D', parent: 'Foo' }), 'workspaces[0].labels[3].parent: no label "Foo"'],
    ['a parent name two labels have', labels({ name: 'A' }, { name: 'B' }, { name: 'X', parent: 'A' }, { name: 'X', parent: 'B' }, { name: 'C', parent: 'X' }), 'workspaces[0].labels[4].parent: 2 labels are named "X"; name it by its path, e.g. ["Parent", "X"]'],
    ['a parent path that leads nowhere', labels({ name: 'A' }, { name: 'B', parent: ['A', 'Nope'] }), 'workspaces[0].labels[1].parent: no label at path "A / Nope"'],
    ['a cycle', labels({ name: 'A', parent: 'B' }, { name: 'B', parent: 'A' }), 'workspaces[0].labels[0].parent: labels[0] ("A") is its own ancestor'],
    ['its own parent', labels({ name: 'A', parent: 'A' }), 'workspaces[0].labels[0].parent: labels[0] ("A") is its own ancestor'],
    ['a name twice among siblings (ignoring case)', labels({ name: 'A' }, { name: 'x', parent: 'A' }, { name: 'X', parent: ['A'] }), 'workspaces[0].labels[2].name: labels[1] under the same parent is already named "X"'],
    ['a bad colour', labels({ name: 'A', color: 'green' }), 'workspaces[0].labels[0].color: color must be a hex color like #22c55e'],
    ['a blank name', labels({ name: '  ' }), 'workspaces[0].labels[0].name: name is required'],
    ['an end before the start', labels({ name: 'A', starts_at: '2026-01-02T00:00:00Z', ends_at: '2026-01-01T00:00:00Z' }), 'workspaces[0].labels[0].ends_at: ends_at must not be before starts_at'],
    ['a time that is no time', labels({ name: 'A', starts_at: 'tomorrow' }), 'workspaces[0].labels[0].starts_at: Invalid ISO datetime'],
    ['an unknown field', labels({ name: 'A', colour: '#fff' }), 'workspaces[0].labels[0]: unknown field "colour"'],
    ['a label that is not an object', labels('A' as unknown as Record<string, unknown>), 'workspaces[0].labels[0]: Invalid input: expected object, received string'],
    ['a key that is not 32 lowercase hex', doc({}, { users: [{ email: 'ada@example.com', name: 'Ada', api_keys: [{ key: 'ABC' }] }] }), 'users[0].api_keys[0].key: key must be 32 lowercase hexadecimal characters'],
    ['a key twice', doc({ api_keys: [{ key: ADA_KEY, user: 'ada@example.com' }, { key: ADA_KEY, user: 'ada@example.com' }] }), 'workspaces[0].api_keys[1].key: this key appears twice in the document'],
    ['a workspace key of a non-member', doc({ api_keys: [{ key: BOB_KEY, user: 'bob@example.com' }] }), 'workspaces[0].api_keys[0].user: bob@example.com is not a member of this workspace (add them to members)'],
    ['a member who is no user', doc({ members: [{ user: 'eve@example.com', role: 'owner' }] }), 'workspaces[0].members[0].user: no user "eve@example.com" in users'],
    ['a member twice', doc({ members: [{ user: 'ada@example.com', role: 'owner' }, { user: 'ADA@example.com', role: 'viewer' }] }), 'workspaces[0].members[1].user: ADA@example.com is already a member of this workspace'],
    ['an unknown role', doc({ members: [{ user: 'ada@example.com', role: 'king' }] }), 'workspaces[0].members[0].role: Invalid option: expected one of "owner"|"admin"|"member"|"viewer"'],
    ['an email twice', { users: [{ email: 'a@example.com', name: 'A' }, { email: 'A@example.com', name: 'B' }] }, 'users[1].email: A@example.com appears twice in the document'],
    ['an email that is none', { users: [{ email: 'nobody', name: 'A' }] }, 'users[0].email: email must be an email address'],
    ['a short password', { users: [{ email: 'a@example.com', name: 'A', password: 'short' }] }, 'users[0].password: Too small: expected string to have >=8 characters'],
    ['a uuid twice', { workspaces: [{ name: 'A', uuid: '6f1c2b9e-4d1a-4c55-9a52-0d8c6b3e7a10' }, { name: 'B', uuid: '6F1C2B9E-4D1A-4C55-9A52-0D8C6B3E7A10' }] }, 'workspaces[1].uuid: uuid 6f1c2b9e-4d1a-4c55-9a52-0d8c6b3e7a10 appears twice in the document'],
    ['a uuid that is none', { workspaces: [{ name: 'A', uuid: 'not-a-uuid' }] }, 'workspaces[0].uuid: Invalid UUID'],
    ['a resource with a bad type', doc({ resources: [{ type: 'Form', id: '1' }] }), 'workspaces[0].resources[0].id: type must match [a-z][a-z0-9_]{0,31}'],
    ['a resource twice', doc({ resources: [{ type: 'form', id: '1' }, { type: 'form', id: '1' }] }), 'workspaces[0].resources[1].id: resource form/1 appears twice in this workspace'],
    ['a resource naming no label', doc({ labels: [{ name: 'A' }], resources: [{ type: 'form', id: '1', labels: ['A', 'B'] }] }), 'workspaces[0].resources[0].labels[1]: no label "B"'],
    ['a resource naming a label twice', doc({ labels: [{ name: 'A' }], resources: [{ type: 'form', id: '1', labels: ['A', ['A']] }] }), 'workspaces[0].resources[0].labels[1]: label "A" is listed twice'],
    ['a document that is no object', [], '(document): Invalid input: expected object, received array'],
  ];
  it.each(cases)('%s', async (_what, document, message) => {
    const e = await prepareFixtures(document).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FixturesError);
    expect((e as Error).message).toBe(message);
  });

  it('files: unreadable, bad YAML, bad JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'labelmux-fixtures-'));
    await expect(readFixturesFile(join(dir, 'missing.yaml'))).rejects.toThrow('cannot read the file (ENOENT)');
    writeFileSync(join(dir, 'bad.yaml'), 'users: [\n');
    await expect(readFixturesFile(join(dir, 'bad.yaml'))).rejects.toThrow(/^not valid YAML: /);
    writeFileSync(join(dir, 'bad.json'), '{"users": ');
    await expect(readFixturesFile(join(dir, 'bad.json'))).rejects.toThrow(/^not valid JSON: /);
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(labels({ name: 'A' })));
    expect((await readFixturesFile(join(dir, 'ok.json'))).labels).toHaveLength(1);
    expect(parseFixturesText('{"users": []}', 'x.json')).toEqual({ users: [] });
  });
});

describe('all or nothing', () => {
  it('a refused document writes nothing and leaves the fixtures resets return to', async () => {
    await loadFixtures(t.core, labels({ name: 'Kept' }));
    const before = await peekAll(t.store, 'SELECT id, name FROM labels ORDER BY id');
    await expect(loadFixtures(t.core, labels({ name: 'New' }, { name: 'Bad', parent: 'Foo' }))).rejects.toThrow('workspaces[0].labels[1].parent: no label "Foo"');
    expect(await peekAll(t.store, 'SELECT id, name FROM labels ORDER BY id')).toEqual(before);
    await t.app.inject({ method: 'POST', url: '/_admin/workspaces', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, payload: { name: 'Extra' } });
    await t.core.sandbox.reset();
    expect(await peekAll(t.store, 'SELECT name FROM workspaces ORDER BY id')).toEqual([{ name: 'W' }]);
    expect(await peekAll(t.store, 'SELECT id, name FROM labels ORDER BY id')).toEqual([{ id: 1, name: 'Kept' }]);
  });

  it('a write the database refuses leaves everything as it was', async () => {
    await loadFixtures(t.core, labels({ name: 'Kept' }));
    const plan = await prepareFixtures(labels({ name: 'A' }));
    // Two labels with one id: the second insert fails after the wipe and the first inserts ran.
    const broken = { ...plan, labels: [...plan.labels, { ...plan.labels[0]!, name: 'Twin' }] };
    await expect(t.core.sandbox.load(broken)).rejects.toThrow();
    expect(await peekAll(t.store, 'SELECT id, name FROM labels ORDER BY id')).toEqual([{ id: 1, name: 'Kept' }]);
    expect(await peekAll(t.store, 'SELECT name FROM workspaces')).toEqual([{ name: 'W' }]);
  });
});

describe('the JSON Schema', () => {
  it('is served without a token, as JSON', async () => {
    const res = await t.app.inject({ url: '/_admin/fixtures.schema.json' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ $id: 'fixtures.schema.json', ...fixturesJsonSchema() });
    expect(res.json().properties.workspaces.items.properties.labels.items.required).toEqual(['name']);
  });

  it('docs/fixtures.schema.json is the generated one (regenerate: npx tsx scripts/fixtures-schema.ts)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', 'docs', 'fixtures.schema.json'), 'utf8');
    expect(committed).toBe(fixturesSchemaText());
  });
});
