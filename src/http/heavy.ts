// Whole-workspace reads (the Jotform tree, Livestorm's label list, Razuna's getall and searchlabel, the admin
// export) build 10,000-label answers. Fifty of them at once interleave at every await: all fifty sets of
// objects stay alive together, survive into V8's old generation and make every major GC walk them. That used
// 1.2 GB and cut throughput by two thirds. Here at most HEAVY_CONCURRENCY of them run at once; the others
// wait, holding nothing but their socket, and those whose client disconnected meanwhile are dropped. A slot
// is released once the answer is handed to the operating system (onResponse), so answers do not pile up in
// Node's socket buffers either, but at most HOLD_MS after it is serialized (onSend): a client that reads
// slowly cannot hold a slot for longer than that.
//
// Fair between tenants: one workspace (or, for limbo's credentials spanning workspaces, one user) holds at most
// PER_TENANT slots, so with one tenant reading its whole workspace in a loop a slot stays free for everyone
// else; and the waiting reads are served round-robin between tenants (each tenant's own in arrival order), so
// a tenant's small list waits behind at most one read of each other waiting tenant, not behind a queue of eight.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const HEAVY_CONCURRENCY = 3;
export const PER_TENANT = 2;
export const HOLD_MS = 1000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A whole-workspace read: runs under the heavy-read limit. */
    heavy?: boolean;
  }
  interface FastifyRequest {
    heavySlot?: () => void;
  }
  interface FastifyInstance {
    /**
     * Waits for a heavy-read slot (released when the reply is sent); for routes that decide per request.
     * False when the client has gone meanwhile: answer with `gone(reply)` instead of building the answer.
     */
    heavy(req: FastifyRequest): Promise<boolean>;
  }
}

/** The answer to a client that disconnected while its heavy read waited: nobody reads it (nginx's 499). */
export const gone = (reply: FastifyReply) => reply.code(499).send();

/**
 * Whose turn a heavy read takes: the workspace the front end authenticated it into, else limbo's user (read
 * by shape, as rate-limit.ts does), else the route (the admin API: one operator).
 */
export function tenantOf(req: FastifyRequest): string {
  if (req.actor) return `ws:${req.actor.workspaceId}`;
  const limbo = (req as unknown as { limboPrincipal?: { userId: number } | null }).limboPrincipal;
  return limbo ? `user:${limbo.userId}` : `route:${req.routeOptions.url ?? ''}`;
}

/** Slots shared by tenants: at most `total` running, `perTenant` per tenant, waiting tenants served in turn. */
export class FairSlots {
  private running = 0;
  private readonly held = new Map<string, number>();
  /** Waiting starts per tenant; the Map's order is the round-robin ring (a tenant served moves to its end). */
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(
    private readonly total: number,
    private readonly perTenant: number,
  ) {}

  /** Resolves with the release function once the tenant has a slot. */
  acquire(tenant: string): Promise<() => void> {
    return new Promise((resolve) => {
      const start = () => resolve(this.take(tenant));
      if (!this.waiting.has(tenant) && this.free(tenant)) return start();
      const queue = this.waiting.get(tenant);
      if (queue) queue.push(start);
      else this.waiting.set(tenant, [start]);
    });
  }

  private free(tenant: string): boolean {
    return this.running < this.total && (this.held.get(tenant) ?? 0) < this.perTenant;
  }

  private take(tenant: string): () => void {
    this.running++;
    this.held.set(tenant, (this.held.get(tenant) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      const left = this.held.get(tenant)! - 1;
      if (left === 0) this.held.delete(tenant);
      else this.held.set(tenant, left);
      this.dispatch();
    };
  }

  /** Starts waiting reads, one per tenant per pass around the ring, while slots are free. */
  private dispatch(): void {
    for (let started = true; started && this.running < this.total; ) {
      started = false;
      for (const [tenant, queue] of [...this.waiting]) {
        if (this.running >= this.total) return;
        if (!this.free(tenant)) continue;
        const next = queue.shift()!;
        this.waiting.delete(tenant);
        if (queue.length > 0) this.waiting.set(tenant, queue); // to the end of the ring
        next();
        started = true;
      }
    }
  }
}

export function registerHeavyReads(app: FastifyInstance, concurrency = HEAVY_CONCURRENCY, perTenant = PER_TENANT): void {
  const slots = new FairSlots(concurrency, perTenant);
  const release = (req: FastifyRequest) => {
    if (!req.heavySlot) return;
    req.heavySlot();
    req.heavySlot = () => undefined; // released once; a second acquire in the same request is a no-op
  };
  /** True once the slot is held; false (and no slot held) when the client disconnected while waiting. */
  const acquire = async (req: FastifyRequest): Promise<boolean> => {
    if (!req.heavySlot) req.heavySlot = await slots.acquire(tenantOf(req));
    if (!req.socket.destroyed) return true;
    release(req);
    return false;
  };
  app.decorate('heavy', acquire);
  // Routes marked heavy wait for a slot after their own checks (authentication) have passed: a route-level
  // preHandler runs after the scope's. Other routes pay nothing but the synchronous release hooks below.
  const waitForSlot = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!(await acquire(req))) return gone(reply);
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.heavy) route.preHandler = [...[route.preHandler ?? []].flat(), waitForSlot];
  });
  // The release hooks stay global: routes that decide per request (`app.heavy`) hold slots too.
  app.addHook('onSend', (req, _reply, payload, done) => {
    if (req.heavySlot) setTimeout(() => release(req), HOLD_MS).unref();
    done(null, payload);
  });
  app.addHook('onResponse', (req, _reply, done) => {
    release(req);
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    release(req);
    done();
  });
}
