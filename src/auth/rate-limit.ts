// Per-API-key budgets (SPEC §5) and the per-IP budget of the credential-free token endpoints.
//
// A key's budget Q is its own `rateLimitQps`, else the account's `apiKeyQps`, else
// KEYSMITH_API_KEY_QPS, else 1. Q ≥ 1 allows ⌊Q⌋ requests in each fixed one-second window aligned
// to the clock; Q < 1 one request per 1/Q seconds, counted from the last one let through (so two are
// never closer than 1/Q seconds, wherever they fall). A refused request is not counted. Counters
// live in Redis when a client is given (one atomic script per request), else in memory; if Redis
// fails, the in-memory counters take over for that request.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis.js';
import type { ApiKeyRateLimiter, InvalidationEvent, IpRateLimiter, Services } from '../services.js';
import { getEffectiveSettings } from '../store/account-settings.js';
import { onlyPermissions } from './invalidation.js';
import type { Principal } from './principal.js';
import { MIN_QPS } from '../domain/validation.js';

/**
 * Where a budget counts its requests. `aligned`: fixed windows of `lengthMs` aligned to the clock,
 * `points` requests each (Q ≥ 1: one second, ⌊Q⌋ requests). Otherwise (Q < 1) a window opens with
 * each request let through and lasts 1/Q seconds, so that two are never closer than that.
 */
export interface Window { readonly lengthMs: number; readonly points: number; readonly aligned: boolean }

/** The window of a budget of Q requests per second. */
export function windowOf(qps: number): Window {
  if (qps >= 1) return { lengthMs: 1000, points: Math.floor(qps), aligned: true };
  // Bounded by the smallest budget the API takes, for any smaller value stored before it did.
  return { lengthMs: Math.max(1, Math.round(1000 / Math.max(qps, MIN_QPS))), points: 1, aligned: false };
}

export type Limited = { retryAfterSeconds: number; qps: number } | null;

/** Counts one request in its window: 0 when it fits (and was counted), else the ms until it would. */
interface WindowCounter {
  take(key: string, window: Window, now: number): Promise<number>;
}

export interface MemoryCounter {
  take(key: string, window: Window, now: number): number;
}

/** Counts in this process's memory. Exported for its tests. */
export function memoryCounter(): MemoryCounter {
  const counts = new Map<string, { window: Window; windowStart: number; windowEnd: number; count: number }>();
  let sinceSweep = 0;
  return {
    take(key, window, now) {
      let entry = counts.get(key);
      // A changed budget starts afresh (as Redis does: its keys name the window's length).
      if (!entry || entry.windowEnd <= now || entry.window.lengthMs !== window.lengthMs || entry.window.aligned !== window.aligned
        || (window.aligned && entry.windowStart !== now - (now % window.lengthMs))) {
        const windowStart = window.aligned ? now - (now % window.lengthMs) : now;
        entry = { window, windowStart, windowEnd: windowStart + window.lengthMs, count: 0 };
        counts.set(key, entry);
      }
      if (++sinceSweep >= 10_000) {
        // Keys of past windows are dead weight; drop them now and then (a window lasts up to 1,000 s).
        sinceSweep = 0;
        for (const [k, e] of counts) if (e.windowEnd <= now) counts.delete(k);
      }
      if (entry.count >= window.points) return entry.windowEnd - now;
      entry.count++;
      return 0;
    },
  };
}

// Aligned windows: GET first, so that a request over the limit does not count; INCR then sets the
// expiry of a new window. Answers 1 when counted, 0 when not (the wait is the rest of the window).
const TAKE_ALIGNED = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return 0 end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;
// A window opened by the request let through: 0 when this one opens it, else the ms it has left.
const TAKE_SPACED = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left
`;

/** Counts in Redis; while Redis fails, in memory. `health` hears of each failure and each success. */
function redisCounter(redis: Redis, keyPrefix: string, fallback: MemoryCounter,
  health: { failed(err: Error): void; succeeded(): void }): WindowCounter {
  const takeAligned = defineScript(redis, 'keysmithTakeWindow', TAKE_ALIGNED);
  const takeSpaced = defineScript(redis, 'keysmithTakeSpaced', TAKE_SPACED);
  const keyOf = (key: string) => `${keyPrefix}:ratelimit:apikey:${key}`;
  return {
    async take(key, window, now) {
      try {
        let wait: number;
        if (window.aligned) {
          const index = Math.floor(now / window.lengthMs);
          const counted = await takeAligned(`${keyOf(key)}:${window.lengthMs}:${index}`, window.points, window.lengthMs * 2);
          wait = counted === 1 ? 0 : window.lengthMs - (now % window.lengthMs);
        } else {
          wait = await takeSpaced(`${keyOf(key)}:spaced:${window.lengthMs}`, window.lengthMs);
        }
        health.succeeded();
        return wait;
      } catch (err) {
        health.failed(err as Error);
        return fallback.take(key, window, now);
      }
    },
  };
}

export function createApiKeyRateLimiter(services: Services, redis?: Redis | null, keyPrefix = 'keysmith'):
  ApiKeyRateLimiter & { qpsOf(apiKeyId: string, accountIdentifier: string): Promise<number> } {
  const ttlMs = services.config.cacheTtlMs;
  const keyQps = new Map<string, { qps: number | null; accountIdentifier: string; loadedAt: number }>();
  const accountQps = new Map<string, { qps: number; loadedAt: number }>();
  // Said once per outage: when Redis fails first, and when it answers again.
  let failing = false;
  const memory = memoryCounter();
  const counter: WindowCounter = redis
    ? redisCounter(redis, keyPrefix, memory, {
      failed(err) {
        if (!failing) services.logger.warn({ err: err.message }, 'rate limit: Redis unavailable, counting per instance');
        failing = true;
      },
      succeeded() {
        if (failing) services.logger.info('rate limit: Redis is back, counting across instances again');
        failing = false;
      },
    })
    : { take: async (key, window, now) => memory.take(key, window, now) };

  const fresh = (loadedAt: number, now: number) => now - loadedAt < ttlMs;
  // The window of the budget seen last: on the hot path most requests have the same budget.
  let lastQps = 1;
  let lastWindow = windowOf(lastQps);
  const windowFor = (qps: number) => {
    if (qps !== lastQps) { lastWindow = windowOf(qps); lastQps = qps; }
    return lastWindow;
  };

  /** The key's budget when both the key's and its account's settings are cached and fresh. */
  function cachedQps(apiKeyId: string, accountIdentifier: string, now: number): number | undefined {
    const key = keyQps.get(apiKeyId);
    if (!key || !fresh(key.loadedAt, now)) return undefined;
    if (key.qps !== null && key.qps > 0) return key.qps;
    const account = accountQps.get(accountIdentifier);
    return account && fresh(account.loadedAt, now) ? account.qps : undefined;
  }

  // Counts the invalidations: a budget read from the store before one arrived may be the old one,
  // so it serves the request that read it but is not cached (it would last the TTL).
  let epoch = 0;

  async function qpsOf(apiKeyId: string, accountIdentifier: string): Promise<number> {
    const now = services.now();
    let key = keyQps.get(apiKeyId);
    if (!key || !fresh(key.loadedAt, now)) {
      const started = epoch;
      const row = await services.db.selectFrom('api_keys').select('rate_limit_qps').where('id', '=', apiKeyId).executeTakeFirst();
      key = { qps: row?.rate_limit_qps == null ? null : Number(row.rate_limit_qps), accountIdentifier, loadedAt: now };
      if (epoch === started) keyQps.set(apiKeyId, key);
    }
    if (key.qps !== null && key.qps > 0) return key.qps;
    let account = accountQps.get(accountIdentifier);
    if (!account || !fresh(account.loadedAt, now)) {
      const started = epoch;
      const settings = await getEffectiveSettings(services.db, services.config, accountIdentifier);
      account = { qps: settings.apiKeyQps, loadedAt: now };
      if (epoch === started) accountQps.set(accountIdentifier, account);
    }
    return account.qps;
  }

  /** The answer once the request was counted (no wait), or not (the ms until it would be). */
  function answer(waitMs: number, qps: number): Limited {
    return waitMs === 0 ? null : { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), qps };
  }

  return {
    qpsOf,
    async consume(principal: Principal): Promise<Limited> {
      const token = principal.token;
      if (!token) return null; // console traffic is not counted per key
      const qps = await qpsOf(token.apiKeyId, principal.accountIdentifier);
      const now = services.now();
      return answer(await counter.take(token.apiKeyId, windowFor(qps), now), qps);
    },
    consumeCached(principal: Principal, now: number): Limited | undefined {
      const token = principal.token;
      if (!token) return null;
      if (redis) return undefined; // the shared counters are a round trip away
      const qps = cachedQps(token.apiKeyId, principal.accountIdentifier, now);
      if (qps === undefined) return undefined;
      // Keyed by the principal's own id string: its hash is computed once, not on every request.
      return answer(memory.take(token.apiKeyId, windowFor(qps), now), qps);
    },
    invalidate(event: InvalidationEvent) {
      if (onlyPermissions(event)) return;
      switch (event.kind) {
        case 'account':
        case 'budgets':
          epoch++;
          accountQps.delete(event.accountIdentifier);
          for (const [id, k] of keyQps) if (k.accountIdentifier === event.accountIdentifier) keyQps.delete(id);
          break;
        case 'all':
          epoch++;
          accountQps.clear();
          keyQps.clear();
          break;
        default:
          break;
      }
    },
  };
}

export const PUBLIC_TOKEN_ENDPOINT_LIMIT = { points: 60, durationSeconds: 60 };

export function createIpRateLimiter(
  redis?: Redis | null, keyPrefix = 'keysmith', limit: { points: number; durationSeconds: number } = PUBLIC_TOKEN_ENDPOINT_LIMIT,
): IpRateLimiter {
  const options = { points: limit.points, duration: limit.durationSeconds };
  const limiter: RateLimiterAbstract = redis
    ? new RateLimiterRedis({
      storeClient: redis, ...options, keyPrefix: `${keyPrefix}:token-endpoints`,
      insuranceLimiter: new RateLimiterMemory({ ...options, keyPrefix: 'token-endpoints' }),
    })
    : new RateLimiterMemory({ ...options, keyPrefix: 'token-endpoints' });
  return {
    async consume(endpoint, ip) {
      try {
        await limiter.consume(`${endpoint}:${ip}`, 1);
        return null;
      } catch (res) {
        if (res instanceof Error) throw res;
        const ms = (res as { msBeforeNext?: number }).msBeforeNext ?? 1000;
        return Math.max(1, Math.ceil(ms / 1000));
      }
    },
  };
}
