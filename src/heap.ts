// V8 lets the old generation grow to several times its live size before a full collection. labelmux's live
// heap is ~30 MB, but whole-workspace reads (10,000 labels, two at a time) promote tens of MB of short-lived
// objects each, so the heap grew to ~160 MB of mostly garbage between full collections and the process's peak
// RSS reached 266–339 MB. Growing the heap by at most 3× its live size keeps the peak near 236 MB, with no
// measurable cost to whole-workspace throughput (each full collection of a 30 MB live heap takes ~10 ms,
// mostly incremental). Measured on the large bench database (docs/benchmarks.md, "Memory" under "What measuring taught").
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 200;

/**
 * Sets V8's heap growing factor for the server, unless the operator chose one (`--heap-growing-percent` in
 * NODE_OPTIONS or on the command line). Returns the flag it set, if any.
 */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string | null {
  if ([...execArgv, nodeOptions].some((a) => /--heap[-_]growing[-_]percent/.test(a))) return null;
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
  setFlagsFromString(flag);
  return flag;
}
