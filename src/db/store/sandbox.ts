// The sandbox's storage (core/ports-sandbox.ts): a reset to a fixture plan, and deleting one workspace. A reset
// runs a fixed, small number of statements whatever the plan holds (rows are inserted many per statement), so
// it stays a few milliseconds on PostgreSQL too, where each statement is a round trip.
import type { FixturePlan, SandboxStore } from '../../core/ports-sandbox.js';
import type { Db, Q } from './db.js';
import { json, nameKey } from './rows.js';

/** Tables whose ids come from a sequence (AUTOINCREMENT / bigserial). */
const SEQUENCED = ['workspaces', 'users', 'api_keys', 'labels', 'resources', 'events', 'oauth_tokens'] as const;
/**
 * Parameters per INSERT at most (~300 labels): far below SQLite's 32,766 and PostgreSQL's 65,535, and few enough
 * to pass as a call's arguments (better-sqlite3's run(...params) overflowed the stack at 26,000).
 */
export const MAX_PARAMS = 4000;

/**
 * Empties every table. Deleting workspaces and users cascades (by the foreign keys' indexes) to memberships,
 * keys, labels, resources, assignments, events and OAuth tokens; no statement names a big table unbounded.
 */
async function wipe(q: Q): Promise<void> {
  await q.run(`DELETE FROM workspaces`);
  await q.run(`DELETE FROM users`);
  await q.run(`DELETE FROM counters`);
  await q.run(`DELETE FROM oauth_login_failures`);
}

/** INSERT of many rows, a statement per MAX_PARAMS parameters. */
async function insertRows(q: Q, table: string, columns: readonly string[], rows: unknown[][]): Promise<void> {
  const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const tuple = `(${columns.map(() => '?').join(',')})`;
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    await q.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(',')}`, ...chunk.flat());
  }
}

async function writePlan(q: Q, p: FixturePlan, at: number): Promise<void> {
  await insertRows(q, 'workspaces', ['id', 'uuid', 'name', 'created_at'], p.workspaces.map((w) => [w.id, w.uuid, w.name, at]));
  await insertRows(q, 'users', ['id', 'email', 'email_key', 'name', 'password_hash', 'created_at'], p.users.map((u) => [u.id, u.email, u.email.toLowerCase(), u.name, u.passwordHash, at]));
  await insertRows(q, 'memberships', ['workspace_id', 'user_id', 'role', 'created_at'], p.members.map((m) => [m.workspaceId, m.userId, m.role, at]));
  await insertRows(q, 'api_keys', ['id', 'user_id', 'workspace_id', 'name', 'key_hash', 'created_at'], p.keys.map((k) => [k.id, k.userId, k.workspaceId, k.name, k.keyHash, at]));
  await insertRows(
    q,
    'labels',
    ['id', 'workspace_id', 'parent_id', 'name', 'name_key', 'color', 'description', 'starts_at', 'ends_at', 'extras', 'created_by', 'created_at', 'updated_at'],
    p.labels.map((l) => [l.id, l.workspaceId, l.parentId, l.name, nameKey(l.name), l.color, l.description, l.startsAt, l.endsAt, json(l.extras), null, at, at]),
  );
  await insertRows(
    q,
    'resources',
    ['id', 'workspace_id', 'type', 'external_id', 'name', 'status', 'attributes', 'created_at', 'updated_at'],
    p.resources.map((r) => [r.id, r.workspaceId, r.type, r.externalId, r.name, r.status, json(r.attributes), at, at]),
  );
  // Each assignment keeps its resource's type, creation time, external id and name (a label's pages walk them).
  const resource = new Map(p.resources.map((r) => [r.id, r]));
  await insertRows(
    q,
    'assignments',
    ['label_id', 'resource_id', 'created_at', 'resource_type', 'resource_created_at', 'resource_external_id', 'resource_name'],
    p.assignments.map((a) => {
      const r = resource.get(a.resourceId)!;
      return [a.labelId, a.resourceId, at, r.type, at, r.externalId, r.name];
    }),
  );
}

export function sandboxStore(db: Db): SandboxStore {
  return {
    async resetTo(plan, at) {
      const rows: Record<(typeof SEQUENCED)[number], number> = {
        workspaces: plan.workspaces.length, users: plan.users.length, api_keys: plan.keys.length, labels: plan.labels.length,
        resources: plan.resources.length, events: 0, oauth_tokens: 0,
      };
      const restart = db.sql.restartIds(SEQUENCED.map((t) => [t, rows[t]] as const));
      // Scope 'any': every remembered answer (key lookups, counts) is forgotten when this commits.
      await db.write(async (q) => {
        await wipe(q);
        await writePlan(q, plan, at);
        await q.run(restart);
      }, 'any');
    },

    async deleteWorkspace(id) {
      return db.write(async (q) => {
        const keys = await q.all<{ id: number }>(`SELECT id FROM api_keys WHERE workspace_id = ?`, id);
        // Cascades (each by its foreign key's index) take the labels, resources, assignments, members, keys and events.
        if ((await q.run(`DELETE FROM workspaces WHERE id = ?`, id)).changes === 0) return false;
        // Its daily counters and its keys' (quotas, creation limits, rate limit windows), whatever their scope.
        await q.run(`DELETE FROM counters WHERE ${db.sql.inList('subject', 'text')}`, db.sql.list([`ws:${id}`, ...keys.map((k) => `key:${k.id}`)]));
        return true;
      }, 'any');
    },
  };
}
