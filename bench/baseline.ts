// The raw baseline: bare Fastify + better-sqlite3 prepared statements answering the same queries as the
// benchmark's workloads, with no auth, validation, envelopes or framework layers. It is the speed limit
// of the stack labelmux is built on. Usage: tsx bench/baseline.ts <db> <port>
import Database from 'better-sqlite3';
import Fastify from 'fastify';

const [path, port] = process.argv.slice(2) as [string, string];
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
  assign: db.prepare('INSERT OR IGNORE INTO assignments (label_id, resource_id, created_at) VALUES (?,?,?)'),
  resources: db.prepare(
    'SELECT id, type, external_id, name, status, attributes, created_at FROM resources WHERE id IN (SELECT resource_id FROM assignments WHERE label_id = ?) ORDER BY created_at, id LIMIT 20',
  ),
  span: db.prepare(
    'SELECT id, parent_id, name, description, starts_at, ends_at FROM labels WHERE workspace_id = ? AND starts_at >= ? AND starts_at <= ? ORDER BY starts_at, id',
  ),
};

interface Row {
  id: number;
  parent_id: number | null;
  name: string;
}

const app = Fastify({ logger: false });
let seq = 0;
app.get('/b/labels', async (req) => ({ labels: q.page.all(Number((req.query as { ws: string }).ws)) }));
app.get('/b/labels/all', async (req) => ({ labels: q.all.all(Number((req.query as { ws: string }).ws)) }));
app.get('/b/labels/:id', async (req) => ({ label: q.one.get(Number((req.params as { id: string }).id)) }));
app.post('/b/labels', async (req) => {
  const name = `b${process.pid}-${++seq}-${(req.body as { name?: string } | undefined)?.name ?? ''}`;
  const now = Date.now();
  const id = q.insert.run(Number((req.query as { ws: string }).ws), name, name, now, now).lastInsertRowid;
  return { label: q.one.get(id) };
});
app.post('/b/assign', async (req) => {
  const { label, resource } = req.body as { label: number; resource: number };
  q.assign.run(label, resource, Date.now());
  return { ok: true };
});
app.get('/b/labels/:id/resources', async (req) => ({ resources: q.resources.all(Number((req.params as { id: string }).id)) }));
app.get('/b/span', async (req) => {
  const { ws, from, to } = req.query as { ws: string; from: string; to: string };
  return { labels: q.span.all(Number(ws), Number(from) * 1000, Number(to) * 1000) };
});
app.get('/b/tree', async (req) => {
  const rows = q.all.all(Number((req.query as { ws: string }).ws)) as Row[];
  // Nodes are the rows themselves: spreading 10k rows into new objects is what slows naive trees down.
  const nodes = new Map(rows.map((r) => [r.id, Object.assign(r, { sublabels: [] as unknown[] })]));
  const root = { sublabels: [] as unknown[] };
  for (const r of rows) (r.parent_id === null ? root : (nodes.get(r.parent_id) ?? root)).sublabels.push(nodes.get(r.id));
  return root;
});

await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write(`baseline listening on ${port}\n`);
process.on('SIGTERM', () => void app.close().then(() => (db.close(), process.exit(0))));
