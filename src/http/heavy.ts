// Whole-workspace reads (the Jotform tree, Livestorm's label list, Razuna's getall and searchlabel, the admin
// export) build 10,000-label answers. Fifty of them at once interleave at every await: all fifty sets of
// objects stay alive together, survive into V8's old generation and make every major GC walk them. That used
// 1.2 GB and cut throughput by two thirds. Here at most HEAVY_CONCURRENCY of them run at once; the others
// wait, holding nothing but their socket, and those whose client disconnected meanwhile are dropped. A slot
// is released once the answer is handed to the operating system (onResponse), so answers do not pile up in
// Node's socket buffers either, but at most HOLD_MS after it is serialized (onSend): a client that reads
// slowly cannot hold a slot for longer than that.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import pLimit from 'p-limit';

export const HEAVY_CONCURRENCY = 2;
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

export function registerHeavyReads(app: FastifyInstance, concurrency = HEAVY_CONCURRENCY): void {
  const limit = pLimit(concurrency);
  const release = (req: FastifyRequest) => {
    if (!req.heavySlot) return;
    req.heavySlot();
    req.heavySlot = () => undefined; // released once; a second acquire in the same request is a no-op
  };
  /** True once the slot is held; false (and no slot held) when the client disconnected while waiting. */
  const acquire = async (req: FastifyRequest): Promise<boolean> => {
    if (!req.heavySlot) {
      await new Promise<void>((started) => {
        void limit(
          () =>
            new Promise<void>((done) => {
              req.heavySlot = done;
              started();
            }),
        );
      });
    }
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
