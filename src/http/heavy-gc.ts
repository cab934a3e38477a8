// After a burst of whole-workspace answers, the garbage they left (tens of MB per 100,000-label answer) stays
// in the heap until V8 next collects, and an idle server allocates too little to make it collect: RSS stayed
// 100–150 MB above idle for as long as the server was quiet. Once no heavy read has run for IDLE_MS, one full
// collection gives that memory back (~20–50 ms, once per burst, when nothing else is being served).
// During a burst, the whole lists check a heap budget between their pieces (heapBudget below), so their garbage
// is collected before it takes the process past its memory target instead of when V8's own growth rule says.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const IDLE_MS = 2000;

let gc: (() => void) | null | undefined;
/** V8's collector, exposed for this (a fresh context picks up --expose-gc); null where it cannot be. */
function collector(): (() => void) | null {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  return gc;
}

/** Counts running heavy reads; once none has run for `idleMs`, collects once. */
export function collectAfterBursts(idleMs = IDLE_MS, collect: () => void = () => collector()?.()) {
  let running = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    started(): void {
      running++;
      clearTimeout(timer);
    },
    ended(): void {
      if (--running > 0) return;
      clearTimeout(timer);
      timer = setTimeout(() => running === 0 && collect(), idleMs).unref();
    },
  };
}

/**
 * Heap in use (bytes) past which a whole list, between two of its pieces, has V8 collect first. V8 itself lets
 * the heap grow to 3× what it found live at its last full collection (src/heap.ts), and while several 100,000-label
 * lists were being built that was ~170 MB, so the heap reached ~500 MB, almost all of it their garbage (the
 * process's RSS 620–690 MB, target 300). Live, one such list holds 20–30 MB.
 */
export const HEAP_BUDGET = 128 * 2 ** 20;

/**
 * A check for between two pieces of a whole list: past `budget`, one full collection (~20–40 ms with 30–60 MB
 * live; a 100,000-label list costs 300–700 ms of CPU). What is still live then raises the bar to that plus half the
 * budget, so many big lists live at once (more than the budget) cost a collection per half budget of garbage, not
 * one per piece.
 */
export function heapBudget(budget = HEAP_BUDGET, used = () => getHeapStatistics().used_heap_size, collect: () => void = () => collector()?.()): () => void {
  let bar = budget;
  return () => {
    if (used() <= bar) return;
    collect();
    bar = Math.max(budget, used() + budget / 2);
  };
}

/** The process's check (one heap, one bar). */
export const withinHeapBudget = heapBudget();
