// Scenario (f): revocation propagation between two keysmith processes sharing PostgreSQL (a fresh
// schema) and Redis (a fresh key prefix). For each of N tokens: B authenticates it (so B has it
// cached), A deletes it, and B is polled until it refuses; the time runs from A's answer to the
// first refusal on B.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { call, createPat, deletePat, login } from './http.mjs';
import { percentile } from './load.mjs';
import { startKeysmith, watchPeakRss } from './processes.mjs';

/** Where (f) finds its services: KEYSMITH_BENCH_*, else DATABASE_URL/REDIS_URL, else the test ones. */
function serviceUrls() {
  const env = process.env;
  return {
    databaseUrl: env.KEYSMITH_BENCH_DATABASE_URL || env.DATABASE_URL || env.KEYSMITH_TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    redisUrl: env.KEYSMITH_BENCH_REDIS_URL || env.REDIS_URL || env.KEYSMITH_TEST_REDIS_URL || 'redis://127.0.0.1:6379',
  };
}

function loopbackOnly(url) {
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

async function reachable(databaseUrl, redisUrl) {
  if (!loopbackOnly(databaseUrl) || !loopbackOnly(redisUrl)) return 'the bench only talks to services on 127.0.0.1';
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 2_000 });
  try { await client.connect(); await client.query('select 1'); } catch (err) {
    return `PostgreSQL not reachable at ${new URL(databaseUrl).host} (${err.message})`;
  } finally { await client.end().catch(() => {}); }
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try { await redis.connect(); await redis.ping(); } catch (err) {
    return `Redis not reachable at ${new URL(redisUrl).host} (${err.message})`;
  } finally { redis.disconnect(); }
  return null;
}

export async function runRevocationPropagation({ log, revocations, place = (server) => server }) {
  const { databaseUrl, redisUrl } = serviceUrls();
  const unreachable = await reachable(databaseUrl, redisUrl);
  if (unreachable) return { skipped: unreachable };

  const unique = `${process.pid}_${Date.now().toString(36)}`;
  const schema = `bench_${unique}`;
  const prefix = `keysmith-bench:${unique}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const password = randomBytes(12).toString('hex');
  const env = {
    DATABASE_URL: url.toString(), REDIS_URL: redisUrl, KEYSMITH_REDIS_PREFIX: prefix,
    KEYSMITH_ADMIN_EMAIL: 'bench@keysmith.local', KEYSMITH_ADMIN_PASSWORD: password,
    KEYSMITH_API_KEY_QPS: '1000000', KEYSMITH_MAX_TOKENS_PER_KEY: '100000000',
  };
  let a;
  let b;
  try {
    log('(f) revocation propagation: starting two instances on PostgreSQL + Redis …');
    a = place(await startKeysmith('keysmith A', env)); // bootstraps the schema first
    b = place(await startKeysmith('keysmith B', env));
    const session = await login(a.url, 'bench@keysmith.local', password);
    const rss = watchPeakRss(b.pid);
    const times = [];
    let slowest = 0;
    for (let i = 0; i < revocations; i++) {
      const identifier = `revoke_${i}`;
      const token = await createPat(a.url, session, 'bench_revocation', identifier);
      const warm = await call(b.url, 'GET', '/ng/api/user/currentUser', { headers: { 'x-api-key': token } });
      if (warm.status !== 200) throw new Error(`B did not accept a fresh token: ${warm.status} ${warm.text}`);
      await deletePat(a.url, session, 'bench_revocation', identifier);
      const deletedAt = performance.now();
      for (;;) {
        const res = await call(b.url, 'GET', '/ng/api/user/currentUser', { headers: { 'x-api-key': token } });
        if (res.status === 401) break;
        if (performance.now() - deletedAt > 10_000) throw new Error('B still accepts a token deleted on A 10 s ago');
      }
      const ms = performance.now() - deletedAt;
      slowest = Math.max(slowest, ms);
      times.push(ms);
    }
    times.sort((x, y) => x - y);
    return { p50: percentile(times, 50), p99: percentile(times, 99), max: slowest, peakRss: rss.stop() };
  } finally {
    await b?.stop().catch(() => {});
    await a?.stop().catch(() => {});
    await admin.query(`drop schema if exists ${schema} cascade`).catch(() => {});
    await admin.end().catch(() => {});
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => {});
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
    } catch { /* best effort */ } finally { redis.disconnect(); }
  }
}
