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
 * keep-alive sockets, one request in flight on each; a request released while every socket is busy
 * waits for one. Latency runs from the moment a request is released. Resolves to the same shape as
 * `load`.
 *
 * It speaks HTTP/1.1 over raw sockets with the request bytes built once: through `node:http` the
 * generator spent about 60 µs of CPU per request, more than the server it measures, so at the
 * rates this runs at on a 2-core machine it was the generator's own backlog that showed as latency.
 */
export async function paced(url, { rate, duration = 5, connections = 32, method = 'GET', path, headers = {}, expect = 200 }) {
  const { connect } = await import('node:net');
  const target = new URL(path, url);
  const requestBytes = Buffer.from([`${method} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n'), 'latin1');
  const latencies = [];
  const statuses = {};
  let errors = 0;
  let sent = 0;
  let answered = 0;
  let unreachable = false;
  const total = Math.round(rate * duration);
  const waiting = []; // release times of requests waiting for a free connection
  const idle = [];
  let onAllAnswered = () => {};
  const allAnswered = new Promise((resolve) => { onAllAnswered = resolve; });

  const finish = (releasedAt, status) => {
    answered++;
    if (status === null) errors++;
    else {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status === expect) latencies.push(performance.now() - releasedAt);
    }
    if (answered === total) onAllAnswered();
  };

  /** One keep-alive connection, one request in flight at a time. */
  function open() {
    const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true });
    let connected = false;
    let buffered = '';
    let inFlight = null; // release time of the request in flight, or null
    const connection = {
      send(releasedAt) { inFlight = releasedAt; socket.write(requestBytes); },
      close() { socket.destroy(); },
    };
    const next = () => {
      if (waiting.length > 0) connection.send(waiting.shift());
      else idle.push(connection);
    };
    socket.setEncoding('latin1');
    socket.on('connect', () => { connected = true; next(); });
    socket.on('data', (chunk) => {
      buffered += chunk;
      // A whole response: status line and headers, then Content-Length bytes (or a chunked body's end).
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0 || inFlight === null) return;
      const head = buffered.slice(0, headEnd).toLowerCase();
      const length = /\r\ncontent-length: *(\d+)/.exec(head);
      let end = headEnd + 4;
      if (length) end += Number(length[1]);
      else if (head.includes('\r\ntransfer-encoding: chunked')) {
        const last = buffered.indexOf('\r\n0\r\n\r\n', headEnd);
        end = last < 0 ? Infinity : last + 7;
      }
      if (buffered.length < end) return;
      const status = Number(buffered.slice(9, 12));
      buffered = '';
      const releasedAt = inFlight;
      inFlight = null;
      finish(releasedAt, status);
      if (head.includes('\r\nconnection: close')) socket.destroy();
      else next();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      const i = idle.indexOf(connection);
      if (i >= 0) idle.splice(i, 1);
      if (inFlight !== null) finish(inFlight, null);
      inFlight = null;
      if (!connected) {
        // The server cannot be reached: what waits, and what is still to come, fails.
        unreachable = true;
        while (waiting.length > 0) finish(waiting.shift(), null);
      } else if (sent < total || waiting.length > 0) open();
    });
  }

  for (let i = 0; i < connections; i++) open();
  const start = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        sent++;
        if (unreachable) { finish(now, null); continue; }
        const connection = idle.pop();
        if (connection) connection.send(now);
        else waiting.push(now);
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  if (total > 0) await allAnswered;
  const elapsed = (performance.now() - start) / 1000;
  for (const connection of idle.splice(0)) connection.close();
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
