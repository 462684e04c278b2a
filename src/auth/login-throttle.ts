// Login throttling (SPEC §5): 10 failed attempts per email or 100 per IP within 15 minutes, then
// 429 for the rest of the window. Successful logins are not counted. Counters in memory, or in Redis
// (shared by every instance; in memory while Redis fails).
//
// Each attempt is counted before its password is checked, so that attempts sent all at once cannot
// get more passwords checked than the budget, and taken back when the password was right. A refused
// attempt is never counted, and taking one back never goes below zero nor into a window that began
// after the attempt (the counter is gone by then): no sequence of attempts, refusals and successes
// can buy more checks than the budget.
import type { Redis } from 'ioredis';
import { defineScript } from '../cluster/redis.js';
import { normalizeEmail } from '../domain/validation.js';

export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_EMAIL = 10;
export const MAX_FAILURES_PER_IP = 100;

/** Counts attempts under a key in a window that starts with the key's first attempt. */
interface AttemptCounter {
  /** Counts one attempt when the key has fewer than `max`: 0, else the ms until its window ends. */
  reserve(key: string, max: number, now: number): Promise<number>;
  /** Takes one attempt back, if the key still has any in its window. */
  release(key: string, now: number): Promise<void>;
}

const WINDOW_MS = LOGIN_WINDOW_SECONDS * 1000;

function memoryAttempts(): AttemptCounter & { size(): number } {
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
      if (!entry) { counts.set(key, { count: 1, windowEnd: now + WINDOW_MS }); return 0; }
      if (entry.count >= max) return entry.windowEnd - now;
      entry.count++;
      return 0;
    },
    async release(key, now) {
      const entry = live(key, now);
      if (!entry || entry.count <= 0) return;
      // An attempt taken back to none leaves nothing behind: attempts an IP with none left refuses
      // (counted against their email first, then taken back) would otherwise each keep an entry
      // for the whole window, however many emails a flood named.
      if (--entry.count === 0) counts.delete(key);
    },
    size: () => counts.size,
  };
}

// GET first, so that a refused attempt is not counted; INCR then starts the window of a new key.
const RESERVE = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then
  local left = redis.call('PTTL', KEYS[1])
  if left < 1 then return 1 end
  return left
end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;
// DECR keeps the key's expiry; a key that is gone (its window over) stays gone, and one taken back
// to none goes (as in memory).
const RELEASE = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n > 1 then redis.call('DECR', KEYS[1]) elseif n == 1 then redis.call('DEL', KEYS[1]) end
return 0
`;

function redisAttempts(redis: Redis, keyPrefix: string, fallback: AttemptCounter): AttemptCounter {
  const reserve = defineScript(redis, 'keysmithLoginReserve', RESERVE);
  const release = defineScript(redis, 'keysmithLoginRelease', RELEASE);
  return {
    // While Redis fails, this instance counts on its own (as the per-key budgets do).
    reserve: (key, max, now) => reserve(`${keyPrefix}:login:${key}`, max, WINDOW_MS).catch(() => fallback.reserve(key, max, now)),
    release: (key, now) => release(`${keyPrefix}:login:${key}`).then(() => undefined, () => fallback.release(key, now)),
  };
}

export function createLoginThrottle(redis?: Redis | null, keyPrefix = 'keysmith') {
  const memory = memoryAttempts();
  const attempts = redis ? redisAttempts(redis, keyPrefix, memory) : memory;
  const keys = (emailKey: string, ip: string) => ({ email: `email:${normalizeEmail(emailKey)}`, ip: `ip:${ip}` });
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

  return {
    /**
     * Counts an attempt as failed before its password is checked: the seconds to wait when the email
     * or the IP has no attempt left (then nothing is counted), else null, and `succeeded` takes a
     * right password's attempt back.
     */
    async reserve(emailKey: string, ip: string, now = Date.now()): Promise<number | null> {
      const { email, ip: byIp } = keys(emailKey, ip);
      const emailWait = await attempts.reserve(email, MAX_FAILURES_PER_EMAIL, now);
      if (emailWait > 0) return seconds(emailWait);
      const ipWait = await attempts.reserve(byIp, MAX_FAILURES_PER_IP, now);
      if (ipWait > 0) {
        await attempts.release(email, now);
        return seconds(ipWait);
      }
      return null;
    },
    /** How many emails and IPs this instance holds counts for (in memory). */
    heldInMemory: () => memory.size(),
    /** A right password: its attempt is not counted (SPEC §5: successful logins are not limited). */
    async succeeded(emailKey: string, ip: string, now = Date.now()): Promise<void> {
      const { email, ip: byIp } = keys(emailKey, ip);
      await Promise.all([attempts.release(email, now), attempts.release(byIp, now)]);
    },
  };
}
