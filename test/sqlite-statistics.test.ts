// SQLite keeps the user's statistics only when they are complete: an index added by a migration after an
// `ANALYZE` has no row in sqlite_stat1, SQLite then guesses it selective and prefers it to the indexes it has
// counts for (a workspace's label page sorted in a temporary B-tree instead of walked). Partial statistics are
// dropped when the database is opened; a full ANALYZE is kept. (SQLite only: PostgreSQL analyzes by itself.)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/db/sqlite/open.js';

const dir = mkdtempSync(join(tmpdir(), 'labelmux-stat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PAGE = 'SELECT l.id, l.name, l.extras FROM labels l WHERE l.workspace_id = ? AND true ORDER BY l.id ASC LIMIT ? OFFSET ?';

function grown(file: string, category = true): void {
  const db = openSqlite(file);
  db.prepare("INSERT INTO workspaces (id, uuid, name, created_at) VALUES (1, 'w1', 'One', 0), (2, 'w2', 'Two', 0)").run();
  const add = db.prepare("INSERT INTO labels (workspace_id, parent_id, name, name_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
  db.transaction(() => {
    for (let i = 0; i < 3000; i++) add.run(1, null, `L${i}`, `l${i}`, i, i);
    if (category) add.run(1, 1, 'child', 'child', 0, 0); // one category, so its partial index has an entry
    for (let i = 0; i < 10; i++) add.run(2, null, `S${i}`, `s${i}`, i, i);
  })();
  db.exec('ANALYZE');
  db.close();
}
const statRows = (file: string): number => {
  const db = openSqlite(file);
  try {
    return (db.prepare('SELECT count(*) AS n FROM sqlite_stat1 WHERE idx IS NOT NULL').get() as { n: number }).n;
  } finally {
    db.close();
  }
};
const plan = (file: string): string => {
  const db = openSqlite(file);
  try {
    return (db.prepare(`EXPLAIN QUERY PLAN ${PAGE}`).all(1, 20, 0) as { detail: string }[]).map((r) => r.detail).join('; ');
  } finally {
    db.close();
  }
};

describe('SQLite statistics on open', () => {
  it('keeps a full ANALYZE', () => {
    const file = join(dir, 'full.db');
    grown(file);
    expect(statRows(file)).toBeGreaterThan(5);
    expect(plan(file)).toBe('SEARCH l USING INDEX labels_workspace_idx (workspace_id=?)');
  });

  it('keeps a full ANALYZE of a database without categories (their partial index empty, so without a row)', () => {
    const file = join(dir, 'no-categories.db');
    grown(file, false);
    expect(statRows(file)).toBeGreaterThan(5);
  });

  it('drops statistics that miss an index (one added after the ANALYZE), so pages are walked, not sorted', () => {
    const file = join(dir, 'partial.db');
    grown(file);
    const raw = openSqlite(file);
    raw.exec("DELETE FROM sqlite_stat1 WHERE idx = 'labels_workspace_updated_idx'");
    // What SQLite plans with them, read without the product's open: the new index guessed selective, a sort.
    raw.exec('ANALYZE sqlite_schema');
    expect((raw.prepare(`EXPLAIN QUERY PLAN ${PAGE}`).all(1, 20, 0) as { detail: string }[]).map((r) => r.detail).join('; ')).toMatch(/TEMP B-TREE/);
    raw.close();
    expect(statRows(file)).toBe(0);
    expect(plan(file)).toBe('SEARCH l USING INDEX labels_workspace_idx (workspace_id=?)');
  });
});
