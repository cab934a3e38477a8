// Routes without credentials: liveness, readiness and metrics (bearer-protected when a token is set).
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../core/index.js';
import { sha256 } from '../core/index.js';
import type { Metrics } from './metrics.js';

export function operationsRoutes(app: FastifyInstance, core: Core, metrics: Metrics, metricsToken: string | undefined): void {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_req, reply) => {
    const ok = await core.ping().catch(() => false);
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
