// Login throttling (SPEC §5): 10 failed attempts per email or 100 per IP within 15 minutes, then
// 429 for the rest of the window. Successful logins are not counted. Counters in memory, or in Redis
// (shared by every instance; in memory while Redis fails).
//
// Each attempt is counted before its password is checked, so that attempts sent all at once cannot
// get more passwords checked than the budget, and taken back when the password was right. A refused
// attempt is never counted. Taking one back never goes below zero, happens once, and only in the
// window the attempt was counted in: each window of a key has an id (its first attempt's time),
// which the reservation keeps, so an attempt that straddles the end of its window gives nothing to
// the next one. No sequence of attempts, refusals and successes buys more checks than the budget.
import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis.js';
import { normalizeEmail } from '../domain/validation.js';

export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_EMAIL = 10;
export const MAX_FAILURES_PER_IP = 100;

/** Counts attempts under a key in a window that starts with the key's first attempt. */
interface AttemptCounter {
  /**
   * Counts one attempt when the key has fewer than `max`: the id of the window it was counted in;
   * else `{ wait }`, the ms until that window ends.
   */
  reserve(key: string, max: number, now: number): Promise<string | { wait: number }>;
  /** Takes one attempt back, if the key's live window is still `window`. */
  release(key: string, window: string, now: number): Promise<void>;
}

const WINDOW_MS = LOGIN_WINDOW_SECONDS * 1000;

function memoryAttempts(): AttemptCounter & { size(): number } {
  // A window's id is its end: a key's next window ends later.
  const counts = new Map<string, { count: number; windowEnd: number }>();
  let sinceSweep = 0;
  const live = (key: string, now: number) => {
    const entry = counts.get(key);
    return entry && entry.windowEnd > now ? entry : undefined;
  };
  return {
    async reserve(key, max, now) {
      if (++sinceSweep >= 1_000) {
        sinceSweep = 0;
        for (const [k, e] of counts) if (e.windowEnd <= now) counts.delete(k);
      }
      const entry = live(key, now);
      if (!entry) {
        const windowEnd = now + WINDOW_MS;
        counts.set(key, { count: 1, windowEnd });
        return String(windowEnd);
      }
      if (entry.count >= max) return { wait: entry.windowEnd - now };
      entry.count++;
      return String(entry.windowEnd);
    },
    async release(key, window, now) {
      const entry = live(key, now);
      if (!entry || String(entry.windowEnd) !== window || entry.count <= 0) return;
      // An attempt taken back to none leaves nothing behind: attempts an IP with none left refuses
      // (counted against their email first, then taken back) would otherwise each keep an entry
      // for the whole window, however many emails a flood named.
      if (--entry.count === 0) counts.delete(key);
    },
    size: () => counts.size,
  };
}

// A key is a hash: `n` attempts in the window `w` (the time its first attempt was counted, from the
// instance that counted it; unique per key, as a key's windows are 15 minutes apart). HGET first, so
// that a refused attempt is not counted; the first attempt starts the window.
const RESERVE = `
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if n >= tonumber(ARGV[1]) then
  local left = redis.call('PTTL', KEYS[1])
  if left < 1 then left = 1 end
  return {left, ''}
end
if n == 0 then
  redis.call('HSET', KEYS[1], 'n', 1, 'w', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {0, ARGV[3]}
end
redis.call('HINCRBY', KEYS[1], 'n', 1)
return {0, redis.call('HGET', KEYS[1], 'w')}
`;
// Only in the attempt's own window (a key that is gone, its window over, stays gone); HINCRBY keeps
// the key's expiry, and one taken back to none goes (as in memory).
const RELEASE = `
if redis.call('HGET', KEYS[1], 'w') ~= ARGV[1] then return 0 end
if redis.call('HINCRBY', KEYS[1], 'n', -1) <= 0 then redis.call('DEL', KEYS[1]) end
return 0
`;

function redisAttempts(redis: Redis, keyPrefix: string, fallback: AttemptCounter): AttemptCounter {
  const reserve = defineScript<[number, string]>(redis, 'keysmithLoginWindowReserve', RESERVE);
  const release = defineScript(redis, 'keysmithLoginWindowRelease', RELEASE);
  // `login-window:`, not the `login:` of the counters before windows had ids: during a rolling
  // upgrade each version counts under its own keys rather than failing on the other's.
  const redisKey = (key: string) => `${keyPrefix}:login-window:${key}`;
  return {
    // While Redis fails, this instance counts on its own (as the per-key budgets do). A window
    // counted in Redis is not one of memory's ids, nor the other way round: an attempt is taken
    // back only where it was counted (and stays counted when Redis refuses to take it back).
    reserve: (key, max, now) => reserve(redisKey(key), max, WINDOW_MS, String(now)).then(
      ([wait, window]) => (wait > 0 ? { wait } : `redis:${window}`),
      () => fallback.reserve(key, max, now)),
    release: (key, window, now) => window.startsWith('redis:')
      ? release(redisKey(key), window.slice('redis:'.length)).then(() => undefined, () => undefined)
      : fallback.release(key, window, now),
  };
}

/**
 * An attempt counted as failed before its password is checked: `waitSeconds` when the email or the
 * IP had no attempt left (then nothing was counted), else null, and `succeeded` takes a right
 * password's attempt back (once; SPEC §5: successful logins are not limited).
 */
export interface LoginAttempt {
  waitSeconds: number | null;
  succeeded(now?: number): Promise<void>;
}

export function createLoginThrottle(redis?: Redis | null, keyPrefix = 'keysmith') {
  const memory = memoryAttempts();
  const attempts = redis ? redisAttempts(redis, keyPrefix, memory) : memory;
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const refused = (ms: number): LoginAttempt => ({ waitSeconds: seconds(ms), succeeded: async () => undefined });

  return {
    async reserve(emailKey: string, ip: string, now = Date.now()): Promise<LoginAttempt> {
      const email = `email:${normalizeEmail(emailKey)}`;
      const byIp = `ip:${ip}`;
      const emailWindow = await attempts.reserve(email, MAX_FAILURES_PER_EMAIL, now);
      if (typeof emailWindow !== 'string') return refused(emailWindow.wait);
      const ipWindow = await attempts.reserve(byIp, MAX_FAILURES_PER_IP, now);
      if (typeof ipWindow !== 'string') {
        await attempts.release(email, emailWindow, now);
        return refused(ipWindow.wait);
      }
      let counted = true;
      return {
        waitSeconds: null,
        async succeeded(at = Date.now()) {
          if (!counted) return;
          counted = false;
          await Promise.all([attempts.release(email, emailWindow, at), attempts.release(byIp, ipWindow, at)]);
        },
      };
    },
    /** How many emails and IPs this instance holds counts for (in memory). */
    heldInMemory: () => memory.size(),
  };
}
