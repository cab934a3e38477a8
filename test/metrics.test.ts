import { describe, expect, it } from 'vitest';
import { BUCKETS, createMetrics } from '../src/http/metrics.js';

const lines = (text: string, name: string) => text.split('\n').filter((l) => l.startsWith(name));

describe('request metrics', () => {
  it('count requests per status and build a cumulative histogram with le as Prometheus defines it (value ≤ bound)', async () => {
    const m = createMetrics();
    m.observe('jotform', '/API/label/:id', 'GET', 200, 0.001); // exactly a bound: in le="0.001"
    m.observe('jotform', '/API/label/:id', 'GET', 200, 0.0011);
    m.observe('jotform', '/API/label/:id', 'GET', 401, 3); // above the last bound: +Inf only
    m.observe('limbo', '/api/v1/labels', 'GET', 200, 0);
    const text = await m.registry.metrics();

    expect(text).toContain('# TYPE labelmux_http_requests_total counter');
    expect(lines(text, 'labelmux_http_requests_total{')).toEqual([
      'labelmux_http_requests_total{dialect="jotform",route="/API/label/:id",method="GET",status="200"} 2',
      'labelmux_http_requests_total{dialect="jotform",route="/API/label/:id",method="GET",status="401"} 1',
      'labelmux_http_requests_total{dialect="limbo",route="/api/v1/labels",method="GET",status="200"} 1',
    ]);
    expect(text).toContain('# TYPE labelmux_http_request_duration_seconds histogram');
    const jot = lines(text, 'labelmux_http_request_duration_seconds').filter((l) => l.includes('dialect="jotform"'));
    const expected = [...BUCKETS.map(String), '+Inf'].map((le, i) => {
      const n = i === 0 ? 0 : i === 1 ? 1 : i < BUCKETS.length ? 2 : 3;
      return `labelmux_http_request_duration_seconds_bucket{dialect="jotform",route="/API/label/:id",method="GET",le="${le}"} ${n}`;
    });
    expect(jot).toEqual([
      ...expected,
      'labelmux_http_request_duration_seconds_sum{dialect="jotform",route="/API/label/:id",method="GET"} 3.0021',
      'labelmux_http_request_duration_seconds_count{dialect="jotform",route="/API/label/:id",method="GET"} 3',
    ]);
    expect(lines(text, 'labelmux_http_request_duration_seconds_bucket{dialect="limbo"')[0]).toBe(
      'labelmux_http_request_duration_seconds_bucket{dialect="limbo",route="/api/v1/labels",method="GET",le="0.0005"} 1',
    );
    // The process metrics stay.
    expect(text).toContain('labelmux_process_cpu_seconds_total');
  });

  it('escape label values', async () => {
    const m = createMetrics();
    m.observe('none', 'a"b\\c\nd', 'GET', 404, 0.1);
    expect(await m.registry.metrics()).toContain('route="a\\"b\\\\c\\nd"');
  });
});
