// Routes without credentials: liveness, readiness and metrics (bearer-protected when a token is set).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/index.js';
import { sha256 } from '../core/index.js';
import type { Metrics } from './metrics.js';

/** The longest /readyz waits for the database's answer before saying it is not ready. */
export const READY_WITHIN_MS = 2000;

export function operationsRoutes(app: FastifyInstance, core: Core, metrics: Metrics, metricsToken: string | undefined): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  // Bounded: a hung database makes readiness fail within READY_WITHIN_MS, never hang the probe itself.
  app.get('/readyz', async (_req, reply) => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, READY_WITHIN_MS, false)));
    const ok = await Promise.race([core.ping().catch(() => false), late]).finally(() => clearTimeout(timer));
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'database unavailable' });
  });

  const expected = metricsToken === undefined ? null : Buffer.from(sha256(metricsToken), 'hex');
  app.get('/metrics', async (req, reply) => {
    if (expected) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
      if (!m || !timingSafeEqual(Buffer.from(sha256(m[1]!), 'hex'), expected)) return reply.code(401).header('www-authenticate', 'Bearer realm="labelmux-metrics"').send({ error: 'Unauthorized' });
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
