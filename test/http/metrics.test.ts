// /metrics: requests by method, registered route and status, and the latency histogram, counted on
// the hot path without prom-client's per-observation label hashing (src/http/metrics.ts).
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describeEachEngine('metrics', (h) => {
  it('counts requests by method, route as registered and status, and unmatched paths under one label', async () => {
    const before = (await h().anonymous.get('/metrics')).text;
    const route = 'method="GET",route="/ng/api/user/currentUser"';
    const okBefore = sample(before, 'keysmith_http_requests_total', `${route},status="200"`) ?? 0;
    for (let i = 0; i < 3; i++) expect((await h().admin.client.get('/ng/api/user/currentUser')).status).toBe(200);
    expect((await h().anonymous.get('/ng/api/user/currentUser')).status).toBe(401);
    expect((await h().admin.client.get('/ng/api/no/such/route/x1')).status).toBe(404);
    expect((await h().admin.client.get('/ng/api/no/such/route/x2')).status).toBe(404);

    const after = (await h().anonymous.get('/metrics')).text;
    expect(sample(after, 'keysmith_http_requests_total', `${route},status="200"`)).toBe(okBefore + 3);
    expect(sample(after, 'keysmith_http_requests_total', `${route},status="401"`)).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'keysmith_http_requests_total', 'method="GET",route="unmatched",status="404"')).toBeGreaterThanOrEqual(2);
    expect(after).not.toContain('/no/such/route'); // the path sent never becomes a label
  });

  it('keeps a cumulative latency histogram per route, with +Inf equal to the count', async () => {
    for (let i = 0; i < 2; i++) await h().anonymous.get('/healthz');
    const text = (await h().anonymous.get('/metrics')).text;
    expect(text).toContain('# TYPE keysmith_http_request_duration_seconds histogram');
    const labels = 'method="GET",route="/healthz"';
    const buckets = text.split('\n').filter((l) => l.startsWith(`keysmith_http_request_duration_seconds_bucket{${labels},`))
      .map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)));
    expect(buckets.length).toBe(13);
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]).toBeGreaterThanOrEqual(buckets[i - 1]!);
    const count = sample(text, 'keysmith_http_request_duration_seconds_count', labels)!;
    expect(count).toBeGreaterThanOrEqual(2);
    expect(buckets.at(-1)).toBe(count);
    const sum = sample(text, 'keysmith_http_request_duration_seconds_sum', labels)!;
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(count * 10);
    expect(text).toContain('process_cpu_user_seconds_total'); // prom-client's default metrics are still there
  });
});
