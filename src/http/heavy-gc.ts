// After a burst of whole-workspace answers, the garbage they left (tens of MB per 100,000-label answer) stays
// in the heap until V8 next collects, and an idle server allocates too little to make it collect: RSS stayed
// 100–150 MB above idle for as long as the server was quiet. Once no heavy read has run for IDLE_MS, one full
// collection gives that memory back (~20–50 ms, once per burst, when nothing else is being served).
import { setFlagsFromString } from 'node:v8';
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
