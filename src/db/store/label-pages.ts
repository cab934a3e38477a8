// A workspace's labels read in keyset pages, for the whole-workspace answers that stream (Livestorm's list,
// Jotform's tree, Razuna's getall): each page is one bounded query walking labels_workspace_created_idx from
// where the last one stopped, so only one page of rows is alive at a time, however large the workspace.
// The pages are separate reads, not one snapshot: a long answer to a slow client must not hold a read
// transaction (on SQLite it would keep the WAL from being checkpointed). A label created meanwhile comes last
// or not at all, a label deleted meanwhile may be missing; no label comes twice, since the key only grows.
import type { LabelPageStore } from '../../core/ports.js';
import type { LabelListing } from '../../core/types.js';
import type { Db } from './db.js';
import { LABEL_COLUMNS, toLabel, type LabelRow } from './label-rows.js';

/** Labels per page: large enough that the per-query cost is lost in the rows, small enough to stay a few MB. */
export const LABEL_PAGE_SIZE = 2000;

type Creator = { name: string; email: string } | undefined;

/** Fills in each row's creator, reading only those not in `seen` (creators are few; an earlier page's are there). */
export async function withCreators(db: Db, rows: Pick<LabelRow, 'created_by' | 'created_by_name' | 'created_by_email'>[], seen = new Map<number, Creator>()): Promise<void> {
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

/** What a listing reads of each label: labelListingPages' columns, in LABEL_COLUMNS' names. */
const LISTING_COLUMNS = 'SELECT l.id, l.name, l.color, l.created_by, NULL AS created_by_name, NULL AS created_by_email, l.created_at';
type ListingRow = Pick<LabelRow, 'id' | 'name' | 'color' | 'created_by' | 'created_by_name' | 'created_by_email' | 'created_at'>;
const toListing = (r: ListingRow): LabelListing => ({ id: r.id, name: r.name, color: r.color, createdByName: r.created_by_name, createdAt: r.created_at });

export function labelPageStore(db: Db): LabelPageStore {
  // (created_at, id) > (?, ?) is a range on the index's last two columns on both databases.
  const page = (columns: string) => `${columns} FROM labels l WHERE l.workspace_id = ? AND (l.created_at, l.id) > (?, ?) ORDER BY l.created_at, l.id LIMIT ?`;

  /** The workspace's labels in (created_at, id) order — listLabels' order — in pages of at most `size`, as `map` makes them. */
  async function* pages<R extends ListingRow, T>(sql: string, map: (r: R) => T, ws: number, size: number): AsyncGenerator<T[]> {
    const seen = new Map<number, Creator>();
    let after: [number, number] = [Number.MIN_SAFE_INTEGER, 0];
    for (;;) {
      const rows = await db.all<R>(sql, ws, after[0], after[1], size);
      if (rows.length === 0) return;
      await withCreators(db, rows, seen);
      const last = rows[rows.length - 1]!;
      after = [Number(last.created_at), Number(last.id)];
      yield rows.map(map);
      if (rows.length < size) return;
    }
  }
  const FULL = page(LABEL_COLUMNS);
  const LISTING = page(LISTING_COLUMNS);

  return {
    labelPages: (ws, size = LABEL_PAGE_SIZE) => pages(FULL, toLabel, ws, size),
    labelListingPages: (ws, size = LABEL_PAGE_SIZE) => pages(LISTING, toListing, ws, size),
  };
}
