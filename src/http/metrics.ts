// Prometheus metrics: requests by dialect, route and status, and a latency histogram. One registry per app
// so tests can build many apps in one process.
//
// prom-client's labelled Counter and Histogram check and hash their label object on every call: about 7 µs of
// a 200 µs request. Here each request adds to plain numbers in its series (found by one Map lookup), and the
// series become samples only when /metrics is scraped. prom-client keeps the registry, the default process
// metrics and the text format.
import { Gauge, Registry, collectDefaultMetrics, type Metric, type MetricValue } from 'prom-client';
import { BUILD_INFO } from '../build-info.js';
import { merge } from '../core/index.js';

export interface Metrics {
  registry: Registry;
  observe(dialect: string, route: string, method: string, status: number, seconds: number): void;
}

/** Upper bounds of the latency buckets, in seconds. */
export const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;

type RouteLabels = { dialect: string; route: string; method: string };
/** One dialect, route and method: requests by status, and latency counts per bucket (not cumulative; the last is +Inf). */
interface Series {
  labels: RouteLabels;
  byStatus: Map<number, number>;
  buckets: number[];
  sum: number;
  count: number;
}

/** A metric the registry can scrape: what prom-client's own metrics offer it (`get`, `reset`). */
const scraped = (name: string, help: string, type: 'counter' | 'histogram', values: () => MetricValue<string>[]) =>
  ({ name, help, type, aggregator: 'sum', get: () => ({ name, help, type, aggregator: 'sum', values: values() }), reset: () => undefined }) as unknown as Metric;

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'labelmux_' });
  // The usual build-info gauge: constant 1, the build in its labels, so a dashboard can join on it or show versions.
  const { version, commit, node } = BUILD_INFO;
  new Gauge({ name: 'labelmux_build_info', help: 'The running build: labelmux version, git commit ("unknown" when not built from a checkout) and Node.js version; always 1', labelNames: ['version', 'commit', 'node'], registers: [registry] }).set({ version, commit, node }, 1);
  const series = new Map<string, Series>();

  const requests = 'labelmux_http_requests_total';
  registry.registerMetric(
    scraped(requests, 'HTTP requests by dialect, route template, method and status', 'counter', () =>
      [...series.values()].flatMap((s) => [...s.byStatus].map(([status, value]) => ({ labels: merge(s.labels, { status: String(status) }), value }))),
    ),
  );
  const latency = 'labelmux_http_request_duration_seconds';
  registry.registerMetric(
    scraped(latency, 'HTTP request latency by dialect and route template', 'histogram', () =>
      [...series.values()].flatMap((s) => {
        let cumulative = 0;
        const buckets = s.buckets.map((n, i) => {
          cumulative += n;
          return { metricName: `${latency}_bucket`, labels: merge(s.labels, { le: i < BUCKETS.length ? BUCKETS[i]! : '+Inf' }), value: cumulative };
        });
        return [...buckets, { metricName: `${latency}_sum`, labels: s.labels, value: s.sum }, { metricName: `${latency}_count`, labels: s.labels, value: s.count }];
      }),
    ),
  );

  return {
    registry,
    observe(dialect, route, method, status, seconds) {
      const key = `${dialect} ${method} ${route}`;
      let s = series.get(key);
      if (!s) {
        s = { labels: { dialect, route, method }, byStatus: new Map(), buckets: new Array<number>(BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
        series.set(key, s);
      }
      s.byStatus.set(status, (s.byStatus.get(status) ?? 0) + 1);
      let bucket = 0;
      while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
      s.buckets[bucket]!++;
      s.sum += seconds;
      s.count++;
    },
  };
}
