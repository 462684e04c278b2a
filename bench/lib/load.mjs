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
