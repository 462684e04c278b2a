// Prometheus metrics: requests by method, route and status, and a latency histogram by method and
// route, next to prom-client's default process metrics. One registry per app.
//
// The request metrics are counted in plain per-route records, found once per route and method
// (app.ts keeps them in the route's hook), and turned into Prometheus series only when /metrics is
// read: prom-client's own counters build and hash a label string on every observation, which on the
// hot path cost more than the rest of the bookkeeping together.
import { Registry, collectDefaultMetrics } from 'prom-client';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;
const REQUESTS = 'keysmith_http_requests_total';
const DURATION = 'keysmith_http_request_duration_seconds';

/** What one method of one route has seen. */
export interface RouteSeries {
  readonly method: string;
  readonly route: string;
  readonly statuses: Map<number, number>;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

interface MetricValue { labels: Record<string, string | number>; value: number; metricName?: string }

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const all = new Map<string, RouteSeries>();

  function series(method: string, route: string): RouteSeries {
    const key = `${method} ${route}`;
    let s = all.get(key);
    if (!s) {
      s = { method, route, statuses: new Map(), buckets: new Float64Array(BUCKETS.length + 1), sum: 0, count: 0 };
      all.set(key, s);
    }
    return s;
  }

  // Exported in prom-client's own shapes, so its registry formats them with everything else.
  registry.registerMetric({
    name: REQUESTS,
    get: async () => {
      const values: MetricValue[] = [];
      for (const s of all.values()) {
        for (const [status, value] of s.statuses) values.push({ labels: { method: s.method, route: s.route, status }, value });
      }
      return { name: REQUESTS, help: 'HTTP requests by method, route and status', type: 'counter', values, aggregator: 'sum' };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0]);
  registry.registerMetric({
    name: DURATION,
    get: async () => {
      const values: MetricValue[] = [];
      for (const s of all.values()) {
        if (s.count === 0) continue;
        const labels = { method: s.method, route: s.route };
        let cumulative = 0;
        for (let i = 0; i <= BUCKETS.length; i++) {
          cumulative += s.buckets[i]!;
          values.push({ labels: { ...labels, le: i < BUCKETS.length ? BUCKETS[i]! : '+Inf' }, value: cumulative, metricName: `${DURATION}_bucket` });
        }
        values.push({ labels, value: s.sum, metricName: `${DURATION}_sum` });
        values.push({ labels, value: s.count, metricName: `${DURATION}_count` });
      }
      return { name: DURATION, help: 'HTTP request latency by method and route', type: 'histogram', values, aggregator: 'sum' };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0]);

  return {
    registry,
    /** The record of one method of one route; look it up once, keep it. */
    series,
    observe(s: RouteSeries, status: number, elapsedMs: number) {
      s.statuses.set(status, (s.statuses.get(status) ?? 0) + 1);
      const seconds = elapsedMs / 1000;
      let i = 0;
      while (i < BUCKETS.length && seconds > BUCKETS[i]!) i++;
      s.buckets[i]!++;
      s.sum += seconds;
      s.count++;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
