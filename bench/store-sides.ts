// What the store benches that compare two checkouts share (bench/label-totals.ts, bench/page-totals.ts): each
// checkout's store and copy modules loaded from its sources, and the CPU of processes read from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseStore } from '../src/db/index.js';

export interface StoreModule {
  createSqliteStore(path: string): DatabaseStore & { sqlite: unknown };
  createPgStore(url: string, opts?: { poolSize?: number }): DatabaseStore & { ready: Promise<void> };
}
export interface CopyModule {
  copySqliteToPg(sqlite: unknown, url: string): Promise<unknown>;
}
export const loadCheckout = async (checkout: string) => ({
  store: (await import(join(checkout, 'src/db/index.ts'))) as StoreModule,
  copy: (await import(join(checkout, 'src/db/pg/copy-from-sqlite.ts'))) as CopyModule,
});

const CLK_TCK = 100;
/** User + system CPU of these processes, in ms (clock ticks: 10 ms each). */
export function cpuOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone meanwhile
    }
  }
  return (ticks * 1000) / CLK_TCK;
}
/** The postmaster and its children. */
export function serverPids(postmaster: number): number[] {
  const out = [postmaster];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
