// The sandbox clock: the one `now` the core reads for everything it dates — timestamps it writes, daily
// quotas (Jotform, devtodev), limbo's token lifetimes, rate-limit windows counted in the store. It runs as
// the real clock until it is controlled: from the start with LABELMUX_CLOCK=<ISO time>, or from the first
// POST /_admin/clock. A controlled clock stands still and moves only when told, so a test can cross a UTC
// midnight or a token's expiry without waiting.

export interface Clock {
  /** UTC milliseconds; hand this function to createCore({ now }). */
  readonly now: () => number;
  /** True while the clock stands still (LABELMUX_CLOCK, or after a set or advance). */
  readonly controlled: boolean;
  /** Moves the clock to `ms` (backwards too) and holds it there. */
  set(ms: number): void;
  /** Moves the clock forward by `ms` (from the real time, if it was running) and holds it there. */
  advance(ms: number): void;
  /** Back to the start: the LABELMUX_CLOCK time, or the real clock. POST /_admin/reset calls it. */
  reset(): void;
}

/** A clock standing at `start`, or (start null) running as `base` until it is set or advanced. */
export function createClock(start: number | null, base: () => number = Date.now): Clock {
  let held: number | null = start;
  return {
    now: () => held ?? base(),
    get controlled() {
      return held !== null;
    },
    set: (ms) => void (held = ms),
    advance: (ms) => void (held = (held ?? base()) + ms),
    reset: () => void (held = start),
  };
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** One or more `<n><unit>` parts: `90s`, `15m`, `25h`, `2d`, `1d12h`, `500ms`. */
export const DURATION = /^(?:\d{1,9}(?:ms|s|m|h|d))+$/;

/** Milliseconds of a duration matching DURATION. */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) total += Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return total;
}
