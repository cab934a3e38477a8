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
//
// Weighed by size: a workspace of 100,000 labels makes answers ten times that size (10–18 MB, ~100 MB of
// short-lived objects each); two of them at once took the process past 650 MB. Once a tenant's whole answer
// has come out BIG_ANSWER_BYTES or larger, its next ones take every slot and run alone. A waiting big read
// reserves the slots as they free up (nobody overtakes it in the ring), so it cannot starve; the others then
// wait for that one read only.
//
// Held whole: Jotform's tree and Razuna's record sets need every label before their first byte and keep the
// workspace (lean, 15–30 MB at 100,000 labels) until the last byte is written, long after their slot is freed
// (HOLD_MS) when the client reads slowly. A big tenant's such answer (config `heavy: 'holds'`, `app.heavy(req,
// 'holds')`) first takes one of HELD_MAX places, kept until its answer has been written or dropped, so at most
// HELD_MAX of them are in memory at once, however slow their clients. It waits for that place holding no slot, so
// other tenants' reads, the big tenant's paged lists (Livestorm's) and point reads never wait for it. A client
// that takes nothing of such an answer for STALL_MS is disconnected (nginx's send_timeout, 60 s by default), so
// stalled clients cannot keep the places forever.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectAfterBursts } from './heavy-gc.js';

export const HEAVY_CONCURRENCY = 3;
export const PER_TENANT = 2;
export const HOLD_MS = 1000;
/** An answer this large (bytes, ~40,000 labels in Livestorm's list) marks its tenant as one whose answers run alone. */
export const BIG_ANSWER_BYTES = 4 * 2 ** 20;
/** Big tenants' whole answers held in memory at once (being built or written), at most. */
export const HELD_MAX = 2;
/** A held answer whose client has taken nothing for this long (ms) is cut off. */
export const STALL_MS = 60_000;
/** Tenants remembered as big, at most (the set is cleared when full: they are re-learnt one answer each). */
const MAX_REMEMBERED = 10_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A whole-workspace read: runs under the heavy-read limit; `holds`: its answer holds the workspace until written. */
    heavy?: boolean | 'holds';
  }
  interface FastifyRequest {
    /** The heavy-read slot this request holds (released once), or null. */
    heavySlot: (() => void) | null;
    /** The held-answer place (HELD_MAX) of a big tenant's answer that holds the workspace, released once it is written. */
    heldPlace: (() => void) | null;
  }
  interface FastifyInstance {
    /**
     * Waits for a heavy-read slot (released when the reply is sent); for routes that decide per request.
     * False when the client has gone meanwhile: answer with `gone(reply)` instead of building the answer.
     * `holds`: the answer keeps the whole workspace until it is written (see HELD_MAX).
     */
    heavy(req: FastifyRequest, holds?: 'holds'): Promise<boolean>;
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

interface Waiting {
  weight: number;
  start: () => void;
}

/**
 * Slots shared by tenants: at most `total` weight running, `perTenant` reads per tenant, waiting tenants served
 * in turn. A read weighs 1, or up to `total` (it then runs alone).
 */
export class FairSlots {
  private running = 0;
  private readonly held = new Map<string, number>();
  /** Waiting starts per tenant; the Map's order is the round-robin ring (a tenant served moves to its end). */
  private readonly waiting = new Map<string, Waiting[]>();

  constructor(
    private readonly total: number,
    private readonly perTenant: number,
  ) {}

  /** Resolves with the release function once the tenant has a slot. */
  acquire(tenant: string, weight = 1): Promise<() => void> {
    const w = Math.max(1, Math.min(weight, this.total));
    return new Promise((resolve) => {
      const item = { weight: w, start: () => resolve(this.take(tenant, w)) };
      const queue = this.waiting.get(tenant);
      if (queue) queue.push(item);
      else this.waiting.set(tenant, [item]);
      this.dispatch();
    });
  }

  private capped(tenant: string): boolean {
    return (this.held.get(tenant) ?? 0) >= this.perTenant;
  }

  private take(tenant: string, weight: number): () => void {
    this.running += weight;
    this.held.set(tenant, (this.held.get(tenant) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= weight;
      const left = this.held.get(tenant)! - 1;
      if (left === 0) this.held.delete(tenant);
      else this.held.set(tenant, left);
      this.dispatch();
    };
  }

  /**
   * Starts waiting reads, one per tenant per pass around the ring, while slots are free. A tenant at its own
   * limit is passed over; the first other one whose read does not fit stops the pass (it keeps its turn).
   */
  private dispatch(): void {
    for (let started = true; started && this.running < this.total; ) {
      started = false;
      for (const [tenant, queue] of [...this.waiting]) {
        if (this.capped(tenant)) continue;
        if (this.running + queue[0]!.weight > this.total) return;
        const next = queue.shift()!.start;
        this.waiting.delete(tenant);
        if (queue.length > 0) this.waiting.set(tenant, queue); // to the end of the ring
        next();
        started = true;
      }
    }
  }
}

/**
 * A streamed answer (src/http/streamed.ts) is weighed once it has all gone out: its size still tells whether
 * the tenant's whole answers are big (Jotform's tree and Razuna's record sets hold the workspace while they
 * are written, so two at once still add up). Only 'end' is listened to: a 'data' listener would start the
 * flow before the stream is piped.
 */
function measured(stream: Readable, done: (size: number) => void): void {
  stream.once('end', () => done((stream as Readable & { written?: number }).written ?? 0));
}

/** Destroys `socket` once it has taken no byte for a whole `ms` while `res` is being written. */
function cutOffWhenStalled(socket: { bytesWritten: number; destroy(): void }, res: { once(e: 'close', f: () => void): unknown }, ms: number): void {
  let last = -1;
  const timer = setInterval(() => {
    if (socket.bytesWritten === last) socket.destroy();
    last = socket.bytesWritten;
  }, ms).unref();
  res.once('close', () => clearInterval(timer));
}

/** What the app's own hooks call (src/app.ts), or registerHeavyReads installs as hooks of their own. */
export interface HeavyReads {
  /** Clears the tenants remembered as big (a reset may give their ids to new workspaces). */
  forget(): void;
  /** In onSend: measures the answer, and releases the slot at most HOLD_MS later. */
  sent(req: FastifyRequest, reply: FastifyReply, payload: unknown): void;
  /** In onResponse: releases whatever the request still holds. */
  finished(req: FastifyRequest): void;
}

/**
 * The heavy-read limit without hooks of its own for every request: the caller runs `sent` in an onSend hook and
 * `finished` in an onResponse hook of every route (routes that decide per request, `app.heavy`, hold slots too).
 * A request that acquires a slot releases it when its client aborts.
 */
export function heavyReads(
  app: FastifyInstance,
  concurrency = HEAVY_CONCURRENCY,
  perTenant = PER_TENANT,
  { heldMax = HELD_MAX, stallMs = STALL_MS } = {},
): HeavyReads {
  const slots = new FairSlots(concurrency, perTenant);
  const held = new FairSlots(heldMax, heldMax);
  const big = new Set<string>();
  const remember = (tenant: string, bytes: number) => {
    if (bytes < BIG_ANSWER_BYTES) return void big.delete(tenant);
    if (big.size >= MAX_REMEMBERED) big.clear();
    big.add(tenant);
  };
  const idle = collectAfterBursts();
  // A slot is released once, whichever comes first (the answer sent, or HOLD_MS after it was serialized); it
  // stays set on the request, so a second acquire in the same request is a no-op.
  const release = (req: FastifyRequest) => req.heavySlot?.();
  const releaseHeld = (req: FastifyRequest) => {
    req.heldPlace?.();
    req.heldPlace = null;
  };
  const finished = (req: FastifyRequest) => {
    release(req);
    releaseHeld(req);
  };
  /**
   * A held slot's release, callable any number of times. Made outside `acquire`: a closure made there would share
   * its scope with the close listener's, which holds the request, and the HOLD_MS timer holds this function.
   */
  const releaseOnce = (free: () => void) => {
    idle.started();
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      free();
      idle.ended();
    };
  };
  /** True once the slot is held; false (and no slot held) when the client disconnected while waiting. */
  const acquire = async (req: FastifyRequest, holds?: 'holds'): Promise<boolean> => {
    if (!req.heavySlot) {
      // An aborted request has no onResponse: its slot and place are released when it closes.
      req.raw.once('close', () => {
        if (req.raw.aborted) finished(req);
      });
      const tenant = tenantOf(req);
      if (holds && !req.heldPlace && big.has(tenant)) {
        req.heldPlace = await held.acquire(tenant);
        if (req.socket.destroyed) {
          releaseHeld(req);
          return false;
        }
      }
      req.heavySlot = releaseOnce(await slots.acquire(tenant, big.has(tenant) ? concurrency : 1));
    }
    if (!req.socket.destroyed) return true;
    release(req);
    return false;
  };
  app.decorateRequest('heavySlot', null);
  app.decorateRequest('heldPlace', null);
  app.decorate('heavy', acquire);
  // Routes marked heavy wait for a slot after their own checks (authentication) have passed: a route-level
  // preHandler runs after the scope's. Other routes pay nothing but the caller's synchronous release calls.
  const waitForSlot = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!(await acquire(req, req.routeOptions.config.heavy === 'holds' ? 'holds' : undefined))) return gone(reply);
  };
  app.addHook('onRoute', (route) => {
    if (route.config?.heavy) route.preHandler = [...[route.preHandler ?? []].flat(), waitForSlot];
  });
  return {
    forget: () => big.clear(),
    sent(req, reply, payload) {
      if (req.heldPlace) {
        reply.raw.once('close', () => releaseHeld(req));
        cutOffWhenStalled(req.socket, reply.raw, stallMs);
      }
      if (req.heavySlot) {
        // The timer holds the slot's release only: holding the request would keep its whole answer (rows, text,
        // stream) alive for HOLD_MS after it was sent, and at hundreds of small whole-workspace reads a second that
        // was hundreds of answers (a 1,000-label workspace's Razuna getall at 300 req/s peaked at 417 MB).
        setTimeout(req.heavySlot, HOLD_MS).unref();
        if (reply.statusCode === 200) {
          if (payload instanceof Readable) measured(payload, (n) => remember(tenantOf(req), n));
          else remember(tenantOf(req), typeof payload === 'string' || Buffer.isBuffer(payload) ? payload.length : 0);
        }
      }
    },
    finished,
  };
}

/** heavyReads with its own onSend and onResponse hooks (an app without hooks that call them). */
export function registerHeavyReads(
  app: FastifyInstance,
  concurrency = HEAVY_CONCURRENCY,
  perTenant = PER_TENANT,
  options: { heldMax?: number; stallMs?: number } = {},
): HeavyReads {
  const heavy = heavyReads(app, concurrency, perTenant, options);
  app.addHook('onSend', (req, reply, payload, done) => {
    heavy.sent(req, reply, payload);
    done(null, payload);
  });
  app.addHook('onResponse', (req, _reply, done) => {
    heavy.finished(req);
    done();
  });
  return heavy;
}
