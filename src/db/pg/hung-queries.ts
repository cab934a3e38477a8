// The client's own deadline for a statement, for a server that cancels nothing (stopped with SIGSTOP, cut off
// without a reset): its connection is destroyed, so the statement fails as a connection loss (health.ts).
//
// pg's `query_timeout` would do it with a timer per statement: a setTimeout of statement_timeout + 1 s made and
// cleared on every query. Those timers cost more than they seem: under load, labelmux on PostgreSQL promoted
// ~300 KB to the old generation at every scavenge with them (~20 KB without), its heap after each scavenge grew
// without end between full collections, scavenges took 4 ms instead of 1, and a Jotform point read cost ~20%
// more CPU. Here one interval timer per pool looks at the connections busy with a statement instead: a
// statement costs one Map entry set and deleted, stamped with the tick it began in.
import type pg from 'pg';

/** How often busy connections are looked at (ms): a hung statement is given up 0.5–1 s after the server's timeout. */
export const TICK_MS = 250;

type Client = pg.PoolClient | pg.Client;

export class HungQueries {
  /** Each busy connection and the tick its statement began in. */
  private readonly busy = new Map<Client, number>();
  private tick = 0;
  private readonly timer: NodeJS.Timeout;
  /** Ticks a statement may run before its connection is destroyed: the server's timeout, then half a second. */
  private readonly ticks: number;

  constructor(statementMs: number) {
    this.ticks = Math.ceil((statementMs + 500) / TICK_MS);
    this.timer = setInterval(() => this.look(), TICK_MS);
    this.timer.unref();
  }

  /** A statement begins on `client` (or the client is checked out of the pool for one). */
  begin(client: Client): void {
    this.busy.set(client, this.tick);
  }

  /** The client's statement is over (or the client went back to the pool, or left it). */
  end(client: Client): void {
    this.busy.delete(client);
  }

  /** Watches a pool's connections: one statement each between checkout and release (pool.query). */
  watch(pool: pg.Pool): void {
    pool.on('acquire', (client) => this.begin(client));
    pool.on('release', (_e, client) => this.end(client));
    pool.on('remove', (client) => this.end(client));
  }

  private look(): void {
    this.tick++;
    for (const [client, began] of this.busy) {
      if (this.tick - began <= this.ticks) continue;
      this.busy.delete(client);
      // What pg's own read timeout does to a pipelined connection: the statement, and the connection, fail.
      (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.busy.clear();
  }
}
