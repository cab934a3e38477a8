// A workspace's labels read in keyset pages, for the whole-workspace answers that stream (Livestorm's list,
// Jotform's tree, Razuna's getall): each page is one bounded query walking labels_workspace_created_idx from
// where the last one stopped, so only one page of rows is alive at a time, however large the workspace.
// The pages are separate reads, not one snapshot: a long answer to a slow client must not hold a read
// transaction (on SQLite it would keep the WAL from being checkpointed). A label created meanwhile comes last
// or not at all, a label deleted meanwhile may be missing; no label comes twice, since the key only grows.
import type { LabelPageStore } from '../../core/ports.js';
import type { Label } from '../../core/types.js';
import type { Db } from './db.js';
import { LABEL_COLUMNS, toLabel, type LabelRow } from './label-rows.js';

/** Labels per page: large enough that the per-query cost is lost in the rows, small enough to stay a few MB. */
export const LABEL_PAGE_SIZE = 2000;

type Creator = { name: string; email: string } | undefined;

/** Fills in each row's creator, reading only those not in `seen` (creators are few; an earlier page's are there). */
export async function withCreators(db: Db, rows: LabelRow[], seen = new Map<number, Creator>()): Promise<void> {
  const missing = [...new Set(rows.flatMap((r) => (r.created_by === null || seen.has(r.created_by) ? [] : [r.created_by])))];
  if (missing.length > 0) {
    const users = await db.all<{ id: number; name: string; email: string }>(`SELECT id, name, email FROM users WHERE ${db.sql.inList('id', 'int')}`, db.sql.list(missing));
    for (const id of missing) seen.set(id, undefined); // deleted meanwhile: no creator
    for (const u of users) seen.set(u.id, { name: u.name, email: u.email });
  }
  for (const r of rows) {
    const u = r.created_by === null ? undefined : seen.get(r.created_by);
    r.created_by_name = u?.name ?? null;
    r.created_by_email = u?.email ?? null;
  }
}

export function labelPageStore(db: Db): LabelPageStore {
  // (created_at, id) > (?, ?) is a range on the index's last two columns on both databases.
  const PAGE = `${LABEL_COLUMNS} FROM labels l WHERE l.workspace_id = ? AND (l.created_at, l.id) > (?, ?) ORDER BY l.created_at, l.id LIMIT ?`;

  return {
    /** The workspace's labels in (created_at, id) order — listLabels' order — in pages of at most `size`. */
    async *labelPages(ws: number, size = LABEL_PAGE_SIZE): AsyncGenerator<Label[]> {
      const seen = new Map<number, Creator>();
      let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
      for (;;) {
        const rows = await db.all<LabelRow>(PAGE, ws, after[0], after[1], size);
        if (rows.length === 0) return;
        await withCreators(db, rows, seen);
        const last = rows[rows.length - 1]!;
        after = [Number(last.created_at), Number(last.id)];
        yield rows.map(toLabel);
        if (rows.length < size) return;
      }
    },
  };
}
