// Per-API-key budgets (SPEC §5) and the per-IP budget of the credential-free token endpoints.
//
// A key's budget Q is its own `rateLimitQps`, else the account's `apiKeyQps`, else
// KEYSMITH_API_KEY_QPS, else 1. Windows are fixed and aligned to the clock: Q ≥ 1 allows ⌊Q⌋
// requests per one-second window, Q < 1 one request per window of 1/Q seconds. A refused request
// is not counted. Counters live in Redis when a client is given (one atomic script per request),
// else in memory; if Redis fails, the in-memory counters take over for that request.
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { ApiKeyRateLimiter, InvalidationEvent, IpRateLimiter, Services } from '../services.js';
import { getEffectiveSettings } from '../store/account-settings.js';
import type { Principal } from './principal.js';
import { MIN_QPS } from '../domain/validation.js';

export interface Window { lengthMs: number; points: number }

/** The fixed window of a budget of Q requests per second. */
export function windowOf(qps: number): Window {
  if (qps >= 1) return { lengthMs: 1000, points: Math.floor(qps) };
  // Bounded by the smallest budget the API takes, for any smaller value stored before it did.
  return { lengthMs: Math.max(1, Math.round(1000 / Math.max(qps, MIN_QPS))), points: 1 };
}

export type Limited = { retryAfterSeconds: number; qps: number } | null;

/** Counts one request in the window containing `now`: true when it fits (and was counted). */
interface WindowCounter {
  take(key: string, window: Window, now: number): Promise<boolean>;
}

export interface MemoryCounter {
  take(key: string, window: Window, now: number): boolean;
}

/** Counts in this process's memory. Exported for its tests. */
export function memoryCounter(): MemoryCounter {
  const counts = new Map<string, { windowStart: number; windowEnd: number; count: number }>();
  let sinceSweep = 0;
  return {
    take(key, window, now) {
      const windowStart = now - (now % window.lengthMs);
      let entry = counts.get(key);
      if (!entry || entry.windowStart !== windowStart) {
        entry = { windowStart, windowEnd: windowStart + window.lengthMs, count: 0 };
        counts.set(key, entry);
      }
      if (++sinceSweep >= 10_000) {
        // Keys of past windows are dead weight; drop them now and then (a window lasts up to 1,000 s).
        sinceSweep = 0;
        for (const [k, e] of counts) if (e.windowEnd <= now) counts.delete(k);
      }
      if (entry.count >= window.points) return false;
      entry.count++;
      return true;
    },
  };
}

// GET first: a request over the limit does not count. INCR then sets the expiry of a new window.
const TAKE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current >= tonumber(ARGV[1]) then return 0 end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/** Counts in Redis; while Redis fails, in memory. `health` hears of each failure and each success. */
function redisCounter(redis: Redis, keyPrefix: string, fallback: MemoryCounter,
  health: { failed(err: Error): void; succeeded(): void }): WindowCounter {
  const command = 'keysmithTakeWindow';
  if (!(command in redis)) redis.defineCommand(command, { numberOfKeys: 1, lua: TAKE_SCRIPT });
  const take = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<number>>)[command].bind(redis);
  return {
    async take(key, window, now) {
      const index = Math.floor(now / window.lengthMs);
      try {
        const ok = await take(`${keyPrefix}:ratelimit:apikey:${key}:${window.lengthMs}:${index}`, window.points, window.lengthMs * 2);
        health.succeeded();
        return ok === 1;
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

  /** The key's budget when both the key's and its account's settings are cached and fresh. */
  function cachedQps(apiKeyId: string, accountIdentifier: string, now: number): number | undefined {
    const key = keyQps.get(apiKeyId);
    if (!key || !fresh(key.loadedAt, now)) return undefined;
    if (key.qps !== null && key.qps > 0) return key.qps;
    const account = accountQps.get(accountIdentifier);
    return account && fresh(account.loadedAt, now) ? account.qps : undefined;
  }

  async function qpsOf(apiKeyId: string, accountIdentifier: string): Promise<number> {
    const now = services.now();
    let key = keyQps.get(apiKeyId);
    if (!key || !fresh(key.loadedAt, now)) {
      const row = await services.db.selectFrom('api_keys').select('rate_limit_qps').where('id', '=', apiKeyId).executeTakeFirst();
      key = { qps: row?.rate_limit_qps == null ? null : Number(row.rate_limit_qps), accountIdentifier, loadedAt: now };
      keyQps.set(apiKeyId, key);
    }
    if (key.qps !== null && key.qps > 0) return key.qps;
    let account = accountQps.get(accountIdentifier);
    if (!account || !fresh(account.loadedAt, now)) {
      const settings = await getEffectiveSettings(services.db, services.config, accountIdentifier);
      account = { qps: settings.apiKeyQps, loadedAt: now };
      accountQps.set(accountIdentifier, account);
    }
    return account.qps;
  }

  /** The answer once the request was (or was not) counted in its window. */
  function answer(counted: boolean, window: Window, qps: number, now: number): Limited {
    if (counted) return null;
    const msLeft = window.lengthMs - (now % window.lengthMs);
    return { retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)), qps };
  }

  return {
    qpsOf,
    async consume(principal: Principal): Promise<Limited> {
      const token = principal.token;
      if (!token) return null; // console traffic is not counted per key
      const qps = await qpsOf(token.apiKeyId, principal.accountIdentifier);
      const window = windowOf(qps);
      const now = services.now();
      return answer(await counter.take(token.apiKeyId, window, now), window, qps, now);
    },
    consumeCached(principal: Principal): Limited | undefined {
      const token = principal.token;
      if (!token) return null;
      if (redis) return undefined; // the shared counters are a round trip away
      const now = services.now();
      const qps = cachedQps(token.apiKeyId, principal.accountIdentifier, now);
      if (qps === undefined) return undefined;
      const window = windowOf(qps);
      // Keyed by the principal's own id string: its hash is computed once, not on every request.
      return answer(memory.take(token.apiKeyId, window, now), window, qps, now);
    },
    invalidate(event: InvalidationEvent) {
      switch (event.kind) {
        case 'account':
        case 'budgets':
          accountQps.delete(event.accountIdentifier);
          for (const [id, k] of keyQps) if (k.accountIdentifier === event.accountIdentifier) keyQps.delete(id);
          break;
        case 'all':
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
    async consume(ip) {
      try {
        await limiter.consume(ip, 1);
        return null;
      } catch (res) {
        if (res instanceof Error) throw res;
        const ms = (res as { msBeforeNext?: number }).msBeforeNext ?? 1000;
        return Math.max(1, Math.ceil(ms / 1000));
      }
    },
  };
}
