import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tuneHeap } from '../src/heap.js';

describe('heap tuning', () => {
  it("leaves an operator's own growing factor alone", () => {
    expect(tuneHeap(['--heap-growing-percent=50'], '')).toBeNull();
    expect(tuneHeap([], '--max-old-space-size=512 --heap_growing_percent=80')).toBeNull();
  });

  it('bounds how far the heap grows past its live size while requests churn through objects', () => {
    // A small live heap, then batches of short-lived objects that each survive a few scavenges (held for a
    // while, as a whole-workspace read holds its rows): they are promoted and die in the old generation.
    const script = `
      const tuned = process.argv[1] === 'tuned' ? (await import(${JSON.stringify(new URL('../src/heap.ts', import.meta.url).href)})).tuneHeap([], '') : null;
      const live = Array.from({ length: 100 }, () => new Array(12500).fill(0).map((_, i) => ({ i })));
      let peak = 0;
      const held = [];
      for (let round = 0; round < 3000; round++) {
        held.push(Array.from({ length: 5000 }, (_, i) => ({ i, s: 'x' + i })));
        if (held.length > 30) held.shift();
        peak = Math.max(peak, process.memoryUsage().heapTotal);
      }
      process.stdout.write(JSON.stringify({ tuned, peak: Math.round(peak / 1048576), live: live.length }));
    `;
    const run = (mode: string) =>
      JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, mode], { encoding: 'utf8' })) as { tuned: string | null; peak: number };
    const tuned = run('tuned');
    const plain = run('plain');
    expect(tuned.tuned).toBe('--heap-growing-percent=200');
    expect(plain.tuned).toBeNull();
    expect(tuned.peak).toBeLessThan(plain.peak * 0.9);
  }, 60_000);
});
