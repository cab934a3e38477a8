// The baselines as an app: bare Fastify + better-sqlite3 prepared statements answering the same queries as the
// benchmark's workloads (bench/baseline.ts serves one; the in-process benches inject into one).
//   bare: no auth, validation, envelopes or framework layers: the speed limit of the stack labelmux is built on.
//   contract: the same plus what every labelmux request must do whatever its code: the SHA-256 of the request's
//     key looked up by a prepared statement with the key's membership (401 without one), the answer in the vendor's
//     envelope, and on writes the audit event inserted in the same transaction as the change. Each read answers
//     with the data and envelope of the dialect's answer (bench/baseline-answers.ts; bench/contract-check.ts
//     compares them with labelmux's). The speed target is measured against this one.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { openSqlite } from '../src/db/sqlite/open.js';
import { dialectRoutes } from './baseline-answers.js';

interface Key {
  id: number;
  user_id: number;
  workspace_id: number | null;
  role: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    key?: Key;
  }
}

/** A baseline app on the database at `path` (not listening); close the database with `db.close()` after the app. */
export function baselineApp(path: string, mode: 'bare' | 'contract'): { app: FastifyInstance; db: Database.Database } {
  const contract = mode === 'contract';
  // Both run on the database as labelmux migrates it (its tables, indexes and triggers): their writes keep what
  // labelmux's keep, and the contract's reads find totals where labelmux's schema keeps them.
  const db = openSqlite(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  const q = {
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
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    key: db.prepare(
      `SELECT k.id, k.user_id, k.workspace_id, m.role FROM api_keys k
       LEFT JOIN memberships m ON m.workspace_id = k.workspace_id AND m.user_id = k.user_id
       WHERE k.key_hash = ? AND k.revoked_at IS NULL`,
    ),
    event: db.prepare('INSERT INTO events (workspace_id, actor_user_id, api_key_id, dialect, action, label_id, before, after, at) VALUES (?,?,?,?,?,?,?,?,?)'),
  };


  const app = Fastify({ logger: false });
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

  dialectRoutes(app, db, contract);

  let seq = 0;
  const ws = (req: FastifyRequest) => Number((req.query as { ws: string }).ws);
  app.get('/b/labels/:id', async (req) => answer({ label: q.one.get(Number((req.params as { id: string }).id)) }));
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
  app.delete('/b/users/:id', async (req) => {
    const changes = write(req, 'user.deleted', () => q.deleteUser.run(Number((req.params as { id: string }).id)).changes);
    return answer({ deleted: changes });
  });
  return { app, db };
}
