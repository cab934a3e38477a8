// Whole-workspace reads (the Jotform tree, Livestorm's label list, Razuna's getall and searchlabel, the admin
// export) build 10,000-label answers. Fifty of them at once interleave at every await: all fifty sets of
// objects stay alive together, survive into V8's old generation and make every major GC walk them. That used
// 1.2 GB and cut throughput by two thirds. Here at most HEAVY_CONCURRENCY of them run at once; the others
// wait, holding nothing but their socket, and those whose client disconnected meanwhile are dropped. A slot
// is released once the answer is handed to the operating system (onResponse), so answers do not pile up in
// Node's socket buffers either, but at most HOLD_MS after it is serialized (onSend): a client that reads
// slowly cannot hold a slot for longer than that.
// A workspace of 100,000 labels makes answers ten times that size (10–18 MB, ~100 MB of short-lived objects
// each); two of them at once took the process past 650 MB. So an answer is weighed by its workspace: once a
// workspace's whole answer has come out BIG_ANSWER_BYTES or larger, its next ones take every slot and run
// alone (waiting their turn in the same queue); smaller workspaces keep HEAVY_CONCURRENCY at a time.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const HEAVY_CONCURRENCY = 2;
export const HOLD_MS = 1000;
/** An answer this large (bytes, ~40,000 labels in Livestorm's list) marks its workspace as one whose answers run alone. */
export const BIG_ANSWER_BYTES = 4 * 2 ** 20;
/** Workspaces remembered as big, at most (the set is cleared when full: they are re-learnt one answer each). */
const MAX_REMEMBERED = 10_000;

/** Slots taken in FIFO order: the head of the queue waits until its weight is free, nobody overtakes it. */
function slots(capacity: number) {
  let free = capacity;
  const queue: { weight: number; start: () => void }[] = [];
  const next = () => {
    while (queue.length > 0 && queue[0]!.weight <= free) {
      const head = queue.shift()!;
      free -= head.weight;
      head.start();
    }
  };
  return (weight: number): Promise<() => void> =>
    new Promise((resolve) => {
      const w = Math.min(weight, capacity);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        free += w;
        next();
      };
      queue.push({ weight: w, start: () => resolve(release) });
      next();
    });
}

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

export function registerHeavyReads(app: FastifyInstance, concurrency = HEAVY_CONCURRENCY): void {
  const take = slots(concurrency);
  const big = new Set<string>();
  /** What an answer's size is remembered by: its workspace, or its path for routes without one (admin). */
  const sizeKey = (req: FastifyRequest) => (req.actor ? `ws:${req.actor.workspaceId}` : `path:${req.url.split('?')[0]}`);
  const release = (req: FastifyRequest) => {
    if (!req.heavySlot) return;
    req.heavySlot();
    req.heavySlot = () => undefined; // released once; a second acquire in the same request is a no-op
  };
  /** True once the slot is held; false (and no slot held) when the client disconnected while waiting. */
  const acquire = async (req: FastifyRequest): Promise<boolean> => {
    if (!req.heavySlot) req.heavySlot = await take(big.has(sizeKey(req)) ? concurrency : 1);
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
  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.heavySlot) {
      setTimeout(() => release(req), HOLD_MS).unref();
      if (reply.statusCode === 200) remember(sizeKey(req), typeof payload === 'string' || Buffer.isBuffer(payload) ? payload.length : 0);
    }
    done(null, payload);
  });
  const remember = (key: string, bytes: number) => {
    if (bytes < BIG_ANSWER_BYTES) return void big.delete(key);
    if (big.size >= MAX_REMEMBERED) big.clear();
    big.add(key);
  };
  app.addHook('onResponse', (req, _reply, done) => {
    release(req);
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    release(req);
    done();
  });
}
