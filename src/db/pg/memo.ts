// Remembered answers (Db.memo) on PostgreSQL, which several instances share: an answer is reused only by a
// read whose snapshot sees the very same committed transactions as the one it was computed in. A snapshot's
// text (`xmin:xmax:running xids`) changes exactly when a transaction ends: xmax is one past the latest
// completed transaction, and the running list loses one that ends below it. So equal texts see the same rows,
// whichever instance wrote them; a transaction merely running (even writing) changes neither.
import type { Q } from '../store/db.js';

/** Keys kept at most (the oldest is forgotten first). */
const MAX_MEMOS = 256;

export class SnapshotMemo {
  private readonly memos = new Map<string, { snapshot: string; value: unknown }>();

  /**
   * `compute()`, or its value from an earlier call with the same key in a snapshot that saw the same committed
   * transactions. `within` is the read transaction compute runs in (REPEATABLE READ: one snapshot for all its
   * statements); without one there is no snapshot to compare, and compute runs.
   */
  async memo<T>(key: string, compute: () => Promise<T>, within?: Q): Promise<T> {
    if (within === undefined) return compute();
    const snapshot = (await within.one<{ s: string }>('SELECT pg_current_snapshot()::text AS s'))!.s;
    const hit = this.memos.get(key);
    if (hit !== undefined && hit.snapshot === snapshot) return hit.value as T;
    const value = await compute();
    if (!this.memos.has(key) && this.memos.size >= MAX_MEMOS) this.memos.delete(this.memos.keys().next().value!);
    this.memos.set(key, { snapshot, value });
    return value;
  }
}
