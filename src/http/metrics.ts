// Prometheus metrics: requests by dialect, route and status, and a latency histogram. One registry per app
// so tests can build many apps in one process.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  observe(dialect: string, route: string, method: string, status: number, seconds: number): void;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'labelmux_' });
  const requests = new Counter({
    name: 'labelmux_http_requests_total',
    help: 'HTTP requests by dialect, route template, method and status',
    labelNames: ['dialect', 'route', 'method', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'labelmux_http_request_duration_seconds',
    help: 'HTTP request latency by dialect and route template',
    labelNames: ['dialect', 'route', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return {
    registry,
    observe(dialect, route, method, status, seconds) {
      requests.inc({ dialect, route, method, status: String(status) });
      latency.observe({ dialect, route, method }, seconds);
    },
  };
}
