// Load generation with autocannon. Latencies are collected per response with sub-millisecond
// precision (autocannon's own histogram keeps whole milliseconds), and status codes are counted,
// so a scenario answered with errors shows as such instead of as fast.
import autocannon from 'autocannon';

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/**
 * Runs autocannon against `url`; resolves to { rps, p50, p99, requests, statuses, errors }, where
 * rps, p50 and p99 count only answers with the `expect`ed status (200 unless told, 401 for floods
 * of invalid tokens). Options: connections, duration and warmup (s) or amount (requests), overallRate (req/s), method,
 * path, headers, body, setupRequest (autocannon's, to vary each request).
 */
export async function load(url, options) {
  const { warmup = 0, ...rest } = options;
  if (warmup > 0) await runOnce(url, { ...rest, duration: warmup });
  return runOnce(url, rest);
}

function runOnce(url, {
  connections = 16, duration = 5, amount, overallRate, method = 'GET', path, headers = {}, body, setupRequest, expect = 200,
}) {
  const latencies = [];
  const statuses = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url,
      connections,
      ...(amount ? { amount } : { duration }),
      ...(overallRate ? { overallRate } : {}),
      requests: [{ method, path, headers, ...(body === undefined ? {} : { body }), ...(setupRequest ? { setupRequest } : {}) }],
    }, (err, result) => {
      if (err) return reject(err);
      latencies.sort((a, b) => a - b);
      resolve({
        rps: latencies.length / (result.duration || duration),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        requests: result.requests.total,
        statuses,
        errors: result.errors + result.timeouts,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      if (statusCode === expect) latencies.push(responseTime);
    });
  });
}

/**
 * An open-loop load at a steady `rate` (requests/s) for `duration` seconds: requests are released
 * evenly over time, whether or not earlier ones were answered (autocannon's own rate limit sends
 * each second's quota in one burst, which measures a saturated server), over up to `connections`
 * keep-alive sockets. Latency runs from the moment a request is written. Resolves to the same shape
 * as `load`.
 */
export async function paced(url, { rate, duration = 5, connections = 32, method = 'GET', path, headers = {}, expect = 200 }) {
  const { Agent, request } = await import('node:http');
  const target = new URL(path, url);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let sent = 0;
  const total = Math.round(rate * duration);
  const pending = new Set();

  const send = () => {
    const done = new Promise((resolve) => {
      const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          if (res.statusCode === expect) latencies.push(performance.now() - writtenAt);
          resolve();
        });
      });
      req.on('error', () => { errors++; resolve(); });
      const writtenAt = performance.now();
      req.end();
    });
    pending.add(done);
    void done.then(() => pending.delete(done));
  };

  const start = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) { sent++; send(); }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: sent,
    statuses,
    errors,
  };
}
