// `labelmux workspace export` from the CLI while a server process writes to the same database: each export
// reads one snapshot (Db.read: one SQLite read transaction, one PostgreSQL REPEATABLE READ READ ONLY
// transaction), so the document never names a label it does not contain. Real processes, on the suite's
// database.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, cleanEnv, kill, provision, ROOT, startServer, type Server } from './process-helper.js';
import { testDatabase } from './test-store.js';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'labelmux.js');
const ITEMS = 50;

let tmp: string;
let server: Server | undefined;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'labelmux-export-'));
});
afterAll(async () => {
  await kill(server);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface ExportDoc {
  labels: { id: number; parent_id: number | null }[];
  resources: { id: string; label_ids: number[] }[];
}

/** Labels a document names (assignments, parents) that it does not contain. */
function dangling(doc: ExportDoc): number[] {
  const ids = new Set(doc.labels.map((l) => l.id));
  const named = [...doc.resources.flatMap((r) => r.label_ids), ...doc.labels.flatMap((l) => (l.parent_id === null ? [] : [l.parent_id]))];
  return named.filter((id) => !ids.has(id));
}

describe('workspace export while the server writes', () => {
  it('every export is one consistent snapshot: no assignment or parent names a missing label', async () => {
    const file = join(tmp, 'labelmux.db');
    const db = await testDatabase(file);
    const s = (server = await startServer(file));
    const { workspaceId, key } = await provision(s.port, 'Busy');
    const admin = { authorization: `Bearer ${ADMIN}` };
    // A workspace big enough that an export's queries take a while: 400 labels, items carrying them.
    const labels = Array.from({ length: 400 }, (_, i) => ({ id: 100_000 + i, parent_id: i % 4 === 0 ? null : 100_000 + i - (i % 4), name: `Seed ${i}`, color: null, description: '', starts_at: null, ends_at: null, extras: {}, created_by_email: null, created_at: 1, updated_at: 1 }));
    const resources = Array.from({ length: ITEMS }, (_, i) => ({ type: 'library_item', id: String(i + 1), name: `Item ${i + 1}`, status: null, attributes: {}, created_at: 1, updated_at: 1, label_ids: labels.filter((_, j) => j % ITEMS === i).map((l) => l.id) }));
    const imported = await call(s.port, 'POST', `/_admin/workspaces/${workspaceId}/import`, { headers: admin, body: { format: 'labelmux-workspace', version: 1, workspace: { name: 'Busy' }, labels, resources } });
    expect(imported.status, JSON.stringify(imported.json)).toBe(200);

    // Writers: create a label, assign it, delete it again (its assignments go with it), as fast as they can.
    const auth = { authorization: `Bearer lnx_${key}` };
    let writing = true;
    let writes = 0;
    const writer = async (w: number) => {
      for (let i = 0; writing; i++) {
        const created = await call(s.port, 'POST', `/api/workspaces/${workspaceId}/labels`, { headers: auth, body: { name: `w${w}-${i}` } });
        if (created.status !== 201) throw new Error(`create: ${created.status} ${JSON.stringify(created.json)}`);
        const id = created.json.label.id as number;
        await call(s.port, 'POST', `/api/workspaces/${workspaceId}/library/${(i % ITEMS) + 1}/labels`, { headers: auth, body: { label_id: id } });
        await call(s.port, 'DELETE', `/api/workspaces/${workspaceId}/labels/${id}`, { headers: auth });
        writes += 3;
      }
    };
    const writers = Promise.all([0, 1, 2, 3].map(writer));

    const env = cleanEnv({ LABELMUX_DB: db });
    try {
      for (let round = 0; round < 6; round++) {
        const before = writes;
        const { stdout } = await run(process.execPath, [BIN, 'workspace', 'export', String(workspaceId)], { env, cwd: ROOT, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
        const doc = JSON.parse(stdout) as ExportDoc;
        expect(doc.labels.length).toBeGreaterThanOrEqual(400);
        expect(dangling(doc), `export ${round + 1} names labels it does not contain`).toEqual([]);
        expect(writes, 'the server kept writing during the export').toBeGreaterThan(before);
      }
    } finally {
      writing = false;
      await writers;
    }
  }, 180_000);
});
