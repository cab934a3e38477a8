// Builds a benchmark database at a given scale with the real migrations, by bulk insertion.
//   small: 1 workspace, ~10k labels in a 3-level tree, 100k resources, 500k assignments
//   large: 100 workspaces, ~1M labels, 1M resources, 5M assignments
// Every workspace gets an owner with a known workspace key (benchKey(i)) so load scripts can authenticate.
import { createHash } from 'node:crypto';
import { openSqlite } from '../src/db/sqlite/open.js';

export interface Scale {
  name: 'small' | 'large';
  workspaces: number;
  /** Resources per workspace; each gets ASSIGN_PER_RESOURCE labels. */
  resources: number;
}

export const SCALES: Record<Scale['name'], Scale> = {
  small: { name: 'small', workspaces: 1, resources: 100_000 },
  large: { name: 'large', workspaces: 100, resources: 10_000 },
};

/** 9 ordinary top-level labels × 100 × 10, plus a "Releases" category with 1000 timed (devtodev) labels. */
/** Part of the cached seeded files' names: a change to their tables makes the next run seed afresh. */
export const SEED_VERSION = 2;
export const TOPS = 9;
export const MIDS = 100;
export const LEAVES = 10;
export const RELEASES = 1000;
export const ASSIGN_PER_RESOURCE = 5;
export const RESOURCE_TYPES = ['library_item', 'form', 'img', 'product'] as const;
const T0 = Date.UTC(2024, 0, 1);

export const benchKey = (ws: number): string => ws.toString(16).padStart(32, 'b');
export const benchUuid = (ws: number): string => `00000000-0000-4000-8000-${ws.toString(16).padStart(12, '0')}`;

/** Deterministic PRNG (mulberry32) so every run builds the same data. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeedInfo {
  scale: Scale['name'];
  workspaces: number;
  labels: number;
  resources: number;
  assignments: number;
  seconds: number;
}

export function seed(path: string, scale: Scale): SeedInfo {
  const started = performance.now();
  const db = openSqlite(path);
  db.pragma('synchronous = OFF');
  const rnd = prng(42);
  const ins = {
    ws: db.prepare('INSERT INTO workspaces (id, uuid, name, created_at) VALUES (?,?,?,?)'),
    user: db.prepare('INSERT INTO users (id, email, email_key, name, created_at) VALUES (?,?,?,?,?)'),
    member: db.prepare("INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES (?,?,'owner',?)"),
    key: db.prepare("INSERT INTO api_keys (user_id, workspace_id, name, key_hash, created_at) VALUES (?,?,'bench',?,?)"),
    label: db.prepare(
      `INSERT INTO labels (workspace_id, parent_id, name, name_key, color, description, starts_at, ends_at, extras, created_by, created_at, updated_at)
       VALUES (?,?,?,?,?,'',?,?,'{}',?,?,?)`,
    ),
    resource: db.prepare(
      `INSERT INTO resources (workspace_id, type, external_id, name, status, attributes, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)`,
    ),
    assign: db.prepare(
      'INSERT OR IGNORE INTO assignments (label_id, resource_id, created_at, resource_type, resource_created_at, resource_external_id, resource_name) VALUES (?,?,?,?,?,?,?)',
    ),
  };
  let labels = 0;
  let resources = 0;
  let assignments = 0;
  for (let w = 1; w <= scale.workspaces; w++) {
    db.transaction(() => {
      ins.ws.run(w, benchUuid(w), `Bench ${w}`, T0);
      ins.user.run(w, `owner${w}@bench.local`, `owner${w}@bench.local`, `Owner ${w}`, T0);
      ins.member.run(w, w, T0);
      ins.key.run(w, w, createHash('sha256').update(benchKey(w)).digest('hex'), T0);
      let at = T0;
      const label = (parent: number | null, name: string, startsAt: number | null = null) => {
        at += 1000;
        labels++;
        const color = `#${Math.floor(rnd() * 0xffffff).toString(16).padStart(6, '0')}`;
        return Number(ins.label.run(w, parent, name, name.toLowerCase(), color, startsAt, startsAt, w, at, at).lastInsertRowid);
      };
      const leaves: number[] = [];
      for (let t = 0; t < TOPS; t++) {
        const top = label(null, `Topic ${t}`);
        for (let m = 0; m < MIDS; m++) {
          const mid = label(top, `Group ${t}.${m}`);
          for (let l = 0; l < LEAVES; l++) leaves.push(label(mid, `Tag ${t}.${m}.${l}`));
        }
      }
      const releases = label(null, 'Releases');
      for (let r = 0; r < RELEASES; r++) label(releases, `Release ${r}`, T0 + r * 86_400_000);
      for (let r = 0; r < scale.resources; r++) {
        const type = RESOURCE_TYPES[r % RESOURCE_TYPES.length]!;
        const attrs = JSON.stringify({ size: Math.floor(rnd() * 1e6), mime_type: 'video/mp4' });
        const id = Number(ins.resource.run(w, type, String(r + 1), `${type} ${r + 1}`, 'active', attrs, T0 + r, T0 + r).lastInsertRowid);
        resources++;
        for (let k = 0; k < ASSIGN_PER_RESOURCE; k++) {
          assignments += ins.assign.run(leaves[Math.floor(rnd() * leaves.length)]!, id, T0 + r, type, T0 + r, String(r + 1), `${type} ${r + 1}`).changes;
        }
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return { scale: scale.name, workspaces: scale.workspaces, labels, resources, assignments, seconds: (performance.now() - started) / 1000 };
}
