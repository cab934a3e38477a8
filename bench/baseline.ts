// The baselines: bare Fastify + better-sqlite3 prepared statements answering the same queries as the
// benchmark's workloads. Usage: tsx bench/baseline.ts <db> <port> [bare|contract]
//   bare: no auth, validation, envelopes or framework layers: the speed limit of the stack labelmux is built on.
//   contract: the same plus what every labelmux request must do whatever its code: the SHA-256 of the request's
//     key looked up by a prepared statement with the key's membership (401 without one), the answer in a vendor's
//     envelope, and on writes the audit event inserted in the same transaction as the change. The speed target
//     is measured against this one.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify, { type FastifyRequest } from 'fastify';

const [path, port, mode = 'bare'] = process.argv.slice(2) as [string, string, string?];
const contract = mode === 'contract';
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const q = {
  page: db.prepare('SELECT id, name, color, created_at FROM labels WHERE workspace_id = ? ORDER BY created_at, id LIMIT 20'),
  all: db.prepare('SELECT id, parent_id, name, color, created_at FROM labels WHERE workspace_id = ? ORDER BY created_at, id'),
  one: db.prepare('SELECT id, parent_id, name, color, created_at, updated_at FROM labels WHERE id = ?'),
  insert: db.prepare(
    "INSERT INTO labels (workspace_id, parent_id, name, name_key, color, created_at, updated_at) VALUES (?, NULL, ?, ?, '#6366f1', ?, ?)",
  ),
  // The assignment carries its resource's type, creation time, external id and name, as labelmux's does.
  assign: db.prepare(
    `INSERT OR IGNORE INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id, resource_name)
     SELECT ?, r.id, ?, r.type, r.created_at, r.external_id, r.name FROM resources r WHERE r.id = ?`,
  ),
  unassign: db.prepare('DELETE FROM assignments WHERE label_id = ? AND resource_id = ?'),
  newResource: db.prepare("INSERT INTO resources (workspace_id, type, external_id, created_at, updated_at) VALUES (?, 'form', ?, ?, ?)"),
  resources: db.prepare(
    'SELECT id, type, external_id, name, status, attributes, created_at FROM resources WHERE id IN (SELECT resource_id FROM assignments WHERE label_id = ?) ORDER BY created_at, id LIMIT 20',
  ),
  span: db.prepare(
    'SELECT id, parent_id, name, description, starts_at, ends_at FROM labels WHERE workspace_id = ? AND starts_at >= ? AND starts_at <= ? ORDER BY starts_at, id',
  ),
  categories: db.prepare(
    'SELECT p.name FROM labels p WHERE p.workspace_id = ? AND p.parent_id IS NULL AND p.starts_at IS NULL AND EXISTS (SELECT 1 FROM labels c WHERE c.parent_id = p.id) ORDER BY p.name_key',
  ),
  typed: db.prepare('SELECT id, type, external_id, name, status, attributes, created_at FROM resources WHERE workspace_id = ? AND type = ? ORDER BY created_at, id LIMIT 20'),
  typedByName: db.prepare('SELECT id, type, external_id, name, status, attributes, created_at FROM resources WHERE workspace_id = ? AND type = ? ORDER BY name, id LIMIT 20'),
  labelsByName: db.prepare('SELECT id, workspace_id, name, color, created_at FROM labels WHERE workspace_id IN (SELECT workspace_id FROM memberships WHERE user_id = ?) ORDER BY name_key, id LIMIT 20'),
  deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
  key: db.prepare(
    `SELECT k.id, k.user_id, k.workspace_id, m.role FROM api_keys k
     LEFT JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
     WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
  ),
  event: db.prepare('INSERT INTO events (workspace_id, actor_user_id, api_key_id, dialect, action, label_id, before, after, at) VALUES (?,?,?,?,?,?,?,?,?)'),
};

interface Row {
  id: number;
  parent_id: number | null;
  name: string;
}
interface Key {
  id: number;
  user_id: number;
  workspace_id: number | null;
  role: string | null;
}

const app = Fastify({ logger: false });
declare module 'fastify' {
  interface FastifyRequest {
    key?: Key;
  }
}
if (contract) {
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers['x-bench-key'];
    const key = typeof header === 'string' ? (q.key.get(createHash('sha256').update(header).digest('hex')) as Key | undefined) : undefined;
    if (!key || (key.workspace_id !== null && key.role === null)) return reply.code(401).send({ responseCode: 401, message: 'unauthorized' });
    req.key = key;
  });
}
/** The vendor's envelope (contract) or the bare answer. */
const answer = (content: unknown) => (contract ? { responseCode: 200, message: 'success', content, duration: '0ms' } : content);
/** A write and, under the contract, its audit event in the same transaction. */
const write = <T>(req: FastifyRequest, action: string, run: () => T): T =>
  contract
    ? db.transaction(() => {
        const out = run();
        q.event.run(req.key!.workspace_id ?? 1, req.key!.user_id, req.key!.id, 'bench', action, null, null, JSON.stringify({ action }), Date.now());
        return out;
      })()
    : run();

let seq = 0;
const ws = (req: FastifyRequest) => Number((req.query as { ws: string }).ws);
app.get('/b/labels', async (req) => answer({ labels: q.page.all(ws(req)) }));
app.get('/b/labels/all', async (req) => answer({ labels: q.all.all(ws(req)) }));
app.get('/b/labels/:id', async (req) => answer({ label: q.one.get(Number((req.params as { id: string }).id)) }));
// A point read whose JSON body names the label (devtodev's form: every call a POST).
app.post('/b/labels/get', async (req) => answer({ label: q.one.get(Number((req.body as { filter?: { id?: { eq?: unknown } } } | undefined)?.filter?.id?.eq)) }));
app.post('/b/labels', async (req) => {
  const name = `b${process.pid}-${++seq}-${(req.body as { name?: string } | undefined)?.name ?? ''}`;
  const now = Date.now();
  const id = write(req, 'label.created', () => q.insert.run(ws(req), name, name, now, now).lastInsertRowid);
  return answer({ label: q.one.get(id) });
});
app.post('/b/assign', async (req) => {
  const { label, resource } = req.body as { label: number; resource: number };
  write(req, 'label.assigned', () => q.assign.run(label, Date.now(), resource));
  return answer({ ok: true });
});
/** The grown bench's mixed write, as labelmux's: a new resource of the workspace assigned to the label the reads read. */
app.post('/b/assign-new', async (req) => {
  const { label, resource } = req.body as { label: number; resource: string };
  const now = Date.now();
  write(req, 'label.assigned', () => {
    const id = q.newResource.run(ws(req), resource, now, now).lastInsertRowid;
    return q.assign.run(label, now, id);
  });
  return answer({ ok: true });
});
app.post('/b/unassign', async (req) => {
  const { label, resource } = req.body as { label: number; resource: number };
  write(req, 'label.unassigned', () => q.unassign.run(label, resource));
  return answer({ ok: true });
});
app.get('/b/labels/:id/resources', async (req) => answer({ resources: q.resources.all(Number((req.params as { id: string }).id)) }));
app.get('/b/span', async (req) => {
  const { from, to } = req.query as { from: string; to: string };
  return answer({ labels: q.span.all(ws(req), Number(from) * 1000, Number(to) * 1000) });
});
app.get('/b/tree', async (req) => {
  const rows = q.all.all(ws(req)) as Row[];
  // Nodes are the rows themselves: spreading 10k rows into new objects is what slows naive trees down.
  const nodes = new Map(rows.map((r) => [r.id, Object.assign(r, { sublabels: [] as unknown[] })]));
  const root = { sublabels: [] as unknown[] };
  for (const r of rows) (r.parent_id === null ? root : (nodes.get(r.parent_id) ?? root)).sublabels.push(nodes.get(r.id));
  return answer(root);
});
app.get('/b/categories', async (req) => answer({ categories: (q.categories.all(ws(req)) as { name: string }[]).map((r) => r.name) }));
app.get('/b/resources', async (req) => {
  const { type, sort } = req.query as { type: string; sort?: string };
  return answer({ resources: (sort === 'name' ? q.typedByName : q.typed).all(ws(req), type) });
});
app.get('/b/labels-by-name', async (req) => answer({ labels: q.labelsByName.all(Number((req.query as { user: string }).user)) }));
app.delete('/b/users/:id', async (req) => {
  const changes = write(req, 'user.deleted', () => q.deleteUser.run(Number((req.params as { id: string }).id)).changes);
  return answer({ deleted: changes });
});

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write(`baseline (${mode}) listening on ${port}\n`);
process.on('SIGTERM', () => void app.close().then(() => (db.close(), process.exit(0))));
